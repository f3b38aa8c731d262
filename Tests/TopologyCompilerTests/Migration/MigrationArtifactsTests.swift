import Foundation
import Testing

@testable import TopologyCompiler

/// `topoc migrate`'s files: cron.sql where the pg_cron jobs change, and only there.
struct MigrationArtifactsTests {
    static let schedule = "    refresh: { schedule: \"@hourly\" }\n"

    static func plans(_ edit: (String) -> String) throws -> (old: Plan, new: Plan) {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("timeseries-range.yaml"), encoding: .utf8)
        #expect(text.contains(schedule))
        let old = try #require(PlanTestSupport.plan(text))
        let new = try #require(PlanTestSupport.plan(edit(text)))
        return (old, new)
    }

    static func paths(_ old: Plan, _ new: Plan) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: MigrationArtifacts.artifacts(old: old, new: new, allowDestructive: false).map {
                ($0.path, String(decoding: $0.contents, as: UTF8.self))
            })
    }

    @Test func aDroppedScheduleWritesCronSQLThatKeepsTheOtherJobs() throws {
        let (old, new) = try Self.plans { $0.replacingOccurrences(of: Self.schedule, with: "") }
        let files = Self.paths(old, new)
        let cluster = try #require(new.databases.first?.cluster)
        let cron = try #require(files["sql/\(cluster)/cron.sql"], "\(files.keys.sorted())")
        #expect(!cron.contains("refresh_device_last_day"), "the dropped job is not scheduled again")
        #expect(cron.contains("partman_maintenance"), "pg_partman's job is kept")
        #expect(cron.contains("PERFORM cron.unschedule(stale.jobid)"))
        #expect(files["MIGRATION.md"]?.contains("-f sql/\(cluster)/cron.sql") == true)
    }

    @Test func aChangedScheduleWritesCronSQLAndNoChangeWritesNone() throws {
        let (old, new) = try Self.plans {
            $0.replacingOccurrences(of: Self.schedule, with: "    refresh: { schedule: \"*/5 * * * *\" }\n")
        }
        #expect(Self.paths(old, new).keys.contains { $0.hasSuffix("/cron.sql") })
        let (same, again) = try Self.plans { $0 }
        #expect(!Self.paths(same, again).keys.contains { $0.hasSuffix("/cron.sql") })
    }

    /// A cluster left without jobs gets a script that only unschedules (no `CREATE EXTENSION`,
    /// nothing done where pg_cron is not installed).
    @Test func noJobLeftGivesAnUnscheduleOnlyScript() throws {
        let text = try String(contentsOf: PlanTestSupport.exampleURL("primary-replicas.yaml"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("refresh: { schedule:") })
        let old = try #require(PlanTestSupport.plan(text))
        let new = try #require(PlanTestSupport.plan(text.replacingOccurrences(of: line + "\n", with: "")))
        let scripts = MigrationArtifacts.cronScripts(old: old, new: new)
        #expect(scripts.count == 1)
        let script = try #require(scripts.first?.contents)
        #expect(!script.contains("CREATE EXTENSION"))
        #expect(!script.contains("cron.schedule_in_database"))
        #expect(script.contains("IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN"))
    }
}
