/// Small topologies written for the behaviour tests.
enum TestTopologies {
    /// The sections every topology needs, with one three-member cluster named `main`.
    static func base(name: String, regions: [String] = []) -> String {
        var text = """
            version: 1
            topology: \(name)
            postgres: 15

            """
        if !regions.isEmpty {
            text += "regions:\n"
            for region in regions {
                let others = regions.filter { $0 != region }.map { "\($0): 50ms" }.joined(separator: ", ")
                text += "  \(region):\n    rtt: { \(others) }\n"
            }
        }
        text += """
            guarantees:
              consistency: read-your-writes
              partition: CP
              rpo: 0
              rto: 60s
              max_staleness: 5s
            secrets:
              superuser: { env: T_PG_SUPERUSER_PASSWORD }
              replication: { env: T_PG_REPLICATION_PASSWORD }
              app: { env: T_PG_APP_PASSWORD }
              rest_api: { env: T_PATRONI_API_PASSWORD }
            clusters:
              main:
                members: 3
                replication: { mode: synchronous, sync_count: 1, strict: true }
                failover: { ttl: 20s, loop_wait: 5s, retry_timeout: 5s }
                # PgBouncer pools per (database, user): room for tenants' roles and vertical databases (TPB504).
                settings: { max_connections: 300 }
            pooling:
              mode: transaction
              max_client_conn: 500
              read_write: { pool_size: 5 }
              read_only: { pool_size: 5 }

            """
        return text
    }

    /// A sharded topology with one table `items` keyed by `k` of `keyType`.
    ///
    /// - Parameter sharding: the strategy's own lines (`strategy: ...`, `shards: ...`), indented two spaces.
    static func sharded(name: String, keyType: String, sharding: String, regions: [String] = []) -> String {
        base(name: name, regions: regions) + """
            sharding:
              key: k
              key_type: \(keyType)
              cluster: main
            \(sharding)
            tables:
              items:
                columns:
                  k: \(keyType)
                  region: { type: text, nullable: false }
                  payload: text
                primary_key: [k]

            """
    }
}
