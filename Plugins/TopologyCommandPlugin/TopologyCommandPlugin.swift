import Foundation
import PackagePlugin

/// `swift package generate-topology-sources`: writes each target's topology router into the
/// package, for teams that commit generated code instead of using the build plugin.
///
/// For every target (or those given with `--target NAME`) that has a `topology.yaml` or
/// `*.topology.yaml`, runs `topoc build FILE -o <target>/Generated --only swift --swift-file NAME`,
/// which writes `<target>/Generated/swift/NAME` (the same file the build plugin would generate) and
/// a `.topoc-manifest`. Needs write access to the package:
/// `swift package --allow-writing-to-package-directory generate-topology-sources`.
@main
struct TopologyCommandPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "target")
        let targets = names.isEmpty ? context.package.targets : try context.package.targets(named: names)
        let topoc = try context.tool(named: "topoc").url
        var generated = 0
        for case let target as SourceModuleTarget in targets {
            let files = target.sourceFiles.map(\.url).filter { TopologyFileNames.isTopology($0.lastPathComponent) }
            for file in files {
                let output = target.directoryURL.appendingPathComponent("Generated", isDirectory: true)
                let name = TopologyFileNames.generatedName(for: file.lastPathComponent)
                let process = Process()
                process.executableURL = topoc
                process.arguments = [
                    "build", file.path, "-o", output.path, "--only", "swift", "--format", "text", "--swift-file", name,
                ]
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    throw CommandError("topoc failed on \(file.path) (exit \(process.terminationStatus))")
                }
                print("\(target.name): \(output.path)/swift/\(name)")
                generated += 1
            }
        }
        if generated == 0 {
            print("no target has a topology.yaml or *.topology.yaml")
        }
    }
}

/// A command-plugin error with a message SwiftPM prints.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
