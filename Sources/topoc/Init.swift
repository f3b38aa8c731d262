import ArgumentParser
import Foundation
import TopologyCompiler

/// `topoc init`
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter topology.")

    @Flag(name: .long, help: "Overwrite the file if it exists.")
    var force = false

    @Argument(help: "Where to write it.")
    var file: String = StarterTopology.defaultFileName

    func run() throws {
        if FileManager.default.fileExists(atPath: file) && !force {
            printError("topoc: error: \(file) exists; pass --force to overwrite it")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        do {
            try Data(StarterTopology.text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            printError("topoc: error: cannot write \(file): \(error.localizedDescription)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        print("wrote \(file); next: topoc validate \(file)")
    }
}
