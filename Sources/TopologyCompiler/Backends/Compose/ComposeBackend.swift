/// Writes `cluster/docker-compose.yml`, the image recipe (`cluster/Dockerfile`) and the schema
/// service's script (`cluster/schema/apply-schema.sh`) for the compose target: three etcd members,
/// every Patroni member, HAProxy, the one-shot schema service and PgBouncer, plus Kafka Connect
/// with Debezium when the topology has a sink (and ZooKeeper and Kafka unless it names an external
/// Kafka).
///
/// Members mount exactly the Patroni files the Patroni backend wrote. Secrets are compose
/// interpolations of the topology's variables (`${VAR:?...}`), so `docker-compose` refuses to start
/// without them. Nothing is published on the host unless `deployment.compose.publish` names an
/// address, and then only PgBouncer, on that address.
public struct ComposeBackend: StagingBackend {
    public init() {}

    public var name: String { "compose" }
    public var summary: String { "cluster/docker-compose.yml, cluster/Dockerfile and cluster/schema/apply-schema.sh (compose target only)" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        guard plan.target == .compose else { return [] }
        return [Artifact(path: ClusterLayout.composePath, contents: ComposeFile.text(plan: plan), producer: name)]
            + smallArtifacts(for: plan)
    }

    /// Writes ``artifacts(for:)`` into `staging`, the compose file a service at a time as it is
    /// rendered (8 MB at 4,096 shards).
    func stage(_ plan: Plan, into staging: OutputStaging) {
        guard plan.target == .compose else { return }
        staging.stage(ClusterLayout.composePath, producer: name) { (file) throws(OutputSystemError) in
            var buffer = OutputTextBuffer(file: file)
            ComposeFile.write(plan: plan) { buffer.append($0) }
            try buffer.finish()
        }
        staging.stage(smallArtifacts(for: plan))
    }

    /// The image recipe and the schema service's script.
    private func smallArtifacts(for plan: Plan) -> [Artifact] {
        [
            Artifact(path: ClusterLayout.dockerfilePath, contents: ServerDockerfile.text(plan: plan), producer: name),
            Artifact(path: ComposeSchemaService.scriptPath, contents: ComposeSchemaService.script(plan: plan), producer: name),
        ]
    }
}
