/// Change data capture: which tables stream their changes, and how.
public struct ChangeDataCapture: Sendable {
    /// The publication for logical replication.
    public var publication: Located<String>
    /// The logical replication slot.
    public var slot: Located<String>
    /// The logical decoding output plugin.
    public var plugin: Located<DecodingPlugin>
    /// Where changes go, if to Kafka through Debezium.
    public var sink: DebeziumSink?
    /// The audit table for trigger-based capture.
    public var auditTable: Located<String>
    /// The captured tables.
    public var tables: [CapturedTable]
    /// Where the section is.
    public var location: SourceLocation
}

/// A captured table.
public struct CapturedTable: Sendable {
    /// The table.
    public var table: Located<String>
    /// Trigger audit log or logical replication.
    public var method: Located<CaptureMethod>
    /// The REPLICA IDENTITY of the table (logical only).
    public var replicaIdentity: Located<ReplicaIdentity>?
    /// Rules silenced for this capture.
    public var suppressions: [Suppression]
}

/// How changes are captured.
public enum CaptureMethod: String, Sendable, CaseIterable, Codable {
    case trigger
    case logical
}

/// What a change record carries as the old row.
public enum ReplicaIdentity: String, Sendable, CaseIterable, Codable {
    case `default`
    case full
}

/// A logical decoding output plugin.
public enum DecodingPlugin: String, Sendable, CaseIterable, Codable {
    case pgoutput
    case wal2json
}

/// A Debezium connector feeding Kafka.
public struct DebeziumSink: Sendable {
    /// The topic prefix (Debezium's `topic.prefix`): 1 to 200 letters, digits, `.`, `_` and `-`.
    public var topicPrefix: Located<String>
    /// Debezium's snapshot.mode.
    public var snapshotMode: Located<SnapshotMode>
    /// An external Kafka's bootstrap servers for the compose target: comma-separated `host:port`
    /// entries (``ValueGrammar/hostPortListProblem(_:)``). Named, Kafka Connect writes there and
    /// compose starts no Kafka; nil, compose starts ZooKeeper and Kafka and Connect uses those.
    public var bootstrapServers: Located<String>?
    /// Where the sink is declared.
    public var location: SourceLocation
}

/// Debezium's snapshot modes for PostgreSQL.
public enum SnapshotMode: String, Sendable, CaseIterable, Codable {
    case initial
    case initialOnly = "initial_only"
    case never
    case noData = "no_data"
    case always
}
