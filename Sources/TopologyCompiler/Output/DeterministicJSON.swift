import Foundation

/// The one JSON encoder for everything topoc writes or prints (artifacts, plan.json, the output
/// manifest, the run state, diagnostics, template contexts, JSON embedded in other files): keys
/// sorted and slashes unescaped, so equal values always give equal bytes. The bytes are those of
/// Foundation's `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes`, written by
/// ``DeterministicJSONEncoder`` without building a tree of the value first.
public enum DeterministicJSON {
    /// Pretty-printed (two-space indentation) with a trailing newline; `{}` if the value cannot
    /// be encoded (the values topoc encodes are strings, numbers, booleans and their collections).
    public static func text(_ value: some Encodable) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The UTF-8 bytes of ``text(_:)``, without the copy into a `String` (for files: a plan's JSON
    /// is tens of megabytes at the documented maxima).
    public static func bytes(_ value: some Encodable) -> [UInt8] {
        var sink = JSONBytesSink()
        write(value, to: &sink)
        return sink.bytes
    }

    /// Writes the bytes of ``bytes(_:)`` to `sink` in pieces, so a file's text is not held whole
    /// (``PlanJSONBackend`` stages plan.json this way).
    ///
    /// - Throws: What `sink` throws.
    static func write<Sink: JSONSink>(_ value: some Encodable, to sink: inout Sink) throws(Sink.Failure) {
        do {
            try DeterministicJSONEncoder(pretty: true).encode(value, to: &sink)
        } catch {
            switch error {
            case .sink(let failure):
                throw failure
            case .encoding:
                try sink.restart()
                var fallback = Array("{}".utf8)
                try sink.write(&fallback)
            }
        }
        var newline = [UInt8(ascii: "\n")]
        try sink.write(&newline)
    }

    /// Pretty-printed bytes, without a trailing newline.
    public static func data(_ value: some Encodable) throws -> Data {
        Data(try DeterministicJSONEncoder(pretty: true).encode(value))
    }

    /// On one line, for JSON embedded in another file (a Python literal, a JSON string inside a
    /// script); `nil` if the value cannot be encoded.
    public static func compact(_ value: some Encodable) -> String? {
        guard let bytes = try? DeterministicJSONEncoder(pretty: false).encode(value) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
