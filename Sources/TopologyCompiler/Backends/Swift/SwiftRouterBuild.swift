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

    /// Replaces the swift backend's artifact in `artifacts` (made from `plan` alone) with one made
    /// from the plans of every deployment target and named `fileName` (when given). Other
    /// artifacts pass through; without a swift artifact nothing changes.
    ///
    /// - Parameters:
    ///   - artifacts: The artifacts of the chosen backends for `plan`.
    ///   - plan: The plan of the target being built.
    ///   - fileName: The file name inside `swift/`, or `nil` for the default.
    ///   - planFor: The plan of another target, or `nil` if it cannot be made (that target is
    ///     then left out of the file).
    /// - Returns: The artifacts, sorted by path.
    public static func artifacts(
        _ artifacts: [Artifact],
        plan: Plan,
        fileName: String?,
        planFor: (DeploymentTarget) -> Plan?
    ) -> [Artifact] {
        let backend = SwiftRouterBackend(fileName: fileName)
        guard artifacts.contains(where: { $0.producer == backend.name }) else {
            return artifacts
        }
        let plans = DeploymentTarget.allCases.compactMap { $0 == plan.target ? plan : planFor($0) }
        let others = artifacts.filter { $0.producer != backend.name }
        return (others + backend.artifacts(for: plans)).sorted { $0.path < $1.path }
    }
}
