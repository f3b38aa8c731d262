/// The keys each mapping of the topology language accepts.
///
/// This is the single source of truth for the language's keys: the decoders check unknown
/// keys against it, and a test proves that the JSON Schema (schema/topology.schema.json)
/// defines exactly these properties under `$defs/<section>`.
public enum GrammarSection: String, Sendable, CaseIterable {
    case topology
    case region
    case guarantees
    case secrets
    case secret
    case roles
    case cluster
    case member
    case replication
    case failover
    case settings
    case multiPrimaryGroup
    case sharding
    case shardRange
    case pooling
    case pool
    case tenancy
    case table
    case column
    case unique
    case foreignKey
    case reference
    case index
    case indexExpression
    case partitioning
    case rangePartition
    case partman
    case verticalGroup
    case counter
    case snapshot
    case view
    case refresh
    case cdc
    case capturedTable
    case sink
    case tls
    case tlsComponent
    case backup
    case backupRepository
    case backupRetention
    case backupSchedule
    case deployment
    case local
    case compose
    case kubernetes
    case kubernetesStorage
    case kubernetesResources
    case objectStore
    case suppression

    /// The keys accepted by mappings of this section, in documentation order.
    public var keys: [String] {
        switch self {
        case .topology:
            [
                "version", "topology", "postgres", "regions", "guarantees", "secrets", "roles", "clusters", "multi_primary",
                "sharding", "pooling", "tenancy", "tables", "views", "cdc", "tls", "backup", "deployment", "rules",
            ]
        case .region: ["rtt"]
        case .guarantees: ["consistency", "partition", "rpo", "rto", "max_staleness"]
        case .secrets: Secrets.slots.map(\.key)
        case .secret: ["env"]
        case .roles: RoleKind.allCases.map(\.key)
        case .cluster: ["members", "region", "replication", "failover", "settings", "suppress"]
        case .member: ["region", "nofailover"]
        case .replication: ["mode", "sync_count", "strict", "max_lag_on_failover"]
        case .failover: ["ttl", "loop_wait", "retry_timeout", "watchdog"]
        case .settings:
            [
                "max_connections", "max_wal_senders", "max_replication_slots", "shared_buffers", "max_slot_wal_keep_size",
                "max_locks_per_transaction",
            ]
        case .multiPrimaryGroup: ["clusters", "conflict", "timestamp_column", "suppress"]
        case .sharding:
            [
                "key", "key_type", "strategy", "shards", "virtual_nodes", "token_placement", "cluster", "ranges",
                "region_key", "regions", "within", "colocation", "reference", "suppress",
            ]
        case .shardRange: ["from", "to"]
        case .pooling: ["mode", "max_client_conn", "read_write", "read_only", "session_features", "pgbouncer_version", "suppress"]
        case .pool: ["pool_size", "reserve"]
        case .tenancy: ["mode", "column", "column_type", "app_role", "tenants", "prefix", "shared_tables", "suppress"]
        case .table:
            [
                "columns", "primary_key", "unique", "foreign_keys", "indexes", "partitioning", "shard_key", "vertical",
                "counters", "snapshots", "writes_per_second", "renamed_from", "suppress",
            ]
        case .column: ["type", "nullable", "default", "renamed_from"]
        case .unique: ["name", "columns"]
        case .foreignKey: ["name", "columns", "references", "on_delete"]
        case .reference: ["table", "columns"]
        case .index: ["name", "method", "columns", "unique", "include", "where", "renamed_from", "suppress"]
        case .indexExpression: ["expression"]
        case .partitioning: ["by", "key", "interval", "from", "to", "ranges", "lists", "modulus", "default", "partman"]
        case .rangePartition: ["name", "from", "to"]
        case .partman: ["premake", "retention"]
        case .verticalGroup: ["columns", "database", "cluster"]
        case .counter: ["counts", "via"]
        case .snapshot: ["from", "via"]
        case .view: ["materialized", "query", "unique_key", "refresh", "suppress"]
        case .refresh: ["schedule", "concurrently"]
        case .cdc: ["publication", "slot", "plugin", "sink", "audit_table", "tables"]
        case .capturedTable: ["method", "replica_identity", "suppress"]
        case .sink: ["topic_prefix", "snapshot_mode", "bootstrap_servers"]
        case .tls: ["mode", "directory", "ca_file", "cert_file", "key_file", "min_protocol"] + TLS.Component.allCases.map(\.rawValue)
        case .tlsComponent: ["mode", "directory", "ca_file", "cert_file", "key_file"]
        case .backup: ["repository", "retention", "schedule", "recovery_window", "archive_timeout"]
        case .backupRepository: ["kind", "path"]
        case .backupRetention: ["full"]
        case .backupSchedule: ["full", "diff", "incr"]
        case .deployment: ["local", "compose", "kubernetes"]
        case .local: ["base_port", "pgbouncer_port", "run_dir", "postgres_bin"]
        case .compose: ["publish"]
        case .kubernetes: ["storage", "resources", "backup_repository"]
        case .kubernetesStorage: ["size", "class"]
        case .kubernetesResources: ["cpu", "memory", "cpu_limit", "memory_limit"]
        case .objectStore: ["kind", "destination", "endpoint", "secret"]
        case .suppression: ["rule", "reason"]
        }
    }

    /// What a mapping of this section is called in messages.
    public var displayName: String {
        switch self {
        case .topology: "the topology"
        case .multiPrimaryGroup: "a multi-primary group"
        case .shardRange: "a shard range"
        case .foreignKey: "a foreign key"
        case .reference: "a foreign key's references"
        case .indexExpression: "an index key"
        case .rangePartition: "a range partition"
        case .verticalGroup: "a vertical group"
        case .capturedTable: "a captured table"
        case .unique: "a unique constraint"
        case .tlsComponent: "a component's `tls`"
        case .backupRepository: "the backup repository"
        case .backupRetention: "the backup retention"
        case .backupSchedule: "the backup schedule"
        case .kubernetesStorage: "the kubernetes storage"
        case .kubernetesResources: "the kubernetes resources"
        case .objectStore: "the object store repository"
        default: "`\(rawValue)`"
        }
    }
}
