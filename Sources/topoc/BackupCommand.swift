import ArgumentParser
import Foundation
import TopologyCompiler
import TopologyLocalCluster

/// `topoc backup`
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a pgBackRest backup of a local deployment's cluster (the topology needs a backup section).")

    @Option(name: .long, help: "full, diff (changes since the last full) or incr (since the last backup).")
    var type: String = "incr"

    @Option(name: .long, help: "The cluster (default: the only one with backups).")
    var cluster: String?

    @Option(name: .long, help: "The run folder (default .topoc/run).")
    var runDir: String = ".topoc/run"

    func run() throws {
        guard let kind = LocalBackup.BackupType(rawValue: type) else {
            printError("topoc: error: --type must be full, diff or incr, not '\(type)'")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        let layout = LocalRunLayout(root: runDir)
        let backup = LocalBackup(layout: layout) { print($0) }
        do {
            let state = try LocalClusterState.load(from: layout.state)
            try backup.backup(cluster: try backup.cluster(cluster, state: state), type: kind)
        } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}
