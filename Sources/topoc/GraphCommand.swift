import ArgumentParser
import Foundation
import TopologyCompiler

/// `topoc graph FILE [--view overview|cluster NAME|table NAME|routing] [--format mermaid|dot] [-o FILE]`
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a view of the topology as a Mermaid flowchart or a Graphviz DOT graph.",
        discussion: """
            Views: overview (application, PgBouncer, HAProxy, clusters, etcd, CDC), cluster NAME \
            (a cluster or a cluster template), table NAME, routing (the shard map). \
            Render DOT with `dot -Tsvg`; paste Mermaid into a ```mermaid block.
            """)

    @Option(
        name: .long, parsing: .upToNextOption,
        help: "overview, cluster NAME, table NAME or routing (default overview).")
    var view: [String] = []

    @Option(name: .long, help: "Output language: mermaid or dot.")
    var format: GraphFormat = .mermaid

    @Option(name: [.short, .customLong("output")], help: "Write to this file instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Deployment target: compose, local or kubernetes.")
    var target: DeploymentTarget = .compose

    @Argument(help: "The topology file.")
    var file: String

    /// The view the arguments name.
    func parsedView() throws -> GraphView {
        switch view.first {
        case nil,
            "overview" where view.count == 1:
            return .overview
        case "routing" where view.count == 1: return .routing
        case "cluster" where view.count == 2: return .cluster(view[1])
        case "table" where view.count == 2: return .table(view[1])
        case "cluster", "table": throw ValidationError("--view \(view[0]) needs one name: --view \(view[0]) NAME")
        default:
            throw ValidationError(
                "unknown view '\(view.joined(separator: " "))'; views: overview, cluster NAME, table NAME, routing")
        }
    }

    func validate() throws { _ = try parsedView() }

    func run() throws {
        let requested = try parsedView()
        let compiled = try compile(file, target: target)
        emit(compiled.diagnostics, format: .text, files: [file])
        guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
        let text: String
        do {
            text = try GraphViews.render(requested, plan: plan, format: format)
        } catch {
            printError("topoc: error: \(file): \(error.message)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printError("topoc: error: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}

extension GraphFormat: ExpressibleByArgument {}
