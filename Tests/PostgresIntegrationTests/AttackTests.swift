import Foundation
import Testing
import TopologyCompiler

/// The attack suite (issue 11, item 8): every example deployed on a real PostgreSQL 15, every
/// login role of its plan connected as itself, trying what the role model forbids (``AttackSuite``
/// lists the attacks), while the positive path proves each role still does its job.
///
/// Not covered here, because one server cannot hold them: the second cluster of a multi-primary
/// group (its database has the same name and the same script; replication between two servers is
/// `MultiPrimaryReplicationTests`), databases of other clusters reached from a cluster (every
/// database of the plan is on this one server, so a role's CONNECT is checked per database
/// instead), and `cron.sql` (pg_cron jobs run in the `postgres` database as the superuser;
/// `CronTests`).
@Suite("attacks on every example's roles", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct AttackTests {
    /// The tallies of the examples run so far, for the total line.
    actor Totals {
        var tally = AttackTally()
        var examples = 0

        func add(_ other: AttackTally) -> (AttackTally, Int) {
            tally.merge(other)
            examples += 1
            return (tally, examples)
        }
    }

    static let totals = Totals()

    @Test("every login role is refused what the role model forbids, and can do its job", arguments: TestPlans.exampleNames)
    func example(_ name: String) async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: name) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            // A multi-primary group's clusters hold a database of the same name with the same
            // script: one server deploys it once.
            var seen = Set<String>()
            let databases = deployment.plan.databases.filter { seen.insert($0.name).inserted }
            for database in databases {
                guard try await deployment.deploy(database) else { return }
            }
            let tally = try await AttackSuite(deployment: deployment, databases: databases).run()
            let example = name.replacingOccurrences(of: ".yaml", with: "")
            print(
                "ATTACK-RESULT \(example): \(tally.refused) attacks refused, \(tally.succeeded.count) succeeded; \(tally.positivePassed) positive checks (\(tally.realRows) real rows), \(tally.positiveFailed.count) failed; \(tally.catalogPassed) catalog checks"
            )
            for note in tally.notes.prefix(20) { print("ATTACK-NOTE \(example): \(note)") }
            for attack in tally.succeeded { Issue.record("\(example): attack not refused as expected: \(attack)") }
            for check in tally.positiveFailed { Issue.record("\(example): positive check failed: \(check)") }
            for step in tally.setupFailed { Issue.record("\(example): setup failed: \(step)") }
            #expect(tally.refused > 0 && tally.positivePassed > 0 && tally.catalogPassed > 0)
            let (total, count) = await Self.totals.add(tally)
            if count == TestPlans.exampleNames.count {
                print(
                    "ATTACK-RESULT total (\(count) examples): \(total.refused) attacks refused, \(total.succeeded.count) succeeded; \(total.positivePassed) positive checks (\(total.realRows) real rows), \(total.positiveFailed.count) failed; \(total.catalogPassed) catalog checks"
                )
            }
        }
    }
}
