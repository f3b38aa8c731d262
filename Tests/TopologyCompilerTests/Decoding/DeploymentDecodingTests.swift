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
        GrammarKeyCase(.local, "pgbouncer_port", DecodeFixture.document("deployment:\n  local:\n    pgbouncer_port: 6432\n")) {
            let port = try #require($0.topology.deployment.localPgBouncerPort)
            #expect(port.value == 6432)
            $0.expect(port.location, at: "6432")
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
        GrammarKeyCase(.deployment, "kubernetes", DecodeFixture.document("deployment:\n  kubernetes: {}\n")) {
            let kubernetes = $0.topology.deployment.kubernetes
            #expect(kubernetes.storageSize == nil && kubernetes.cpu == nil && kubernetes.backupRepository == nil)
        },
        GrammarKeyCase(.kubernetes, "storage", DecodeFixture.document("deployment:\n  kubernetes:\n    storage: { size: 20Gi }\n")) {
            #expect($0.topology.deployment.kubernetes.storageSize?.value.amount == 20 << 30)
        },
        GrammarKeyCase(.kubernetes, "resources", DecodeFixture.document("deployment:\n  kubernetes:\n    resources: { cpu: 2 }\n")) {
            #expect($0.topology.deployment.kubernetes.cpu?.value.amount == 2000)
        },
        GrammarKeyCase(
            .kubernetes, "backup_repository",
            DecodeFixture.document("deployment:\n  kubernetes:\n    backup_repository: { kind: gcs, destination: gs://shop-pg }\n")
        ) {
            let repository = try #require($0.topology.deployment.kubernetes.backupRepository)
            #expect(repository.kind.value == .gcs && repository.destination.value == "gs://shop-pg" && repository.secret == nil)
        },
        GrammarKeyCase(.kubernetesStorage, "size", DecodeFixture.document("deployment:\n  kubernetes:\n    storage:\n      size: 512Mi\n"))
        {
            let size = try #require($0.topology.deployment.kubernetes.storageSize)
            #expect(size.value.text == "512Mi" && size.value.amount == 512 << 20)
            $0.expect(size.location, at: "512Mi")
        },
        GrammarKeyCase(
            .kubernetesStorage, "class", DecodeFixture.document("deployment:\n  kubernetes:\n    storage:\n      class: fast-ssd\n")
        ) {
            #expect($0.topology.deployment.kubernetes.storageClass?.value == "fast-ssd")
        },
        GrammarKeyCase(.kubernetesResources, "cpu", DecodeFixture.document("deployment:\n  kubernetes:\n    resources:\n      cpu: 500m\n"))
        {
            let cpu = try #require($0.topology.deployment.kubernetes.cpu)
            #expect(cpu.value.amount == 500)
            $0.expect(cpu.location, at: "500m")
        },
        GrammarKeyCase(
            .kubernetesResources, "memory", DecodeFixture.document("deployment:\n  kubernetes:\n    resources:\n      memory: 4Gi\n")
        ) {
            #expect($0.topology.deployment.kubernetes.memory?.value.amount == 4 << 30)
        },
        GrammarKeyCase(
            .kubernetesResources, "cpu_limit",
            DecodeFixture.document("deployment:\n  kubernetes:\n    resources:\n      cpu_limit: \"1.5\"\n")
        ) {
            #expect($0.topology.deployment.kubernetes.cpuLimit?.value.amount == 1500)
        },
        GrammarKeyCase(
            .kubernetesResources, "memory_limit",
            DecodeFixture.document("deployment:\n  kubernetes:\n    resources:\n      memory_limit: 8G\n")
        ) {
            #expect($0.topology.deployment.kubernetes.memoryLimit?.value.amount == 8_000_000_000)
        },
        GrammarKeyCase(.objectStore, "kind", Self.store("kind: azure\n      destination: https://acct.blob.core.windows.net/pg\n")) {
            #expect($0.topology.deployment.kubernetes.backupRepository?.kind.value == .azure)
        },
        GrammarKeyCase(.objectStore, "destination", Self.store("kind: s3\n      destination: s3://shop-backups/pg/main\n")) {
            let destination = try #require($0.topology.deployment.kubernetes.backupRepository?.destination)
            #expect(destination.value == "s3://shop-backups/pg/main")
            $0.expect(destination.location, at: "s3://shop-backups")
        },
        GrammarKeyCase(
            .objectStore, "endpoint", Self.store("kind: s3\n      destination: s3://shop\n      endpoint: https://minio.example:9000\n")
        ) {
            #expect($0.topology.deployment.kubernetes.backupRepository?.endpoint?.value == "https://minio.example:9000")
        },
        GrammarKeyCase(.objectStore, "secret", Self.store("kind: s3\n      destination: s3://shop\n      secret: shop-backup-creds\n")) {
            #expect($0.topology.deployment.kubernetes.backupRepository?.secret?.value == "shop-backup-creds")
        },
    ]

    /// A document with `deployment.kubernetes.backup_repository` holding `body` (indented six).
    static func store(_ body: String) -> String {
        DecodeFixture.document("deployment:\n  kubernetes:\n    backup_repository:\n      " + body)
    }
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
        try DecodeFixture.expectError(
            DecodeFixture.document("deployment: { local: { pgbouncer_port: 65536 } }\n"), .invalidValue, at: "65536",
            message: "'pgbouncer_port' must be between 1024 and 65535, found 65536")
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

    /// Hostile and malformed Kubernetes values are refused at the value with a located error;
    /// nothing of them reaches a manifest.
    @Test(arguments: [
        ("storage:\n      size: \"10Gi\\nkind: Secret\"", "'size' must be a positive whole number"),
        ("storage:\n      size: 10GB", "'size' must be a positive whole number"),
        ("storage:\n      size: 0Gi", "'size' must be a positive whole number"),
        ("storage:\n      size: 99999999999999Pi", "'size' must be a positive whole number"),
        ("storage:\n      class: \"Fast_SSD\"", "'class' must be a Kubernetes name"),
        ("storage:\n      class: \"ssd; rm -rf /\"", "'class' must be a Kubernetes name"),
        ("resources:\n      cpu: \"-1\"", "'cpu' must be a positive CPU quantity"),
        ("resources:\n      cpu: 0.0001", "'cpu' must be a positive CPU quantity"),
        ("resources:\n      cpu: \"1e3\"", "'cpu' must be a positive CPU quantity"),
        ("resources:\n      memory: \"4Gi \"", "'memory' must be a positive whole number"),
        ("resources:\n      memory: \"${MEM}\"", "'memory' must be a positive whole number"),
        ("resources:\n      memory: 4Gi\n      memory_limit: 2Gi", "'memory_limit' 2Gi is below the request 4Gi"),
        ("resources:\n      cpu: 2\n      cpu_limit: 1500m", "'cpu_limit' 1500m is below the request 2"),
        ("backup_repository: { kind: s3, destination: \"s3://b/../x\" }", "'destination' must be s3://bucket"),
        ("backup_repository: { kind: s3, destination: \"gs://shop-pg\" }", "'destination' must be s3://bucket"),
        ("backup_repository: { kind: gcs, destination: \"gs://shop pg\" }", "'destination' must be gs://bucket"),
        ("backup_repository: { kind: azure, destination: \"https://acct\" }", "'destination' must be https://"),
        ("backup_repository: { kind: s3, destination: s3://shop, endpoint: \"https://x:99999\" }", "'endpoint' must be an http"),
        ("backup_repository: { kind: s3, destination: s3://shop, endpoint: \"ftp://x\" }", "'endpoint' must be an http"),
        ("backup_repository: { kind: s3, destination: s3://shop, secret: \"AWS_KEY\" }", "'secret' must be a Kubernetes name"),
        ("backup_repository: { kind: nfs, destination: s3://shop }", "'nfs' is not a valid 'kind'"),
        ("backup_repository: { kind: s3 }", "needs 'destination'"),
    ])
    func hostileKubernetesValuesAreRefused(_ yaml: String, _ message: String) throws {
        let text = DecodeFixture.document("deployment:\n  kubernetes:\n    " + yaml + "\n")
        let result = TopologyLoader.load(text: text, file: "test.yaml")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.contains { $0.message.contains(message) }, "\(errors.map(\.rendered))")
        #expect(errors.allSatisfy { $0.rendered.hasPrefix("test.yaml:") }, "\(errors.map(\.rendered))")
    }
}
