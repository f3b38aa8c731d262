import Testing

@testable import TopologyCompiler

/// THA314-THA316: what the generated multi-primary replication needs from the topology.
@Suite("Rules: multi-primary replication")
struct MultiPrimaryRulesTests {
    typealias F = ClusterRuleFixture

    /// A two-cluster group replicating `items`.
    static func topology(
        postgres: Int = 16, conflict: String = "last-write-wins", timestamp: String? = "updated_at",
        stamped: String = "updated_at: timestamptz", key: String = "primary_key: id"
    ) -> String {
        """
        topology: carts
        postgres: \(postgres)
        guarantees: { partition: AP }
        clusters:
          us: { members: 1 }
          eu: { members: 1 }
        multi_primary:
          global:
            clusters: [us, eu]
            conflict: \(conflict)
        \(timestamp.map { "    timestamp_column: \($0)" } ?? "")
        tables:
          items:
            columns:
              id: bigint
              label: text
              \(stamped)
            \(key)

        """
    }

    @Test func tablesNeedTheTimestampColumnAndAPrimaryKey() throws {
        try F.expectNothing(.multiPrimaryTableRequirements, in: Self.topology())
        try F.expectNothing(.multiPrimaryTableRequirements, in: Self.topology(conflict: "crdt", timestamp: nil, stamped: "note: text"))

        let noColumn = Self.topology(stamped: "changed_at: timestamptz")
        let missing = try F.expect(.multiPrimaryTableRequirements, in: noColumn, at: "items:", message: "has no column 'updated_at'")
        F.expectNote(missing[0], at: "updated_at", in: noColumn)

        let wrongType = Self.topology(stamped: "updated_at: bigint")
        try F.expect(.multiPrimaryTableRequirements, in: wrongType, at: "bigint", occurrence: 2, message: "declare it timestamptz")

        let unnamed = Self.topology(timestamp: nil)
        try F.expect(.multiPrimaryTableRequirements, in: unnamed, at: "last-write-wins", message: "names no 'timestamp_column'")

        let keyless = Self.topology(conflict: "application", timestamp: nil, key: "")
        try F.expect(.multiPrimaryTableRequirements, in: keyless, at: "items:", message: "has no primary key")
    }

    @Test func policiesWithoutGeneratedResolutionAreWarned() throws {
        try F.expectNothing(.multiPrimaryConflictsUnresolved, in: Self.topology())
        try F.expectNothing(.multiPrimaryConflictsUnresolved, in: Self.topology(conflict: "first-write-wins"))
        for policy in ["crdt", "version-vector", "application"] {
            try F.expect(
                .multiPrimaryConflictsUnresolved, in: Self.topology(conflict: policy), at: policy,
                message: "topoc generates no conflict resolution for '\(policy)'")
        }
    }

    @Test func multiPrimaryNeedsPostgres16() throws {
        try F.expectNothing(.multiPrimaryNeedsPostgres16, in: Self.topology())
        try F.expectNothing(.multiPrimaryNeedsPostgres16, in: Self.topology(postgres: 17))
        let old = Self.topology(postgres: 15)
        let found = try F.expect(.multiPrimaryNeedsPostgres16, in: old, at: "global:", message: "needs PostgreSQL 16 or later")
        F.expectNote(found[0], at: "15", in: old)
    }
}
