import Foundation
import PackagePlugin

/// Generates a target's typed topology router on every build where its topology changed.
///
/// The topology file is the target's source file named `topology.yaml` or `*.topology.yaml`
/// (`.yml` too); a target has at most one. The plugin runs
/// `topoc build FILE -o WORK --only swift --format text --quiet --swift-file NAME`, where `NAME` is
/// derived from the file's name alone (`topology.yaml` -> `Topology.swift`,
/// `shop.topology.yaml` -> `ShopTopology.swift`), so the output is declared without reading the
/// YAML and SwiftPM re-runs topoc only when the file (or topoc) changes. topoc's diagnostics
/// (`FILE:LINE:COL: error: ...`) appear in `swift build`'s output.
@main
struct TopologyPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else {
            return []
        }
        let files = target.sourceFiles.map(\.url).filter { TopologyFileNames.isTopology($0.lastPathComponent) }
        guard let file = files.first else {
            return []
        }
        guard files.count == 1 else {
            throw TopologyPluginError(
                "target '\(target.name)' has \(files.count) topology files (\(files.map(\.lastPathComponent).joined(separator: ", "))); keep one"
            )
        }
        return [
            try TopologyFiles.command(
                topoc: context.tool(named: "topoc").url, file: file, workDirectory: context.pluginWorkDirectoryURL)
        ]
    }
}

/// The build command of one topology file.
enum TopologyFiles {
    /// The build command that turns `file` into `WORK/swift/<generated name>`.
    static func command(topoc: URL, file: URL, workDirectory: URL) -> Command {
        let name = TopologyFileNames.generatedName(for: file.lastPathComponent)
        let output = workDirectory.appendingPathComponent("swift", isDirectory: true).appendingPathComponent(name)
        return .buildCommand(
            displayName: "Generating \(name) from \(file.lastPathComponent) with topoc",
            executable: topoc,
            arguments: [
                "build", file.path, "-o", workDirectory.path, "--only", "swift", "--format", "text", "--quiet",
                "--swift-file", name,
            ],
            inputFiles: [file],
            outputFiles: [output])
    }
}

/// A plugin error with a message SwiftPM prints.
struct TopologyPluginError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

#if canImport(XcodeProjectPlugin)
    import XcodeProjectPlugin

    extension TopologyPlugin: XcodeBuildToolPlugin {
        func createBuildCommands(context: XcodePluginContext, target: XcodeTarget) throws -> [Command] {
            let files = target.inputFiles.map(\.url).filter { TopologyFileNames.isTopology($0.lastPathComponent) }
            guard let file = files.first else {
                return []
            }
            return [
                try TopologyFiles.command(
                    topoc: context.tool(named: "topoc").url, file: file, workDirectory: context.pluginWorkDirectoryURL)
            ]
        }
    }
#endif
