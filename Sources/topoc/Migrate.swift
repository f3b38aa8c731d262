import ArgumentParser
import Foundation
import TopologyCompiler

/// `topoc migrate OLD NEW -o DIR`
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the artifacts that take a running deployment from OLD to NEW, online and resumable.",
        discussion: """
            Writes, into DIR: sql/<cluster>/<database>.sql per database (a preamble with \
            lock_timeout and statement_timeout, then ledger-guarded steps: renames, columns, \
            indexes CONCURRENTLY, constraints NOT VALID then VALIDATE, partitions attached, the \
            new plan's idempotent script, drops), create-databases.sql for new databases, Patroni's \
            dynamic configuration patch per changed cluster, PgBouncer's configuration with its \
            RELOAD, changes.json and MIGRATION.md (the order to apply them in). See docs/day-two.md.

            Exit status: 0, or 3 when a change drops data and --allow-destructive is not given, when \
            rows move between shards and --allow-data-movement is not given, or when --plan names \
            other plans (1 topology errors, 2 usage or I/O).
            """)

    @Option(name: [.short, .customLong("output")], help: "The folder to write the migration into.")
    var output: String

    @Option(name: .long, help: "Deployment target: compose or local.")
    var target: DeploymentTarget = .compose

    @Option(name: .long, help: "A reviewed change set (topoc diff --format json): refused unless it is for these two plans.")
    var plan: String?

    @Flag(name: .long, help: "Write the steps that drop tables, columns and partitions.")
    var allowDestructive = false

    @Flag(
        name: .long,
        help:
            "Write the migration even though rows move between shards (the shard count, strategy or ranges change): the new routing applies with the scripts, so copy the rows `topoc rebalance OLD NEW` lists first."
    )
    var allowDataMovement = false

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    @Argument(help: "The topology the deployment runs now.")
    var old: String

    @Argument(help: "The topology to change it to.")
    var new: String

    func run() throws {
        let (before, after) = try compilePair(old, new, target: target)
        let changes = PlanDiff(old: before, new: after).changeSet()
        if let plan {
            guard let data = FileManager.default.contents(atPath: plan) else {
                printError("topoc: error: cannot read \(plan)")
                throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
            }
            guard let saved = JSONChangeSet.decode(Array(data)) else {
                printError("topoc: error: \(plan) is not a change set written by `topoc diff --format json`")
                throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
            }
            if saved.oldPlanSHA256 != changes.oldPlanSHA256 || saved.newPlanSHA256 != changes.newPlanSHA256 {
                printError(
                    "topoc: error: \(plan) was made for plans \(saved.oldPlanSHA256.prefix(12))... -> \(saved.newPlanSHA256.prefix(12))..., not \(changes.oldPlanSHA256.prefix(12))... -> \(changes.newPlanSHA256.prefix(12))...; run topoc diff again and review it"
                )
                throw ExitCode(MigrationExit.refused)
            }
        }
        if changes.isDestructive && !allowDestructive {
            printError(ChangeTextRenderer.render(changes))
            printError("topoc: error: the change set drops data; review it and pass --allow-destructive")
            throw ExitCode(MigrationExit.refused)
        }
        if changes.movesRows && !allowDataMovement {
            printError(ChangeTextRenderer.render(changes))
            printError(
                "topoc: error: rows move between shards, and `topoc migrate` does not move data: its scripts switch every shard's routing to NEW at once, while the rows stay where OLD placed them. Run `topoc rebalance OLD NEW` for the ranges to copy and copy them (new shards get no rows of the reference tables either), then pass --allow-data-movement"
            )
            throw ExitCode(MigrationExit.refused)
        }
        let artifacts = MigrationArtifacts.artifacts(old: before, new: after, allowDestructive: allowDestructive)
        let writer = OutputWriter(directory: URL(fileURLWithPath: output), generator: "topoc \(TopocVersion.current)")
        do {
            let report = try writer.write(artifacts)
            if !quiet {
                print(ChangeTextRenderer.summary(changes))
                print(
                    "\(output): \(report.written.count) written, \(report.unchanged.count) unchanged, \(report.removed.count) removed; apply in the order of \(output)/MIGRATION.md"
                )
            }
        } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}
