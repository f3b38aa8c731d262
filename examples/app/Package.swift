// swift-tools-version: 6.1
import PackageDescription

// An app that routes with the typed router topoc generates from Sources/ShopRouting/topology.yaml.
// The TopologyPlugin regenerates it on `swift build` whenever the topology changes. ShopFlow runs
// a small e-commerce flow through TopologyClient against a running deployment (`topoc up`).
let package = Package(
    name: "ShopApp",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "topoc", path: "../.."),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .target(
            name: "ShopRouting",
            dependencies: [.product(name: "TopologyRuntime", package: "topoc")],
            plugins: [.plugin(name: "TopologyPlugin", package: "topoc")]
        ),
        .executableTarget(name: "ShopApp", dependencies: ["ShopRouting"]),
        .executableTarget(
            name: "ShopFlow",
            dependencies: [
                "ShopRouting",
                .product(name: "TopologyClient", package: "topoc"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .testTarget(name: "ShopRoutingTests", dependencies: ["ShopRouting"]),
    ]
)
