/// The codes of the sharding rules (TSH4xx).
extension DiagnosticCode {
    /// A unique key of a sharded table without the shard key.
    public static let uniqueKeyWithoutShardKey = DiagnosticCode(
        code: "TSH401", slug: "unique-key-without-shard-key", defaultSeverity: .error,
        summary: "A primary key or unique constraint of a sharded table must include the shard key column.",
        explanation: """
            Each shard is a separate PostgreSQL database, and a unique index only sees the rows of \
            its own database. A key that includes the shard key column is unique everywhere, because \
            equal keys always land on the same shard; any other key is only unique per shard, so \
            two shards can hold the same value and the constraint silently promises more than it \
            checks. This is the same restriction PostgreSQL puts on partitioned tables. Add the \
            shard key column to the key, or enforce global uniqueness elsewhere (a reference table \
            of claimed values).
            """,
        source: "https://www.postgresql.org/docs/15/ddl-partitioning.html#DDL-PARTITIONING-DECLARATIVE-LIMITATIONS")

    /// A foreign key that crosses shards.
    public static let foreignKeyAcrossShards = DiagnosticCode(
        code: "TSH402", slug: "foreign-key-across-shards", defaultSeverity: .error,
        summary: "A foreign key must stay within one shard: between co-located tables on the shard key, or to a reference table.",
        explanation: """
            PostgreSQL checks a foreign key inside one database. Between two sharded tables the \
            referenced row is on the same shard only when both tables are in the same co-location \
            group and the foreign key maps the referencing table's shard key to the referenced \
            table's shard key. A reference table is copied to every shard, so sharded tables may \
            reference it, but a reference table cannot reference a sharded table: the referenced row \
            exists on one shard only and the copies on every other shard fail the check. Co-locate \
            the tables and key the foreign key on the shard key, or drop the constraint and check \
            the reference in the application.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-constraints.html#DDL-CONSTRAINTS-FK")

    /// A shard key column whose type differs from the sharding key type.
    public static let shardKeyTypeMismatch = DiagnosticCode(
        code: "TSH403", slug: "shard-key-type-mismatch", defaultSeverity: .error,
        summary: "Every sharded table's shard key column must have the sharding key_type.",
        explanation: """
            Rows are placed by hashing (or comparing) the shard key with the function of \
            `sharding.key_type`: PostgreSQL hashes smallint, integer, bigint and text with different \
            functions (hashint2extended, hashint4extended, hashint8extended, hashtextextended), so \
            the same value typed differently lands on a different shard, and co-located rows drift \
            apart. Give the column the key type (serial types count as their integer type, varchar \
            as text) or change `key_type`.
            """,
        source: "https://www.postgresql.org/docs/15/sql-createtable.html")

    /// Range shards with gaps or overlaps.
    public static let rangeShardsIncomplete = DiagnosticCode(
        code: "TSH404", slug: "range-shards-incomplete", defaultSeverity: .error,
        summary: "Range shards must cover the whole key space without overlapping.",
        explanation: """
            Range shards hold half-open ranges [from, to); a missing `from` is minus infinity and a \
            missing `to` plus infinity. A key in a gap has no shard, so inserting it fails; a key in \
            two ranges has two shards, so lookups disagree about where it lives. topoc checks the \
            ranges with the same RangeMap the router uses. Make each range start where the previous \
            one ends, and leave the first range without `from` and the last without `to`.
            """,
        source: "https://www.postgresql.org/docs/15/sql-createtable.html")

    /// A region without a shard.
    public static let regionWithoutShard = DiagnosticCode(
        code: "TSH405", slug: "region-without-shard", defaultSeverity: .error,
        summary: "Geographic and composite sharding must give every declared region at least one shard.",
        explanation: """
            Geographic and composite sharding place a row by the region in its region column. A \
            region the topology declares but the sharding map omits has no shard, so rows of that \
            region cannot be inserted. List the region under `sharding.regions`, or remove it from \
            the topology's regions.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-partitioning.html")

    /// A geographic shard template that pins members to a region.
    public static let shardMembersPinnedToRegion = DiagnosticCode(
        code: "TSH406", slug: "shard-members-pinned-to-region", defaultSeverity: .warning,
        summary: "Members of a geographic or composite shard template should take the shard's region, not a fixed one.",
        explanation: """
            Every shard of geographic or composite sharding runs the template cluster; a member \
            without a region runs in the shard's region. A member that names a region runs there for \
            every shard, so one region's data is copied to (or led from) another region, which \
            defeats the latency and data-residency reasons for sharding by region. Remove the \
            member's `region` (and the cluster's), or suppress the rule on the cluster when a \
            cross-region copy is intended.
            """,
        source: "https://patroni.readthedocs.io/en/latest/ha_multi_dc.html")

    /// Too few virtual nodes on a consistent-hash ring.
    public static let ringImbalance = DiagnosticCode(
        code: "TSH407", slug: "ring-imbalance", defaultSeverity: .warning,
        summary: "The consistent-hash ring has too few virtual nodes: its fullest shard owns over 1.25 times the mean share.",
        explanation: """
            On a consistent-hash ring each shard owns the arcs that end at its virtual nodes; with \
            few virtual nodes the arcs vary widely, and the fullest shard receives far more keys \
            than the mean (its share deviates by about 1/sqrt(virtual_nodes)). topoc builds the \
            exact rings the plan uses (the tokens of shards s0, s1, ..., or one ring per region for \
            composite sharding) and measures the largest shard's share of the 2^64 positions \
            against the mean; above 1.25 the fullest shard needs a quarter more capacity than \
            planned. Raise `virtual_nodes`: the default 150 stays below 1.25 up to a few hundred \
            shards. The rings measured are those of the topology's `token_placement`: a `balanced` \
            ring gives every shard the same share within about one token's share, so a few \
            virtual nodes suffice (16 shards with 4 each stay below the limit); it places every \
            token anew, so choose it before the ring holds data (`topoc rebalance` shows what \
            switching would move).
            """,
        source: "https://dl.acm.org/doi/10.1145/258533.258660")

    /// hash-modulo moves most keys when the shard count changes.
    public static let hashModuloResharding = DiagnosticCode(
        code: "TSH408", slug: "hash-modulo-resharding", defaultSeverity: .note,
        summary: "With hash-modulo, changing the shard count moves most keys.",
        explanation: """
            hash-modulo places a key on shard hash(key) mod N. Going from N to N + 1 shards keeps a \
            key in place only when both remainders agree, about 1/(N + 1) of the keys: the other \
            N/(N + 1) move, so resharding copies nearly all data. consistent-hash and jump-hash move \
            about 1/(N + 1) instead. This is fine for a shard count that will not change; otherwise \
            choose jump-hash or consistent-hash before the first deployment.
            """,
        source: "https://arxiv.org/abs/1406.2294")
}
