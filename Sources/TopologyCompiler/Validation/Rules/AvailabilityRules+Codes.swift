/// The codes of the high-availability and CAP rules (THA3xx).
extension DiagnosticCode {
    /// Patroni's timing breaks its own rule or minimums.
    public static let patroniTimingInvalid = DiagnosticCode(
        code: "THA301", slug: "patroni-timing-invalid", defaultSeverity: .error,
        summary:
            "Patroni's ttl, loop_wait and retry_timeout must satisfy loop_wait + 2 x retry_timeout <= ttl and Patroni's minimums.",
        explanation: """
            Patroni documents that loop_wait + 2 x retry_timeout must not exceed ttl, and that the \
            smallest values it accepts are ttl 20s, loop_wait 1s and retry_timeout 3s. Otherwise a \
            leader that retries a slow DCS for retry_timeout twice can lose its leader key while it \
            still believes it leads, and Patroni itself adjusts the values (raising a value below its \
            minimum, shrinking loop_wait or retry_timeout) with only a log warning, so the timing the \
            RTO was planned with is not the timing that runs. The rule checks the timing topoc \
            decides: the declared `failover` values, or, without a `failover` section, the values \
            derived from the RTO. Fix the values, or declare a `failover` section instead of letting \
            a short RTO derive the timing.
            """,
        source: "https://patroni.readthedocs.io/en/latest/dynamic_configuration.html")

    /// Strong consistency with asynchronous replicas.
    public static let strongConsistencyNeedsSynchronous = DiagnosticCode(
        code: "THA302", slug: "strong-consistency-needs-synchronous", defaultSeverity: .error,
        summary: "Strong consistency cannot be served by a cluster whose replicas replicate asynchronously.",
        explanation: """
            Strong consistency promises that every read sees every acknowledged write. topoc sends \
            every read of a strong cluster to the leader (its read-only frontend follows the leader, \
            like the read-write one), but an asynchronous failover may promote a standby that lacks \
            commits the old leader already acknowledged: after it, reads miss acknowledged writes. Patroni's synchronous mode only promotes a \
            standby that has every acknowledged commit. Use `replication: { mode: synchronous }`, or \
            promise a weaker consistency level.
            """,
        source: "https://patroni.readthedocs.io/en/latest/replication_modes.html")

    /// Session guarantees with asynchronous replicas do not survive a failover.
    public static let sessionConsistencyAcrossAsyncFailover = DiagnosticCode(
        code: "THA303", slug: "session-consistency-across-async-failover", defaultSeverity: .warning,
        summary: "Read-your-writes and causal consistency over asynchronous replicas break on failover.",
        explanation: """
            With read-your-writes or causal consistency topoc routes a session's reads to a replica \
            only once its replay position has reached the session's last commit, which keeps the \
            promise while the leader lives. An asynchronous failover, however, may promote a standby \
            that lacks the session's last acknowledged commits (up to maximum_lag_on_failover bytes, \
            plus what was written during the last ttl), and the session then no longer reads its own \
            writes. Use synchronous replication, or accept the window (a declared RPO above zero \
            states it) and suppress the rule on the cluster.
            """,
        source: "https://patroni.readthedocs.io/en/latest/replication_modes.html")

    /// An RPO of zero that the replication cannot deliver.
    public static let rpoZeroNeedsStrictSynchronous = DiagnosticCode(
        code: "THA304", slug: "rpo-zero-needs-strict-synchronous", defaultSeverity: .error,
        summary: "An RPO of zero needs synchronous replication with synchronous_mode_strict and at least one standby.",
        explanation: """
            `rpo: 0` promises that no acknowledged commit is ever lost. Asynchronous replication can \
            lose up to maximum_lag_on_failover bytes on failover; synchronous replication without \
            synchronous_mode_strict lets Patroni switch the primary to asynchronous commits when no \
            synchronous standby is available, and a failure in that window loses them; a single \
            member loses everything since the last backup with its disk. Use \
            `replication: { mode: synchronous }` with at least two members and leave `strict` unset \
            (topoc then sets it for rpo 0) or set it to true.
            """,
        source: "https://patroni.readthedocs.io/en/latest/replication_modes.html")

    /// Strict synchronous replication without a spare standby.
    public static let strictSynchronousBlocksWrites = DiagnosticCode(
        code: "THA305", slug: "strict-synchronous-blocks-writes", defaultSeverity: .warning,
        summary: "With synchronous_mode_strict and fewer than three members, one member down blocks every write.",
        explanation: """
            In strict synchronous mode Patroni never lets the primary commit without a synchronous \
            standby: when no standby is available, every write blocks until one returns. With two \
            members the only standby is that standby, so a single failure (or a standby restart for \
            maintenance) stops all writes. Add a third member so that another standby can take over, \
            or accept the stall and suppress the rule on the cluster.
            """,
        source: "https://patroni.readthedocs.io/en/latest/replication_modes.html")

    /// Asynchronous replicas without a declared RPO.
    public static let asynchronousFailoverNeedsRPO = DiagnosticCode(
        code: "THA306", slug: "asynchronous-failover-needs-rpo", defaultSeverity: .warning,
        summary: "An asynchronous failover can lose acknowledged commits, so the topology must declare an RPO above zero.",
        explanation: """
            Patroni promotes an asynchronous standby whose lag is within maximum_lag_on_failover; \
            the commits it has not received are lost. Patroni documents the worst case as \
            maximum_lag_on_failover bytes of WAL plus what was written during the last ttl seconds. \
            Declaring `guarantees.rpo` states how much loss the deployment accepts, so that the \
            promise is written down and other rules can check it. Declare the RPO, or use synchronous \
            replication.
            """,
        source: "https://patroni.readthedocs.io/en/latest/replication_modes.html")

    /// More synchronous standbys asked for than the cluster has.
    public static let synchronousCountExceedsStandbys = DiagnosticCode(
        code: "THA307", slug: "synchronous-count-exceeds-standbys", defaultSeverity: .error,
        summary: "sync_count cannot exceed the standbys of the cluster (members - 1).",
        explanation: """
            Patroni's synchronous_node_count is how many standbys must confirm each commit; a cluster \
            of N members has N - 1 standbys. Members tagged nofailover can still be synchronous \
            standbys, so every standby counts. topoc would clamp the value to the standbys there are, \
            so the declared durability is not what runs. Lower `sync_count` or add members.
            """,
        source: "https://patroni.readthedocs.io/en/latest/replication_modes.html")

    /// "CA" on something replicated or sharded.
    public static let caRequiresSingleNode = DiagnosticCode(
        code: "THA308", slug: "ca-requires-single-node", defaultSeverity: .error,
        summary: "The CAP choice CA is only possible for a single server: not with replicas, shards or multiple primaries.",
        explanation: """
            A network partition cannot be ruled out between servers, so a deployment of more than \
            one server must choose what to give up when one happens: consistency (AP) or \
            availability (CP). Patroni with a DCS quorum is CP: a primary cut off from the quorum \
            demotes itself. Multi-primary groups keep accepting writes on both sides, which is AP. \
            Declare `partition: CP` or `partition: AP`; CA only describes a single server.
            """,
        source: "https://patroni.readthedocs.io/en/latest/dcs_failsafe_mode.html")

    /// A multi-primary group without a conflict policy.
    public static let multiPrimaryNeedsConflictPolicy = DiagnosticCode(
        code: "THA309", slug: "multi-primary-needs-conflict-policy", defaultSeverity: .error,
        summary: "A multi-primary group must say how conflicting writes to one row are resolved.",
        explanation: """
            When several clusters accept writes and replicate to each other, two of them can change \
            the same row concurrently; PostgreSQL's logical replication has no built-in resolution \
            (an apply conflict stops the subscription until someone resolves it by hand). Declare \
            `conflict:` (last-write-wins, first-write-wins, version-vector, crdt or application) so \
            that the generated replication resolves conflicts the way the application expects.
            """,
        source: "https://www.postgresql.org/docs/15/logical-replication-conflicts.html")

    /// Last-write-wins with strong consistency.
    public static let lastWriteWinsContradictsStrong = DiagnosticCode(
        code: "THA310", slug: "last-write-wins-contradicts-strong", defaultSeverity: .error,
        summary: "Last-write-wins silently discards acknowledged writes, which strong consistency forbids.",
        explanation: """
            Under last-write-wins the version with the later timestamp replaces the other when two \
            primaries changed a row concurrently: the losing write was acknowledged to its client and \
            is then gone, and reads on either side saw different values in between. That contradicts \
            strong consistency (every read sees every acknowledged write). Promise eventual \
            consistency, or use a single primary with synchronous replication.
            """,
        source: "https://www.postgresql.org/docs/15/logical-replication-conflicts.html")

    /// Multi-primary without choosing AP.
    public static let multiPrimaryExpectsAP = DiagnosticCode(
        code: "THA311", slug: "multi-primary-expects-ap", defaultSeverity: .warning,
        summary: "A multi-primary group keeps writing on both sides of a partition, which is the AP choice.",
        explanation: """
            Primaries that each accept writes and replicate asynchronously to each other stay \
            available during a network partition and diverge, to be reconciled by the conflict \
            policy afterwards: that is availability over consistency (AP). Declaring CP promises \
            that a cut-off side refuses writes, which a multi-primary group does not do. Declare \
            `partition: AP`, or use a single primary.
            """,
        source: "https://www.postgresql.org/docs/15/logical-replication.html")

    /// An RTO shorter than Patroni can fail over in.
    public static let rtoBelowFailoverTime = DiagnosticCode(
        code: "THA312", slug: "rto-below-failover-time", defaultSeverity: .error,
        summary: "The declared RTO is shorter than Patroni's failure detection: ttl + loop_wait.",
        explanation: """
            Patroni starts a failover when the leader key expires, up to ttl after the leader last \
            renewed it, and a replica notices within one loop_wait; promotion comes on top. A declared \
            RTO below ttl + loop_wait of the decided timing cannot be met in the worst case. Shorten \
            `failover.ttl` and `loop_wait` (keeping loop_wait + 2 x retry_timeout <= ttl and ttl >= \
            20s), or declare the RTO the timing delivers.
            """,
        source: "https://patroni.readthedocs.io/en/latest/dynamic_configuration.html")

    /// Synchronous replication between regions.
    public static let synchronousAcrossRegions = DiagnosticCode(
        code: "THA313", slug: "synchronous-across-regions", defaultSeverity: .warning,
        summary: "Synchronous replication between members in different regions adds a cross-region round trip to every commit.",
        explanation: """
            In synchronous mode a commit returns only after a synchronous standby has confirmed the \
            WAL (flushed), which takes at least one network round trip \
            to that standby. When the standby Patroni picks runs in another region, every commit \
            waits for the inter-region round-trip time (the `regions.<name>.rtt` the topology \
            declares). Keep synchronous standbys in the leader's region and replicate to other \
            regions asynchronously, or accept the latency and suppress the rule on the cluster.
            """,
        source: "https://www.postgresql.org/docs/15/warm-standby.html#SYNCHRONOUS-REPLICATION")
}
