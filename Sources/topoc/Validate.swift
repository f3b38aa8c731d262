import ArgumentParser
import TopologyCompiler

/// `topoc validate FILE...`
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check topology files and report every problem at its YAML line.")

    @Option(name: .long, help: "Output format: text, json or sarif.")
    var format: DiagnosticFormat = .text

    @Option(
        name: .long,
        help: "Check for this deployment target only (compose, local or kubernetes); without it, compose and local.")
    var target: DeploymentTarget?

    @Argument(help: "Topology files to check.")
    var files: [String]

    func run() throws {
        var diagnostics: [Diagnostic] = []
        var ioFailed = false
        for file in files {
            switch CompilerDriver.read(file) {
            case .failure(let failure):
                printError("topoc: error: \(failure.message)")
                ioFailed = true
            case .success(let bytes):
                for target in target.map({ [$0] }) ?? DeploymentTarget.validatedByDefault {
                    let compiled = CompilerDriver.compile(bytes: bytes, file: file, target: target)
                    for diagnostic in compiled.diagnostics where !diagnostics.contains(diagnostic) {
                        diagnostics.append(diagnostic)
                    }
                }
            }
        }
        emit(diagnostics, format: format, files: files)
        if ioFailed { throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue) }
        if diagnostics.hasErrors { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
        if format == .text {
            let warnings = diagnostics.filter { $0.severity == .warning }.count
            print(
                "\(files.count == 1 ? files[0] : "\(files.count) files"): ok"
                    + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
        }
    }
}
