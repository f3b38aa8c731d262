/// What the kubernetes target writes beyond the shared plan: each instance's volume and
/// resources, and where backups go, every default resolved (docs/kubernetes.md).
public struct PlanKubernetes: Sendable, Codable, Equatable {
    /// The volume size of each instance.
    public var storageSize: String
    /// The StorageClass, or nil for the Kubernetes cluster's default.
    public var storageClass: String?
    /// The CPU request of each instance.
    public var cpu: String
    /// The memory request of each instance, or nil for four times the cluster's
    /// `shared_buffers`, at least 1Gi (``ClusterManifest/memoryMiB(_:)``).
    public var memory: String?
    /// The CPU limit, or nil for none.
    public var cpuLimit: String?
    /// The memory limit, or nil for the memory request.
    public var memoryLimit: String?
    /// Backups to an object store, when the topology has a `backup:` section and an object store.
    public var backup: PlanObjectStoreBackup?

    /// The volume size when the topology says nothing.
    public static let defaultStorageSize = "10Gi"
    /// The CPU request when the topology says nothing.
    public static let defaultCPU = "1"
}

/// Backups through CloudNativePG's Barman Cloud integration: WAL archiving and base backups to
/// an object store.
public struct PlanObjectStoreBackup: Sendable, Codable, Equatable {
    /// `s3`, `gcs` or `azure`.
    public var kind: ObjectStoreKind
    /// The store's destination path (`s3://bucket/path`).
    public var destination: String
    /// An S3-compatible endpoint, if not AWS.
    public var endpoint: String?
    /// The Secret with the store's credentials, or nil for the pod's cloud identity.
    public var secret: String?
    /// CloudNativePG's `retentionPolicy` (a recovery window: `14d`).
    public var retentionPolicy: String
    /// The six-field cron schedule (seconds first) of the base backup, or nil when full
    /// backups are not scheduled (`schedule.full: off`).
    public var schedule: String?
}

extension Planner {
    /// The kubernetes target's storage, resources and backups, or nil for the other targets.
    func makeKubernetes(backup: PlanBackup?) -> PlanKubernetes? {
        guard target == .kubernetes else { return nil }
        let declared = topology.deployment.kubernetes
        var store: PlanObjectStoreBackup? = nil
        if let backup, let repository = declared.backupRepository {
            store = PlanObjectStoreBackup(
                kind: repository.kind.value, destination: repository.destination.value, endpoint: repository.endpoint?.value,
                secret: repository.secret?.value, retentionPolicy: "\(Self.retentionDays(backup))d",
                schedule: backup.schedule.first { $0.type == .full }.map { Self.cron($0.interval) })
        }
        return PlanKubernetes(
            storageSize: declared.storageSize?.value.text ?? PlanKubernetes.defaultStorageSize, storageClass: declared.storageClass?.value,
            cpu: declared.cpu?.value.text ?? PlanKubernetes.defaultCPU, memory: declared.memory?.value.text,
            cpuLimit: declared.cpuLimit?.value.text, memoryLimit: declared.memoryLimit?.value.text, backup: store)
    }

    /// The recovery window CloudNativePG keeps, in days: a time retention as declared; a count
    /// of N full backups as N full intervals (what N backups span at most, so no backup
    /// pgBackRest would keep is dropped sooner); never less than `recovery_window`, at least 1.
    static func retentionDays(_ backup: PlanBackup) -> Int64 {
        let day: Int64 = 86_400_000
        var days: Int64
        switch backup.retentionFullType {
        case .time:
            days = Int64(backup.retentionFull)
        case .count:
            let interval =
                backup.schedule.first { $0.type == .full }.flatMap(\.interval.span)
                ?? BackupInterval.weekly.span ?? TimeSpan(milliseconds: 7 * day)
            days = (Int64(backup.retentionFull) * interval.milliseconds + day - 1) / day
        }
        if let window = backup.recoveryWindow.flatMap(TimeSpan.init(parsing:)) {
            days = max(days, (window.milliseconds + day - 1) / day)
        }
        return max(days, 1)
    }

    /// The six-field cron (seconds, minutes, hours, day of month, month, day of week) of a full
    /// backup interval, at the times the other targets' timers use: 01:00, Sundays for weekly,
    /// the 1st for monthly, minute 0 for hourly.
    static func cron(_ interval: BackupInterval) -> String {
        switch interval {
        case .hourly: "0 0 * * * *"
        case .daily: "0 0 1 * * *"
        case .weekly: "0 0 1 * * 0"
        case .monthly: "0 0 1 1 * *"
        case .off: "0 0 1 * * 0"
        }
    }
}
