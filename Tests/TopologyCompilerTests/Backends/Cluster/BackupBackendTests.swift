import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

@Suite("Backends: backup (pgBackRest)")
struct BackupBackendTests {
    /// The small cluster topology with a backup section.
    static func plan(target: DeploymentTarget, backup: String = "backup: { retention: { full: 14d } }\n") throws -> Plan {
        let text = ClusterBackendSupport.topology() + backup
        return try #require(PlanTestSupport.plan(text, target: target))
    }

    static func artifacts(_ plan: Plan) -> [String: String] {
        var result = ClusterBackendSupport.artifacts(plan)
        for artifact in BackupBackend().artifacts(for: plan) { result[artifact.path] = String(decoding: artifact.contents, as: UTF8.self) }
        return result
    }

    @Test func noBackupSectionWritesNothingAndLeavesArchivingOff() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .local))
        #expect(BackupBackend().artifacts(for: plan).isEmpty)
        let patroni = ClusterBackendSupport.artifacts(plan).first { $0.key.hasSuffix("main-1.yml") }?.value ?? ""
        #expect(!patroni.contains("archive"))
        #expect(patroni.contains("create_replica_methods:\n    - basebackup"))
    }

    @Test func theStanzaNamesEveryMemberAndTheRetention() throws {
        let plan = try Self.plan(target: .local)
        let conf = try #require(Self.artifacts(plan)["cluster/pgbackrest/main/pgbackrest.conf"])
        #expect(conf.contains("repo1-retention-full-type=time\nrepo1-retention-full=14\n"))
        #expect(conf.contains("\n[main]\npg1-path="))
        for (index, member) in plan.clusters[0].members.enumerated() {
            #expect(conf.contains("pg\(index + 1)-port=\(member.port)\n"))
            #expect(conf.contains("pg\(index + 1)-user=pgbackrest\n"))
        }
        #expect(conf.contains("compress-type=lz4") && conf.contains("process-max=2") && conf.contains("start-fast=y"))
    }

    /// Each member archives and restores as itself; new replicas come from the repository first.
    @Test func patroniArchivesWithTheMembersOwnDataDirectory() throws {
        let plan = try Self.plan(target: .local)
        let artifacts = Self.artifacts(plan)
        for member in plan.clusters[0].members {
            let text = try #require(artifacts[ClusterLayout.patroniPath(cluster: "main", member: member.name)])
            let yaml = try #require(ClusterBackendSupport.pyyaml(text))
            let data = ClusterLayout.localPath(member.dataDirectory)
            let archive = ClusterBackendSupport.dig(yaml, "postgresql", "parameters", "archive_command") as? String
            #expect(archive?.contains("'--pg1-path=\(data)' archive-push \"%p\"") == true, "\(archive ?? "none")")
            #expect(archive?.hasPrefix("'/usr/bin/pgbackrest' '--config=") == true)
            let restore = ClusterBackendSupport.dig(yaml, "postgresql", "recovery_conf", "restore_command") as? String
            #expect(restore?.hasSuffix("'--pg1-path=\(data)' archive-get %f \"%p\"") == true)
            #expect(ClusterBackendSupport.dig(yaml, "postgresql", "create_replica_methods") as? [String] == ["pgbackrest", "basebackup"])
            let method = ClusterBackendSupport.dig(yaml, "postgresql", "pgbackrest") as? [String: Any]
            #expect((method?["command"] as? String)?.hasSuffix("--delta --type=standby restore") == true)
            #expect(method?["no_params"] as? Bool == true && method?["keep_data"] as? Bool == true)
            let parameters = ClusterBackendSupport.dig(yaml, "bootstrap", "dcs", "postgresql", "parameters") as? [String: Any]
            #expect(parameters?["archive_mode"] as? String == "on")
            #expect(parameters?["archive_timeout"] as? String == "60s")
            let hba = ClusterBackendSupport.dig(yaml, "postgresql", "pg_hba") as? [String]
            #expect(hba?.contains("local postgres pgbackrest peer map=topoc_backup") == true)
            #expect(ClusterBackendSupport.dig(yaml, "postgresql", "pg_ident") as? [String] == ["topoc_backup postgres pgbackrest"])
        }
    }

    /// archive_mode needs a restart: the dynamic-config patch marks it.
    @Test func archiveModeIsMarkedRestartInThePatch() throws {
        let plan = try Self.plan(target: .local)
        let patch = try #require(Self.artifacts(plan)[PatroniDynamicConfig.yamlPath(cluster: "main")])
        #expect(patch.contains("archive_mode: \"on\"  # restart") || patch.contains("archive_mode: on  # restart"), "\(patch)")
    }

    @Test func theBackupRoleGetsOnlyTheBackupFunctions() throws {
        let plan = try Self.plan(target: .local)
        let script = try #require(Self.artifacts(plan)[ClusterLayout.postBootstrapPath(cluster: "main")])
        #expect(script.contains("GRANT pg_read_all_settings TO \"pgbackrest\""))
        #expect(
            script.contains(
                "GRANT EXECUTE ON FUNCTION pg_catalog.pg_backup_start(text, boolean), pg_catalog.pg_backup_stop(boolean), pg_catalog.pg_switch_wal(), pg_catalog.pg_create_restore_point(text) TO \"pgbackrest\""
            ))
        #expect(script.contains("CREATE ROLE \"pgbackrest\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS"))
    }

    /// The timers are valid systemd units (systemd-analyze verify, where installed) and run backup.sh, which /bin/sh parses.
    @Test func theScheduleIsSystemdTimersThatRunBackupSh() throws {
        let plan = try Self.plan(target: .local, backup: "backup: { schedule: { incr: hourly } }\n")
        let artifacts = Self.artifacts(plan)
        let timers = artifacts.keys.filter { $0.hasSuffix(".timer") }.sorted()
        #expect(
            timers.map { ($0 as NSString).lastPathComponent } == [
                "topoc-backup-main-diff.timer", "topoc-backup-main-full.timer", "topoc-backup-main-incr.timer",
            ])
        #expect(artifacts["cluster/pgbackrest/main/topoc-backup-main-full.timer"]?.contains("OnCalendar=Sun *-*-* 01:00:00") == true)
        #expect(artifacts["cluster/pgbackrest/main/topoc-backup-main-incr.timer"]?.contains("OnCalendar=*-*-* *:40:00") == true)
        let script = try #require(artifacts[BackupSchedulePaths.scriptPath(cluster: "main")])
        let parsed = Subprocess.run(["/bin/sh", "-n", ClusterBackendSupport.write(script, name: "backup.sh")], environment: [:])
        #expect(parsed.status == 0, "\(parsed.error)")
        let refused = Subprocess.run(["/bin/sh", ClusterBackendSupport.write(script, name: "backup.sh"), "full; reboot"], environment: [:])
        #expect(refused.status == 2 && refused.error.contains("usage"))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for (path, text) in artifacts where path.hasSuffix(".timer") || path.hasSuffix(".service") {
            let url = folder.appendingPathComponent((path as NSString).lastPathComponent)
            try text.write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let verify = Subprocess.run(["/usr/bin/systemd-analyze", "verify"] + paths.sorted(), environment: ["PATH": "/usr/bin:/bin"])
        // verify complains about the script path (absent here) but not about the units' syntax.
        let problems = (verify.output + verify.error).split(separator: "\n").filter {
            !$0.contains("backup.sh") && !$0.contains("is not executable") && !$0.isEmpty
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func composeMountsTheRepositoryVolumeAndInstallsPgBackRest() throws {
        let plan = try Self.plan(target: .compose)
        let artifacts = Self.artifacts(plan)
        let conf = try #require(artifacts["cluster/pgbackrest/main/pgbackrest.conf"])
        #expect(conf.contains("repo1-path=/var/lib/pgbackrest\n"))
        #expect(conf.contains("pg1-port=5432\n") && !conf.contains("pg2-"))
        let compose = try #require(artifacts[ClusterLayout.composePath])
        #expect(compose.contains("pgbackrest-repo:/var/lib/pgbackrest"))
        #expect(compose.contains("./pgbackrest/main/pgbackrest.conf:/etc/topoc/pgbackrest/main/pgbackrest.conf:ro"))
        let dockerfile = try #require(artifacts[ClusterLayout.dockerfilePath])
        #expect(dockerfile.contains("pgbackrest="))
    }
}
