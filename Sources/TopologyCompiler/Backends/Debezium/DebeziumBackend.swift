/// Writes one Debezium PostgreSQL connector (Kafka Connect JSON) per logical slot when the
/// topology sends changes to Kafka.
///
/// The connector connects through the cluster's read-write frontend because logical slots are
/// consumed on the leader; its slot is a Patroni permanent slot, so it survives failovers.
/// It logs in as the CDC role (REPLICATION, SELECT on the captured tables, never the superuser);
/// the publication is topoc's (`publication.autocreate.mode: disabled`), so the connector needs
/// no ownership. The password is a Kafka Connect config-provider reference (`${env:VAR}`), never
/// a literal.
public struct DebeziumBackend: Backend {
    public init() {}

    public var name: String { "debezium" }
    public var summary: String { "cluster/debezium/<cluster>/<slot>.json: Debezium connectors per logical slot (with a sink)" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        guard let sink = plan.replication.sink else { return [] }
        return plan.replication.slots.compactMap { slot in
            guard let frontend = ClusterLayout.frontend(of: slot.cluster, in: plan) else { return nil }
            let publication = plan.replication.publications.first { $0.database == slot.database && $0.cluster == slot.cluster }
            let connector = DebeziumConnector(
                name: "\(ClusterLayout.token(plan.topology))-\(ClusterLayout.token(slot.cluster))-\(ClusterLayout.token(slot.name))",
                config: [
                    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
                    "database.dbname": slot.database,
                    "database.hostname": frontend.host,
                    "database.port": String(frontend.readWritePort),
                    "database.user": plan.roles.changeDataCapture,
                    "database.password": "${env:\(plan.secrets.changeDataCapture)}",
                    "plugin.name": slot.plugin,
                    "slot.name": slot.name,
                    "slot.drop.on.stop": "false",
                    "publication.name": publication?.name ?? slot.name,
                    "publication.autocreate.mode": "disabled",
                    "table.include.list": (publication?.tables ?? []).map { "public.\($0)" }.joined(separator: ","),
                    "topic.prefix": sink.topicPrefix,
                    "snapshot.mode": sink.snapshotMode,
                    "tasks.max": "1",
                ])
            return Artifact(
                path: ClusterLayout.debeziumPath(cluster: slot.cluster, slot: slot.name), contents: JSONArtifact.encode(connector),
                producer: name)
        }
    }
}

/// A Kafka Connect connector definition (`POST /connectors`).
struct DebeziumConnector: Encodable {
    var name: String
    var config: [String: String]
}
