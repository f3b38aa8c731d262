// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "topoc",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TopologyRuntime", targets: ["TopologyRuntime"]),
        .library(name: "TopologyCompiler", targets: ["TopologyCompiler"]),
        .executable(name: "topoc", targets: ["topoc"]),
        .plugin(name: "TopologyPlugin", targets: ["TopologyPlugin"]),
        .plugin(name: "TopologyCommandPlugin", targets: ["TopologyCommandPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "TopologyRuntime"),
        .target(
            name: "TopologyCompiler",
            dependencies: [
                "TopologyRuntime",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "topoc",
            dependencies: [
                "TopologyCompiler",
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
            name: "TopologyCompilerTests", dependencies: ["TopologyCompiler", "TopologyRuntime"],
            exclude: ["Corpus/Inputs", "Golden", "TemplateContexts"]
        ),
        .testTarget(name: "topocTests", dependencies: ["topoc"], exclude: ["Fixtures"]),
        .testTarget(name: "PostgresIntegrationTests", dependencies: ["TopologyCompiler", "TopologyRuntime"]),
        .testTarget(name: "ClusterIntegrationTests", dependencies: ["TopologyCompiler"]),
    ]
)
