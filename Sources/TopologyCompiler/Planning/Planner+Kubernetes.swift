/// What the kubernetes target (CloudNativePG) cannot deploy (TKS001, TKS003, TKS005-TKS007; docs/kubernetes.md).
extension Planner {
    /// Reports, for the kubernetes target only, every part of the plan the operator would refuse
    /// or could not run: names that are not Kubernetes names, statement pooling, pg_cron and
    /// pg_partman, a required watchdog, and backups without an object store.
    func checkKubernetesTarget(_ plan: Plan) {
        guard target == .kubernetes else { return }
        let namespace = KubernetesNames.namespace(topology: plan.topology)
        if !KubernetesNames.isLabel(namespace) {
            context.report(
                .kubernetesName,
                "topology name '\(plan.topology)' gives namespace '\(namespace)', which is not a Kubernetes name (lowercase letters, digits and '-', at most 63)",
                at: topology.name.location)
        }
        for cluster in plan.clusters {
            let declared = topology.clusters.first { $0.name.value == cluster.template }
            let location = declared?.name.location ?? topology.name.location
            if !KubernetesNames.isLabel(cluster.name, maxLength: KubernetesNames.maxClusterNameLength) {
                context.report(
                    .kubernetesName,
                    "cluster '\(cluster.name)' cannot name a CloudNativePG Cluster: use lowercase letters, digits and '-', at most \(KubernetesNames.maxClusterNameLength) characters",
                    at: location)
            }
        }
        if topology.pooling.mode.value == .statement {
            context.report(
                .kubernetesStatementPooling,
                "a CloudNativePG Pooler pools in session or transaction mode only; use mode: transaction for the kubernetes target",
                at: topology.pooling.mode.location)
        }
        checkKubernetesExtensions()
        if let backup = topology.backup, topology.deployment.kubernetes.backupRepository == nil {
            context.report(
                .kubernetesBackupRepository,
                "CloudNativePG backs up to an object store, not to a pgBackRest folder: declare one under deployment.kubernetes.backup_repository (kind: s3, gcs or azure)",
                at: backup.repositoryPath?.location ?? backup.repositoryKind?.location ?? backup.location)
        }
        for cluster in topology.clusters where cluster.failover.watchdog.value == .required {
            context.report(
                .kubernetesWatchdog,
                "cluster '\(cluster.name.value)' requires a watchdog, which CloudNativePG does not have; use watchdog: automatic to accept its fencing",
                at: cluster.failover.watchdog.location)
        }
    }

    /// pg_cron (scheduled refreshes) and pg_partman (premade partitions), which CloudNativePG's
    /// standard images lack.
    private func checkKubernetesExtensions() {
        for view in topology.views {
            guard let schedule = view.refreshSchedule else { continue }
            context.report(
                .kubernetesExtensionUnavailable,
                "view '\(view.name.value)' refreshes on a schedule through pg_cron, which CloudNativePG's standard images do not carry",
                at: schedule.location)
        }
        for table in topology.tables {
            guard let partman = table.partitioning?.partman else { continue }
            context.report(
                .kubernetesExtensionUnavailable,
                "table '\(table.name.value)' has partitions premade by pg_partman, which CloudNativePG's standard images do not carry",
                at: partman.premake.location)
        }
    }
}
