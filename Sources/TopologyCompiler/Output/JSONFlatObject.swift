/// A value that ``DeterministicJSONEncoder`` writes straight into an array's buffer instead of
/// through its `encode(to:)`: an object of integer and string members, for values that come by
/// the hundred thousand (a ring's tokens, 614,400 of them at 4,096 shards, once in plan.json and
/// once in routing.json) or the ten thousand (the manifest's files, 24,602 at 4,096 shards).
///
/// The members must be exactly those `encode(to:)` encodes (a `nil` optional left out), in the
/// order of their keys' UTF-8 bytes, and the keys need no escaping; the bytes are then the same
/// either way.
/// `DeterministicJSONEncoderTests` compare both with Foundation's encoder.
protocol JSONFlatObject {
    /// Calls `member` once per member, in the order of the keys' UTF-8 bytes.
    func forEachJSONMember(_ member: (StaticString, JSONFlatValue) -> Void)
}

/// A member's value in a ``JSONFlatObject``.
enum JSONFlatValue {
    case integer(Int64)
    case string(String)
}

extension PlanRingToken: JSONFlatObject {
    func forEachJSONMember(_ member: (StaticString, JSONFlatValue) -> Void) {
        if let region { member("region", .string(region)) }
        member("shard", .integer(Int64(shard)))
        member("token", .integer(token))
    }
}

extension OutputManifest.Entry: JSONFlatObject {
    func forEachJSONMember(_ member: (StaticString, JSONFlatValue) -> Void) {
        member("path", .string(path))
        member("producer", .string(producer))
        member("sha256", .string(sha256))
    }
}
