/// Backups on the kubernetes target: the `Cluster`'s `backup` section (Barman Cloud to an
/// object store: WAL archiving and base backups, with the retention as a recovery window) and a
/// `ScheduledBackup` per cluster at the topology's full-backup interval.
///
/// This is CloudNativePG 1.30's in-tree Barman Cloud integration (`barmanObjectStore`), which
/// the pinned CRDs validate; the operator deprecates it for the Barman Cloud plugin and removes
/// it in 1.31 (docs/kubernetes.md). Credentials are named, never written: the Secret holds the
/// keys ``s3Keys``, ``gcsKey`` or ``azureKeys``.
enum BackupManifest {
    /// The keys of an S3 credentials Secret (access key id, secret access key).
    static let s3Keys = ("ACCESS_KEY_ID", "ACCESS_SECRET_KEY")
    /// The key of a Google Cloud Storage credentials Secret (the service account's JSON).
    static let gcsKey = "gcsCredentials"
    /// The keys of an Azure credentials Secret (storage account, storage key).
    static let azureKeys = ("AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY")

    /// `spec.backup` of a `Cluster`.
    static func clusterBackup(_ backup: PlanObjectStoreBackup) -> DeployYAML {
        var store: [(String, DeployYAML)] = [("destinationPath", .string(backup.destination))]
        if let endpoint = backup.endpoint { store.append(("endpointURL", .string(endpoint))) }
        store.append(credentials(backup))
        return .mapping([("barmanObjectStore", .mapping(store)), ("retentionPolicy", .string(backup.retentionPolicy))])
    }

    /// The credentials field of the store: keys of the named Secret, or the pod's cloud identity
    /// when no Secret is named.
    static func credentials(_ backup: PlanObjectStoreBackup) -> (String, DeployYAML) {
        func key(_ name: String, _ key: String) -> DeployYAML { .mapping([("name", .string(name)), ("key", .string(key))]) }
        switch (backup.kind, backup.secret) {
        case (.s3, let secret?):
            return ("s3Credentials", .mapping([("accessKeyId", key(secret, s3Keys.0)), ("secretAccessKey", key(secret, s3Keys.1))]))
        case (.s3, nil): return ("s3Credentials", .mapping([("inheritFromIAMRole", .bool(true))]))
        case (.gcs, let secret?): return ("googleCredentials", .mapping([("applicationCredentials", key(secret, gcsKey))]))
        case (.gcs, nil): return ("googleCredentials", .mapping([("gkeEnvironment", .bool(true))]))
        case (.azure, let secret?):
            return (
                "azureCredentials", .mapping([("storageAccount", key(secret, azureKeys.0)), ("storageKey", key(secret, azureKeys.1))])
            )
        case (.azure, nil): return ("azureCredentials", .mapping([("inheritFromAzureAD", .bool(true))]))
        }
    }

    /// The `ScheduledBackup` of a cluster, or nil when full backups are not scheduled or the
    /// topology has no backups: a base backup at the full-backup interval, the first one as soon
    /// as the object is created (`immediate`), owned by the `ScheduledBackup`.
    static func scheduledBackup(_ cluster: PlanCluster, plan: Plan, namespace: String) -> KubernetesObject? {
        guard let backup = plan.kubernetes?.backup, let schedule = backup.schedule else { return nil }
        return KubernetesObject(
            apiVersion: KubernetesObject.cnpg, kind: "ScheduledBackup", name: "\(cluster.name)-full", namespace: namespace,
            body: [
                (
                    "spec",
                    .mapping([
                        ("cluster", .mapping([("name", .string(cluster.name))])), ("schedule", .string(schedule)),
                        ("method", .string("barmanObjectStore")), ("immediate", .bool(true)),
                        ("backupOwnerReference", .string("self")),
                    ])
                )
            ])
    }
}
