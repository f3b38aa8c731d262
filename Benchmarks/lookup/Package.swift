// swift-tools-version: 6.1
import PackageDescription

// Lookup speed with ordo-one/benchmark, kept out of the main package (its dependencies are
// heavy). Run: swift package --package-path Benchmarks/lookup benchmark
let package = Package(
    name: "LookupBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "topoc", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RoutingLookup",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TopologyRuntime", package: "topoc"),
            ],
            path: "Benchmarks/RoutingLookup",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
