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

    /// A group of `clusters` clusters of `members` members each, with optional settings.
    static func group(clusters: Int, members: Int, settings: String = "") -> String {
        let names = (0..<clusters).map { "c\($0)" }
        let declared = names.map { "  \($0): { members: \(members)\(settings.isEmpty ? "" : ", settings: { \(settings) }") }" }
        return """
            topology: mesh
            postgres: 16
            guarantees: { partition: AP }
            clusters:
            \(declared.joined(separator: "\n"))
            multi_primary:
              mesh:
                clusters: [\(names.joined(separator: ", "))]
                conflict: application
            tables:
              items: { columns: { id: bigint }, primary_key: id }

            """
    }

    @Test func membersNeedASlotAndASenderPerPeer() throws {
        // 4 peers + 5 standbys = 9 <= 10.
        try F.expectNothing(.multiPrimaryReplicationCapacity, in: Self.group(clusters: 5, members: 6))
        // 4 peers + 7 standbys = 11 > 10: slots and senders, on every one of the 5 clusters.
        let crowded = Self.group(clusters: 5, members: 8)
        let found = try F.expect(
            .multiPrimaryReplicationCapacity, in: crowded, at: "c0:", count: 10,
            message: "cluster 'c0' of multi-primary group 'mesh' needs 11 replication slots (4 peer subscriptions + 7 for standbys)")
        F.expectNote(found[0], at: "mesh:", in: crowded)
        // Raised limits are read, and reported at the setting.
        try F.expectNothing(
            .multiPrimaryReplicationCapacity,
            in: Self.group(clusters: 5, members: 8, settings: "max_replication_slots: 12, max_wal_senders: 12"))
        let low = Self.group(clusters: 3, members: 2, settings: "max_replication_slots: 2")
        try F.expect(.multiPrimaryReplicationCapacity, in: low, at: "2 } }", count: 3, message: "more than max_replication_slots 2")
    }
}
