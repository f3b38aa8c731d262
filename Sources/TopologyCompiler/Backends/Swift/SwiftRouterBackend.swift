/// Writes `swift/<Topology>Topology.swift`: a typed Swift router for the topology, compiled
/// against `TopologyRuntime`.
///
/// The file holds one namespace named after the topology (`enum Shop` for `shop`) with typed
/// shards, regions, tenants, clusters (members and endpoints per deployment target) and one entry
/// per table, and embeds the routing data (ring tokens, ranges, region map) as literals. See
/// `docs/plugin.md`.
public struct SwiftRouterBackend: Backend {
    /// The folder the file is written to inside the output folder.
    public static let directory = "swift"

    /// The file name to write inside `swift/`, or `nil` for `defaultFileName(topology:)`.
    public var fileName: String?

    /// Creates the backend.
    ///
    /// - Parameter fileName: The file name inside `swift/` (for example `Topology.swift`, as the
    ///   build plugin asks); `nil` names it after the topology.
    public init(fileName: String? = nil) {
        self.fileName = fileName
    }

    public var name: String { "swift" }
    public var summary: String { "swift/<Topology>Topology.swift: typed shards, tables, tenants and clusters for TopologyRuntime" }

    /// The default file name: the topology's name in UpperCamelCase followed by `Topology.swift`
    /// (`shop` -> `ShopTopology.swift`).
    ///
    /// - Parameter topology: The topology's name.
    /// - Returns: The file name.
    public static func defaultFileName(topology: String) -> String {
        SwiftIdentifier.upperCamel(topology) + "Topology.swift"
    }

    /// The file name the build plugin asks for, derived from the topology file's name alone:
    /// drop `.yaml`/`.yml`, UpperCamelCase the rest (`.`, `-` and `_` separate words), add `.swift`.
    /// `topology.yaml` -> `Topology.swift`, `shop.topology.yaml` -> `ShopTopology.swift`.
    ///
    /// - Parameter topologyFile: The topology file's name or path.
    /// - Returns: The generated file's name.
    public static func fileName(forTopologyFile topologyFile: String) -> String {
        TopologyFileNames.generatedName(for: String(topologyFile.split(separator: "/").last ?? ""))
    }

    /// The path of the generated file for a topology.
    ///
    /// - Parameter topology: The topology's name.
    /// - Returns: `swift/<file name>`.
    public func path(topology: String) -> String {
        "\(Self.directory)/\(fileName ?? Self.defaultFileName(topology: topology))"
    }

    /// The file for one target's plan: its clusters' endpoints are for that target only.
    public func artifacts(for plan: Plan) -> [Artifact] {
        artifacts(for: [plan])
    }

    /// The file for plans of the same topology for several deployment targets (for example
    /// compose and local): the routing data comes from the first, the members and endpoints of
    /// each cluster from each.
    ///
    /// - Parameter plans: The plans, one per target; empty gives no artifact.
    /// - Returns: The generated file.
    public func artifacts(for plans: [Plan]) -> [Artifact] {
        guard let first = plans.first else {
            return []
        }
        let source = SwiftRouterRenderer(plans: plans).render()
        return [Artifact(path: path(topology: first.topology), contents: source, producer: name)]
    }

    /// Writes the file of ``artifacts(for:)-([Plan])`` into `staging` as it is rendered, so a
    /// build never holds it whole (the router of 4,096 shards is 16 MB).
    ///
    /// - Parameters:
    ///   - plans: The plans, one per target; empty writes nothing.
    ///   - staging: Where the file goes.
    func stage(_ plans: [Plan], into staging: OutputStaging) {
        guard let first = plans.first else { return }
        let renderer = SwiftRouterRenderer(plans: plans)
        staging.stage(path(topology: first.topology), producer: name) { (file) throws(OutputSystemError) in
            try renderer.render(into: file)
        }
    }
}
