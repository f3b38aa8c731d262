import Foundation
import Testing

@testable import TopologyCompiler

/// DotQuoting: a DOT string keeps its quotes, Graphviz's own escapes and entities stay text, and
/// the real `dot` reads every hostile label back as written.
@Suite("Quoting: Graphviz DOT strings")
struct DotQuotingTests {
    static let hostile = MermaidQuotingTests.hostile + ["\\N", "\\G \\l \\n", "a\\", "&amp;", "&#60;", "<<b>>", "}; n1 -> n2 {"]

    @Test func quotesAndBackslashesAreEscaped() {
        #expect(DotQuoting.string("plain") == "\"plain\"")
        #expect(DotQuoting.string("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(DotQuoting.string("a\\N") == "\"a\\\\N\"")
        #expect(DotQuoting.string("a & b") == "\"a &amp; b\"")
        #expect(DotQuoting.string("a\nb") == "\"a\u{FFFD}b\"")
        #expect(DotQuoting.label(lines: ["one", "t\"wo"]) == "\"one\\nt\\\"wo\"")
    }

    /// Every hostile string as a node label of one graph: `dot -Tsvg` reads the graph, draws one
    /// node per label, and each node's SVG text is the label as written (control characters as
    /// U+FFFD).
    @Test func graphvizReadsEveryLabelBack() throws {
        guard let dot = QuotingTestSupport.program("/usr/bin/dot") else { return }
        let labels = Self.hostile.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var text = "digraph t {\n"
        for (index, label) in labels.enumerated() {
            text += "  n\(index) [label=\(DotQuoting.string(label)), tooltip=\"n\(index)\"];\n"
        }
        text += "}\n"
        let folder = try QuotingTestSupport.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("hostile.dot")
        try text.write(to: source, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg", source.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let svg = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(svg.components(separatedBy: "<g id=\"node").count - 1 == labels.count)
        let drawn = Set(Self.texts(svg))
        for label in labels {
            let shown = String(String.UnicodeScalarView(label.unicodeScalars.map { ScalarClass.isHidden($0) ? "\u{FFFD}" : $0 }))
            #expect(drawn.contains(shown), "\(label.debugDescription) not drawn as written")
        }
    }

    /// The text of every `<text>` element of an SVG, entities decoded (Graphviz writes `-` as
    /// `&#45;` and the second of two spaces as `&#160;`).
    static func texts(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text ").dropFirst().compactMap { element in
            guard let open = element.firstIndex(of: ">"), let close = element.range(of: "</text>") else { return nil }
            return decode(String(element[element.index(after: open)..<close.lowerBound]))
        }
    }

    /// Scalar by scalar, as an XML reader does: a `;` followed by a combining mark still ends the
    /// entity.
    static func decode(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var rest = Substring(text).unicodeScalars
        while let amp = rest.firstIndex(of: "&"), let semicolon = rest[amp...].firstIndex(of: ";") {
            out.append(contentsOf: rest[..<amp])
            let name = String(Substring(rest[rest.index(after: amp)..<semicolon]))
            switch name {
            case "amp": out.append("&")
            case "lt": out.append("<")
            case "gt": out.append(">")
            case "quot": out.append("\"")
            case "apos": out.append("'")
            default:
                if name.hasPrefix("#"), let code = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(code) {
                    out.append(code == 160 ? " " : scalar)
                } else {
                    out.append(contentsOf: "&\(name);".unicodeScalars)
                }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        out.append(contentsOf: rest)
        return String(out)
    }
}
