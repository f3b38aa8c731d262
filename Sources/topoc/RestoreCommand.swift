import ArgumentParser
import Foundation
import TopologyCompiler
import TopologyLocalCluster

/// `topoc restore`
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a local deployment's cluster from its pgBackRest repository into a new data directory.",
        discussion: """
            The copy recovers to the target and starts as a separate server on 127.0.0.1 (archiving off, so it
            never writes into the cluster's archive); the running cluster is untouched. Restoring over a running
            cluster is not offered: stop the deployment and restore into a new folder instead.
            """)

    @Option(name: .long, help: "latest, a timestamp ('2026-01-31 12:00:00+00') or an LSN (0/3000060).")
    var to: String

    @Option(name: .long, help: "The cluster (default: the only one with backups).")
    var cluster: String?

    @Option(name: .long, help: "The new data directory, absent or empty (default RUN/restore-<cluster>).")
    var into: String?

    @Option(name: .long, help: "The restored server's port (default: the first free one above the deployment's).")
    var port: Int?

    @Option(name: .long, help: "The run folder (default .topoc/run).")
    var runDir: String = ".topoc/run"

    func run() throws {
        guard let target = LocalRestore.Target(parsing: to) else {
            printError(
                "topoc: error: --to takes latest, a timestamp such as '2026-01-31 12:00:00+00' or an LSN such as 0/3000060, not '\(to)'")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        let restore = LocalRestore(
            layout: LocalRunLayout(root: runDir), cluster: cluster, target: target, into: into, port: port
        ) { print($0) }
        do {
            let restored = try restore.run()
            print("restored server: 127.0.0.1:\(restored.port), data \(restored.dataDirectory), log \(restored.log)")
            print("stop it with: \(restored.stopCommand)")
        } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}
