// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "topoc",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TopologyRuntime", targets: ["TopologyRuntime"]),
        .library(name: "TopologyCompiler", targets: ["TopologyCompiler"]),
        .library(name: "TopologyClient", targets: ["TopologyClient"]),
        .executable(name: "topoc", targets: ["topoc"]),
        .executable(name: "topoc-verify", targets: ["topoc-verify"]),
        .plugin(name: "TopologyPlugin", targets: ["TopologyPlugin"]),
        .plugin(name: "TopologyCommandPlugin", targets: ["TopologyCommandPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // Only TopologyClient and topoc-verify link it: the compiler and TopologyRuntime do not.
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // postgres-nio's own dependencies, named for TopologyClient's HTTP(S) to Patroni's REST API.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        .target(name: "TopologyRuntime"),
        .target(
            name: "TopologyClient",
            dependencies: [
                "TopologyRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "topoc-verify",
            dependencies: ["TopologyClient", "TopologyRuntime"]
        ),
        // The SHA-256 compression function on x86-64's SHA extensions, for the manifest's digests.
        .target(name: "CTopocSHA256"),
        // glibc's mallopt for the topoc command: large buffers returned to the system when freed.
        .target(name: "CTopocAllocator"),
        .target(
            name: "TopologyCompiler",
            dependencies: [
                "CTopocSHA256",
                "TopologyRuntime",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Runs what the compiler generates: `topoc up`/`down`/`status`/`backup`/`restore` (processes,
        // sockets, HTTP probes, psql) and `topoc check --live`. The compiler itself spawns nothing.
        .target(
            name: "TopologyLocalCluster",
            dependencies: ["TopologyCompiler"]
        ),
        .executableTarget(
            name: "topoc",
            dependencies: [
                "CTopocAllocator",
                "TopologyCompiler",
                "TopologyLocalCluster",
                "TopologyRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "TopologyFuzz",
            dependencies: ["TopologyCompiler"],
            path: "Fuzz/TopologyFuzz"
        ),
        .plugin(name: "TopologyPlugin", capability: .buildTool(), dependencies: ["topoc"]),
        .plugin(
            name: "TopologyCommandPlugin",
            capability: .command(
                intent: .custom(
                    verb: "generate-topology-sources",
                    description: "Write each target's typed topology router into the package"),
                permissions: [
                    .writeToPackageDirectory(reason: "Writes the generated router into <target>/Generated")
                ]
            ),
            dependencies: ["topoc"]
        ),
        .testTarget(name: "TopologyRuntimeTests", dependencies: ["TopologyRuntime"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TopologyCompilerTests",
            // TopologyLocalCluster for `Subprocess`, which runs external checkers (sh -n, haproxy -c,
            // docker compose config) over generated artifacts, and `LocalSecrets.variables(of:)`.
            dependencies: ["TopologyCompiler", "TopologyLocalCluster", "TopologyRuntime"],
            exclude: ["Corpus/Inputs", "Corpus/Issue16", "Golden", "TemplateContexts"]
        ),
        .testTarget(
            name: "TopologyLocalClusterTests", dependencies: ["TopologyLocalCluster", "TopologyCompiler"]
        ),
        .testTarget(name: "topocTests", dependencies: ["topoc", "CTopocAllocator"], exclude: ["Fixtures"]),
        .testTarget(
            name: "PostgresIntegrationTests", dependencies: ["TopologyCompiler", "TopologyLocalCluster", "TopologyRuntime"]),
        .testTarget(
            name: "TopologyClientTests",
            dependencies: ["TopologyClient", "TopologyRuntime", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(
            name: "ClusterIntegrationTests",
            dependencies: [
                "TopologyCompiler", "TopologyLocalCluster", "TopologyClient", "TopologyRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
    ]
)
