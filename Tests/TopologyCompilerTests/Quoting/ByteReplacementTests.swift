import Foundation
import Testing

@testable import TopologyCompiler

/// The quoting functions' byte-wise replacement replaces every occurrence of the byte: around
/// multi-byte characters, at both ends, in empty texts and texts of the byte alone, and where a
/// combining mark follows it. Foundation's `replacingOccurrences` compares characters, so it
/// misses a quote followed by a combining mark (`'\u{301}` is one character): the programs that
/// read the quoted text see a quote byte there.
struct ByteReplacementTests {
    /// Every scalar `needle` of `text` replaced, scalar by scalar.
    static func expected(_ text: String, _ needle: Unicode.Scalar, _ replacement: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == needle { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    static let cases: [(byte: Character, replacement: String)] = [("'", "''"), ("\"", "\"\""), ("$", "$$"), ("'", "'\\''")]

    @Test("chosen texts", arguments: 0..<cases.count)
    func chosenTexts(index: Int) {
        let (character, replacement) = Self.cases[index]
        let byte = UInt8(ascii: character.unicodeScalars.first ?? "?")
        let needle = String(character)
        let texts = [
            "", needle, needle + needle, "plain", "\(needle)start", "end\(needle)", "mid\(needle)dle",
            "é\(needle)ü\(needle)😀", "\u{0}\(needle)\u{7f}", "e\u{301}\(needle)", String(repeating: "a\(needle)", count: 500),
            "\(needle)\u{301}", "a\(needle)\u{301}\(needle)\u{20DD}b",
        ]
        for text in texts {
            #expect(
                ByteReplacement.replacing(byte, with: replacement, in: text)
                    == Self.expected(text, needle.unicodeScalars.first ?? "?", replacement), "\(text.debugDescription)")
        }
    }

    /// A quote before a combining mark, which Foundation's `replacingOccurrences` left alone.
    @Test func aQuoteBeforeACombiningMark() {
        #expect(ByteReplacement.replacing(UInt8(ascii: "'"), with: "''", in: "a'\u{301}b") == "a''\u{301}b")
    }

    @Test("random texts of ASCII, accented letters, emoji and combining marks")
    func randomTexts() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "'", "\"", "$", "\\", "é", "ß", "😀", "\n", " ", "\u{301}"]
        for (character, replacement) in Self.cases {
            let byte = UInt8(ascii: character.unicodeScalars.first ?? "?")
            for _ in 0..<300 {
                let text = String(
                    (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                        alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                    })
                #expect(
                    ByteReplacement.replacing(byte, with: replacement, in: text)
                        == Self.expected(text, character.unicodeScalars.first ?? "?", replacement), "\(text.debugDescription)")
            }
        }
    }

    /// An ASCII pattern of several bytes replaced left to right without overlaps, as the scalars
    /// read: at both ends, repeated, overlapping itself (`aa` in `aaa`), before a combining mark.
    @Test func patterns() {
        let pattern = "\u{1}id\u{1}"
        let cases: [(String, String)] = [
            ("", ""), ("plain", "plain"), (pattern, "%1$I"), ("x\(pattern)\(pattern)y", "x%1$I%1$Iy"),
            ("\(pattern)\u{301}", "%1$I\u{301}"), ("é\(pattern)😀", "é%1$I😀"), ("\u{1}id", "\u{1}id"),
        ]
        for (text, expected) in cases {
            #expect(ByteReplacement.replacing(pattern, with: "%1$I", in: text) == expected, "\(text.debugDescription)")
        }
        #expect(ByteReplacement.replacing("aa", with: "b", in: "aaa") == "ba")
        #expect(ByteReplacement.replacing("%", with: "%%", in: "%\u{301}") == "%%\u{301}")
    }
}
