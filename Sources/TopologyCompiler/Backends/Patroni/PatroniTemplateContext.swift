/// The context of the `patroni.yml` overlay template (docs/templates.md), per member. Strings are
/// YAML scalars already (``YAMLQuoting/scalar(_:)``).
public struct PatroniTemplateContext: Encodable, Sendable {
    /// The version of this contract; it changes when a field is renamed or removed.
    public var contextVersion = 1
    /// The topology's name.
    public var topology: String
    /// The deployment target.
    public var target: String
    /// The cluster's name (Patroni's scope).
    public var cluster: String
    /// The member's name.
    public var member: String
    /// The member's host.
    public var host: String
    /// PostgreSQL's port.
    public var port: Int
    /// Patroni's REST API port.
    public var restPort: Int
    /// Whether the member may never be promoted.
    public var noFailover: Bool
}

extension PatroniTemplateContext {
    /// The context of one member.
    init(member: PlanMember, cluster: PlanCluster, plan: Plan) {
        topology = YAMLQuoting.scalar(plan.topology)
        target = plan.target.rawValue
        self.cluster = YAMLQuoting.scalar(cluster.name)
        self.member = YAMLQuoting.scalar(member.name)
        host = YAMLQuoting.scalar(member.host)
        port = member.port
        restPort = member.restPort
        noFailover = member.noFailover
    }
}
