// swift-tools-version: 6.1
import PackageDescription

// An app that routes with the typed router topoc generates from Sources/ShopRouting/topology.yaml.
// The TopologyPlugin regenerates it on `swift build` whenever the topology changes.
let package = Package(
    name: "ShopApp",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "topoc", path: "../..")
    ],
    targets: [
        .target(
            name: "ShopRouting",
            dependencies: [.product(name: "TopologyRuntime", package: "topoc")],
            plugins: [.plugin(name: "TopologyPlugin", package: "topoc")]
        ),
        .executableTarget(name: "ShopApp", dependencies: ["ShopRouting"]),
        .testTarget(name: "ShopRoutingTests", dependencies: ["ShopRouting"]),
    ]
)
