/// What the kubernetes target (CloudNativePG) cannot deploy (TKS001-TKS006, docs/kubernetes.md).
extension Planner {
    /// Reports, for the kubernetes target only, every part of the plan the operator would refuse
    /// or could not run: names that are not Kubernetes names, settings it fixes, statement
    /// pooling, PgBouncer parameters its webhook refuses, pg_cron and pg_partman, and a required
    /// watchdog.
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
            for refused in CNPGLimits.refusedParameters(cluster.settings) {
                context.report(
                    .kubernetesFixedParameter, "cluster '\(cluster.name)' sets '\(refused.name)': \(refused.reason)",
                    at: location)
            }
        }
        if topology.pooling.mode.value == .statement {
            context.report(
                .kubernetesStatementPooling,
                "a CloudNativePG Pooler pools in session or transaction mode only; use mode: transaction for the kubernetes target",
                at: topology.pooling.mode.location)
        }
        for name in CNPGLimits.refusedPgBouncerParameters(PoolerManifest.parameters(plan.pooler, readOnly: false)) {
            context.report(
                .kubernetesPgBouncerParameter, "the Pooler would need PgBouncer parameter '\(name)', which CloudNativePG refuses",
                at: topology.pooling.location ?? topology.name.location)
        }
        checkKubernetesExtensions()
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
