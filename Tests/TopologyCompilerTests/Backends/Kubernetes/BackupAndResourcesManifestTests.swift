import Testing

@testable import TopologyCompiler

/// The kubernetes target's storage, resources and backups: defaults, declared values and how a
/// topology's retention and schedule become CloudNativePG's.
@Suite("kubernetes storage, resources and backups")
struct BackupAndResourcesManifestTests {
    private static let base = """
        topology: shop
        clusters:
          main: { members: 2, settings: { shared_buffers: 2GB } }
        tables:
          orders:
            columns: { id: bigint }
            primary_key: id

        """

    private func plan(_ text: String) throws -> Plan {
        let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .kubernetes)
        return try #require(compiled.plan, "\(compiled.diagnostics.map(\.rendered))")
    }

    private func cluster(_ text: String) throws -> String {
        let plan = try plan(text)
        let artifact = try #require(KubernetesBackend().artifacts(for: plan).first { $0.path.hasSuffix("clusters/cluster-main.yaml") })
        return String(decoding: artifact.contents, as: UTF8.self)
    }

    @Test func defaultsFollowSharedBuffers() throws {
        let text = try cluster(Self.base)
        #expect(text.contains("storage:\n    size: \"10Gi\"\n  resources:"))
        #expect(text.contains("requests:\n      cpu: \"1\"\n      memory: \"8192Mi\"\n    limits:\n      memory: \"8192Mi\""))
        #expect(!text.contains("backup:"))
    }

    @Test func declaredValuesReachTheCluster() throws {
        let text = try cluster(
            Self.base
                + "deployment:\n  kubernetes:\n    storage: { size: 50Gi, class: fast-ssd }\n    resources: { cpu: 1500m, memory: 12Gi, cpu_limit: \"4\", memory_limit: 16Gi }\n"
        )
        #expect(text.contains("storage:\n    size: \"50Gi\"\n    storageClass: fast-ssd"))
        #expect(
            text.contains("requests:\n      cpu: \"1500m\"\n      memory: \"12Gi\"\n    limits:\n      cpu: \"4\"\n      memory: \"16Gi\""))
    }

    /// A memory limit below the derived request caps the request (the pod would be refused).
    @Test func aDeclaredLimitCapsTheDerivedRequest() throws {
        let text = try cluster(Self.base + "deployment:\n  kubernetes:\n    resources: { memory_limit: 4Gi }\n")
        #expect(text.contains("memory: \"4Gi\"\n    limits:\n      memory: \"4Gi\""), "\(text)")
    }

    @Test(arguments: [
        ("backup: {}\n", "14d", "0 0 1 * * 0"),  // two weekly full backups
        ("backup: { retention: { full: 3 }, schedule: { full: daily } }\n", "3d", "0 0 1 * * *"),
        ("backup: { retention: { full: 30d }, schedule: { full: monthly } }\n", "30d", "0 0 1 1 * *"),
        ("backup: { retention: { full: 2 }, recovery_window: 21d }\n", "21d", "0 0 1 * * 0"),
        ("backup: { retention: { full: 5 }, schedule: { full: hourly } }\n", "1d", "0 0 * * * *"),
    ])
    func retentionAndSchedule(_ backup: String, _ retention: String, _ cron: String) throws {
        let store =
            "deployment:\n  kubernetes:\n    backup_repository: { kind: s3, destination: s3://shop-pg, endpoint: http://minio:9000, secret: shop-s3 }\n"
        let plan = try plan(Self.base + backup + store)
        let planned = try #require(plan.kubernetes?.backup)
        #expect(planned.retentionPolicy == retention)
        #expect(planned.schedule == cron)
        let artifacts = KubernetesBackend().artifacts(for: plan)
        let scheduled = try #require(artifacts.first { $0.path == "kubernetes/backups/scheduledbackup-main-full.yaml" })
        #expect(String(decoding: scheduled.contents, as: UTF8.self).contains("schedule: \"\(cron)\""))
        let text = try cluster(Self.base + backup + store)
        #expect(text.contains("endpointURL: \"http://minio:9000\""))
        #expect(text.contains("retentionPolicy: \"\(retention)\""))
    }

    @Test func noScheduledBackupWithoutFullBackups() throws {
        let store =
            "deployment:\n  kubernetes:\n    backup_repository: { kind: azure, destination: https://acct.blob.core.windows.net/pg }\n"
        let plan = try plan(Self.base + "backup: { schedule: { full: off } }\n" + store)
        #expect(plan.kubernetes?.backup?.schedule == nil)
        #expect(!KubernetesBackend().artifacts(for: plan).contains { $0.path.contains("backups/") })
        #expect(try cluster(Self.base + "backup: { schedule: { full: off } }\n" + store).contains("inheritFromAzureAD: true"))
    }

    /// The other targets do not read `deployment.kubernetes` and plan nothing of it.
    @Test func otherTargetsIgnoreIt() throws {
        let text = Self.base + "deployment:\n  kubernetes:\n    storage: { size: 50Gi }\n"
        let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .local)
        #expect(compiled.plan?.kubernetes == nil)
    }
}
