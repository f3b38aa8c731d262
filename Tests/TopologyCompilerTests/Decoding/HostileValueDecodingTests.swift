import Testing

@testable import TopologyCompiler

/// A hostile value as written in a YAML double-quoted scalar (`yaml`), and what it decodes to.
struct HostileValue: Sendable, CustomTestStringConvertible {
    /// The value's YAML spelling inside double quotes (escapes such as `\n`, `\u2028`).
    let yaml: String
    /// What the decoder reads.
    let value: String

    var testDescription: String { yaml }

    /// Shell command substitution, a line break adding PgBouncer settings, compose interpolation,
    /// backquotes, both quotes, control characters other than NUL and the line breaks of YAML 1.1
    /// and Unicode.
    static let all: [HostileValue] = [
        HostileValue(yaml: "x$(touch pwned)", value: "x$(touch pwned)"),
        HostileValue(yaml: "run\\nauth_type = trust\\nlisten_addr = 0.0.0.0", value: "run\nauth_type = trust\nlisten_addr = 0.0.0.0"),
        HostileValue(yaml: "${SECRET}", value: "${SECRET}"),
        HostileValue(yaml: "`id`", value: "`id`"),
        HostileValue(yaml: "it's", value: "it's"),
        HostileValue(yaml: "say\\\"hi\\\"", value: "say\"hi\""),
        HostileValue(yaml: "a;b&c|d", value: "a;b&c|d"),
        HostileValue(yaml: "a\\tb", value: "a\tb"),
        HostileValue(yaml: "a\\x01b", value: "a\u{01}b"),
        HostileValue(yaml: "a\\eb", value: "a\u{1B}b"),
        HostileValue(yaml: "a\\rb", value: "a\rb"),
        HostileValue(yaml: "a\\x7fb", value: "a\u{7F}b"),
        HostileValue(yaml: "a\\Nb", value: "a\u{85}b"),
        HostileValue(yaml: "a\\Lb", value: "a\u{2028}b"),
        HostileValue(yaml: "a\\Pb", value: "a\u{2029}b"),
        HostileValue(yaml: "~root", value: "~root"),
        HostileValue(yaml: "a b", value: "a b"),
        HostileValue(yaml: "*?[x]{y}!<z>", value: "*?[x]{y}!<z>"),
        HostileValue(yaml: "caf\u{E9}", value: "caf\u{E9}"),
    ]
}

/// Every hostile value is refused where it would reach a shell script, an ini or YAML file, a
/// compose file or an environment value, with TPC026 at the value and a one-line message.
@Suite("Decoding: hostile values")
struct HostileValueDecodingTests {
    /// Expects `TPC026` at the opening quote of `"\(spelling)"` with `message`, and every rendered
    /// diagnostic on one line (a message must not carry the value's line breaks).
    func expectRefused(_ text: String, spelling: String, message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws
    {
        let found = try DecodeFixture.expectError(
            text, .unsafeValue, at: "\"\(spelling)\"", message: message, sourceLocation: sourceLocation)
        for diagnostic in DecodeFixture.load(text).diagnostics {
            let rendered = diagnostic.rendered.unicodeScalars
            #expect(
                !rendered.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" },
                "\(diagnostic.rendered.debugDescription) is not one line", sourceLocation: sourceLocation)
        }
        #expect(found.rendered.hasPrefix("\(DecodeFixture.file):"), sourceLocation: sourceLocation)
        #expect(found.rendered.hasSuffix("[TPC026]"), sourceLocation: sourceLocation)
    }

    @Test(arguments: HostileValue.all)
    func runDirectory(_ hostile: HostileValue) throws {
        let spelling = "run/" + hostile.yaml
        try expectRefused(
            DecodeFixture.document("deployment:\n  local:\n    run_dir: \"\(spelling)\"\n"), spelling: spelling,
            message: "'run_dir' may contain only letters, digits, '.', '_', '-', '+' and '/', found ")
    }

    @Test(arguments: HostileValue.all)
    func postgresBin(_ hostile: HostileValue) throws {
        let spelling = "/opt/" + hostile.yaml + "/bin"
        try expectRefused(
            DecodeFixture.document("deployment:\n  local:\n    postgres_bin: \"\(spelling)\"\n"), spelling: spelling,
            message: "'postgres_bin' may contain only letters, digits, '.', '_', '-', '+' and '/', found ")
    }

    @Test(arguments: HostileValue.all)
    func bootstrapServers(_ hostile: HostileValue) throws {
        for spelling in [hostile.yaml + ":9092", "kafka:9092," + hostile.yaml, "kafka:9092" + hostile.yaml] {
            try expectRefused(
                CDCKeyCases.cdc("  sink: { topic_prefix: shop, bootstrap_servers: \"\(spelling)\" }\n  tables: { products: logical }\n"),
                spelling: spelling, message: "'bootstrap_servers' entry '")
        }
    }

    @Test(arguments: HostileValue.all)
    func topicPrefix(_ hostile: HostileValue) throws {
        try expectRefused(
            CDCKeyCases.cdc("  sink: { topic_prefix: \"\(hostile.yaml)\" }\n  tables: { products: logical }\n"), spelling: hostile.yaml,
            message: "'topic_prefix' is not a Kafka topic prefix")
    }

    @Test(arguments: HostileValue.all)
    func publishAddress(_ hostile: HostileValue) throws {
        let spelling = "127.0.0.1" + hostile.yaml
        try expectRefused(
            DecodeFixture.document("deployment:\n  compose:\n    publish: \"\(spelling)\"\n"), spelling: spelling,
            message: "'publish' takes the IPv4 address to publish PgBouncer on")
    }

    /// The message names the first character outside the grammar, visibly even when it is a
    /// control character or a line break.
    @Test func theMessageNamesTheCharacter() throws {
        let dollar = DecodeFixture.document("deployment:\n  local:\n    run_dir: \"x$(touch pwned)\"\n")
        try DecodeFixture.expectError(
            dollar, .unsafeValue, at: "\"x$(touch",
            message: "'run_dir' may contain only letters, digits, '.', '_', '-', '+' and '/', found '$' (U+0024)")
        let newline = DecodeFixture.document("deployment:\n  local:\n    run_dir: \"run\\nauth_type = trust\"\n")
        try DecodeFixture.expectError(newline, .unsafeValue, at: "\"run\\n", message: "found U+000A")
        let separator = DecodeFixture.document("deployment:\n  local:\n    run_dir: \"run\\Lx\"\n")
        try DecodeFixture.expectError(separator, .unsafeValue, at: "\"run\\L", message: "found U+2028")
        let servers = CDCKeyCases.cdc(
            "  sink: { topic_prefix: shop, bootstrap_servers: \"kafka:9092\\nx:1\" }\n  tables: { products: logical }\n")
        try DecodeFixture.expectError(
            servers, .unsafeValue, at: "\"kafka:9092\\n",
            message: "'bootstrap_servers' entry 'kafka:9092\\u{A}x:1' does not start with a host name")
    }

    /// Names that land in compose keys, ini keys, HAProxy sections and comments are held to
    /// NameRules: the hostile values never pass as cluster, region, database, role or variable names.
    @Test(arguments: HostileValue.all)
    func namesRefuseHostileValues(_ hostile: HostileValue) {
        for kind in [NameRules.Kind.sql, .service, .environment] {
            #expect(NameRules.problem(with: "a" + hostile.value, kind: kind) != nil, "\(kind) name \(hostile.yaml)")
        }
    }
}
