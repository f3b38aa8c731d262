import Testing

@testable import TopologyCompiler

enum DeploymentKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.deployment, "local", DecodeFixture.document("deployment:\n  local: { run_dir: var/run }\n")) {
            let deployment = $0.topology.deployment
            #expect(deployment.localRunDirectory.value == "var/run")
            #expect(deployment.localBasePort.value == 25000)
            #expect(deployment.composePublishAddress == nil)
        },
        GrammarKeyCase(.deployment, "compose", DecodeFixture.document("deployment:\n  compose: { publish: 0.0.0.0 }\n")) {
            let address = try #require($0.topology.deployment.composePublishAddress)
            #expect(address.value == "0.0.0.0")
        },
        GrammarKeyCase(.local, "base_port", DecodeFixture.document("deployment:\n  local:\n    base_port: 41000\n")) {
            let port = $0.topology.deployment.localBasePort
            #expect(port.value == 41000)
            $0.expect(port.location, at: "41000")
        },
        GrammarKeyCase(.local, "run_dir", DecodeFixture.document("deployment:\n  local:\n    run_dir: build/topoc-run\n")) {
            let directory = $0.topology.deployment.localRunDirectory
            #expect(directory.value == "build/topoc-run")
            $0.expect(directory.location, at: "build/topoc-run")
        },
        GrammarKeyCase(.local, "postgres_bin", DecodeFixture.document("deployment:\n  local:\n    postgres_bin: /usr/pgsql-16/bin\n")) {
            let bin = try #require($0.topology.deployment.localPostgresBin)
            #expect(bin.value == "/usr/pgsql-16/bin")
            $0.expect(bin.location, at: "/usr/pgsql-16/bin")
        },
        GrammarKeyCase(.compose, "publish", DecodeFixture.document("deployment:\n  compose:\n    publish: 127.0.0.1\n")) {
            let address = try #require($0.topology.deployment.composePublishAddress)
            #expect(address.value == "127.0.0.1")
            $0.expect(address.location, at: "127.0.0.1")
        },
    ]
}

@Suite("Decoding: deployment")
struct DeploymentDecodingTests {
    @Test(arguments: DeploymentKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultsAreLocatedAtTheRoot() throws {
        let text = DecodeFixture.document()
        let deployment = try DecodeFixture.decode(text).deployment
        #expect(deployment.localBasePort.value == 25000)
        #expect(deployment.localRunDirectory.value == ".topoc/run")
        #expect(deployment.composePublishAddress == nil)
        DecodeFixture.expect(deployment.localBasePort.location, at: "topology", in: text)
        DecodeFixture.expect(deployment.localRunDirectory.location, at: "topology", in: text)
    }

    @Test func basePortIsRangeChecked() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("deployment: { local: { base_port: 80 } }\n"), .invalidValue, at: "80",
            message: "'base_port' must be between 1024 and 60000, found 80")
        try DecodeFixture.expectError(
            DecodeFixture.document("deployment: { local: { base_port: 60001 } }\n"), .invalidValue, at: "60001",
            message: "'base_port' must be between 1024 and 60000, found 60001")
    }

    @Test(arguments: ["/var/run/topoc", "../outside", "a/../../b", ""])
    func runDirectoryMustStayInsideTheProject(_ path: String) throws {
        let text = DecodeFixture.document("deployment:\n  local:\n    run_dir: \"\(path)\"\n")
        try DecodeFixture.expectError(
            text, .unsafeValue, at: "\"\(path)\"", message: "'run_dir' must be a relative path inside the project, without '..'")
    }

    @Test(arguments: ["usr/lib/postgresql/16/bin", "/opt/pg/../etc", ""])
    func postgresBinIsAnAbsolutePath(_ path: String) throws {
        let text = DecodeFixture.document("deployment:\n  local:\n    postgres_bin: \"\(path)\"\n")
        try DecodeFixture.expectError(
            text, .unsafeValue, at: "\"\(path)\"", message: "'postgres_bin' must be an absolute path without '..'")
    }

    @Test(arguments: ["/opt/my pg/bin", "/opt/'pg'/bin"])
    func postgresBinHoldsOnlyPathCharacters(_ path: String) throws {
        let text = DecodeFixture.document("deployment:\n  local:\n    postgres_bin: \"\(path)\"\n")
        try DecodeFixture.expectError(
            text, .unsafeValue, at: "\"\(path)\"", message: "'postgres_bin' may contain only letters, digits, '.', '_', '-', '+' and '/'")
    }

    @Test func postgresBinReachesTheLocalPlanOnly() throws {
        let text = DecodeFixture.document("deployment:\n  local:\n    postgres_bin: /usr/pgsql-16/bin\n")
        let local = try #require(CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .local).plan)
        #expect(ClusterLayout.binDirectory(local) == "/usr/pgsql-16/bin")
        let compose = try #require(CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .compose).plan)
        #expect(ClusterLayout.binDirectory(compose) == "/usr/lib/postgresql/\(compose.postgresVersion)/bin")
    }

    @Test(arguments: ["localhost", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "::1", "1.2.3.x", "1234.1.1.1"])
    func publishTakesAnIPv4Address(_ address: String) throws {
        let text = DecodeFixture.document("deployment:\n  compose:\n    publish: \"\(address)\"\n")
        try DecodeFixture.expectError(
            text, .unsafeValue, at: "\"\(address)\"", message: "'publish' takes the IPv4 address to publish PgBouncer on")
    }

    @Test func unknownKeysAreReportedPerSection() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("deployment:\n  locl: {}\n"), .unknownKey, at: "locl",
            message: "unknown key 'locl' in `deployment`; did you mean 'local'?")
        try DecodeFixture.expectError(
            DecodeFixture.document("deployment:\n  local: { base-port: 30000 }\n"), .unknownKey, at: "base-port",
            message: "unknown key 'base-port' in `local`; did you mean 'base_port'?")
        try DecodeFixture.expectError(
            DecodeFixture.document("deployment:\n  compose: { publsh: 127.0.0.1 }\n"), .unknownKey, at: "publsh",
            message: "unknown key 'publsh' in `compose`; did you mean 'publish'?")
    }
}
