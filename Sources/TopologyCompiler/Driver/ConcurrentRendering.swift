import Foundation

/// Runs independent rendering jobs (one per backend) on every core and gathers their artifacts, or
/// hands each job's artifacts on as soon as the job has made them (``render(of:for:replacing:deliver:)``).
///
/// Backends are pure functions of a ``Plan`` (what they share, ``SharedRendering``, is locked), so
/// the order they run in cannot change their bytes. What a build observes stays deterministic:
///
/// - the artifacts come back sorted by path, as one backend after another made them;
/// - the templates a job renders with are the caller's (``TemplateSet/current`` is a task-local
///   value, which threads of `DispatchQueue.concurrentPerform` do not inherit, so each job binds
///   it again);
/// - template errors reach the caller's ``TemplateSet/collectingErrors(_:)`` log in job order,
///   not in the order the threads met them.
enum ConcurrentRendering {
    /// One unit of work: what one backend makes for the build.
    typealias Job = @Sendable () -> [Artifact]

    /// One unit of work that hands its artifacts on in batches as it makes them.
    private typealias DeliveringJob = @Sendable (_ deliver: ([Artifact]) -> Void) -> Void

    /// The backends whose rendering holds large intermediate values: the JSON encoder's tree of
    /// the plan and of the routing table, each with every ring token as an object (35 and 23 MB
    /// above the plan itself at 256 shards x 150 virtual nodes). They run one after the other in
    /// one job, started first, so a build's peak holds at most one of them besides what the other
    /// core renders.
    static let oneAfterAnother: [String] = [PlanJSONBackend().name, RoutingBackend().name]

    /// Runs each backend's job for `plan` concurrently: those of ``oneAfterAnother`` in one job, a
    /// ``DerivedBackend`` in one job with its input when both run and it reads the input for
    /// `plan` (the input renders once, and both hand their batches on as they make them) or
    /// alone with its batches handed on as made, a
    /// ``PartitionedBackend``'s parts one after another, and `replacing`'s job instead of a
    /// backend's own where it names one.
    ///
    /// - Parameters:
    ///   - backends: The backends, in registry order.
    ///   - plan: The plan every backend renders.
    ///   - replacing: Jobs that stand for a backend's `artifacts(for: plan)`, by backend name.
    /// - Returns: Every backend's artifacts, sorted by path.
    static func artifacts(of backends: [any Backend], for plan: Plan, replacing: [String: Job] = [:]) -> [Artifact] {
        collecting { render(of: backends, for: plan, replacing: replacing, deliver: $0) }
    }

    /// Runs each backend's job for `plan` concurrently, as ``artifacts(of:for:replacing:)`` does,
    /// and hands each job's artifacts to `deliver` as soon as that job (or, for the backends of
    /// ``oneAfterAnother``, each of them, and for a ``PartitionedBackend`` each part) has made
    /// them, on the job's thread; nothing is kept.
    ///
    /// - Parameters:
    ///   - backends: The backends, in registry order.
    ///   - plan: The plan every backend renders.
    ///   - replacing: Jobs that stand for a backend's `artifacts(for: plan)`, by backend name.
    ///   - deliver: Receives the artifacts; called from several threads at once.
    static func render(
        of backends: [any Backend], for plan: Plan, replacing: [String: Job] = [:],
        deliver: @escaping @Sendable ([Artifact]) -> Void
    ) {
        func job(_ backend: any Backend) -> Job {
            replacing[backend.name] ?? { backend.artifacts(for: plan) }
        }
        let names = Set(backends.map(\.name))
        let pairs = backends.compactMap { $0 as? any DerivedBackend }.filter {
            $0.needsInput(for: plan) && names.contains($0.input.name) && !oneAfterAnother.contains($0.input.name)
                && replacing[$0.name] == nil
                && replacing[$0.input.name] == nil
        }
        let derivedNames = Set(pairs.map(\.name))
        var sequential: [DeliveringJob] = []
        var lanes: [[DeliveringJob]] = []
        for backend in backends where !derivedNames.contains(backend.name) {
            let derived = pairs.filter { $0.input.name == backend.name }
            if oneAfterAnother.contains(backend.name) {
                sequential.append(delivering(job(backend)))
            } else if let joint = derived.first {
                // At the input's place, so the longer job starts earlier: the input and the first
                // backend made from it render together, each handing its batches on as made. A
                // second backend made from the same input (none yet) renders it again, alone.
                lanes.append([{ deliver in joint.render(for: plan, deliverInput: deliver, deliver: deliver) }])
                for other in derived.dropFirst() { lanes.append([alone(other, for: plan)]) }
            } else if let derived = backend as? any DerivedBackend, replacing[backend.name] == nil {
                lanes.append([alone(derived, for: plan)])
            } else if let partitioned = backend as? any PartitionedBackend, replacing[backend.name] == nil {
                // One lane, each part handed on when it is made.
                lanes.append(
                    (0..<partitioned.partCount(for: plan)).map { part in delivering { partitioned.artifacts(for: plan, part: part) } })
            } else {
                lanes.append([delivering(job(backend))])
            }
        }
        if !sequential.isEmpty { lanes.insert(sequential, at: 0) }
        run(lanes, deliver: deliver)
    }

    /// The job of a backend made from another without that input in the build: the input renders
    /// in this job and is not kept, and the backend's own batches are handed on as made.
    private static func alone(_ backend: any DerivedBackend, for plan: Plan) -> DeliveringJob {
        { deliver in backend.render(for: plan, deliverInput: { _ in }, deliver: deliver) }
    }

    /// `job` as a job that hands its artifacts on once, when it has made them all.
    private static func delivering(_ job: @escaping Job) -> DeliveringJob {
        { deliver in deliver(job()) }
    }

    /// Runs `jobs` concurrently (jobs listed first start first).
    ///
    /// - Parameter jobs: The rendering jobs.
    /// - Returns: Every job's artifacts, sorted by path.
    static func artifacts(of jobs: [Job]) -> [Artifact] {
        collecting { run(jobs.map { [delivering($0)] }, deliver: $0) }
    }

    /// Runs `lanes` concurrently (lanes listed first start first), the jobs of one lane one after
    /// another, each handing its artifacts to `deliver` as it makes them.
    private static func run(_ lanes: [[DeliveringJob]], deliver: @escaping @Sendable ([Artifact]) -> Void) {
        let templates = TemplateSet.current
        let callerLog = TemplateSet.errors
        let errors = concurrentMap(lanes.count) { index in
            let log = callerLog.map { _ in TemplateErrorLog() }
            TemplateSet.$current.withValue(templates) {
                TemplateSet.$errors.withValue(log) {
                    for job in lanes[index] { job(deliver) }
                }
            }
            return log?.all ?? []
        }
        for error in errors.joined() { callerLog?.append(error) }
    }

    /// What `body` delivers, gathered and sorted by path.
    private static func collecting(_ body: (@escaping @Sendable ([Artifact]) -> Void) -> Void) -> [Artifact] {
        let gathered = ArtifactCollector()
        body { gathered.append($0) }
        return gathered.all.sorted { $0.path < $1.path }
    }
}

/// Artifacts delivered from several threads, kept under a lock.
private final class ArtifactCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var artifacts: [Artifact] = []

    func append(_ more: [Artifact]) {
        lock.lock()
        artifacts.append(contentsOf: more)
        lock.unlock()
    }

    var all: [Artifact] {
        lock.lock()
        defer { lock.unlock() }
        return artifacts
    }
}
