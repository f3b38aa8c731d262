/// Writes the CloudNativePG manifests of the kubernetes target under `kubernetes/`, one object
/// per file: the `Namespace`, and per physical cluster its `Cluster`, `Pooler`s, `Database`s,
/// `Publication`s, `Subscription`s, its `ScheduledBackup` when the topology has backups, and the `ConfigMap`s and `Job` that apply its
/// schema; the `ConfigMap`s of shared schema scripts once for the namespace.
///
/// Secrets are referenced by name and never written (docs/kubernetes.md lists the ones to
/// create). Every manifest validates against the operator's CRD schemas with unknown fields
/// refused (`scripts/check-cnpg.sh`); nothing here has run on a Kubernetes cluster.
public struct KubernetesBackend: DerivedBackend {
    /// The folder of the manifests.
    public static let root = "kubernetes"

    public init() {}

    public var name: String { "kubernetes" }
    public var summary: String {
        "kubernetes/: CloudNativePG Cluster, ScheduledBackup, Pooler, Database, Publication, Subscription, schema ConfigMap and Job (kubernetes target only)"
    }

    /// The manifests for `plan`, rendering the PostgreSQL backend's scripts for them (a build
    /// that writes those scripts too renders them once: ``ConcurrentRendering``); none, and
    /// nothing rendered, for another target.
    public func artifacts(for plan: Plan) -> [Artifact] {
        artifacts(for: plan, input: needsInput(for: plan) ? input.artifacts(for: plan) : [])
    }

    /// The PostgreSQL backend: its scripts are what the schema Jobs apply.
    var input: any Backend { PostgresBackend() }

    /// Only the kubernetes target has manifests.
    func needsInput(for plan: Plan) -> Bool {
        plan.target == .kubernetes
    }

    /// The manifests for `plan`, whose schema ConfigMaps carry `input`, the PostgreSQL backend's
    /// scripts for the same plan.
    func artifacts(for plan: Plan, input: [Artifact]) -> [Artifact] {
        guard needsInput(for: plan) else { return [] }
        let namespace = plan.namespace ?? KubernetesNames.namespace(topology: plan.topology)
        let scripts = Dictionary(
            input.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) }, uniquingKeysWith: { first, _ in first })
        let includes = PostgresBackend.includes(plan)
        let shared = SchemaJobManifest.sharedVolumes(scripts: scripts, includes: includes)
        var objects: [(folder: String, object: KubernetesObject)] = [
            ("", KubernetesObject(apiVersion: "v1", kind: "Namespace", name: namespace, namespace: nil, body: []))
        ]
        for path in shared.keys.sorted() {
            objects += (shared[path]?.configMaps ?? []).map { ("schema", SchemaJobManifest.configMap($0, namespace: namespace)) }
        }
        let databasesByCluster = ClusterLayout.databasesByCluster(plan)
        for cluster in plan.clusters {
            let databases = databasesByCluster[cluster.name] ?? []
            objects.append(("clusters", ClusterManifest.object(cluster, plan: plan, namespace: namespace, databases: databases)))
            if let scheduled = BackupManifest.scheduledBackup(cluster, plan: plan, namespace: namespace) {
                objects.append(("backups", scheduled))
            }
            objects += PoolerManifest.objects(cluster, plan: plan, namespace: namespace).map { ("poolers", $0) }
            objects += DatabaseManifest.objects(cluster, plan: plan, namespace: namespace, databases: databases).map { ("databases", $0) }
            objects += PublicationManifest.objects(cluster, plan: plan, namespace: namespace).map { ("publications", $0) }
            objects += SubscriptionManifest.objects(cluster, plan: plan, namespace: namespace).map { ("subscriptions", $0) }
            let volume = SchemaJobManifest.volume(
                cluster, plan: plan, namespace: namespace, scripts: scripts, includes: includes, shared: shared,
                databases: databases)
            objects += SchemaJobManifest.configMaps(volume, namespace: namespace).map { ("schema", $0) }
            objects.append(("schema", SchemaJobManifest.job(cluster, plan: plan, namespace: namespace, volume: volume)))
        }
        return objects.map { entry in
            let file = "\(entry.object.kind.lowercased())-\(entry.object.name).yaml"
            let path = entry.folder.isEmpty ? "\(Self.root)/\(file)" : "\(Self.root)/\(entry.folder)/\(file)"
            return Artifact(path: path, contents: entry.object.text(plan: plan, namespace: namespace), producer: name)
        }
    }
}
