import Foundation

/// The one JSON encoder for everything topoc writes or prints (artifacts, plan.json, the output
/// manifest, the run state, diagnostics, template contexts, JSON embedded in other files): keys
/// sorted and slashes unescaped, so equal values always give equal bytes.
public enum DeterministicJSON {
    /// Pretty-printed (two-space indentation) with a trailing newline; `{}` if the value cannot
    /// be encoded (the values topoc encodes are strings, numbers, booleans and their collections).
    public static func text(_ value: some Encodable) -> String {
        guard let data = try? data(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Pretty-printed bytes, without a trailing newline.
    public static func data(_ value: some Encodable) throws -> Data {
        try encoder(pretty: true).encode(value)
    }

    /// On one line, for JSON embedded in another file (a Python literal, a JSON string inside a
    /// script); `nil` if the value cannot be encoded.
    public static func compact(_ value: some Encodable) -> String? {
        guard let data = try? encoder(pretty: false).encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
