import ArgumentParser
import Foundation
import TopologyCompiler
import TopologyLocalCluster

/// `topoc down`
struct Down: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop a local deployment started by topoc up (TERM, then KILL) and remove its data.")

    @Option(name: .long, help: "The run folder (default .topoc/run).")
    var runDir: String = ".topoc/run"

    @Flag(name: .long, help: "Keep the data directories and passwords for the next topoc up.")
    var keepData = false

    func run() throws {
        let down = LocalClusterDown(layout: LocalRunLayout(root: runDir), keepData: keepData) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        do { try down.run() } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}
