import ArgumentParser
import TopologyCompiler

/// `topoc plan FILE`
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show the resolved deployment: clusters, members, shards, databases, partitions.")

    @Option(name: .long, help: "Output format: text or json.")
    var format: DiagnosticFormat = .text

    @Option(name: .long, help: "Deployment target: compose, local or kubernetes.")
    var target: DeploymentTarget = .compose

    @Argument(help: "The topology file.")
    var file: String

    func validate() throws {
        if format == .sarif { throw ValidationError("plan prints text or json") }
    }

    func run() throws {
        let compiled = try compile(file, target: target)
        emit(compiled.diagnostics, format: .text, files: [file])
        guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
        switch format {
        case .json: print(PlanJSON.encode(plan), terminator: "")
        default: print(PlanTextRenderer.render(plan), terminator: "")
        }
    }
}

/// Reads and compiles one file, mapping I/O failures to exit status 2.
func compile(_ file: String, target: DeploymentTarget) throws -> CompilerDriver.Compilation {
    switch CompilerDriver.read(file) {
    case .failure(let failure):
        printError("topoc: error: \(failure.message)")
        throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
    case .success(let bytes):
        return CompilerDriver.compile(bytes: bytes, file: file, target: target)
    }
}
