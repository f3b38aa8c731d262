/// Writes `routing.json`, the routing spec for routers in other languages.
public struct RoutingBackend: Backend {
    /// The file name of the routing spec.
    public static let fileName = "routing.json"

    public init() {}

    public var name: String { "routing" }
    public var summary: String { "routing.json: strategy, hash function, ring tokens or ranges, shard -> cluster" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        jsonArtifacts(for: plan)
    }
}

extension RoutingBackend: JSONFileBackend {
    var path: String { Self.fileName }

    func document(for plan: Plan) -> RoutingSpec { RoutingSpec(plan: plan) }
}
