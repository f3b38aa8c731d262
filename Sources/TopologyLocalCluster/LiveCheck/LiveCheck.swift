import TopologyCompiler

/// `topoc check --live`: compares a running deployment with the plan of its topology and
/// reports drift as located, coded diagnostics (TLV codes, docs/live-check.md).
///
/// Every part reads only: the catalog, `pg_settings`, `cron.job`, `part_config` and the shard
/// sample as the monitoring role (locally; `--dsn` as the role its string names), Patroni's
/// `GET /config`, and PgBouncer's `SHOW CONFIG` as its admin/stats user.
public struct LiveCheck {
    /// The decoded topology (for locations).
    public let topology: Topology
    /// Its plan.
    public let plan: Plan
    /// What may be reached.
    public let target: LiveTarget
    /// Rows sampled per sharded table and shard.
    public var sampleSize: Int = 1000

    /// Creates a check.
    public init(topology: Topology, plan: Plan, target: LiveTarget) {
        self.topology = topology
        self.plan = plan
        self.target = target
    }

    /// The parts of the check.
    public enum Part: String, Sendable, CaseIterable {
        case catalog, settings, patroni, pgbouncer, jobs, shards
    }

    /// Runs the parts in `only` (every part by default).
    public func run(only: Set<Part> = Set(Part.allCases)) -> LiveCheckReport {
        let locator = LiveLocator(topology: topology)
        var reach = LiveCheckPart(name: "reach")
        for (scope, reason) in target.unreachable {
            let template = plan.clusters.first { $0.name == scope.cluster }?.template
            reach.skip(scope, reason, at: template.map(locator.cluster) ?? locator.whole)
        }
        let unreached = Set(target.unreachable.compactMap(\.scope.cluster)).intersection(plan.clusters.map(\.name))
        // Through --dsn a cluster is only named here; its connection is tried by each part.
        let how = target.reachesPostgreSQLOnly ? "named by --dsn" : "reached"
        reach.headline = "\(plan.clusters.count - unreached.count) of \(plan.clusters.count) cluster(s) \(how)"
        var parts = [reach]
        for part in Part.allCases where only.contains(part) {
            switch part {
            case .catalog: parts.append(LiveCatalogCheck(plan: plan, locator: locator, target: target).run())
            case .settings: parts.append(LiveSettingsCheck(plan: plan, locator: locator, target: target).run())
            case .patroni: parts.append(LivePatroniCheck(plan: plan, locator: locator, target: target).run())
            case .pgbouncer: parts.append(LivePgBouncerCheck(plan: plan, locator: locator, target: target).run())
            case .jobs: parts.append(LiveJobsCheck(plan: plan, locator: locator, target: target).run())
            case .shards:
                parts.append(LiveShardSampleCheck(plan: plan, locator: locator, target: target, sampleSize: sampleSize).run())
            }
        }
        return LiveCheckReport(parts: parts)
    }

    /// The report's diagnostics after the project's `rules:` levels, in file order.
    public func diagnostics(of report: LiveCheckReport) -> [Diagnostic] {
        SeverityPolicy(topology: topology).apply(to: report.diagnostics).sortedForDisplay()
    }

    /// The exit status of a check: 0 when nothing drifted and everything was checked, 1 when an
    /// error-level drift remains, 2 when nothing drifted but a part could not be checked.
    public static func exitStatus(_ diagnostics: [Diagnostic]) -> Int32 {
        if diagnostics.contains(where: { $0.code != .liveUnchecked && $0.severity == .error }) { return 1 }
        return diagnostics.contains { $0.code == .liveUnchecked } ? 2 : 0
    }

    /// A topology and its plan, or the diagnostics that prevent planning.
    public struct Input: Sendable {
        public var topology: Topology?
        public var plan: Plan?
        public var diagnostics: [Diagnostic]
    }

    /// Loads, validates and plans a topology for the local target, keeping the decoded topology
    /// for the locations of drift (as `CompilerDriver.compile` does, which keeps only the plan).
    public static func input(bytes: [UInt8], file: String) -> Input {
        let loaded = TopologyLoader.load(bytes: bytes, file: file)
        guard let topology = loaded.topology else { return Input(topology: nil, plan: nil, diagnostics: loaded.diagnostics) }
        let policy = SeverityPolicy(topology: topology)
        let findings = policy.apply(to: loaded.diagnostics + Validator(topology: topology).run())
        guard !findings.hasErrors else { return Input(topology: topology, plan: nil, diagnostics: findings.sortedForDisplay()) }
        var planner = Planner(topology: topology, target: .local)
        let planned = planner.makePlan()
        let diagnostics = (findings + policy.apply(to: planned.diagnostics)).sortedForDisplay()
        return Input(topology: topology, plan: diagnostics.hasErrors ? nil : planned.plan, diagnostics: diagnostics)
    }
}
