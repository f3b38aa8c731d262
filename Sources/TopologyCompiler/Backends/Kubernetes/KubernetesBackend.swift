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

    /// The manifests for `plan`, rendering the PostgreSQL backend's scripts for them without
    /// handing those on (a build that writes the scripts too renders them once:
    /// ``ConcurrentRendering``); none, and nothing rendered, for another target.
    public func artifacts(for plan: Plan) -> [Artifact] {
        var artifacts: [Artifact] = []
        render(for: plan, deliverInput: { _ in }, deliver: { artifacts += $0 })
        return artifacts
    }

    /// The PostgreSQL backend: its scripts are what the schema Jobs apply.
    var input: any Backend { PostgresBackend() }

    /// Only the kubernetes target has manifests.
    func needsInput(for plan: Plan) -> Bool {
        plan.target == .kubernetes
    }

    /// How many bytes of manifests gather before they are handed on (``render(for:deliverInput:deliver:)``):
    /// the 160 MB of manifests of 4,096 shard clusters go to a staged build in batches, not at once.
    static let batchSize = 1 << 20

    /// Renders the PostgreSQL backend's scripts for `plan` and the manifests whose schema
    /// ConfigMaps carry them, together (``ManifestStream``): the scripts to `deliverInput` as
    /// that backend hands them on, the manifests to `deliver` in batches of about
    /// ``batchSize`` bytes, each cluster's as soon as its scripts are made.
    func render(for plan: Plan, deliverInput: ([Artifact]) -> Void, deliver: ([Artifact]) -> Void) {
        render(for: plan, batchSize: Self.batchSize, deliverInput: deliverInput, deliver: deliver)
    }

    /// ``render(for:deliverInput:deliver:)`` with the scripts and the manifests in batches of
    /// about `batchSize` bytes.
    func render(for plan: Plan, batchSize: Int, deliverInput: ([Artifact]) -> Void, deliver: ([Artifact]) -> Void) {
        guard needsInput(for: plan) else { return }
        withoutActuallyEscaping(deliverInput) { deliverInput in
            withoutActuallyEscaping(deliver) { deliver in
                var manifests = ManifestStream(plan: plan, producer: name, batchSize: batchSize, deliver: deliver)
                PostgresBackend().render(
                    plan, batchSize: batchSize, deliver: deliverInput,
                    shared: { manifests.addShared(path: $0, contents: $1, includedBy: $2) },
                    cluster: { manifests.addCluster(named: $0, scripts: SchemaScripts($1)) })
                manifests.finish()
            }
        }
    }
}
