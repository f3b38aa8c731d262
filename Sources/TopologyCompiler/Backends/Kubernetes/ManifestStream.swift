/// The kubernetes manifests of one plan, made as the PostgreSQL scripts their schema `ConfigMap`s
/// carry are made (``PostgresBackend/render(_:batchSize:deliver:shared:cluster:)``) and handed on
/// in batches: the `Namespace` first, then each shared script's `ConfigMap`s, each as soon as it
/// is filled, then each cluster's objects once its scripts are made, then the clusters that hold
/// no database. Only one cluster's scripts and one shared script (16 MB at 4,096 shards, held once
/// for both backends) are held at a time, not the 50 MB of scripts of 4,096 shard clusters.
struct ManifestStream {
    private let plan: Plan
    private let namespace: String
    private let producer: String
    private var batch: ArtifactBatch
    /// The clusters by name, and their databases.
    private let clusters: [String: PlanCluster]
    private let databasesByCluster: [String: [PlanDatabase]]
    /// The shared script each database script includes, by script path.
    private var includes: [String: String] = [:]
    /// The shared scripts' `ConfigMap`s (names only once written), by shared script path.
    private var shared: [String: SchemaVolumePart] = [:]
    /// The clusters whose objects are made.
    private var made = Set<String>()

    /// Starts the manifests of `plan` with its `Namespace`, handing them to `deliver` in batches
    /// of about `batchSize` bytes.
    init(plan: Plan, producer: String, batchSize: Int, deliver: @escaping ([Artifact]) -> Void) {
        self.plan = plan
        self.producer = producer
        namespace = plan.namespace ?? KubernetesNames.namespace(topology: plan.topology)
        batch = ArtifactBatch(size: batchSize, deliver: deliver)
        clusters = Dictionary(plan.clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        databasesByCluster = ClusterLayout.databasesByCluster(plan)
        append("", KubernetesObject(apiVersion: "v1", kind: "Namespace", name: namespace, namespace: nil, body: []))
    }

    /// Adds the `ConfigMap`s of the shared script at `path`, whose text's UTF-8 bytes are
    /// `contents`, included by the scripts at `includedBy`: each handed on as it is filled, and
    /// not kept (the clusters' Jobs mount them by name and join their parts).
    mutating func addShared(path: String, contents: [UInt8], includedBy: [String]) {
        for script in includedBy { includes[script] = path }
        shared[path] = SchemaJobManifest.sharedVolume(path: path, contents: contents) { configMap in
            append("schema", SchemaJobManifest.configMap(configMap, namespace: namespace))
        }
    }

    /// Adds the objects of the cluster `name`, whose databases' scripts are `scripts`; a cluster
    /// the plan does not have, or one already added, adds nothing.
    mutating func addCluster(named name: String, scripts: SchemaScripts) {
        guard let cluster = clusters[name], made.insert(name).inserted else { return }
        let databases = databasesByCluster[name] ?? []
        append("clusters", ClusterManifest.object(cluster, plan: plan, namespace: namespace, databases: databases))
        if let scheduled = BackupManifest.scheduledBackup(cluster, plan: plan, namespace: namespace) {
            append("backups", scheduled)
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
        for entry in objects { append(entry.folder, entry.object) }
    }

    /// Adds the clusters not added yet (those without databases), in plan order, and hands on
    /// the last batch.
    mutating func finish() {
        for cluster in plan.clusters { addCluster(named: cluster.name, scripts: SchemaScripts([])) }
        batch.flush()
    }

    /// Adds `object` as `kubernetes/<folder>/<kind>-<name>.yaml`.
    private mutating func append(_ folder: String, _ object: KubernetesObject) {
        let file = "\(object.kind.lowercased())-\(object.name).yaml"
        let root = KubernetesBackend.root
        let path = folder.isEmpty ? "\(root)/\(file)" : "\(root)/\(folder)/\(file)"
        batch.append(Artifact(path: path, contents: object.text(plan: plan, namespace: namespace), producer: producer))
    }
}
