import Foundation
import Testing

@testable import TopologyCompiler

/// MermaidQuoting: a label holds no character that ends the string, starts an entity, HTML, a
/// Markdown string or a directive, and mermaid's entity decoding gives the text back.
@Suite("Quoting: Mermaid labels")
struct MermaidQuotingTests {
    /// What mermaid.js does with a label: `#NNN;` becomes the character NNN.
    static func decode(_ label: String) -> String {
        var out = ""
        var rest = Substring(label)
        while let hash = rest.firstIndex(of: "#") {
            out += rest[..<hash]
            let after = rest[rest.index(after: hash)...]
            guard let semicolon = after.firstIndex(of: ";"), let code = UInt32(after[..<semicolon]),
                let scalar = Unicode.Scalar(code)
            else {
                Issue.record("a bare # in \(label.debugDescription)")
                return out
            }
            out.unicodeScalars.append(scalar)
            rest = after[after.index(after: semicolon)...]
        }
        return out + rest
    }

    static let hostile =
        QuotingTestSupport.hostile + [
            "\"]; end\nsubgraph x[\"", "#quot;", "#35;", "a#b;c", "<br/>", "<script>alert(1)</script>", "&lt;", "`md`",
            "%%{init: {\"theme\": \"dark\"}}%%", "style n0 fill:#f00;", "classDef x fill:#f00;", "a --> b", "x|y|z",
            "n0[(\"db\")]", "right\u{202E}left", "zero\u{200B}width", "\u{FEFF}bom",
        ]

    @Test func hostileLabelsHoldNoSyntax() {
        for text in Self.hostile {
            let label = MermaidQuoting.label(text)
            for forbidden in ["\"", "<", ">", "&", "`", "%", "\n", "\r", "style", "classDef"] {
                #expect(!label.contains(forbidden), "\(text.debugDescription) -> \(label.debugDescription) holds \(forbidden)")
            }
            #expect(!label.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(text.debugDescription)")
        }
    }

    @Test func entityDecodingGivesTheTextBack() {
        for text in Self.hostile {
            let shown = String(String.UnicodeScalarView(text.unicodeScalars.map { MermaidQuoting.isHidden($0) ? "\u{FFFD}" : $0 }))
            #expect(Self.decode(MermaidQuoting.label(text)) == shown, "\(text.debugDescription)")
        }
    }

    @Test func plainTextIsUnchanged() {
        #expect(MermaidQuoting.label("shard-s0 .. shard-s15, 3 members each") == "shard-s0 .. shard-s15, 3 members each")
        #expect(MermaidQuoting.label("say \"hi\" #1") == "say #34;hi#34; #35;1")
        #expect(MermaidQuoting.label("style") == "#115;tyle")
    }
}
