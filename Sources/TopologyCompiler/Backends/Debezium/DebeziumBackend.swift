/// Writes one Debezium PostgreSQL connector (Kafka Connect JSON) per logical slot when the
/// topology sends changes to Kafka.
///
/// The connector connects through the cluster's read-write frontend because logical slots are
/// consumed on the leader; its slot is a Patroni permanent slot, which Patroni copies to the
/// standbys (what a failover does to the stream: TCD208). Every property comes from
/// ``DebeziumCatalog`` (the pinned release); each connector has its own `topic.prefix` and a
/// heartbeat that writes the heartbeat table, so a quiet captured table cannot hold WAL back.
/// It logs in as the CDC role (REPLICATION, SELECT on the captured tables, never the superuser);
/// the publication is topoc's (`publication.autocreate.mode: disabled`), so the connector needs
/// no ownership. The password is a Kafka Connect config-provider reference (`${env:VAR}`), never
/// a literal.
public struct DebeziumBackend: Backend {
    public init() {}

    public var name: String { "debezium" }
    public var summary: String { "cluster/debezium/<cluster>/<slot>.json: Debezium connectors per logical slot (with a sink)" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        Self.connectors(plan).map { slot, connector in
            Artifact(
                path: ClusterLayout.debeziumPath(cluster: slot.cluster, slot: slot.name), contents: DeterministicJSON.text(connector),
                producer: name)
        }
    }

    /// One connector per logical slot of a plan with a sink, each with the slot it reads.
    static func connectors(_ plan: Plan) -> [(slot: PlanSlot, connector: DebeziumConnector)] {
        guard let sink = plan.replication.sink else { return [] }
        let frontends = ClusterLayout.frontends(of: plan)
        let slots = plan.replication.slots.filter { frontends[$0.cluster] != nil }
        var slotsPerCluster: [String: Int] = [:]
        for slot in slots { slotsPerCluster[slot.cluster, default: 0] += 1 }
        var publications: [PublicationKey: PlanPublication] = [:]
        for publication in plan.replication.publications {
            let key = PublicationKey(cluster: publication.cluster, database: publication.database)
            if publications[key] == nil { publications[key] = publication }
        }
        return slots.compactMap { slot in
            guard let frontend = frontends[slot.cluster] else { return nil }
            let publication = publications[PublicationKey(cluster: slot.cluster, database: slot.database)]
            let tables = (publication?.tables ?? []) + [DebeziumCatalog.heartbeatTable]
            var config: [DebeziumProperty: String] = [
                .connectorClass: "io.debezium.connector.postgresql.PostgresConnector",
                .databaseName: slot.database,
                .databaseHost: frontend.host,
                .databasePort: String(frontend.readWritePort),
                .databaseUser: plan.roles.changeDataCapture,
                .databasePassword: "${env:\(plan.secrets.changeDataCapture)}",
                .pluginName: slot.plugin.rawValue,
                .slotName: slot.name,
                .slotDropOnStop: "false",
                .publicationName: publication?.name ?? slot.name,
                // The publication is topoc's: the connector must never create or alter it.
                .publicationAutocreateMode: "disabled",
                .tableIncludeList: tables.map { "public.\($0)" }.joined(separator: ","),
                .topicPrefix: topicPrefix(
                    sink.topicPrefix, slot: slot, connectors: slots.count, inCluster: slotsPerCluster[slot.cluster] ?? 0),
                .snapshotMode: sink.snapshotMode.rawValue,
                .heartbeatInterval: String(DebeziumCatalog.heartbeatIntervalMilliseconds),
                .heartbeatActionQuery: DebeziumCatalog.heartbeatQuery,
                .tasksMax: "1",
            ]
            if let tls = ClusterLayout.tls(.postgres, in: plan) {
                // libpq's modes; the CA is the path inside the Kafka Connect worker, which mounts
                // the deployment's CA where the PostgreSQL members have it.
                config[.databaseSSLMode] = tls.mode.rawValue
                if tls.verifies, let ca = tls.ca { config[.databaseSSLRootCert] = ca }
            }
            let connector = DebeziumConnector(
                name: "\(ClusterLayout.token(plan.topology))-\(ClusterLayout.token(slot.cluster))-\(ClusterLayout.token(slot.name))",
                config: Dictionary(uniqueKeysWithValues: config.map { ($0.key.rawValue, $0.value) }))
            return (slot, connector)
        }
    }

    /// The connector's `topic.prefix`: Debezium keys its offsets and names its topics by it, so
    /// every connector needs its own. One connector keeps the declared prefix; with several,
    /// each appends its cluster (and its database where a cluster holds several slots).
    /// `connectors` counts every connector, `inCluster` those reading the slot's cluster.
    static func topicPrefix(_ declared: String, slot: PlanSlot, connectors: Int, inCluster: Int) -> String {
        guard connectors > 1 else { return declared }
        var prefix = "\(declared).\(ClusterLayout.token(slot.cluster))"
        if inCluster > 1 { prefix += ".\(ClusterLayout.token(slot.database))" }
        return prefix
    }
}

/// The database a publication publishes from, for one lookup per slot.
private struct PublicationKey: Hashable {
    var cluster: String
    var database: String
}

/// A Kafka Connect connector definition (`POST /connectors`).
struct DebeziumConnector: Encodable {
    var name: String
    var config: [String: String]
}
