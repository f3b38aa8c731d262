import Foundation
import Testing

@testable import TopologyCompiler

/// The YAML emitter: plain only when unambiguous, and what PyYAML reads back is what was meant.
struct DeployYAMLTests {
    @Test func ambiguousScalarsAreQuoted() {
        for text in [
            "on", "off", "yes", "No", "true", "null", "~", "y", "1:30", "0.0.0.0:8008", "${VAR:?x}", "", " lead", "a: b", "#x", "- x", "10",
            "1e3", "@x", "*a", "&a", "!x", "%x", "`x`", "a #b",
        ] {
            #expect(DeployYAML.quoted(text).hasPrefix("\""), "\(text) must be quoted")
        }
        for text in ["scope", "main-0", "/var/lib/postgresql/data", "scram-sha-256", "pg_cron", "UTF8", "C.UTF-8"] {
            #expect(DeployYAML.quoted(text) == text, "\(text) may stay plain")
        }
        #expect(DeployYAML.quoted("a\"b\\c\nd\u{7}") == "\"a\\\"b\\\\c\\nd\\u0007\"")
    }

    /// The compose file is written a service at a time: the lines of one entry at its depth are
    /// the lines the whole document has for it.
    @Test func entriesWrittenOneByOneAreTheDocument() {
        let services: [(String, DeployYAML)] = [
            ("etcd-1", .mapping([("image", .string("x:1")), ("command", .strings(["etcd", "--name", "on"]))])),
            ("empty", .mapping([])),
            ("list", .sequence([.mapping([("a", .int(1)), ("b", .sequence([]))]), .string("c")])),
        ]
        let whole = DeployYAML.mapping([("version", .string("3.8")), ("services", .mapping(services)), ("volumes", .mapping([]))])
        var pieces = DeployYAML.lines(of: [("version", .string("3.8"))], indent: 0) + ["services:"]
        for service in services { pieces += DeployYAML.lines(of: [service], indent: 2) }
        pieces += DeployYAML.lines(of: [("volumes", .mapping([]))], indent: 0)
        #expect(pieces.map { $0 + "\n" }.joined() == whole.rendered())
        #expect(DeployYAML.mapping([("a", .int(1))]).rendered(after: "# h\n") == "# h\na: 1\n")
    }

    @Test func nestedDocumentLayout() {
        let document = DeployYAML.mapping([
            ("a", .int(1)),
            ("b", .mapping([("c", .bool(true)), ("d", .strings(["x", "on"]))])),
            ("e", .sequence([.mapping([("f", .string("g")), ("h", .int(2))]), .string("i")])),
            ("j", .mapping([])),
            ("k", .sequence([])),
        ])
        #expect(
            document.rendered() == """
                a: 1
                b:
                  c: true
                  d:
                    - x
                    - "on"
                e:
                  - f: g
                    h: 2
                  - i
                j: {}
                k: []

                """)
    }

    @Test func pyyamlReadsBackEveryTrickyString() throws {
        let tricky = [
            "on", "no", "1:30", "0.0.0.0:8008", "${X:?set X}", "quote\"back\\slash", "tab\there", "line\nbreak", "é ü ✓", "#", "a: b",
            "- x", "[x]", "{x}", "'q'", "012", "0x1F", ".inf", "<<",
        ]
        let document = DeployYAML.mapping(tricky.enumerated().map { ("k\($0.offset)", .string($0.element)) } + [("on", .string("key"))])
        guard let parsed = ClusterBackendSupport.pyyaml(document.rendered()) as? [String: Any] else { return }
        for (index, text) in tricky.enumerated() {
            #expect(parsed["k\(index)"] as? String == text, "k\(index)")
        }
        #expect(parsed["on"] as? String == "key")
    }
}
