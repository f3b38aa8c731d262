import Foundation
import Testing

@testable import TopologyCompiler

/// `YAMLQuoting.scalar`, the one YAML quoting function: hostile values come back exactly through
/// PyYAML, and the byte-level quoting writes what quoting each Unicode scalar in turn writes.
@Suite("YAML quoting")
struct YAMLQuotingTests {
    /// Besides the shared hostile values: the byte order mark, the last C1 control, and their
    /// neighbours that must stay unescaped (no-break space, U+2027, U+FEFE), a long mixed line.
    static let values =
        QuotingTestSupport.hostile + [
            "\u{FEFF}bom", "mid\u{FEFF}", "\u{9F}", "\u{80}", "\u{A0}nbsp", "\u{2027}", "\u{FEFE}", "\u{2030}\u{2028}\u{2029}",
            String(repeating: "SELECT 'a\\b' \"c\"\n\t\u{E9}\u{2028}", count: 500),
        ]

    /// Quoting one Unicode scalar at a time, as the function did before it worked on bytes.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value),
                _ where [0x2028, 0x2029, 0xFEFF].contains(scalar.value):
                let digits = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test("every quoted value is what quoting scalar by scalar writes")
    func sameAsScalarByScalar() {
        for text in Self.values where YAMLQuoting.scalar(text).hasPrefix("\"") {
            #expect(YAMLQuoting.scalar(text) == Self.reference(text), "\(text.debugDescription.prefix(80))")
        }
        #expect(YAMLQuoting.scalar("\u{FEFF}\u{85}\u{2028}") == "\"\\uFEFF\\u0085\\u2028\"")
        #expect(YAMLQuoting.scalar("\u{A0}\u{2027}") == "\"\u{A0}\u{2027}\"")
    }

    @Test("PyYAML reads every hostile value back exactly")
    func pyyamlReadsBack() throws {
        let document = Self.values.enumerated().map { "k\($0.offset): \(YAMLQuoting.scalar($0.element))\n" }.joined()
        guard let parsed = ClusterBackendSupport.pyyaml(document) as? [String: Any] else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "PyYAML is missing under CI")
            return
        }
        for (index, text) in Self.values.enumerated() {
            #expect(parsed["k\(index)"] as? String == text, "k\(index): \(text.debugDescription.prefix(80))")
        }
    }
}
