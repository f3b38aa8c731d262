import ArgumentParser
import Foundation
import TopologyCompiler
import TopologyLocalCluster

/// `topoc status`
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a local deployment: processes, and per cluster the members, roles, lag and sync state from Patroni.")

    @Option(name: .long, help: "The run folder (default .topoc/run).")
    var runDir: String = ".topoc/run"

    func run() throws {
        do { print(try LocalClusterStatus.report(layout: LocalRunLayout(root: runDir)), terminator: "") } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}
