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
        let files = target.sourceFiles.map(\.url).filter { TopologyFiles.isTopology($0.lastPathComponent) }
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

/// The file-name rules shared by the build commands.
enum TopologyFiles {
    /// Whether a file name is a topology the plugin compiles.
    static func isTopology(_ name: String) -> Bool {
        ["topology.yaml", "topology.yml"].contains(name) || name.hasSuffix(".topology.yaml") || name.hasSuffix(".topology.yml")
    }

    /// The generated file's name: the topology file's name without `.yaml`/`.yml`, in
    /// UpperCamelCase (`.`, `-` and `_` separate words), plus `.swift`. This is the rule of
    /// `SwiftRouterBackend.fileName(forTopologyFile:)`.
    static func generatedName(for name: String) -> String {
        var base = name
        for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
        }
        let words = base.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        var joined = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if joined.isEmpty {
            joined = "Topology"
        } else if let first = joined.first, first.isNumber {
            joined = "_" + joined
        }
        return joined + ".swift"
    }

    /// The build command that turns `file` into `WORK/swift/<generated name>`.
    static func command(topoc: URL, file: URL, workDirectory: URL) -> Command {
        let name = generatedName(for: file.lastPathComponent)
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
            let files = target.inputFiles.map(\.url).filter { TopologyFiles.isTopology($0.lastPathComponent) }
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
