import Foundation
import Testing

@testable import TopologyCompiler

extension SeededRandom {
    /// `count` strings of up to `maxLength` pieces drawn from `alphabet`.
    mutating func strings(_ count: Int, from alphabet: [String], maxLength: Int) -> [String] {
        (0..<count).map { _ in
            (0..<Int.random(in: 0...maxLength, using: &self)).map { _ in alphabet.randomElement(using: &self)! }.joined()
        }
    }
}

/// The schema's value patterns accept exactly what the decoder's parsers accept. Each test compares
/// hand-picked edge cases and a few thousand seeded random strings; where the schema is knowingly
/// looser or stricter than the decoder, the test says so and checks the one direction that holds.
@Suite("SchemaParity: value patterns agree with the decoder")
struct SchemaParityPatternTests {
    typealias F = SchemaParityFixture

    /// Checks that `pattern` accepts a sample exactly when `accepts` does.
    func expectSame(
        _ pattern: String?, _ samples: [String], _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
        accepts: (String) -> Bool
    ) {
        guard let pattern else {
            Issue.record("no pattern for \(what)", sourceLocation: sourceLocation)
            return
        }
        for sample in samples {
            let decoder = accepts(sample)
            let schema = F.matches(pattern, sample)
            #expect(
                decoder == schema,
                "\(what) \(sample.debugDescription): decoder \(decoder ? "accepts" : "rejects"), schema \(schema ? "accepts" : "rejects")",
                sourceLocation: sourceLocation)
        }
    }

    @Test("durations: ms, s, m, h, d or a bare 0")
    func durations() {
        var random = SeededRandom(seed: 1)
        let samples =
            ["0", "0s", "00", "10", "10s", "500ms", "5m", "2h", "1d", "1w", "s", "-1s", "1.5s", "10 s", " 10s", "10S", "1ms1"]
            + random.strings(3000, from: ["0", "1", "5", "9", "m", "s", "h", "d", "ms", " ", "-", ".", "w"], maxLength: 4)
        expectSame(F.pattern(["$defs", "duration", "anyOf", "0"]), samples, "duration") { TimeSpan(parsing: $0) != nil }
    }

    @Test("sizes: B, kB, MB, GB, TB, KB and the KiB family, or a bare 0")
    func sizes() {
        var random = SeededRandom(seed: 2)
        let samples =
            ["0", "0B", "8kB", "8KB", "8KiB", "1MB", "1MiB", "2GB", "1TB", "1TiB", "16", "16M", "16mb", "1 MB", "B", "1iB"]
            + random.strings(3000, from: ["0", "1", "8", "k", "K", "B", "M", "G", "T", "i", "b", " "], maxLength: 5)
        expectSame(F.pattern(["$defs", "size", "anyOf", "0"]), samples, "size") { ByteSize(parsing: $0) != nil }
    }

    @Test("dates: the schema checks the shape, the decoder also the calendar")
    func dates() throws {
        let pattern = try #require(F.pattern(["$defs", "date"]))
        var random = SeededRandom(seed: 3)
        let samples =
            [
                "2025-01-01", "2024-02-29", "9999-12-31", "0001-01-01", "0000-01-01", "2025-13-01", "2025-00-10", "2025-1-01", "25-01-01",
                "2025/01/01", "2025-01-32",
            ]
            + random.strings(3000, from: ["0", "1", "2", "3", "9", "-"], maxLength: 10)
        for sample in samples {
            let decoder = CalendarDate(parsing: sample) != nil
            let schema = F.matches(pattern, sample)
            // A date the decoder reads always has the schema's shape...
            if decoder { #expect(schema, "date \(sample) is read by the decoder but refused by the schema") }
            // ...and the schema lets through only days that do not exist in their month (2025-02-30).
            if schema && !decoder {
                let parts = sample.split(separator: "-").compactMap { Int($0) }
                #expect(parts.count == 3 && parts[2] > CalendarDate.daysIn(month: parts[1], year: parts[0]), "date \(sample)")
            }
        }
        #expect(F.matches(pattern, "2025-02-30") && CalendarDate(parsing: "2025-02-30") == nil)
    }

    @Test("SQL, service and environment names follow NameRules")
    func names() {
        var random = SeededRandom(seed: 4)
        let alphabet = ["a", "z", "A", "Z", "0", "9", "_", "-", " ", "é", ".", "$"]
        let samples =
            ["", "a", "_", "A1", "1a", "a-b", "a-", "-a", "users", "Users", "USERS", "a b", "ü"]
            + [String(repeating: "a", count: 63), String(repeating: "a", count: 64), "é" + String(repeating: "a", count: 61)]
            + random.strings(4000, from: alphabet, maxLength: 5)
        expectSame(F.pattern(["$defs", "sqlName"]), samples, "sql name") { NameRules.problem(with: $0, kind: .sql) == nil }
        expectSame(F.pattern(["$defs", "serviceName"]), samples, "service name") { NameRules.problem(with: $0, kind: .service) == nil }
        expectSame(F.pattern(["$defs", "envName"]), samples + [String(repeating: "A", count: 100)], "environment name") {
            NameRules.problem(with: $0, kind: .environment) == nil
        }
        // The topology name and the replication slot are SQL names the decoder also wants in lowercase.
        for path in [["$defs", "topology", "properties", "topology"], ["$defs", "cdc", "properties", "slot"]] {
            expectSame(F.pattern(path), samples, path.last!) {
                NameRules.problem(with: $0, kind: .sql) == nil && $0 == $0.lowercased()
            }
        }
    }

    @Test("rule codes: three capital letters and three digits")
    func ruleCodes() {
        let decoder = TopologyDecoder(file: "rules.yaml", context: DecodingContext())
        var random = SeededRandom(seed: 5)
        let samples =
            ["TPG101", "TPC010", "tpg101", "TPG10", "TPG1011", "TP101", "TPGG01", "TPG 01", "ÄPG101"]
            + random.strings(3000, from: ["T", "P", "G", "Z", "a", "0", "1", "9", " "], maxLength: 7)
        expectSame(F.pattern(["$defs", "ruleCode"]), samples, "rule code") { decoder.isRuleCode($0) }
    }

    @Test("column types: every known spelling, any case, modifiers and array suffixes")
    func columnTypes() {
        var random = SeededRandom(seed: 6)
        let modifiers = ["", "(80)", "( 12 , 2 )", "(12,2)", "(1,2,3)", "()", "(x)", "(-1)", " (6)", "(80", "(,2)"]
        let arrays = ["", "[]", " []", "[][]", "[ ]", "[][][][][][]", "[][][][][][][]", "[]x"]
        var samples: [String] = [
            "", "   ", "strng", "bigint;", "double  precision", "double\tprecision", "timestamp with  time zone", "int4range(3)",
        ]
        for spelling in ColumnType.knownSpellings {
            samples.append(spelling)
            samples.append(spelling.uppercased())
            for _ in 0..<12 {
                let cased = String(spelling.map { Bool.random(using: &random) ? Character($0.uppercased()) : $0 })
                let padding = [" ", "", "\t"].randomElement(using: &random)!
                samples.append(
                    padding + cased + modifiers.randomElement(using: &random)! + arrays.randomElement(using: &random)! + padding)
            }
        }
        samples += random.strings(2000, from: ["int", "text", "char", "(", ")", "1", ",", "[]", " ", "varying", "x"], maxLength: 4)
        expectSame(F.pattern(["$defs", "columnType"]), samples, "column type") { ColumnType(parsing: $0) != nil }
    }

    @Test("SQL fragments: the refused constructs, except unbalanced parentheses, which only the decoder checks")
    func sqlFragments() throws {
        let pattern = try #require(F.pattern(["$defs", "sqlFragment"]))
        var random = SeededRandom(seed: 7)
        let handPicked = [
            "now()", "'pending'", "status <> 'done'", "lower(email)", "x;", "'a;b'", "\"a;b\"", "a -- b", "a - -b", "'--'",
            "a /* b", "a / b", "'/*'", "$1", "'$1'", "E'x'", "e'x'", "name'x'", "E\"x\"", "'x", "\"x", "''", "'it''s'", "",
            "   ", "\n", "a\u{1}", "'a\u{1}'", "a\tb\r\nc", "\u{7F}", "é", "-", "--", "/", "e", "E", "1 \\! ls", "'a\\b'",
        ]
        let alphabet = ["a", "e", "E", "'", "\"", ";", "-", "/", "*", "$", " ", "\n", "\t", "\u{01}", "\u{7F}", "é", "\\"]
        // Without parentheses, the schema and the decoder agree exactly.
        expectSame(pattern, handPicked + random.strings(6000, from: alphabet, maxLength: 7), "SQL fragment") {
            SQLFragment.problem(with: $0) == nil
        }
        // With parentheses, the schema (a regular expression) cannot count them: it accepts everything
        // the decoder accepts, and what only it accepts is refused by the decoder for the parentheses.
        for sample in ["(", ")", "(()", "())", "f(x))"] + random.strings(4000, from: alphabet + ["(", ")", "(", ")"], maxLength: 7) {
            let problem = SQLFragment.problem(with: sample)
            let schema = F.matches(pattern, sample)
            if problem == nil { #expect(schema, "SQL fragment \(sample.debugDescription) is accepted by the decoder only") }
            if let problem, schema {
                #expect(problem.contains("unbalanced"), "SQL fragment \(sample.debugDescription): \(problem)")
            }
        }
    }

    @Test("cron schedules: five fields or a macro")
    func cronSchedules() throws {
        let pattern = try #require(F.pattern(["$defs", "refresh", "properties", "schedule"]))
        var random = SeededRandom(seed: 8)
        let handPicked = [
            "0 * * * *", "*/5 * * * *", "0 0 1 1 0", "59 23 31 12 7", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
            "* * * * 8", "*/0 * * * *", "*/60 * * * *", "*/59 * * * *", "1,2,3 * * * *", "1-5 * * * *", "1-5/2 * * * *",
            ",1 * * * *", "* * * *", "* * * * * *", "  0  *  *  *  *  ", "0\t* * * *", "@hourly", "@daily", "@reboot",
            "@hourly ", "007 * * * *", "x * * * *", "*-5 * * * *", "1-2-3 * * * *", "5/10 * * * *",
        ]
        let fields = ["*", "0", "5", "7", "12", "23", "31", "59", "60", "1-5", "0-7", "*/5", "*/0", "*/13", "1,2", "", "x", "07", "3/2"]
        var generated: [String] = []
        for _ in 0..<4000 {
            generated.append(
                (0..<Int.random(in: 4...6, using: &random)).map { _ in fields.randomElement(using: &random)! }.joined(separator: " "))
        }
        expectSame(pattern, handPicked + generated, "schedule") { CronSchedule(parsing: $0) != nil }
        // Known difference: a regular expression cannot compare the two ends of a range, so a
        // descending range is refused by the decoder only.
        #expect(F.matches(pattern, "10-5 * * * *") && CronSchedule(parsing: "10-5 * * * *") == nil)
    }

    @Test("compose publish address: dotted IPv4")
    func ipv4() {
        var random = SeededRandom(seed: 9)
        let samples =
            [
                "127.0.0.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "010.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d", "1.2.3.4 ",
                "0127.0.0.1",
            ]
            + random.strings(3000, from: ["0", "1", "2", "5", "9", ".", ".", "a"], maxLength: 9)
        expectSame(F.pattern(["$defs", "compose", "properties", "publish"]), samples, "IPv4") { ValueGrammar.isIPv4($0) }
    }

    @Test("kubernetes quantities and names: CPU, bytes, DNS subdomains")
    func kubernetesValues() {
        var random = SeededRandom(seed: 21)
        let cpu =
            [
                "1", "2", "0", "0.5", "1.5", "1.500", "1.5000", "01", "1.", ".5", "500m", "0m", "050m", "1000000000m", "-1", "1e3",
                "999999", "1000000", "0.0", "0.001", " 1", "1 ",
            ] + random.strings(3000, from: ["0", "1", "5", "9", ".", "m", "-", "e", " "], maxLength: 6)
        expectSame(F.pattern(["$defs", "kubernetesResources", "properties", "cpu"]), cpu, "CPU") {
            KubernetesQuantity($0, unit: .cpu) != nil
        }
        // Known difference: a regular expression does not multiply, so a byte count past Int64
        // (such as 99999Pi) is refused by the decoder only; the samples stay below that.
        let bytes =
            [
                "1Gi", "10Gi", "512Mi", "0Gi", "01Gi", "10GB", "10gi", "10", "Gi", "1.5Gi", "999999999999Ki", "1000000000000Ki", "8G", "1k",
                "1K",
            ]
            + random.strings(3000, from: ["0", "1", "5", "Ki", "Mi", "Gi", "G", "M", "k", "B", "i", " "], maxLength: 5)
        expectSame(F.pattern(["$defs", "kubernetesStorage", "properties", "size"]), bytes, "bytes") {
            KubernetesQuantity($0, unit: .bytes) != nil
        }
        #expect(F.matches(F.pattern(["$defs", "kubernetesStorage", "properties", "size"]) ?? "", "99999Pi"))
        #expect(KubernetesQuantity("99999Pi", unit: .bytes) == nil)
        let names =
            ["fast-ssd", "a", "a.b", "a..b", "-a", "a-", "A", "a_b", "ssd.example.com", "a.-b", "1", ""]
            + random.strings(3000, from: ["a", "z", "0", "-", ".", "_", "A"], maxLength: 8)
        expectSame(F.pattern(["$defs", "kubernetesStorage", "properties", "class"]), names, "Kubernetes name") {
            ValueGrammar.isKubernetesSubdomain($0)
        }
    }

    /// Values checked inline in the decoder: compared by loading a document that holds them.
    func loads(_ text: String) -> Bool { !TopologyLoader.load(text: text, file: "inline.yaml").diagnostics.hasErrors }

    /// Hostile pieces for the path and host-list samples: shell and ini syntax, quotes, white
    /// space, line breaks and Unicode separators.
    static let hostile = [
        "$", "(", ")", "`", "'", "\"", ";", "&", "|", "<", ">", "*", "?", "[", "]", "{", "}", "~", "!", " ", "\n", "\t", "\u{2028}", "ü",
        ":", ",",
    ]

    @Test("local run_dir: a relative path of the strict path grammar")
    func runDirectory() {
        var random = SeededRandom(seed: 10)
        let samples =
            [
                ".topoc/run", "run", "a/b", "/tmp/run", "..", "../x", "a/..", "a/../b", "a//../b", "a..b", "..a/b", ".x", "a/.", "", "a//b",
                "a/",
                "-rf", "a/-b", "a-/b", "x$(touch pwned)", "a b", "v+1/run", "run\nauth_type = trust", "~/run", "a\u{2028}b",
            ]
            + random.strings(3000, from: ["a", "Z", "0", ".", "..", "/", "-", "_", "+"] + Self.hostile, maxLength: 6)
        expectSame(F.pattern(["$defs", "local", "properties", "run_dir"]), samples, "run_dir") {
            ValueGrammar.pathProblem($0, absolute: false) == nil
        }
        // The decoder uses that grammar.
        #expect(loads("topology: t\nclusters: { main: { members: 1 } }\ndeployment: { local: { run_dir: var/run } }\n"))
        #expect(!loads("topology: t\nclusters: { main: { members: 1 } }\ndeployment: { local: { run_dir: \"x$(touch pwned)\" } }\n"))
    }

    @Test("local postgres_bin: an absolute path of the strict path grammar")
    func postgresBin() {
        var random = SeededRandom(seed: 11)
        let samples =
            [
                "/usr/lib/postgresql/16/bin", "/usr/pgsql-16/bin", "/", "//x", "/a/", "/a/../b", "/..", "/a/..", "/a..b/c", "usr/bin", "",
                "/opt/my pg/bin", "/opt/'pg'/bin", "/opt/$(id)/bin", "/-x/bin", "/opt/pg+16/bin",
            ]
            + random.strings(3000, from: ["/", "/", "a", "1", ".", "..", "-", "_", "+"] + Self.hostile, maxLength: 6)
        expectSame(F.pattern(["$defs", "local", "properties", "postgres_bin"]), samples, "postgres_bin") {
            ValueGrammar.pathProblem($0, absolute: true) == nil
        }
    }

    @Test("Kafka bootstrap servers: host:port entries; the schema checks IPv6 only for its characters")
    func bootstrapServers() throws {
        let pattern = try #require(F.pattern(["$defs", "sink", "properties", "bootstrap_servers"]))
        var random = SeededRandom(seed: 12)
        let named = [
            "kafka:9092", "kafka-1:9092,kafka-2:9092", "kafka.internal:9092", "10.0.0.1:9092", "010.0.0.1:1", "a:65535", "a:65536", "a:0",
            "a:09092", "kafka", "kafka:", ":9092", "-kafka:9092", "kafka-:9092", "1.2.3:9092", "256.1.1.1:9092", "a..b:1", "a.:1",
            "kafka:9092,", ",kafka:9092", "kafka:9092 ,b:1", "k_a:1", String(repeating: "a", count: 63) + ":1",
            String(repeating: "a", count: 64) + ":1",
            Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".") + ":1",
            "${SECRET}:9092", "x$(touch pwned):9092", "kafka:9092\nauth_type = trust",
        ]
        let samples =
            named + random.strings(3000, from: ["k", "a", "9", "0", "1", ".", "-", ":", ":", ",", "6", "5"] + Self.hostile, maxLength: 8)
        expectSame(pattern, samples, "bootstrap_servers") { ValueGrammar.hostPortListProblem($0) == nil }
        // Bracketed IPv6: every address the decoder reads passes the schema; the schema also lets
        // through malformed ones of the right characters (such as [1:::2]).
        let ipv6 = [
            "[::1]:9092", "[::]:1", "[2001:db8::1]:9092", "[1:2:3:4:5:6:7:8]:1", "[::ffff:10.0.0.1]:1", "[1:2:3:4:5:6:7::]:1",
            "[1:::2]:1", "[1:2:3:4:5:6:7:8:9]:1", "[12345::1]:1", "[::1%eth0]:1", "[::1]", "[::1:1", "[g::1]:1", "[::1.2.3]:1",
        ]
        for sample in ipv6 {
            let decoder = ValueGrammar.hostPortListProblem(sample) == nil
            if decoder { #expect(F.matches(pattern, sample), "\(sample) is read by the decoder but refused by the schema") }
        }
        #expect(ipv6.filter { ValueGrammar.hostPortListProblem($0) == nil }.count == 6)
        #expect(F.matches(pattern, "[1:::2]:1") && ValueGrammar.hostPortListProblem("[1:::2]:1") != nil)
    }

    @Test("Kafka topic prefix: letters, digits, '.', '_' and '-'")
    func topicPrefix() {
        let samples = [
            "shop", "shop.cdc", "a_b-c", "", "a b", "a/b", "ü", String(repeating: "a", count: 200), String(repeating: "a", count: 201),
        ]
        expectSame(F.pattern(["$defs", "sink", "properties", "topic_prefix"]), samples, "topic prefix") {
            loads(
                "topology: t\nclusters: { main: { members: 1 } }\ntables: { t: { columns: { id: int } } }\ncdc: { tables: { t: logical }, sink: { topic_prefix: \"\($0)\" } }\n"
            )
        }
    }

    @Test("snapshot source: TABLE.COLUMN")
    func snapshotSource() {
        let samples = ["users.name", "users", "users.name.x", ".name", "users.", "1users.name", "users.na-me"]
        expectSame(F.pattern(["$defs", "snapshot", "properties", "from"]), samples, "snapshot source") { source in
            let parts = source.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            return parts.count == 2 && parts.allSatisfy { NameRules.problem(with: $0, kind: .sql) == nil }
        }
    }
}
