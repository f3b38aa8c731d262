import Foundation
import Testing

@testable import TopologyCompiler

/// LockBudget: max_locks_per_transaction follows the size of the generated DDL.
@Suite("lock budget")
struct LockBudgetTests {
    /// A topology of one cluster with `tables` tables of two indexes each.
    static func topology(tables: Int, settings: String = "") -> String {
        var text = "topology: many\npostgres: 15\nclusters:\n  main:\n    members: 1\n\(settings)tables:\n"
        for index in 0..<tables {
            text += "  t\(index):\n    columns: { id: bigint, v: text }\n    primary_key: id\n    indexes: [{ columns: v }]\n"
        }
        return text
    }

    @Test func smallTopologiesKeepPostgresDefault() throws {
        let plan = try #require(PlanTestSupport.plan(Self.topology(tables: 10)))
        #expect(plan.clusters[0].settings["max_locks_per_transaction"] == nil)
        for example in try PlanTestSupport.exampleNames() {
            let plan = try #require(try PlanTestSupport.plan(example: example))
            #expect(plan.clusters.allSatisfy { $0.settings["max_locks_per_transaction"] == nil }, "\(example)")
        }
    }

    /// 2,000 tables of two indexes (about 10,000 relations, beyond the 6,400 entries of a default
    /// server's lock table): the setting leaves twice the script's locks in max_connections x it.
    @Test func twoThousandTablesRaiseTheSetting() throws {
        let plan = try #require(PlanTestSupport.plan(Self.topology(tables: 2000)))
        let database = try #require(plan.databases.first)
        let locks = LockBudget.locks(of: database, in: plan)
        #expect(locks >= 2000 * 5)
        let setting = try #require(plan.clusters[0].settings["max_locks_per_transaction"].flatMap { Int($0) })
        #expect(setting * 100 >= 2 * locks)
        #expect(setting > LockBudget.defaultMaxLocksPerTransaction)
    }

    @Test func aPinnedValueTooSmallIsAnError() throws {
        let pinned = Self.topology(tables: 2000, settings: "    settings: { max_locks_per_transaction: 64 }\n")
        let diagnostics = PlanTestSupport.diagnostics(pinned)
        let error = try #require(diagnostics.first { $0.code.code == "TPC050" })
        #expect(error.message.contains("needs max_locks_per_transaction"))
        #expect(error.location.line == 6)
        let enough = Self.topology(tables: 2000, settings: "    settings: { max_locks_per_transaction: 4096 }\n")
        let plan = try #require(PlanTestSupport.plan(enough))
        #expect(plan.clusters[0].settings["max_locks_per_transaction"] == "4096")
    }
}
