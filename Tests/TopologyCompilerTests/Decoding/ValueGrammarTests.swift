import Testing

@testable import TopologyCompiler

/// The strict grammars of values that leave the topology for scripts and config files.
@Suite("Decoding: value grammars")
struct ValueGrammarTests {
    @Test func relativePaths() {
        for good in [".topoc/run", "run", "var/run", "build/topoc-run", "a..b", ".x", "a/.", "v+1/x_y-z"] {
            #expect(ValueGrammar.pathProblem(good, absolute: false) == nil, "\(good)")
        }
        let problems: [(String, String)] = [
            ("", "must be a relative path"), ("/tmp/run", "must be a relative path"), ("..", "without '..'"), ("a/../b", "without '..'"),
            ("a//b", "empty path component"), ("a/", "empty path component"), ("-rf", "starting with '-'"), ("a/-x", "starting with '-'"),
            ("a b", "found U+0020"), ("a\nb", "found U+000A"), ("a$b", "found '$' (U+0024)"), ("a:b", "found ':'"), ("a,b", "found ','"),
        ]
        for (bad, problem) in problems {
            let found = ValueGrammar.pathProblem(bad, absolute: false)
            #expect(found?.contains(problem) == true, "\(bad.debugDescription): \(found ?? "accepted")")
        }
    }

    @Test func absolutePaths() {
        for good in ["/usr/lib/postgresql/16/bin", "/usr/pgsql-16/bin", "/opt/pg+16/bin", "/a..b"] {
            #expect(ValueGrammar.pathProblem(good, absolute: true) == nil, "\(good)")
        }
        for bad in ["usr/bin", "", "/", "//x", "/a/", "/a/../b", "/..", "/-x/bin", "/opt/my pg/bin", "/opt/'pg'/bin", "/opt/\\bin"] {
            #expect(ValueGrammar.pathProblem(bad, absolute: true) != nil, "\(bad.debugDescription)")
        }
    }

    @Test func hostPortLists() {
        for good in [
            "kafka:9092", "kafka-1:9092,kafka-2:9092,kafka-3:9092", "kafka.internal:9092", "10.0.0.1:1", "a:65535", "[::1]:9092",
            "[2001:db8::1]:9092", "[::ffff:10.0.0.1]:9092", "[1:2:3:4:5:6:7:8]:1", "[1:2:3:4:5:6:7::]:1", "1a:1", "x.1:1",
        ] {
            #expect(ValueGrammar.hostPortListProblem(good) == nil, "\(good)")
        }
        let problems: [(String, String)] = [
            ("", "needs at least one"), ("kafka", "has no ':port'"), ("kafka:", "has no port"), ("kafka:0", "has no port"),
            ("kafka:65536", "has no port"), ("kafka:09092", "has no port"), ("kafka:+1", "has no port"),
            (":9092", "does not start with a host"),
            ("-k:1", "does not start with a host"), ("k-:1", "does not start with a host"), ("a..b:1", "does not start with a host"),
            ("1.2.3:1", "does not start with a host"), ("256.0.0.1:1", "does not start with a host"),
            ("k_a:1", "does not start with a host"),
            ("kafka:9092,", "entry ''"), ("kafka:9092, b:1", "entry ' b:1'"), ("[::1:1", "without closing"), ("[::1]", "needs ':port'"),
            ("[1:::2]:1", "IPv6"), ("[1:2:3:4:5:6:7:8:9]:1", "IPv6"), ("[1:2:3:4:5:6:7:8::]:1", "IPv6"), ("[::1%eth0]:1", "IPv6"),
            ("[12345::]:1", "IPv6"), ("::1:9092", "does not start with a host"),
            (String(repeating: "a", count: 64) + ":1", "does not start with a host"),
            (Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".") + ":1", "does not start with a host"),
        ]
        for (bad, problem) in problems {
            let found = ValueGrammar.hostPortListProblem(bad)
            #expect(found?.contains(problem) == true, "\(bad.debugDescription): \(found ?? "accepted")")
        }
    }

    @Test func ipv4() {
        for good in ["127.0.0.1", "0.0.0.0", "255.255.255.255", "010.0.0.1"] { #expect(ValueGrammar.isIPv4(good), "\(good)") }
        for bad in ["256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "0127.0.0.1", "1.2.3.4 ", "a.b.c.d", "١.2.3.4"] {
            #expect(!ValueGrammar.isIPv4(bad), "\(bad)")
        }
    }

    @Test func shownValuesStayOnOneLine() {
        #expect(ValueGrammar.shown("a\nb\u{2028}c") == "'a\\u{A}b\\u{2028}c'")
        #expect(ValueGrammar.shown(String(repeating: "x", count: 81)) == "'" + String(repeating: "x", count: 80) + "'...")
    }
}
