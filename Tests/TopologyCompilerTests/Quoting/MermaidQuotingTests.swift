import Foundation
import Testing

@testable import TopologyCompiler

/// MermaidQuoting: a label holds no character that ends the string, starts an entity, HTML, a
/// Markdown string or a directive, and mermaid's entity decoding gives the text back.
@Suite("Quoting: Mermaid labels")
struct MermaidQuotingTests {
    /// What mermaid.js does with a label: `#NNN;` becomes the character NNN. Scalar by scalar, as
    /// JavaScript reads it: a `;` followed by a combining mark still ends the entity.
    static func decode(_ label: String) -> String {
        var out = String.UnicodeScalarView()
        var rest = Substring(label).unicodeScalars
        while let hash = rest.firstIndex(of: "#") {
            out.append(contentsOf: rest[..<hash])
            let after = rest[rest.index(after: hash)...]
            guard let semicolon = after.firstIndex(of: ";"), let code = UInt32(Substring(after[..<semicolon])),
                let scalar = Unicode.Scalar(code)
            else {
                Issue.record("a bare # in \(label.debugDescription)")
                return String(out)
            }
            out.append(scalar)
            rest = after[after.index(after: semicolon)...]
        }
        out.append(contentsOf: rest)
        return String(out)
    }

    static let hostile =
        QuotingTestSupport.hostile + [
            "\"]; end\nsubgraph x[\"", "#quot;", "#35;", "a#b;c", "<br/>", "<script>alert(1)</script>", "&lt;", "`md`",
            "%%{init: {\"theme\": \"dark\"}}%%", "style n0 fill:#f00;", "classDef x fill:#f00;", "a --> b", "x|y|z",
            "n0[(\"db\")]", "right\u{202E}left", "zero\u{200B}width", "\u{FEFF}bom", "style\u{301} n0 fill:#f00;",
            "classDef\u{301} x fill:#f00;", "\"\u{301}]; end",
        ]

    @Test func hostileLabelsHoldNoSyntax() {
        for text in Self.hostile {
            let label = MermaidQuoting.label(text)
            for forbidden in ["\"", "<", ">", "&", "`", "%", "\n", "\r", "style", "classDef"] {
                // Byte by byte: `style` before a combining mark is no `style` to `String.contains`.
                let bytes = Array(label.utf8)
                let word = Array(forbidden.utf8)
                let holds = bytes.indices.contains { bytes[$0...].starts(with: word) }
                #expect(!holds, "\(text.debugDescription) -> \(label.debugDescription) holds \(forbidden)")
            }
            #expect(!label.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(text.debugDescription)")
        }
    }

    @Test func entityDecodingGivesTheTextBack() {
        for text in Self.hostile {
            let shown = String(String.UnicodeScalarView(text.unicodeScalars.map { ScalarClass.isHidden($0) ? "\u{FFFD}" : $0 }))
            #expect(Self.decode(MermaidQuoting.label(text)) == shown, "\(text.debugDescription)")
        }
    }

    @Test func plainTextIsUnchanged() {
        #expect(MermaidQuoting.label("shard-s0 .. shard-s15, 3 members each") == "shard-s0 .. shard-s15, 3 members each")
        #expect(MermaidQuoting.label("say \"hi\" #1") == "say #34;hi#34; #35;1")
        #expect(MermaidQuoting.label("style") == "#115;tyle")
    }
}
