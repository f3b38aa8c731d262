import ArgumentParser
import Foundation
import TopologyCompiler

/// `topoc build FILE -o DIR`
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a topology and write its artifacts into a folder.",
        discussion: """
            Files are written atomically and only when their bytes change. The folder's \
            .topoc-manifest lists what topoc owns; stale owned files are removed and files \
            topoc does not own are never touched. With --only, the files of the other backends \
            are left as they are. A topology with errors writes nothing.
            """)

    @Option(name: [.short, .customLong("output")], help: "The output folder.")
    var output: String

    @Option(name: .long, help: "Deployment target: compose, local or kubernetes.")
    var target: DeploymentTarget = .compose

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Only these backends: \(BackendRegistry.names.joined(separator: ", ")).")
    )
    var only: [String] = []

    @Option(name: .long, help: "Diagnostics format: text, json or sarif.")
    var format: DiagnosticFormat = .text

    @Flag(name: .shortAndLong, help: "Do not print the summary of written files.")
    var quiet = false

    @Option(name: .long, help: "The swift backend's file name inside swift/ (default <Topology>Topology.swift).")
    var swiftFile: String?

    @Option(name: .long, help: "A folder of <name>.mustache files overriding bundled templates (topoc templates list).")
    var templates: String?

    @Argument(help: "The topology file.")
    var file: String

    func validate() throws {
        let known = BackendRegistry.names
        for name in only where !known.contains(name) {
            throw ValidationError("unknown backend '\(name)'; backends: \(known.joined(separator: ", "))")
        }
        if let swiftFile, !SwiftRouterBuild.isValidFileName(swiftFile) {
            throw ValidationError("--swift-file must be a file name ending in .swift, not '\(swiftFile)'")
        }
    }

    func run() throws {
        let templateSet = try templates.map(loadTemplates) ?? .bundled
        let compiled = try compile(file, target: target)
        emit(compiled.diagnostics, format: format, files: [file])
        guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
        let writer = OutputWriter(directory: URL(fileURLWithPath: output), generator: "topoc \(TopocVersion.current)")
        let staging: OutputStaging
        do {
            staging = try writer.makeStaging()
        } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        // Each backend's files are staged as soon as it has made them; nothing is in place until
        // the writer has checked the whole set.
        let (_, templateErrors) = templateSet.collectingErrors {
            SwiftRouterBuild.stage(plan: plan, only: only, fileName: swiftFile, into: staging) { other in compiled.plan(for: other) }
        }
        guard templateErrors.isEmpty else {
            staging.discard()
            emit(templateErrors.map(\.diagnostic), format: format, files: [])
            throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue)
        }
        do {
            let report = try writer.write(staged: staging, onlyProducers: only.isEmpty ? nil : Set(only))
            if !quiet && format == .text {
                print(
                    "\(output): \(report.written.count) written, \(report.unchanged.count) unchanged, \(report.removed.count) removed")
                for path in report.overwrittenEdits { printError("topoc: warning: overwrote hand edits in generated file \(path)") }
            }
        } catch {
            printError("topoc: error: \(error)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}
