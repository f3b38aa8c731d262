import Testing

@testable import TopologyCompiler

/// `suppress` on the tenancy, sharding and pooling sections and on a multi-primary group silences
/// that section's rules, and an entry that silences nothing is reported (TPC040) as on any object.
@Suite("Rules: suppressions on sections")
struct SectionSuppressionTests {
    /// The codes `topoc validate` reports for a text.
    private func codes(_ text: String) -> [String] {
        PlanTestSupport.diagnostics(text).map(\.code.code)
    }

    private func suppress(_ codes: String..., indent: String) -> String {
        "\(indent)suppress:\n" + codes.map { "\(indent)  - { rule: \($0), reason: accepted for this test }\n" }.joined()
    }

    private func topology(sharding: String = "", pooling: String = "", tenancy: String = "", group: String = "") -> String {
        """
        topology: sections
        postgres: 16
        guarantees: { partition: AP }
        clusters:
          main: { members: 2 }
          peer: { members: 1 }
          shard: { members: 1 }
        multi_primary:
          both:
            clusters: [main, peer]
            conflict: crdt
        \(group)
        sharding:
          key: tenant_key
          key_type: bigint
          strategy: consistent-hash
          shards: 8
          virtual_nodes: 2
          cluster: shard
          reference: [plans]
        \(sharding)
        pooling:
          mode: transaction
        \(pooling)
        tenancy:
          mode: shared-schema
          column: tenant_id
          column_type: bigint
          shared_tables: [plans]
          tenants: [a]
        \(tenancy)
        tables:
          plans: { columns: { id: bigint }, primary_key: id }
          notes:
            columns: { tenant_key: bigint, tenant_id: bigint, id: bigint }
            primary_key: [tenant_key, tenant_id, id]
          logs:
            columns: { tenant_key: bigint, tenant_id: bigint, line: text }

        """
    }

    @Test func eachSectionSilencesItsOwnRules() {
        let plain = codes(topology())
        let expected = ["TSH407", "TPB501", "TTN604", "THA314", "THA315"]
        for code in expected {
            #expect(plain.contains(code), "the fixture triggers \(code): \(plain)")
        }
        let silenced = codes(
            topology(
                sharding: suppress("TSH407", indent: "  "), pooling: suppress("TPB501", indent: "  "),
                tenancy: suppress("TTN604", indent: "  "), group: suppress("THA314", "THA315", indent: "    ")))
        for code in expected {
            #expect(!silenced.contains(code), "\(code) is suppressed by its section: \(silenced)")
        }
        #expect(!silenced.contains("TPC040"), "every entry silenced something: \(silenced)")
    }

    @Test func anEntryThatSilencesNothingIsReported() {
        let unused = codes(topology(pooling: suppress("TTN604", indent: "  ")))
        #expect(unused.contains("TTN604"), "a tenancy rule is not silenced by the pooling section")
        #expect(unused.contains("TPC040"))
    }
}
