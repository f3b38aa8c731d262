/// The PostgreSQL parameters that take effect only when the server starts: `pg_settings.context
/// = 'postmaster'`. Patroni reloads every other parameter of its dynamic configuration at once;
/// for these it flags the member `pending_restart` and they stay at the running value until the
/// member restarts (`patronictl restart`, or `POST /restart` on its REST API).
///
/// The core names are PostgreSQL 15's and 16's `pg_settings` (checked against real servers by
/// PostmasterSettingsTests and the multi-primary cluster test); versions after 16 use 16's
/// list, which no test here checks.
public enum PostmasterSettings {
    /// PostgreSQL 15's postmaster-context parameters.
    static let postgres15: Set<String> = [
        "archive_mode", "autovacuum_freeze_max_age", "autovacuum_max_workers", "autovacuum_multixact_freeze_max_age", "bonjour",
        "bonjour_name", "cluster_name", "config_file", "data_directory", "data_sync_retry", "dynamic_shared_memory_type",
        "event_source", "external_pid_file", "hba_file", "hot_standby", "huge_page_size", "huge_pages", "ident_file",
        "ignore_invalid_pages", "jit_provider", "listen_addresses", "logging_collector", "max_connections",
        "max_files_per_process", "max_locks_per_transaction", "max_logical_replication_workers", "max_pred_locks_per_transaction",
        "max_prepared_transactions", "max_replication_slots", "max_wal_senders", "max_worker_processes",
        "min_dynamic_shared_memory", "old_snapshot_threshold", "port", "recovery_target", "recovery_target_action",
        "recovery_target_inclusive", "recovery_target_lsn", "recovery_target_name", "recovery_target_time",
        "recovery_target_timeline", "recovery_target_xid", "shared_buffers", "shared_memory_type", "shared_preload_libraries",
        "superuser_reserved_connections", "track_activity_query_size", "track_commit_timestamp", "unix_socket_directories",
        "unix_socket_group", "unix_socket_permissions", "wal_buffers", "wal_decode_buffer_size", "wal_level", "wal_log_hints",
    ]

    /// What PostgreSQL 16 added to 15's list.
    static let addedIn16: Set<String> = ["debug_io_direct", "reserved_connections"]

    /// The extension parameters topoc sets that need a restart (pg_cron's, read by its
    /// background worker at start).
    static let extensions: Set<String> = ["cron.database_name", "cron.use_background_workers"]

    /// The core postmaster-context parameters of a PostgreSQL major version.
    public static func core(postgresVersion: Int) -> Set<String> {
        postgresVersion >= 16 ? postgres15.union(addedIn16) : postgres15
    }

    /// Whether changing `name` on a running server of `postgresVersion` needs a restart.
    public static func needsRestart(_ name: String, postgresVersion: Int) -> Bool {
        core(postgresVersion: postgresVersion).contains(name) || extensions.contains(name)
    }
}
