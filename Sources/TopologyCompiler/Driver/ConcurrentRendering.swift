/// Runs independent rendering jobs (one per backend) on every core and gathers their artifacts.
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

    /// The backends whose rendering holds large intermediate values: the JSON encoder's tree of
    /// the plan and of the routing table, each with every ring token as an object (35 and 23 MB
    /// above the plan itself at 256 shards x 150 virtual nodes). They run one after the other in
    /// one job, started first, so a build's peak holds at most one of them besides what the other
    /// core renders.
    static let oneAfterAnother: [String] = [PlanJSONBackend().name, RoutingBackend().name]

    /// Runs each backend's job for `plan` concurrently: those of ``oneAfterAnother`` in one job, a
    /// ``DerivedBackend`` in one job with its input when both run (the input renders once), and
    /// `replacing`'s job instead of a backend's own where it names one.
    ///
    /// - Parameters:
    ///   - backends: The backends, in registry order.
    ///   - plan: The plan every backend renders.
    ///   - replacing: Jobs that stand for a backend's `artifacts(for: plan)`, by backend name.
    /// - Returns: Every backend's artifacts, sorted by path.
    static func artifacts(of backends: [any Backend], for plan: Plan, replacing: [String: Job] = [:]) -> [Artifact] {
        func job(_ backend: any Backend) -> Job {
            replacing[backend.name] ?? { backend.artifacts(for: plan) }
        }
        let names = Set(backends.map(\.name))
        let pairs = backends.compactMap { $0 as? any DerivedBackend }.filter {
            names.contains($0.input.name) && !oneAfterAnother.contains($0.input.name) && replacing[$0.name] == nil
                && replacing[$0.input.name] == nil
        }
        let derivedNames = Set(pairs.map(\.name))
        var sequential: [Job] = []
        var jobs: [Job] = []
        for backend in backends where !derivedNames.contains(backend.name) {
            let derived = pairs.filter { $0.input.name == backend.name }
            if oneAfterAnother.contains(backend.name) {
                sequential.append(job(backend))
            } else if !derived.isEmpty {
                // At the input's place, so the longer job starts earlier.
                jobs.append {
                    let input = backend.artifacts(for: plan)
                    return input + derived.flatMap { $0.artifacts(for: plan, input: input) }
                }
            } else {
                jobs.append(job(backend))
            }
        }
        if !sequential.isEmpty {
            jobs.insert({ [sequential] in sequential.flatMap { $0() } }, at: 0)
        }
        return artifacts(of: jobs)
    }

    /// Runs `jobs` concurrently (jobs listed first start first).
    ///
    /// - Parameter jobs: The rendering jobs.
    /// - Returns: Every job's artifacts, sorted by path.
    static func artifacts(of jobs: [Job]) -> [Artifact] {
        let templates = TemplateSet.current
        let callerLog = TemplateSet.errors
        let results = concurrentMap(jobs.count) { index in
            let log = callerLog.map { _ in TemplateErrorLog() }
            let made = TemplateSet.$current.withValue(templates) {
                TemplateSet.$errors.withValue(log) { jobs[index]() }
            }
            return (artifacts: made, errors: log?.all ?? [])
        }
        for error in results.flatMap(\.errors) { callerLog?.append(error) }
        return results.flatMap(\.artifacts).sorted { $0.path < $1.path }
    }
}
