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

    /// How many bytes of manifests gather before they are handed on (``render(for:input:deliver:)``):
    /// the 160 MB of manifests of 4,096 shard clusters go to a staged build in batches, not at once.
    static let batchSize = 1 << 20

    /// Hands on the manifests for `plan`, whose schema ConfigMaps carry `input`, the PostgreSQL
    /// backend's scripts for the same plan: the namespace and the shared schema ConfigMaps, then
    /// each cluster's objects as they are made, in batches of about ``batchSize`` bytes.
    func render(for plan: Plan, input: [Artifact], deliver: ([Artifact]) -> Void) {
        render(for: plan, input: input, batchSize: Self.batchSize, deliver: deliver)
    }

    /// ``render(for:input:deliver:)`` in batches of about `batchSize` bytes.
    func render(for plan: Plan, input: [Artifact], batchSize: Int, deliver: ([Artifact]) -> Void) {
        guard needsInput(for: plan) else { return }
        let namespace = plan.namespace ?? KubernetesNames.namespace(topology: plan.topology)
        withoutActuallyEscaping(deliver) { deliver in
            var batch = ArtifactBatch(size: batchSize, deliver: deliver)
            objects(for: plan, namespace: namespace, input: input) { folder, object in
                let file = "\(object.kind.lowercased())-\(object.name).yaml"
                let path = folder.isEmpty ? "\(Self.root)/\(file)" : "\(Self.root)/\(folder)/\(file)"
                batch.append(Artifact(path: path, contents: object.text(plan: plan, namespace: namespace), producer: name))
            }
            batch.flush()
        }
    }

    /// Calls `body` with each object for `plan` in `namespace` and the folder it goes in, in order.
    private func objects(
        for plan: Plan, namespace: String, input: [Artifact], _ body: (_ folder: String, _ object: KubernetesObject) -> Void
    ) {
        let scripts = SchemaScripts(input)
        let includes = PostgresBackend.includes(plan)
        var shared = SchemaJobManifest.sharedVolumes(scripts: scripts, includes: includes)
        body("", KubernetesObject(apiVersion: "v1", kind: "Namespace", name: namespace, namespace: nil, body: []))
        for path in shared.keys.sorted() {
            for configMap in shared[path]?.configMaps ?? [] {
                body("schema", SchemaJobManifest.configMap(configMap, namespace: namespace))
            }
        }
        // Written: the clusters' Jobs mount these ConfigMaps by name and join their parts, so
        // their texts (the shared shard script, 16 MB at 4,096 shards) need not stay.
        shared = shared.mapValues(\.withoutTexts)
        let databasesByCluster = ClusterLayout.databasesByCluster(plan)
        for cluster in plan.clusters {
            let databases = databasesByCluster[cluster.name] ?? []
            body("clusters", ClusterManifest.object(cluster, plan: plan, namespace: namespace, databases: databases))
            if let scheduled = BackupManifest.scheduledBackup(cluster, plan: plan, namespace: namespace) {
                body("backups", scheduled)
            }
            var objects: [(folder: String, object: KubernetesObject)] = []
            objects += PoolerManifest.objects(cluster, plan: plan, namespace: namespace).map { ("poolers", $0) }
            objects += DatabaseManifest.objects(cluster, plan: plan, namespace: namespace, databases: databases).map { ("databases", $0) }
            objects += PublicationManifest.objects(cluster, plan: plan, namespace: namespace).map { ("publications", $0) }
            objects += SubscriptionManifest.objects(cluster, plan: plan, namespace: namespace).map { ("subscriptions", $0) }
            let volume = SchemaJobManifest.volume(
                cluster, plan: plan, namespace: namespace, scripts: scripts, includes: includes, shared: shared,
                databases: databases)
            objects += SchemaJobManifest.configMaps(volume, namespace: namespace).map { ("schema", $0) }
            objects.append(("schema", SchemaJobManifest.job(cluster, plan: plan, namespace: namespace, volume: volume)))
            for entry in objects { body(entry.folder, entry.object) }
        }
    }
}
