import Foundation
import Testing
import TopologyCompiler

/// The registry comparison fails when an object is not what the registry says: a relation created
/// before the apply under a name the script uses makes `IF NOT EXISTS` skip the script's object
/// (the apply still succeeds) or makes PostgreSQL pick another name for a serial sequence.
@Suite("name registry against the catalog", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct NameRegistryTests {
    static let topology = """
        topology: shop
        postgres: 15
        clusters:
          main: { members: 1 }
        tables:
          orders:
            columns: { id: bigserial, day: date, total: numeric }
            primary_key: id
        views:
          daily:
            materialized: true
            query: SELECT day, sum(total) AS total FROM orders GROUP BY day
            unique_key: [day]

        """

    @Test("a clean apply holds every registered object; squatted names are reported")
    func squattedNamesAreReported() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.topology) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            let database = try #require(deployment.plan.databases.first)
            try await deployment.createDatabase(database.name)
            let clean = try await deployment.apply(database, to: database.name)
            #expect(clean.status == 0 && clean.stderr.isEmpty, "\(clean.stderr)")
            let none = try await RegistryCatalogCheck(deployment: deployment, database: database, actual: database.name).missing()
            #expect(none.isEmpty, "\(none)")

            // The same script on a database where two of its names are already taken by tables.
            let squatted = "s_\(database.name)"
            try await deployment.createDatabase(squatted)
            try await deployment.psql.check(
                "CREATE TABLE public.orders_id_seq (x integer); CREATE TABLE public.daily_day_key (x integer)",
                database: squatted)
            let applied = try await deployment.apply(database, to: squatted)
            #expect(applied.status == 0, "the apply itself succeeds (IF NOT EXISTS): \(applied.stderr)")
            let missing = try await RegistryCatalogCheck(deployment: deployment, database: database, actual: squatted).missing()
            #expect(missing.contains("sequence public.orders.orders_id_seq"), "\(missing)")
            #expect(missing.contains("index public..daily_day_key"), "\(missing)")
            #expect(missing.count == 2, "\(missing)")
        }
    }
}
