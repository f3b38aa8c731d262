import Foundation

/// What the CLI (and the build plugin through it) asks of the compiler: thin, testable entry
/// points over load -> plan -> backends -> output.
public enum CompilerDriver {
    /// How a command ended, mapped to exit codes by the CLI.
    public enum Outcome: Int32, Sendable {
        /// Everything is fine (exit 0).
        case success = 0
        /// The topology has errors (exit 1).
        case topologyErrors = 1
        /// Usage or I/O error (exit 2).
        case usageOrIO = 2
    }

    /// The result of loading and planning one file.
    public struct Compilation: Sendable {
        /// The plan, when the topology has no errors.
        public var plan: Plan?
        /// Every diagnostic.
        public var diagnostics: [Diagnostic]
        /// The validated topology the plan was made from (with `plan`).
        var topology: Topology? = nil
        /// The rings the validator and the plan placed, for the other targets' plans.
        var rings: RingCache? = nil

        /// The plan of the same topology for another deployment target, or `nil` when that
        /// target's planning finds an error. Only the planner runs again: the file was read,
        /// parsed and validated once (the validator does not depend on the target).
        public func plan(for target: DeploymentTarget) -> Plan? {
            guard let plan, let topology else { return nil }
            if target == plan.target { return plan }
            var planner = Planner(topology: topology, target: target, rings: rings ?? RingCache())
            let planned = planner.makePlan()
            guard !SeverityPolicy(topology: topology).apply(to: planned.diagnostics).hasErrors else { return nil }
            return planned.plan
        }
    }

    /// Reads a file's bytes, or describes why it cannot be read.
    public static func read(_ path: String) -> Result<[UInt8], IOFailure> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(IOFailure(message: "\(path): no such file"))
        }
        guard !isDirectory.boolValue else { return .failure(IOFailure(message: "\(path): is a directory")) }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? NSNumber, size.intValue > ParseLimits.default.maxBytes
        {
            return .failure(
                IOFailure(message: "\(path): the file is \(size.intValue) bytes; topoc reads at most \(ParseLimits.default.maxBytes)"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(IOFailure(message: "\(path): cannot be read"))
        }
        return .success(Array(data))
    }

    /// Loads and plans a topology's bytes for a target.
    public static func compile(bytes: [UInt8], file: String, target: DeploymentTarget) -> Compilation {
        let loaded = TopologyLoader.load(bytes: bytes, file: file)
        guard let topology = loaded.topology else {
            return Compilation(plan: nil, diagnostics: loaded.diagnostics.resolvingFixIts(in: bytes))
        }
        let rings = RingCache()
        let findings = SeverityPolicy(topology: topology).apply(
            to: loaded.diagnostics + Validator(topology: topology, rings: rings).run())
        guard !findings.hasErrors else {
            return Compilation(plan: nil, diagnostics: findings.sortedForDisplay().resolvingFixIts(in: bytes))
        }
        var planner = Planner(topology: topology, target: target, rings: rings)
        let planned = planner.makePlan()
        let diagnostics = findings + SeverityPolicy(topology: topology).apply(to: planned.diagnostics)
        let failed = diagnostics.hasErrors
        return Compilation(
            plan: failed ? nil : planned.plan, diagnostics: diagnostics.sortedForDisplay().resolvingFixIts(in: bytes),
            topology: failed ? nil : topology, rings: failed ? nil : rings)
    }

    /// The artifacts of the chosen backends (all when `only` is empty), sorted by path. The
    /// backends run concurrently (``ConcurrentRendering``); the result does not depend on it.
    public static func artifacts(for plan: Plan, only: [String]) -> [Artifact] {
        ConcurrentRendering.artifacts(of: backends(only: only), for: plan)
    }

    /// The chosen backends (all when `only` is empty), in registry order.
    static func backends(only: [String]) -> [any Backend] {
        only.isEmpty ? BackendRegistry.all : BackendRegistry.all.filter { only.contains($0.name) }
    }
}

/// A file that could not be read or written.
public struct IOFailure: Error, Sendable, CustomStringConvertible {
    /// The message, naming the path.
    public var message: String
    public var description: String { message }
}
