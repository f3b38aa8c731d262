/// The Debezium release topoc targets, and what its PostgreSQL connector accepts: the one source
/// of truth the connector backend writes from, the compose file takes its image tags from, and
/// rule TCD212 checks the topology's values against.
///
/// Every property the backend emits is a ``DebeziumProperty``, each with the release that
/// introduced it; every value the topology chooses (`snapshot_mode`, `plugin`) is listed with the
/// releases that accept it. A test checks every emitted property and value against
/// ``pinned``, so moving the pin to a release that lacks one fails the build's tests.
public enum DebeziumCatalog {
    /// The pinned release: Kafka Connect image `quay.io/debezium/connect:2.7.3.Final` (Docker Hub
    /// receives no Debezium 2.x tags any more).
    public static let pinned = DebeziumVersion(major: 2, minor: 7, patch: 3)

    /// The image tag of the pinned release (Debezium's zookeeper, kafka and connect images share it).
    public static var imageTag: String { "\(pinned.major).\(pinned.minor).\(pinned.patch).Final" }

    /// The releases that accept a `snapshot.mode` value: `no_data` arrived in 2.6, which
    /// deprecated `never` in its favour.
    public static func support(_ mode: SnapshotMode) -> DebeziumSupport {
        switch mode {
        case .initial, .always: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 0))
        case .initialOnly: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 0))
        case .never: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 0), deprecatedIn: DebeziumVersion(major: 2, minor: 6))
        case .noData: DebeziumSupport(since: DebeziumVersion(major: 2, minor: 6))
        }
    }

    /// The releases that accept a `plugin.name` value: `wal2json` was removed in 2.0 (the
    /// connector reads `pgoutput`, built into PostgreSQL, or Debezium's own `decoderbufs`).
    public static func support(_ plugin: DecodingPlugin) -> DebeziumSupport {
        switch plugin {
        case .pgoutput: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 0))
        case .wal2json: DebeziumSupport(since: DebeziumVersion(major: 0, minor: 1), removedIn: DebeziumVersion(major: 2, minor: 0))
        }
    }

    /// How often the connector sends a heartbeat and runs ``heartbeatQuery(table:)``, in milliseconds.
    public static let heartbeatIntervalMilliseconds = 10_000

    /// The heartbeat table in every database a connector reads: one row, owned by the owner role,
    /// in the publication, whose `beat_at` the CDC role alone may update.
    public static let heartbeatTable = "topoc_cdc_heartbeat"

    /// The statement the connector runs every heartbeat interval (`heartbeat.action.query`): a
    /// change in the publication, so that the connector receives an event and confirms its
    /// position even when the captured tables are quiet while others fill the WAL.
    public static var heartbeatQuery: String {
        "UPDATE public.\(heartbeatTable) SET beat_at = pg_catalog.now() WHERE id = 1"
    }
}

/// A Debezium release (major.minor, with the patch the image pins).
public struct DebeziumVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    /// Creates a version.
    public init(major: Int, minor: Int, patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: DebeziumVersion, rhs: DebeziumVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}

/// The releases that accept a property or a value.
public struct DebeziumSupport: Sendable {
    /// The first release that accepts it.
    public var since: DebeziumVersion
    /// The release that deprecated it, if any (still accepted).
    public var deprecatedIn: DebeziumVersion? = nil
    /// The first release that no longer accepts it, if any.
    public var removedIn: DebeziumVersion? = nil

    /// Whether `version` accepts it.
    public func accepted(by version: DebeziumVersion) -> Bool {
        since <= version && removedIn.map { version < $0 } != false
    }

    /// Whether `version` accepts it but deprecates it.
    public func deprecated(in version: DebeziumVersion) -> Bool {
        accepted(by: version) && deprecatedIn.map { $0 <= version } == true
    }
}

/// Every property of the PostgreSQL connector that topoc writes, with the release that introduced it.
public enum DebeziumProperty: String, Sendable, CaseIterable {
    case connectorClass = "connector.class"
    case databaseName = "database.dbname"
    case databaseHost = "database.hostname"
    case databasePort = "database.port"
    case databaseUser = "database.user"
    case databasePassword = "database.password"
    case databaseSSLMode = "database.sslmode"
    case databaseSSLRootCert = "database.sslrootcert"
    case pluginName = "plugin.name"
    case slotName = "slot.name"
    case slotDropOnStop = "slot.drop.on.stop"
    case publicationName = "publication.name"
    case publicationAutocreateMode = "publication.autocreate.mode"
    case tableIncludeList = "table.include.list"
    case topicPrefix = "topic.prefix"
    case snapshotMode = "snapshot.mode"
    case heartbeatInterval = "heartbeat.interval.ms"
    case heartbeatActionQuery = "heartbeat.action.query"
    case tasksMax = "tasks.max"

    /// The releases that accept the property: `table.include.list` replaced `table.whitelist`
    /// in 1.3; `topic.prefix` replaced `database.server.name` in 2.0.
    public var support: DebeziumSupport {
        switch self {
        case .connectorClass, .databaseName, .databaseHost, .databasePort, .databaseUser, .databasePassword, .pluginName,
            .slotName, .slotDropOnStop, .snapshotMode, .heartbeatInterval, .tasksMax, .databaseSSLMode, .databaseSSLRootCert:
            DebeziumSupport(since: DebeziumVersion(major: 1, minor: 0))
        case .publicationName: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 0))
        case .publicationAutocreateMode: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 2))
        case .heartbeatActionQuery: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 1))
        case .tableIncludeList: DebeziumSupport(since: DebeziumVersion(major: 1, minor: 3))
        case .topicPrefix: DebeziumSupport(since: DebeziumVersion(major: 2, minor: 0))
        }
    }
}
