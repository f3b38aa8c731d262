import Foundation
import Testing

@testable import TopologyCompiler

/// CommentQuoting: a value inside a `#` comment never starts a line of its own.
@Suite("Quoting: comments")
struct CommentQuotingTests {
    @Test func lineBreaksAndControlsBecomeVisibleEscapes() {
        #expect(CommentQuoting.line("plain text, 'quoted' $x") == "plain text, 'quoted' $x")
        #expect(CommentQuoting.line("a\nb\rc\u{0B}d\u{0C}e") == "a\\u{A}b\\u{D}c\\u{B}d\\u{C}e")
        #expect(CommentQuoting.line("a\u{85}b\u{2028}c\u{2029}d\u{7F}") == "a\\u{85}b\\u{2028}c\\u{2029}d\\u{7F}")
        for value in QuotingTestSupport.hostile {
            let line = CommentQuoting.line(value)
            #expect(line.split(whereSeparator: \.isNewline).count <= 1, "\(value.debugDescription)")
        }
    }

    /// PyYAML, which breaks lines on NEL and the Unicode separators too, reads a document whose
    /// comments hold every hostile value as if the comments were not there.
    @Test func pyyamlIgnoresTheComments() throws {
        let comments = QuotingTestSupport.hostile.map { "# \(CommentQuoting.line($0))" }.joined(separator: "\n")
        let text = comments + "\nkey: value\n" + comments + "\n"
        guard let parsed = ClusterBackendSupport.pyyaml(text) else { return }
        #expect((parsed as? [String: String]) == ["key": "value"])
    }
}
