// swift-tools-version: 6.1
import PackageDescription

// Routing benchmarks, kept out of the main package: run them with
//   swift run -c release --package-path Benchmarks/routing RoutingDistribution
//   swift run -c release --package-path Benchmarks/routing RoutingLookup
let package = Package(
    name: "RoutingBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "topoc", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "RoutingDistribution",
            dependencies: [.product(name: "TopologyRuntime", package: "topoc")],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        .target(name: "MallocCounter"),
        .target(name: "PostgresLookup3"),
        .executableTarget(
            name: "RoutingLookup",
            dependencies: [
                "MallocCounter", "PostgresLookup3", .product(name: "TopologyRuntime", package: "topoc"),
            ],
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
    ]
)
