/// Writes one Patroni configuration per member and each cluster's post-bootstrap script.
///
/// Passwords never appear: Patroni reads them from `PATRONI_SUPERUSER_PASSWORD`,
/// `PATRONI_REPLICATION_PASSWORD`, `PATRONI_REWIND_PASSWORD` and `PATRONI_RESTAPI_PASSWORD`, and
/// post-bootstrap.sh the login roles' passwords from their own variables; the compose file and
/// `topoc up` fill them from the variables the topology's `secrets` name.
public struct PatroniBackend: PartitionedBackend {
    public init() {}

    /// The clusters of one part: at 4,096 single-member shards the backend's 16,384 files were
    /// 19.8 MB held at once (heaptrack); a part of 64 clusters holds about 0.3 MB.
    static let clustersPerPart = 64

    public var name: String { "patroni" }
    public var summary: String {
        "cluster/patroni/<cluster>/<member>.yml, post-bootstrap.sh and dynamic-config.{json,yml}: one Patroni configuration per member, the dynamic configuration as a patch for a running cluster"
    }

    public func artifacts(for plan: Plan) -> [Artifact] {
        (0..<partCount(for: plan)).flatMap { artifacts(for: plan, part: $0) }
    }

    func partCount(for plan: Plan) -> Int {
        max(1, (plan.clusters.count + Self.clustersPerPart - 1) / Self.clustersPerPart)
    }

    /// The files of the part's clusters; the last part also writes the peer passfile script.
    func artifacts(for plan: Plan, part: Int) -> [Artifact] {
        // CloudNativePG runs PostgreSQL, its pooler and its state on the kubernetes target.
        guard plan.target != .kubernetes else { return [] }
        var artifacts: [Artifact] = []
        let clusters = plan.clusters.dropFirst(part * Self.clustersPerPart).prefix(Self.clustersPerPart)
        let names = Set(clusters.map(\.name))
        let databases = Dictionary(grouping: plan.databases.filter { names.contains($0.cluster) }, by: \.cluster)
        for cluster in clusters {
            for member in cluster.members {
                artifacts.append(
                    Artifact(
                        path: ClusterLayout.patroniPath(cluster: cluster.name, member: member.name),
                        contents: PatroniConfig.text(member: member, cluster: cluster, plan: plan), producer: name))
            }
            artifacts.append(
                Artifact(
                    path: ClusterLayout.postBootstrapPath(cluster: cluster.name),
                    contents: PostBootstrapScript.text(cluster: cluster, plan: plan, databases: databases[cluster.name] ?? []),
                    producer: name))
            artifacts.append(
                Artifact(
                    path: PatroniDynamicConfig.jsonPath(cluster: cluster.name),
                    contents: PatroniDynamicConfig.json(cluster: cluster, plan: plan), producer: name))
            artifacts.append(
                Artifact(
                    path: PatroniDynamicConfig.yamlPath(cluster: cluster.name),
                    contents: PatroniDynamicConfig.yaml(cluster: cluster, plan: plan), producer: name))
        }
        if part == partCount(for: plan) - 1, !plan.multiPrimaryGroups.isEmpty {
            artifacts.append(
                Artifact(path: ClusterLayout.peerPassfileScriptPath, contents: PeerPassfileScript.text(plan: plan), producer: name))
        }
        return artifacts
    }
}
