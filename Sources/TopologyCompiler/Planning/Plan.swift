import TopologyRuntime

/// The resolved deployment of a topology for one target: what every backend reads.
///
/// A plan names every cluster and member with its role, region, host and ports, every shard
/// with its ring tokens or range, every database, partition, tenant schema, publication and
/// replication slot. Backends read only the plan; they never look back at the YAML.
/// It is `Codable` so that `topoc plan --format json` and `plan.json` show exactly this.
public struct Plan: Sendable, Codable, Equatable {
    /// The topology's name.
    public var topology: String
    /// The version of topoc that made the plan.
    public var generator: String
    /// The PostgreSQL major version.
    public var postgresVersion: Int
    /// The deployment target the hosts and ports are for.
    public var target: DeploymentTarget
    /// The PostgreSQL binaries of the local target when not Debian's (`deployment.local.postgres_bin`).
    public var localPostgresBin: String?
    /// The regions, in declaration order.
    public var regions: [String]
    /// The declared guarantees, as written.
    public var guarantees: PlanGuarantees
    /// The environment variables that hold the secrets.
    public var secrets: PlanSecrets
    /// The PostgreSQL roles every backend uses (docs/roles.md).
    public var roles: PlanRoles
    /// The etcd members that hold the clusters' state.
    public var etcd: [PlanEtcdMember]
    /// Every physical cluster.
    public var clusters: [PlanCluster]
    /// The connection pooler.
    public var pooler: PlanPooler
    /// Every database, on its cluster.
    public var databases: [PlanDatabase]
    /// Sharding, if the topology shards.
    public var sharding: PlanSharding?
    /// Every table, with its placement and partitions.
    public var tables: [PlanTable]
    /// Tenants, if the topology is multi-tenant.
    public var tenancy: PlanTenancy?
    /// Views.
    public var views: [PlanView]
    /// Publications and logical replication slots.
    public var replication: PlanReplication
    /// Multi-primary groups.
    public var multiPrimaryGroups: [PlanMultiPrimaryGroup]
    /// The Kubernetes namespace every object of the deployment lives in (kubernetes target only).
    public var namespace: String? = nil
    /// TLS per component, or nil when no connection is encrypted.
    public var tls: PlanTLS? = nil
    /// Backups (pgBackRest), if the topology asks for them.
    public var backup: PlanBackup? = nil
    /// The kubernetes target's storage, resources and backups (kubernetes target only).
    public var kubernetes: PlanKubernetes? = nil
}

/// Where the deployment runs: hosts and ports differ.
public enum DeploymentTarget: String, Sendable, Codable, CaseIterable {
    /// docker-compose: service names as hosts, standard ports.
    case compose
    /// One machine: 127.0.0.1, distinct ports, data under one run folder.
    case local
    /// Kubernetes with the CloudNativePG operator: one namespace, a `Cluster` per physical
    /// cluster, its services as hosts (docs/kubernetes.md).
    case kubernetes

    /// The targets `topoc validate` checks unless told one: a topology need not fit the
    /// kubernetes target's extra limits (TKS) to be valid.
    public static let validatedByDefault: [DeploymentTarget] = [.compose, .local]
}

/// The declared guarantees in their written form.
public struct PlanGuarantees: Sendable, Codable, Equatable {
    /// `guarantees.consistency`, if declared.
    public var consistency: ConsistencyLevel?
    /// `guarantees.partition`, if declared.
    public var partition: PartitionChoice?
    public var rpo: String?
    public var rto: String?
    public var maxStaleness: String?
}

/// The environment variables holding each secret.
public struct PlanSecrets: Sendable, Codable, Equatable {
    public var superuser: String
    public var replication: String
    public var app: String
    public var restAPI: String
    public var readOnly: String
    public var changeDataCapture: String
    public var poolerAuth: String
    public var poolerAdmin: String
    public var rewind: String
    public var multiPrimary: String
    public var monitor: String
}

/// The roles of a deployment, each named once here and read by every backend.
///
/// Only bootstrap (Patroni's initdb, `post-bootstrap.sh` and the DDL scripts) uses the
/// superuser; every running component logs in as its own role (docs/roles.md).
public struct PlanRoles: Sendable, Codable, Equatable {
    /// The superuser Patroni creates; used only to bootstrap.
    public var superuser: String
    /// Patroni's streaming-replication role.
    public var replication: String
    /// Patroni's pg_rewind and slot-copy role.
    public var rewind: String
    /// NOLOGIN owner of every schema object and SECURITY DEFINER function.
    public var owner: String
    /// The application's login role.
    public var application: String
    /// The read-only login role.
    public var readOnly: String
    /// NOLOGIN group of the application's login roles (application, read-only, tenants).
    public var clients: String
    /// The logical-decoding consumers' role (Debezium).
    public var changeDataCapture: String
    /// PgBouncer's `auth_user`.
    public var poolerAuth: String
    /// PgBouncer's admin console user (PgBouncer only, never a PostgreSQL role).
    public var poolerAdmin: String
    /// The role multi-primary subscriptions connect to their peers as.
    public var multiPrimary: String
    /// The role `topoc check --live` reads the deployment as (docs/live-check.md).
    public var monitor: String
    /// The role pgBackRest connects as to start and stop backups (only with a `backup:` section).
    public var backup: String

    /// Every role above (a migration never drops one of them, whatever a tenant is named).
    public var all: Set<String> {
        [
            superuser, replication, rewind, owner, application, readOnly, clients, changeDataCapture, poolerAuth, poolerAdmin,
            multiPrimary, monitor, backup,
        ]
    }
}

/// An etcd member.
public struct PlanEtcdMember: Sendable, Codable, Equatable {
    public var name: String
    public var host: String
    public var clientPort: Int
    public var peerPort: Int
    /// The region whose clusters this member's etcd cluster serves; nil when one etcd cluster
    /// serves the whole deployment.
    public var region: String?
}

/// A physical cluster: one Patroni scope.
public struct PlanCluster: Sendable, Codable, Equatable {
    /// The Patroni scope, unique in the deployment.
    public var name: String
    /// The cluster template it was made from.
    public var template: String
    /// The shard it serves, if sharded.
    public var shard: Int?
    /// The members; the first is the bootstrap leader.
    public var members: [PlanMember]
    /// Replication settings as declared.
    public var replication: PlanReplicationSettings
    /// Patroni timing in whole seconds.
    public var failover: PlanFailover
    /// PostgreSQL settings declared for the cluster, with topoc's `max_slot_wal_keep_size` when none is declared.
    public var settings: [String: String]
    /// The settings decided from the guarantees, each with its reason.
    public var decisions: [GuaranteeDecisions.Setting]
}

/// A member of a physical cluster.
public struct PlanMember: Sendable, Codable, Equatable {
    /// The member's name, unique in the deployment (Patroni `name`, compose service).
    public var name: String
    /// The role it starts in.
    public var role: MemberRole
    /// Its region, if any.
    public var region: String?
    /// The host clients and peers reach it at.
    public var host: String
    /// PostgreSQL's port.
    public var port: Int
    /// Patroni's REST API port.
    public var restPort: Int
    /// The data directory, relative to the run folder (local) or absolute in the container (compose).
    public var dataDirectory: String
    /// Whether Patroni may promote it.
    public var noFailover: Bool
}

/// The role a member starts in; Patroni elects the real leader.
public enum MemberRole: String, Sendable, Codable {
    /// Bootstraps the cluster and leads until a failover.
    case leader
    /// Streams from the leader and may be promoted.
    case replica
    /// Streams from the leader and is never promoted.
    case replicaNoFailover = "replica-nofailover"
}

/// Replication settings of a physical cluster.
public struct PlanReplicationSettings: Sendable, Codable, Equatable {
    /// Synchronous or asynchronous streaming replication.
    public var mode: ReplicationMode
    public var syncCount: Int?
    public var strict: Bool?
    public var maximumLagOnFailoverBytes: Int64?
}

/// Patroni's timing.
public struct PlanFailover: Sendable, Codable, Equatable {
    public var ttl: Int64
    public var loopWait: Int64
    public var retryTimeout: Int64
    /// Whether Patroni uses a watchdog device.
    public var watchdog: WatchdogMode
}

/// PgBouncer and the routing frontends in front of the clusters.
public struct PlanPooler: Sendable, Codable, Equatable {
    public var host: String
    public var port: Int
    /// PgBouncer's `pool_mode`.
    public var mode: PoolMode
    public var maxClientConnections: Int
    public var readWritePoolSize: Int
    public var readWriteReserve: Int
    public var readOnlyPoolSize: Int?
    public var readOnlyReserve: Int?
    /// The HAProxy-style frontends: one read-write and one read-only port per cluster.
    public var frontends: [PlanFrontend]
    /// The host address compose publishes PgBouncer on (`deployment.compose.publish`); nil
    /// publishes nothing.
    public var publishAddress: String?
    /// The PgBouncer release the deployment runs (`pooling.pgbouncer_version`).
    public var version: String
    /// PgBouncer's `max_prepared_statements`, set where protocol-level prepared statements go
    /// through a transaction or statement pool of PgBouncer 1.21 or later; nil otherwise.
    public var maxPreparedStatements: Int?
    /// The local target's port of the staleness agent that HAProxy's read-only checks ask
    /// (`haproxy/staleness-agent.py`), taken after every other port when `max_staleness` is
    /// declared; nil otherwise and on compose, where the agent listens on the HAProxy
    /// container's loopback.
    public var stalenessAgentPort: Int? = nil
}

/// The leader-following endpoints of one cluster.
public struct PlanFrontend: Sendable, Codable, Equatable {
    public var cluster: String
    /// The read-write host (and the read-only one unless ``readOnlyHost`` is set).
    public var host: String
    public var readWritePort: Int
    public var readOnlyPort: Int
    /// The read-only host when it differs from ``host`` (kubernetes: the cluster's `-ro` service).
    public var readOnlyHost: String? = nil
    /// One read-only frontend per member (on ``host``) that admits connections only while Patroni
    /// reports that member a running replica (`GET /replica`): the path a client that picks
    /// replicas by replay position (TopologyClient) reads through. Nil for single-member clusters
    /// and on kubernetes.
    public var memberReadOnly: [PlanMemberPort]? = nil

    /// The host read-only clients connect to.
    public var readOnlyEndpointHost: String { readOnlyHost ?? host }
}

/// A member's own read-only frontend.
public struct PlanMemberPort: Sendable, Codable, Equatable {
    /// The member's name.
    public var member: String
    /// The frontend's port.
    public var port: Int
}

/// A database on a cluster.
public struct PlanDatabase: Sendable, Codable, Equatable {
    /// The database's name.
    public var name: String
    /// The physical cluster that hosts it.
    public var cluster: String
    /// Why it exists.
    public var kind: DatabaseKind
    /// The shard it holds, if any.
    public var shard: Int?
    /// The tenant it holds, if any.
    public var tenant: String?
    /// The tables (or vertical groups as `table.group`) it holds, sorted.
    public var tables: [String]
}

/// Why a database exists.
public enum DatabaseKind: String, Sendable, Codable {
    case main
    case shard
    case vertical
    case tenant
}

/// Sharding resolved to shards.
public struct PlanSharding: Sendable, Codable, Equatable {
    /// How keys map to shards.
    public var strategy: ShardingStrategy
    public var key: String
    /// The shard key's type, which decides the hash function.
    public var keyType: ShardKeyType
    /// The PostgreSQL hash function keys go through, for hash strategies.
    public var hashFunction: String?
    /// The seed passed to it.
    public var seed: Int64?
    public var virtualNodes: Int?
    /// Where the ring's tokens went, when not `hashed` (absent from plans of hashed rings, so
    /// their plan.json and routing.json are as before `balanced` existed).
    public var tokenPlacement: RingPlacement? = nil
    public var regionKey: String?
    /// The strategy inside a region, for composite sharding.
    public var withinRegion: ShardingStrategy?
    public var shards: [PlanShard]
    /// The ring, sorted by token (signed 64-bit order), for consistent hashing; for composite
    /// sharding, one ring per region, each sorted, concatenated in region order.
    public var ring: [PlanRingToken]?
}

/// One shard.
public struct PlanShard: Sendable, Codable, Equatable {
    public var index: Int
    public var name: String
    public var cluster: String
    public var database: String
    public var region: String?
    /// Half-open range bounds for range sharding (nil = unbounded).
    public var rangeFrom: String?
    public var rangeTo: String?
}

/// A token on the consistent-hash ring.
public struct PlanRingToken: Sendable, Codable, Equatable {
    public var token: Int64
    public var shard: Int
    /// The region whose ring the token belongs to (composite sharding only).
    public var region: String?

    /// Creates a token.
    public init(token: Int64, shard: Int, region: String? = nil) {
        self.token = token
        self.shard = shard
        self.region = region
    }
}

/// A table and where it lives.
public struct PlanTable: Sendable, Codable, Equatable {
    public var name: String
    public var placement: TablePlacement
    public var shardKey: String?
    public var colocationGroup: String?
    /// The databases that hold it.
    public var databases: [String]
    /// Its partitions, enumerated.
    public var partitions: [PlanPartition]
    /// Its columns, keys, indexes and derived parts.
    public var schema: PlanTableSchema
    /// The table's previous name (`renamed_from:`), read only by `topoc diff` and `topoc migrate`.
    public var renamedFrom: String? = nil
}

/// How a table is placed.
public enum TablePlacement: String, Sendable, Codable {
    /// One copy in the main (or each tenant) database.
    case single
    /// Rows spread over shards by key.
    case sharded
    /// Copied to every shard.
    case reference
}

/// One partition of a partitioned table.
public struct PlanPartition: Sendable, Codable, Equatable {
    public var name: String
    /// Which bound the partition has: a range, a list of values, a hash remainder, or none (the default partition).
    public var kind: PlanPartitionKind
    /// Lower bound (range), values (list) or modulus (hash).
    public var from: String?
    public var to: String?
    public var values: [String]?
    public var modulus: Int?
    public var remainder: Int?
}

/// The kind of bound a planned partition has; the raw values are the plan's spelling.
public enum PlanPartitionKind: String, Sendable, Codable, CaseIterable {
    /// `FOR VALUES FROM (from) TO (to)`.
    case range
    /// `FOR VALUES IN (values)`.
    case list
    /// `FOR VALUES WITH (MODULUS modulus, REMAINDER remainder)`.
    case hash
    /// `DEFAULT`: the rows no other partition takes.
    case `default`
}

/// Tenants resolved to schemas or databases.
public struct PlanTenancy: Sendable, Codable, Equatable {
    /// Where tenants' rows live: a shared schema, a schema each or a database each.
    public var mode: TenancyMode
    public var column: String?
    /// The tenant column's SQL type.
    public var columnType: String?
    /// The prefix of tenant schema or database names.
    public var prefix: String
    /// Tables shared by all tenants.
    public var sharedTables: [String]
    public var tenants: [PlanTenant]
}

/// One tenant.
public struct PlanTenant: Sendable, Codable, Equatable {
    public var name: String
    public var schema: String?
    public var database: String?
    /// The tenant's own login role (schema- and database-per-tenant), which reaches only its
    /// schema or database.
    public var role: String?
    /// The environment variable holding that role's password.
    public var passwordVariable: String?
}

/// A view.
public struct PlanView: Sendable, Codable, Equatable {
    public var name: String
    public var materialized: Bool
    /// The defining query, SQL as written.
    public var query: String
    /// The columns of its unique index (needed by REFRESH ... CONCURRENTLY).
    public var uniqueKey: [String]
    public var refreshSchedule: String?
    public var refreshConcurrently: Bool
    public var databases: [String]
}

/// Logical replication objects.
public struct PlanReplication: Sendable, Codable, Equatable {
    /// The Debezium sink, if changes go to Kafka.
    public var sink: PlanSink?
    public var publications: [PlanPublication]
    public var slots: [PlanSlot]
    public var auditTables: [PlanAuditTable]
}

/// A publication in one database.
public struct PlanPublication: Sendable, Codable, Equatable {
    public var name: String
    public var database: String
    public var cluster: String
    public var tables: [String]
    public var publishViaPartitionRoot: Bool
}

/// A logical replication slot.
public struct PlanSlot: Sendable, Codable, Equatable {
    public var name: String
    public var database: String
    public var cluster: String
    /// The logical decoding output plugin.
    public var plugin: DecodingPlugin
}

/// The trigger audit log of a database.
public struct PlanAuditTable: Sendable, Codable, Equatable {
    public var name: String
    public var database: String
    public var tables: [String]
}

/// A multi-primary group: clusters that each hold a writable copy of the main database and
/// replicate every change to each other with logical replication (`origin = none`).
public struct PlanMultiPrimaryGroup: Sendable, Codable, Equatable {
    public var name: String
    public var clusters: [String]
    /// How conflicting writes of one row are resolved, if declared.
    public var conflictPolicy: ConflictPolicy?
    /// The column that orders row versions (time-based policies), stamped on every local write.
    public var timestampColumn: String?
    /// The database every member cluster holds.
    public var database: String
    /// The replicated tables.
    public var tables: [String]
    /// The publication each member cluster publishes the tables with.
    public var publication: String
    /// One subscription per ordered pair of member clusters.
    public var links: [PlanMultiPrimaryLink]
}

/// One direction of a multi-primary group's replication: `subscriber` applies what `publisher`
/// publishes, through a logical slot on the publisher that Patroni keeps as a permanent slot.
public struct PlanMultiPrimaryLink: Sendable, Codable, Equatable {
    public var publisher: String
    public var subscriber: String
    /// The subscription, created on the subscriber's leader.
    public var subscription: String
    /// The logical slot on the publisher.
    public var slot: String
}

/// A Debezium connector's settings.
public struct PlanSink: Sendable, Codable, Equatable {
    public var topicPrefix: String
    /// Debezium's `snapshot.mode`.
    public var snapshotMode: SnapshotMode
    public var bootstrapServers: String?
}
