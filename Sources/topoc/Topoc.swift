import ArgumentParser
import CTopocAllocator
import Foundation
import TopologyCompiler

/// The `topoc` command.
struct Topoc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topoc",
        abstract: "Compile a database topology (YAML) into checked PostgreSQL deployment artifacts.",
        discussion: """
            Exit status: 0 when the topology is fine, 1 when it has errors, 2 on a usage or I/O error.

            Examples:
              topoc init                               write a commented starter topology.yaml
              topoc validate topology.yaml             check a topology; diagnostics as file:line:col
              topoc validate --format sarif *.yaml     SARIF for code scanning
              topoc plan topology.yaml                 show the resolved deployment
              topoc build topology.yaml -o generated   write plan.json, routing.json and the artifacts
              topoc graph topology.yaml --format dot   draw the overview (also --view cluster NAME, table NAME, routing)
              topoc diff old.yaml new.yaml             every change, classified (locks, rewrites, data loss, restarts)
              topoc migrate old.yaml new.yaml -o m     the online, resumable migration from old to new
              topoc explain TPC010                     explain a diagnostic code
              topoc templates list                     the artifact templates; build --templates DIR overrides them
            """,
        version: TopocVersion.current,
        subcommands: [
            Validate.self, PlanCommand.self, Build.self, Init.self, Explain.self, Up.self, Down.self, Status.self, BackupCommand.self,
            RestoreCommand.self, Rebalance.self,
            Check.self,
            GraphCommand.self, Diff.self, Migrate.self, TemplatesCommand.self, Verify.self,
        ]
    )
}

/// Entry point: maps ArgumentParser's errors to exit status 2 and prints help as usual.
@main
enum TopocMain {
    /// Allocations from this size on get their own mapping (``c_topoc_fix_mmap_threshold(_:)``),
    /// returned to the system when freed. glibc's own threshold rises with each large block freed,
    /// after which a build's multi-megabyte transient texts stayed in the heap, freed but counted
    /// in its peak. Measured with thresholds of 128 KiB, 1 MiB and 4 MiB (docs/performance.md,
    /// "Build memory bounded by the plan"): each saved about as much memory, 4 MiB cost the least
    /// time.
    static let mmapThreshold: Int32 = 4 << 20

    static func main() {
        _ = c_topoc_fix_mmap_threshold(mmapThreshold)
        do {
            var command = try Topoc.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            if Topoc.exitCode(for: error) == .success {
                Topoc.exit(withError: error)
            }
            let message = Topoc.fullMessage(for: error)
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Prints diagnostics in a format: text to standard error, JSON and SARIF to standard output.
func emit(_ diagnostics: [Diagnostic], format: DiagnosticFormat, files: [String]) {
    let rendered = DiagnosticRenderer.render(diagnostics, as: format, files: files)
    if format == .text {
        if !rendered.isEmpty { printError(rendered) }
    } else {
        print(rendered, terminator: "")
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}
extension DeploymentTarget: ExpressibleByArgument {}
