/// A backend turns a plan into artifacts. It reads nothing else: no YAML, no files, no other
/// backend's output. Writing the artifacts is ``OutputWriter``'s job.
public protocol Backend: Sendable {
    /// The name used with `topoc build --only`.
    var name: String { get }
    /// One line saying what the backend produces.
    var summary: String { get }
    /// The artifacts for a plan, with paths relative to the output folder.
    func artifacts(for plan: Plan) -> [Artifact]
}

/// A backend made from another backend's artifacts for the same plan: the kubernetes target's
/// schema ConfigMaps carry the PostgreSQL backend's scripts. When a build runs both, the input
/// backend renders once and both artifacts come from that rendering (``ConcurrentRendering``);
/// run alone, the backend renders its input itself and writes only its own artifacts.
protocol DerivedBackend: Backend {
    /// The backend whose artifacts this one reads.
    var input: any Backend { get }
    /// Whether the backend reads its input for `plan` (the kubernetes target's manifests, only
    /// for that target); when it does not, a build renders the input on its own.
    func needsInput(for plan: Plan) -> Bool
    /// Renders ``input`` for `plan` and this backend from it, together, as they are made: the
    /// input's artifacts (what `input.artifacts(for: plan)` makes) to `deliverInput`, this
    /// backend's (what ``Backend/artifacts(for:)`` makes) to `deliver`, each in one or more
    /// batches, in order, so that a build stages both before either is whole and renders the
    /// input once. Nothing when ``needsInput(for:)`` is `false`.
    func render(for plan: Plan, deliverInput: ([Artifact]) -> Void, deliver: ([Artifact]) -> Void)
}

/// A backend that writes its artifacts into a build's staging folder itself, as it makes them, so
/// a staged build never holds its largest files whole: plan.json and routing.json are encoded
/// straight into their files, the PostgreSQL backend writes its shared scripts (the ring function
/// of 4,096 shards is 16 MB) piece by piece and the other scripts in batches, the compose backend
/// its file a service at a time. What it stages is exactly ``Backend/artifacts(for:)``
/// (`StagingBackendTests` checks).
protocol StagingBackend: Backend {
    /// Writes the artifacts for `plan` into `staging`.
    func stage(_ plan: Plan, into staging: OutputStaging)
}

/// A backend whose artifacts come in independent parts (the Patroni backend's: a batch of
/// clusters each), so a build hands each part on as soon as it is made instead of holding every
/// artifact of the backend at once (``ConcurrentRendering``). Its `artifacts(for:)` must be its
/// parts' artifacts in order (`ConcurrentRenderingTests` checks).
protocol PartitionedBackend: Backend {
    /// How many parts `plan`'s artifacts come in (at least one).
    func partCount(for plan: Plan) -> Int
    /// The artifacts of part `part`, in `0..<partCount(for: plan)`.
    func artifacts(for plan: Plan, part: Int) -> [Artifact]
}

/// The backends topoc knows, in the order they run.
public enum BackendRegistry {
    /// Every backend.
    public static let all: [any Backend] = [
        PlanJSONBackend(), RoutingBackend(), PostgresBackend(),
        EtcdBackend(), PatroniBackend(), BackupBackend(), HAProxyBackend(), PgBouncerBackend(), ComposeBackend(), KubernetesBackend(),
        DebeziumBackend(),
        DeployBackend(), SwiftRouterBackend(), GraphBackend(),
    ]

    /// Every backend's name, in registry order (what `--only` accepts and its help lists).
    public static var names: [String] { all.map(\.name) }

    /// The backend with a name, if any.
    public static func backend(named name: String) -> (any Backend)? {
        all.first { $0.name == name }
    }
}
