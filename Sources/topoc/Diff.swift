import ArgumentParser
import Foundation
import TopologyCompiler

/// `topoc diff OLD NEW`
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every change between two topologies, classified: what locks, rewrites, loses data or restarts.",
        discussion: """
            Compares the plans of OLD and NEW (not their text) and lists every change like a \
            Terraform plan: + create, - drop, ~ change, -/+ replace, each with its impact \
            (metadata-only, online, lock, rewrite, destructive, config-reload, config-restart, \
            data-movement, manual) and the lock it takes. Prints the SHA-256 of both plans; \
            `--format json` writes the change set that `topoc migrate --plan` checks. Renames are \
            never guessed: declare them with `renamed_from:`.

            Exit status: 0, or 3 when a change is destructive and --allow-destructive is not given \
            (1 topology errors, 2 usage or I/O).
            """)

    @Option(name: .long, help: "Output format: text or json.")
    var format: DiagnosticFormat = .text

    @Option(name: .long, help: "Deployment target: compose or local.")
    var target: DeploymentTarget = .compose

    @Flag(name: .long, help: "Exit 0 even when a change drops data.")
    var allowDestructive = false

    @Argument(help: "The topology the deployment runs now.")
    var old: String

    @Argument(help: "The topology to change it to.")
    var new: String

    func validate() throws {
        if format == .sarif { throw ValidationError("diff prints text or json") }
    }

    func run() throws {
        let (before, after) = try compilePair(old, new, target: target)
        let changes = PlanDiff(old: before, new: after).changeSet()
        switch format {
        case .json: print(JSONChangeSet.encode(changes), terminator: "")
        default: print(ChangeTextRenderer.render(changes), terminator: "")
        }
        if changes.isDestructive && !allowDestructive {
            printError("topoc: error: the change set drops data; review it and pass --allow-destructive")
            throw ExitCode(MigrationExit.refused)
        }
    }
}

/// Exit statuses of `diff` and `migrate` beyond the compiler's.
enum MigrationExit {
    /// A destructive change without `--allow-destructive`, or a saved plan for other topologies.
    static let refused: Int32 = 3
}

/// Compiles OLD and NEW for one target, printing their errors.
func compilePair(_ old: String, _ new: String, target: DeploymentTarget) throws -> (Plan, Plan) {
    var plans: [Plan] = []
    for file in [old, new] {
        let compiled = try compile(file, target: target)
        emit(compiled.diagnostics.filter { $0.severity == .error }, format: .text, files: [file])
        guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
        plans.append(plan)
    }
    return (plans[0], plans[1])
}
