/// What CloudNativePG fixes, forbids or does not ship.
///
/// No topology can name a fixed parameter or a refused PgBouncer parameter today (the
/// language's `settings` and pooler parameters are typed); tests check that every setting and
/// PgBouncer parameter topoc can write stays off these lists, so a new key that lands on one
/// fails a test rather than a webhook.
///
/// The lists follow CloudNativePG's source (`pkg/postgres/configuration.go`,
/// `FixedConfigurationParameters`; `internal/webhook/v1/pooler_webhook.go`,
/// `AllowedPgbouncerGenericConfigurationParameters`) of the release whose CRDs the test command
/// validates against (docs/kubernetes.md).
public enum CNPGLimits {
    /// The PostgreSQL parameters the operator sets itself or blocks: its webhook refuses a
    /// `Cluster` that sets any of them under `postgresql.parameters`.
    public static let fixedParameters: Set<String> = [
        "allow_system_table_mods", "archive_cleanup_command", "archive_command", "archive_mode", "archive_timeout",
        "bonjour", "bonjour_name", "cluster_name", "config_file", "data_directory", "data_sync_retry",
        "dynamic_shared_memory_type", "event_source", "external_pid_file", "full_page_writes", "hba_file",
        "hot_standby", "huge_pages", "ident_file", "jit_provider", "listen_addresses", "log_destination",
        "log_directory", "log_file_mode", "log_filename", "log_rotation_age", "log_rotation_size",
        "log_truncate_on_rotation", "logging_collector", "port", "primary_conninfo", "primary_slot_name",
        "promote_trigger_file", "recovery_end_command", "recovery_min_apply_delay", "recovery_target",
        "recovery_target_action", "recovery_target_inclusive", "recovery_target_lsn", "recovery_target_name",
        "recovery_target_time", "recovery_target_timeline", "recovery_target_xid", "restart_after_crash",
        "restore_command", "shared_memory_type", "ssl", "ssl_ca_file", "ssl_cert_file", "ssl_ciphers",
        "ssl_crl_file", "ssl_dh_params_file", "ssl_ecdh_curve", "ssl_key_file", "ssl_max_protocol_version",
        "ssl_min_protocol_version", "ssl_passphrase_command", "ssl_passphrase_command_supports_reload",
        "ssl_prefer_server_ciphers", "stats_temp_directory", "synchronous_standby_names", "syslog_facility",
        "syslog_ident", "syslog_sequence_numbers", "syslog_split_messages", "unix_socket_directories",
        "unix_socket_group", "unix_socket_permissions", "wal_level", "wal_log_hints",
    ]

    /// Parameters with a field of their own in the `Cluster` spec rather than a place under
    /// `postgresql.parameters`.
    public static let ownFieldParameters: [String: String] = [
        "shared_preload_libraries": "spec.postgresql.shared_preload_libraries"
    ]

    /// The PgBouncer parameters the `Pooler` webhook accepts under `pgbouncer.parameters`.
    public static let allowedPgBouncerParameters: Set<String> = [
        "application_name_add_host", "auth_type", "autodb_idle_timeout", "cancel_wait_timeout", "client_idle_timeout",
        "client_login_timeout", "client_tls_sslmode", "default_pool_size", "disable_pqexec", "dns_max_ttl",
        "dns_nxdomain_ttl", "idle_transaction_timeout", "ignore_startup_parameters", "listen_backlog",
        "log_connections", "log_disconnections", "log_pooler_errors", "log_stats", "max_client_conn",
        "max_db_connections", "max_packet_size", "max_prepared_statements", "max_user_connections", "min_pool_size",
        "pkt_buf", "query_timeout", "query_wait_timeout", "reserve_pool_size", "reserve_pool_timeout", "sbuf_loopcnt",
        "server_check_delay", "server_check_query", "server_connect_timeout", "server_fast_close",
        "server_idle_timeout", "server_lifetime", "server_login_retry", "server_reset_query",
        "server_reset_query_always", "server_round_robin", "server_tls_ciphers", "server_tls_protocols",
        "server_tls_sslmode", "stats_period", "suspend_timeout", "tcp_defer_accept", "tcp_socket_buffer",
        "tcp_keepalive", "tcp_keepcnt", "tcp_keepidle", "tcp_keepintvl", "tcp_user_timeout",
        "track_extra_parameters", "verbose",
    ]

    /// The pool modes a `Pooler` accepts (`spec.pgbouncer.poolMode`).
    public static let poolModes: Set<String> = ["session", "transaction"]

    /// Extensions topoc may need that CloudNativePG's standard PostgreSQL images do not carry.
    public static let missingExtensions: Set<String> = ["pg_cron", "pg_partman"]

    /// The parameters of `settings` that a `Cluster` cannot carry under `postgresql.parameters`,
    /// each with why.
    public static func refusedParameters(_ settings: [String: String]) -> [(name: String, reason: String)] {
        settings.keys.sorted().compactMap { name in
            if fixedParameters.contains(name) { return (name, "CloudNativePG sets or blocks it") }
            if let field = ownFieldParameters[name] { return (name, "CloudNativePG takes it through \(field)") }
            return nil
        }
    }

    /// The names of `parameters` the `Pooler` webhook refuses.
    public static func refusedPgBouncerParameters(_ parameters: [String: String]) -> [String] {
        parameters.keys.filter { !allowedPgBouncerParameters.contains($0) }.sorted()
    }
}
