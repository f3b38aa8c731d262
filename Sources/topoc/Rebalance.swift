import ArgumentParser
import Foundation
import TopologyCompiler

/// `topoc rebalance OLD NEW`
struct Rebalance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which keys move when a topology's shard count changes.",
        discussion: """
            For consistent hashing, lists the token ranges that change owner (from which shard to \
            which) and the exact share of keys that move; for jump hash and hash-modulo, counts \
            the share over a million keys. The optimum is the new (or removed) shards' fair share.
            """)

    @Option(name: .long, help: "Output format: text or json.")
    var format: DiagnosticFormat = .text

    @Argument(help: "The topology before the change.")
    var old: String

    @Argument(help: "The topology after the change.")
    var new: String

    func validate() throws {
        if format == .sarif { throw ValidationError("rebalance prints text or json") }
    }

    func run() throws {
        var plans: [Plan] = []
        for file in [old, new] {
            let compiled = try compile(file, target: .compose)
            emit(compiled.diagnostics.filter { $0.severity == .error }, format: .text, files: [file])
            guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
            plans.append(plan)
        }
        let report: RebalanceReport
        do {
            report = try RebalanceReport(old: plans[0], new: plans[1])
        } catch {
            printError("topoc: error: \(error.description)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        switch format {
        case .json:
            print(DeterministicJSON.text(report), terminator: "")
        default:
            print(RebalanceTextRenderer.render(report), terminator: "")
        }
    }
}
