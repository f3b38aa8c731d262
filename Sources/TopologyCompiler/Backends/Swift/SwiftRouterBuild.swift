/// What `topoc build` does for the swift backend beyond the one-plan backend protocol: the file
/// covers every deployment target, and the build plugin can choose its name.
public enum SwiftRouterBuild {
    /// Whether `name` can be the generated file's name: one path component ending in `.swift`.
    ///
    /// - Parameter name: A file name.
    /// - Returns: `true` if it is usable.
    public static func isValidFileName(_ name: String) -> Bool {
        name.hasSuffix(".swift") && name.count > ".swift".count && !name.contains("/") && !name.contains("\\")
            && !name.hasPrefix(".")
    }

    /// The artifacts of `topoc build`: those of the chosen backends (all when `only` is empty) for
    /// `plan`, except that the swift backend's file is made from the plans of every deployment
    /// target and named `fileName` (when given). Every backend runs once, concurrently with the
    /// others (``ConcurrentRendering``); the other targets' plans are made inside the swift
    /// backend's job, so they overlap the other backends' work.
    ///
    /// - Parameters:
    ///   - plan: The plan of the target being built.
    ///   - only: The backends' names, or empty for all.
    ///   - fileName: The file name inside `swift/`, or `nil` for the default.
    ///   - planFor: The plan of another target, or `nil` if it cannot be made (that target is
    ///     then left out of the file).
    /// - Returns: The artifacts, sorted by path.
    public static func artifacts(
        plan: Plan,
        only: [String],
        fileName: String?,
        planFor: @escaping @Sendable (DeploymentTarget) -> Plan?
    ) -> [Artifact] {
        ConcurrentRendering.artifacts(
            of: CompilerDriver.backends(only: only), for: plan, replacing: swiftJob(plan: plan, fileName: fileName, planFor: planFor))
    }

    /// Renders what ``artifacts(plan:only:fileName:planFor:)`` returns, staging each backend's
    /// artifacts in `staging` as soon as they are made, so the build never holds its whole output;
    /// plan.json, routing.json, the Swift file, the compose file and the PostgreSQL backend's
    /// shared scripts are written into the staging piece by piece (``StagingBackend``,
    /// ``SwiftRouterBackend/stage(_:into:)``).
    ///
    /// - Parameters:
    ///   - plan: The plan of the target being built.
    ///   - only: The backends' names, or empty for all.
    ///   - fileName: The file name inside `swift/`, or `nil` for the default.
    ///   - staging: Where the artifacts go (see ``OutputWriter/makeStaging()``).
    ///   - planFor: The plan of another target, or `nil` if it cannot be made.
    public static func stage(
        plan: Plan,
        only: [String],
        fileName: String?,
        into staging: OutputStaging,
        planFor: @escaping @Sendable (DeploymentTarget) -> Plan?
    ) {
        let backends = CompilerDriver.backends(only: only)
        let swift = SwiftRouterBackend(fileName: fileName)
        var jobs: [String: ConcurrentRendering.Job] = [
            swift.name: {
                swift.stage(plans(plan, planFor: planFor), into: staging)
                return []
            }
        ]
        // A backend whose artifacts another backend reads (the PostgreSQL scripts the kubernetes
        // target's ConfigMaps carry) renders them in memory, once, for both.
        let read = Set(backends.compactMap { $0 as? any DerivedBackend }.filter { $0.needsInput(for: plan) }.map(\.input.name))
        for case let backend as any StagingBackend in backends where !read.contains(backend.name) {
            jobs[backend.name] = {
                backend.stage(plan, into: staging)
                return []
            }
        }
        ConcurrentRendering.render(of: backends, for: plan, replacing: jobs, deliver: staging.stage)
    }

    /// The swift backend's job: one file from the plans of every deployment target.
    private static func swiftJob(
        plan: Plan, fileName: String?, planFor: @escaping @Sendable (DeploymentTarget) -> Plan?
    ) -> [String: ConcurrentRendering.Job] {
        let swift = SwiftRouterBackend(fileName: fileName)
        return [swift.name: { swift.artifacts(for: plans(plan, planFor: planFor)) }]
    }

    /// The plans the swift backend's file is made from: `plan` and every other target's plan
    /// that can be made, in target order.
    private static func plans(_ plan: Plan, planFor: (DeploymentTarget) -> Plan?) -> [Plan] {
        DeploymentTarget.allCases.compactMap { $0 == plan.target ? plan : planFor($0) }
    }
}
