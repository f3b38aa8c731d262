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

    /// Runs `render`'s job for each backend concurrently, those of ``oneAfterAnother`` in one job.
    ///
    /// - Parameters:
    ///   - backends: The backends, in registry order.
    ///   - render: The job that makes a backend's artifacts.
    /// - Returns: Every backend's artifacts, sorted by path.
    static func artifacts(of backends: [any Backend], render: (any Backend) -> Job) -> [Artifact] {
        var sequential: [Job] = []
        var jobs: [Job] = []
        for backend in backends {
            if oneAfterAnother.contains(backend.name) {
                sequential.append(render(backend))
            } else {
                jobs.append(render(backend))
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
