/// The topologies the cluster suite runs: one cluster of a primary and two replicas with tight
/// Patroni timing (ttl 10 / loop_wait 2 / retry_timeout 4), synchronous strict (rpo 0) or
/// asynchronous, with a logical CDC slot. Ports in 30000-40000.
enum TestTopologies {
    /// The suppression of THA301: Patroni 3.0.2 runs ttl 10 as given.
    static let tightTimingSuppression = """
            suppress:
              - rule: THA301
                reason: >-
                  Patroni 3.0.2 (Debian 12) runs ttl 10 / loop_wait 2 / retry_timeout 4 as given
                  (loop_wait + 2 x retry_timeout <= ttl holds); failovers take about ten seconds.
        """

    /// TBK701 silenced, for topologies with a non-zero RPO whose suites test something else than
    /// backups (ClusterBackupTests proves them).
    static let noBackupsRule = "TBK701: off"

    /// The secrets section: every password from a variable named after the topology.
    static func secrets(_ name: String) -> String {
        let upper = name.uppercased()
        return """
            secrets:
              superuser: { env: \(upper)_PG_SUPERUSER_PASSWORD }
              replication: { env: \(upper)_PG_REPLICATION_PASSWORD }
              app: { env: \(upper)_PG_APP_PASSWORD }
              rest_api: { env: \(upper)_PATRONI_API_PASSWORD }
            """
    }

    /// The head of a topology whose suite tests day-two operations, not guarantees: version,
    /// name, PostgreSQL 15, eventual consistency with a relaxed RPO/RTO, and the secrets.
    static func dayTwoHeader(_ name: String) -> String {
        """
        version: 1
        topology: \(name)
        postgres: 15
        guarantees:
          consistency: eventual
          partition: CP
          rpo: 1d
          rto: 4h
        \(secrets(name))
        """
    }

    /// A topology of one 3-member cluster.
    static func topology(
        name: String, basePort: Int, synchronous: Bool, tight: Bool = true, clusters: [String] = ["main"], backup: String? = nil
    ) -> String {
        // rpo 5s needs something to restore from (TBK701): the backup suite declares a section, the others silence the rule.
        let backupSection = backup.map { "backup: \($0)" } ?? (synchronous ? "" : "rules: { \(noBackupsRule) }")
        let replication =
            synchronous ? "{ mode: synchronous, sync_count: 1, strict: true }" : "{ mode: asynchronous, max_lag_on_failover: 1MB }"
        let failover = tight ? "{ ttl: 10s, loop_wait: 2s, retry_timeout: 4s, watchdog: off }" : "{ watchdog: off }"
        let guarantees =
            synchronous
            ? "consistency: read-your-writes\n  partition: CP\n  rpo: 0\n  rto: 30s"
            : "consistency: eventual\n  partition: CP\n  rpo: 5s\n  rto: \(tight ? "30s" : "60s")"
        var clusterText = ""
        for cluster in clusters {
            clusterText += """
                  \(cluster):
                    members: 3
                    replication: \(replication)
                    failover: \(failover)
                    settings: { max_connections: 100 }

                """
            if tight { clusterText += tightTimingSuppression + "\n" }
        }
        var vertical = ""
        if clusters.count > 1 {
            vertical = """
                    vertical:
                      extra: { columns: [note], database: \(name)_extra, cluster: \(clusters[1]) }

                """
        }
        return """
            version: 1
            topology: \(name)
            postgres: 15
            guarantees:
              \(guarantees)
            \(secrets(name))
            clusters:
            \(clusterText)
            pooling:
              mode: transaction
              max_client_conn: 200
              read_write: { pool_size: 10, reserve: 2 }
              read_only: { pool_size: 10 }
            tables:
              events:
                columns:
                  event_id: bigint
                  body: text
                  note: text
                primary_key: event_id
              # What the failover tests write through PgBouncer as the application role.
              failover_probe:
                columns:
                  id: bigint
                  port: { type: integer, nullable: false }
                  at: { type: timestamptz, nullable: false, default: clock_timestamp() }
                primary_key: id
            \(vertical)
            cdc:
              publication: \(name)_events
              slot: \(name)_events_debezium
              plugin: pgoutput
              # The consumer topoc creates the permanent slot for (its connector is not run here).
              sink: { topic_prefix: \(name), snapshot_mode: no_data }
              tables:
                events: { method: logical }
            \(backupSection)
            deployment:
              local:
                base_port: \(basePort + ClusterHarness.portOffset)

            """
    }

    /// Shared-schema tenancy behind a transaction pool of one server connection, so that every
    /// client's transactions run on the same PostgreSQL backend: two members, asynchronous.
    static func tenancy(name: String, basePort: Int) -> String {
        return """
            version: 1
            topology: \(name)
            postgres: 15
            guarantees:
              consistency: eventual
              partition: CP
              rpo: 5s
              rto: 30s
            \(secrets(name))
            clusters:
              main:
                members: 2
                replication: { mode: asynchronous, max_lag_on_failover: 1MB }
                failover: { ttl: 10s, loop_wait: 2s, retry_timeout: 4s, watchdog: automatic }
                settings: { max_connections: 100 }
            \(tightTimingSuppression)
            pooling:
              mode: transaction
              max_client_conn: 100
              read_write: { pool_size: 1, reserve: 0 }
              read_only: { pool_size: 1 }
            tenancy:
              mode: shared-schema
              column: tenant_id
              column_type: text
              app_role: \(name)_app
              tenants: [acme, globex]
            tables:
              notes:
                columns:
                  tenant_id: { type: text, nullable: false }
                  note_id: bigint
                  body: text
                primary_key: [tenant_id, note_id]
            # Logical capture without a sink: a publication and no slot (TCD214).
            cdc:
              publication: \(name)_notes
              tables: { notes: logical }
            rules:
              # The suite proves the per-transaction pattern this note asks for.
              TPB501: off
              \(noBackupsRule)
            deployment:
              local:
                base_port: \(basePort + ClusterHarness.portOffset)

            """
    }

    /// A multi-primary group of two clusters (a leader and a replica each) on PostgreSQL 16 from
    /// `bin`, last-write-wins on `updated_at`.
    static func multiPrimary(name: String, basePort: Int, bin: String) -> String {
        return """
            version: 1
            topology: \(name)
            postgres: 16
            regions: [us-east, eu-west]
            guarantees:
              consistency: eventual
              partition: AP
              rpo: 5s
              rto: 30s
            \(secrets(name))
            clusters:
              east:
                members: 2
                region: us-east
                replication: { mode: asynchronous, max_lag_on_failover: 1MB }
                failover: { ttl: 10s, loop_wait: 2s, retry_timeout: 4s, watchdog: off }
            \(tightTimingSuppression)
              west:
                members: 2
                region: eu-west
                replication: { mode: asynchronous, max_lag_on_failover: 1MB }
                failover: { ttl: 10s, loop_wait: 2s, retry_timeout: 4s, watchdog: off }
            \(tightTimingSuppression)
            multi_primary:
              both:
                clusters: [east, west]
                conflict: last-write-wins
                timestamp_column: updated_at
            pooling:
              mode: transaction
              max_client_conn: 100
              read_write: { pool_size: 5 }
              read_only: { pool_size: 5 }
            tables:
              notes:
                columns:
                  note_id: bigint
                  body: text
                  updated_at: { type: timestamptz, nullable: false, default: now() }
                primary_key: note_id
            rules: { \(noBackupsRule) }
            deployment:
              local:
                base_port: \(basePort + ClusterHarness.portOffset)
                postgres_bin: \(bin)

            """
    }
}
