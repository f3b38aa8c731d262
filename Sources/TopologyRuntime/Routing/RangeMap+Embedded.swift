extension RangeMap {
    /// Builds a range map from entries the compiler has already validated (embedded in generated
    /// code), stopping the program if they are invalid: invalid embedded data means the generated
    /// file was edited by hand.
    ///
    /// - Parameter entries: The ranges.
    /// - Returns: The map.
    public static func embedded(_ entries: [Entry]) -> RangeMap {
        do {
            return try RangeMap(entries)
        } catch {
            preconditionFailure("embedded ranges are invalid: \(error)")
        }
    }

    /// Builds a range map from ranges packed as text (what generated routers embed: an array
    /// literal of entries costs the compiler minutes and gigabytes at thousands of ranges), stopping
    /// the program if the text is malformed or the ranges invalid.
    ///
    /// Each range is three ``PackedTable`` tokens, written one range per line: the lower bound,
    /// the upper bound (``PackedTable/nilToken`` where unbounded) and the shard's index.
    ///
    /// - Parameters:
    ///   - count: The number of ranges.
    ///   - text: The packed text.
    ///   - bound: Reads a bound from its decoded token (`Int64.init`), `nil` if it is not one.
    /// - Returns: The map.
    static func embedded(count: Int, _ text: StaticString, bound: (String) -> Bound?) -> RangeMap {
        let tokens = PackedTable.optionalStrings(count: 3 * count, text)
        func parse(_ token: String?) -> Bound? {
            guard let token else { return nil }
            guard let value = bound(token) else { preconditionFailure("an embedded range bound is invalid: \(token)") }
            return value
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for start in stride(from: 0, to: tokens.count, by: 3) {
            guard let shard = tokens[start + 2].flatMap({ Int($0) }) else {
                preconditionFailure("an embedded range's shard is invalid: \(tokens[start + 2] ?? PackedTable.nilToken)")
            }
            entries.append(Entry(lower: parse(tokens[start]), upper: parse(tokens[start + 1]), shard: shard))
        }
        return embedded(entries)
    }
}

extension RangeMap where Bound == Int64 {
    /// Builds a range map of `bigint` keys from packed text; see ``embedded(count:_:bound:)``.
    ///
    /// - Parameters:
    ///   - count: The number of ranges.
    ///   - text: The packed text.
    /// - Returns: The map.
    public static func embedded(count: Int, _ text: StaticString) -> RangeMap {
        embedded(count: count, text) { Int64($0) }
    }
}

extension RangeMap where Bound == String {
    /// Builds a range map of `text` keys from packed text; see ``embedded(count:_:bound:)``.
    ///
    /// - Parameters:
    ///   - count: The number of ranges.
    ///   - text: The packed text.
    /// - Returns: The map.
    public static func embedded(count: Int, _ text: StaticString) -> RangeMap {
        embedded(count: count, text) { $0 }
    }
}

extension HashRing {
    /// Builds a ring from tokens the compiler has already computed (embedded in generated code),
    /// stopping the program if they are inconsistent: that means the generated file was edited by
    /// hand.
    ///
    /// - Parameters:
    ///   - shardNames: The shards' names.
    ///   - virtualNodes: Tokens per shard.
    ///   - tokens: The sorted token positions.
    ///   - owners: Each token's shard index.
    /// - Returns: The ring.
    public static func embedded(shardNames: [String], virtualNodes: Int, tokens: [Int64], owners: [Int]) -> HashRing {
        do {
            return try HashRing(shardNames: shardNames, virtualNodes: virtualNodes, tokens: tokens, owners: owners)
        } catch {
            preconditionFailure("embedded ring tokens are invalid: \(error)")
        }
    }

    /// Builds a ring from tokens the compiler has already computed and packed as text
    /// (``PackedRingTokens``; what generated routers embed), stopping the program if the text is
    /// malformed or the tokens inconsistent: that means the generated file was edited by hand.
    ///
    /// - Parameters:
    ///   - shardNames: The shards' names.
    ///   - virtualNodes: Tokens per shard.
    ///   - packed: The sorted tokens with their owners, packed as text.
    /// - Returns: The ring.
    public static func embedded(shardNames: [String], virtualNodes: Int, packed: StaticString) -> HashRing {
        let decoded = packed.withUTF8Buffer { text in
            Result { () throws(PackedRingTokensError) in try PackedRingTokens.decode(text, shardCount: shardNames.count) }
        }
        switch decoded {
        case .success(let ring):
            return embedded(shardNames: shardNames, virtualNodes: virtualNodes, tokens: ring.tokens, owners: ring.owners)
        case .failure(let error):
            preconditionFailure("embedded ring text is invalid: \(error)")
        }
    }
}
