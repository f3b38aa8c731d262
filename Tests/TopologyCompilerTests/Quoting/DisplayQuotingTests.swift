import Foundation
import Testing

@testable import TopologyCompiler

/// DisplayQuoting: names echoed in diagnostics cannot hide or reorder characters on screen.
@Suite("Quoting: diagnostics shown to people")
struct DisplayQuotingTests {
    @Test func invisibleAndBidirectionalCharactersBecomeEscapes() {
        #expect(DisplayQuoting.visible("plain 'name' é 日本 🙂") == "plain 'name' é 日本 🙂")
        #expect(DisplayQuoting.visible("a\u{200B}b\u{202E}c\u{2066}d\u{FEFF}e") == "a\\u{200B}b\\u{202E}c\\u{2066}d\\u{FEFF}e")
        #expect(DisplayQuoting.visible("esc\u{1B}[2Jx\rtab\t\u{2028}\u{E000}") == "esc\\u{1B}[2Jx\\u{D}tab\\u{9}\\u{2028}\\u{E000}")
        #expect(DisplayQuoting.visible("line one\nline two") == "line one\nline two")
        for value in QuotingTestSupport.hostile {
            let shown = DisplayQuoting.visible(value)
            #expect(!shown.unicodeScalars.contains { DisplayQuoting.needsEscape($0) }, "\(value.debugDescription)")
        }
    }

    /// A topology name with a right-to-left override and a zero-width space is reported with both
    /// characters escaped, in the text, JSON and SARIF formats alike.
    @Test func everyOutputFormatShowsTheEscapes() throws {
        let text = "topology: \"shop\u{202E}x\u{200B}\"\npostgres: 15\nclusters:\n  main: { members: 1 }\n"
        let loaded = TopologyLoader.load(bytes: Array(text.utf8), file: "bidi.yaml")
        #expect(loaded.diagnostics.contains { $0.message.contains("shop\\u{202E}x\\u{200B}") })
        for format in DiagnosticFormat.allCases {
            let rendered = DiagnosticRenderer.render(loaded.diagnostics, as: format, files: ["bidi.yaml"])
            #expect(!rendered.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x200B }, "\(format)")
            #expect(rendered.contains("u{202E}"), "\(format)")
        }
    }
}
