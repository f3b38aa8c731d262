extension Plan {
    /// Whether `cluster` has a read-only pool: the topology declares one and the cluster has
    /// replicas (on Kubernetes, the cluster's `-pooler-ro` Pooler).
    public func hasReadOnlyPooler(_ cluster: PlanCluster) -> Bool {
        pooler.readOnlyPoolSize != nil && cluster.members.count > 1
    }

    /// The pooler that serves `cluster`'s databases: the one PgBouncer on local and compose, the
    /// cluster's own read-write Pooler on Kubernetes.
    public func pooler(of cluster: PlanCluster) -> (host: String, port: Int) {
        guard target == .kubernetes else { return (pooler.host, pooler.port) }
        return (kubernetesPoolerHost(cluster, readOnly: false), 5432)
    }

    /// Where `cluster`'s read-only pools are reached: PgBouncer on local and compose (pools named
    /// `<pool>_ro`), the cluster's `-pooler-ro` Pooler on Kubernetes, `nil` when it has none there.
    public func readOnlyPooler(of cluster: PlanCluster) -> (host: String, port: Int)? {
        guard target == .kubernetes else { return (pooler.host, pooler.port) }
        return hasReadOnlyPooler(cluster) ? (kubernetesPoolerHost(cluster, readOnly: true), 5432) : nil
    }

    private func kubernetesPoolerHost(_ cluster: PlanCluster, readOnly: Bool) -> String {
        KubernetesNames.serviceHost(
            KubernetesNames.pooler(cluster: cluster.name, readOnly: readOnly),
            namespace: namespace ?? KubernetesNames.namespace(topology: topology))
    }
}
