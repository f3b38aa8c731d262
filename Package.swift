// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "topoc",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TopologyRuntime", targets: ["TopologyRuntime"]),
        .library(name: "TopologyCompiler", targets: ["TopologyCompiler"]),
        .executable(name: "topoc", targets: ["topoc"]),
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
        .testTarget(name: "TopologyRuntimeTests", dependencies: ["TopologyRuntime"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TopologyCompilerTests", dependencies: ["TopologyCompiler", "TopologyRuntime"],
            exclude: ["Corpus/Inputs", "Golden"]
        ),
        .testTarget(name: "topocTests", dependencies: ["topoc"]),
    ]
)
