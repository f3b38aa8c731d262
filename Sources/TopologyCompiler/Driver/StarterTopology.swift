/// The commented starter topology `topoc init` writes. It is embedded in the binary so that
/// `topoc` works wherever it is copied; a test proves it validates.
public enum StarterTopology {
    /// The file name `topoc init` writes by default, also the name the build plugin looks for.
    public static let defaultFileName = "topology.yaml"

    /// The starter file's text.
    public static let text = """
        # topoc topology: one file describes the whole PostgreSQL deployment.
        # Reference: docs/topology.md. Check it with `topoc validate topology.yaml`,
        # see what it resolves to with `topoc plan topology.yaml`, and build the
        # artifacts with `topoc build topology.yaml -o generated`.
        version: \(LanguageVersion.newest)
        topology: app                  # lowercase; used in database and service names
        postgres: 15

        guarantees:
          consistency: read-your-writes  # strong | read-your-writes | causal | eventual
          partition: CP                  # CP | AP under a network partition
          rpo: 0                         # lose no acknowledged commit
          rto: 30s
          max_staleness: 5s              # replicas serving reads may lag this much

        secrets:                         # environment variable names only, never values
          superuser: { env: APP_PG_SUPERUSER_PASSWORD }
          replication: { env: APP_PG_REPLICATION_PASSWORD }
          app: { env: APP_PG_APP_PASSWORD }
          rest_api: { env: APP_PATRONI_API_PASSWORD }

        clusters:
          main:
            members: 3                   # one primary and two replicas
            replication:
              mode: synchronous
              sync_count: 1
              strict: true
            failover:                    # a failover takes up to ttl + loop_wait (25s < rto)
              ttl: 20s
              loop_wait: 5s
              retry_timeout: 5s

        pooling:
          mode: transaction
          max_client_conn: 500
          read_write: { pool_size: 15 }  # per (database, user): (15 + 15) x 3 users + 3 <= 100
          read_only: { pool_size: 15 }

        tables:
          users:
            columns:
              id: bigint
              email: { type: text, nullable: false }
              created_at: { type: timestamptz, nullable: false, default: now() }
            primary_key: [id]
            unique: [[email]]

        # Scale out later by adding, for example:
        # sharding:
        #   key: user_id
        #   key_type: bigint
        #   strategy: consistent-hash
        #   shards: 16
        #   virtual_nodes: 150
        #   # token_placement: balanced is version 2's default: every shard the same share
        #   cluster: main

        """
}
