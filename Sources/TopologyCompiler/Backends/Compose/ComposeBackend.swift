/// Writes `cluster/docker-compose.yml` and the image recipe (`cluster/Dockerfile`) for the compose
/// target: three etcd members, every Patroni member, HAProxy and PgBouncer, plus ZooKeeper, Kafka and
/// Debezium Connect when the topology has a sink.
///
/// Members mount exactly the Patroni files the Patroni backend wrote. Secrets are compose
/// interpolations of the topology's variables (`${VAR:?...}`), so `docker-compose` refuses to start
/// without them. Nothing is published on the host unless `deployment.compose.publish` names an
/// address, and then only PgBouncer, on that address.
public struct ComposeBackend: Backend {
    public init() {}

    public var name: String { "compose" }
    public var summary: String { "cluster/docker-compose.yml and cluster/Dockerfile (compose target only)" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        guard plan.target == .compose else { return [] }
        return [
            Artifact(path: ClusterLayout.composePath, contents: ComposeFile.text(plan: plan), producer: name),
            Artifact(path: ClusterLayout.dockerfilePath, contents: ServerDockerfile.text(plan: plan), producer: name),
        ]
    }
}
