import ArgumentParser
import Foundation
import TopologyCompiler

/// `topoc templates list | cat NAME | context NAME FILE | check DIR`
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "List, print and check the artifact templates (docs/templates.md).",
        discussion: """
            topoc renders haproxy.cfg, pgbouncer.ini and other text artifacts from bundled Mustache \
            templates. `topoc build --templates DIR` takes DIR/<name>.mustache instead; such a file \
            usually starts with {{<name}} and overrides only some {{$blocks}} of the bundled one.
            """,
        subcommands: [List.self, Cat.self, Context.self, CheckTemplates.self]
    )

    /// `topoc templates list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name every bundled template, its artifact and its context.")

        func run() {
            for entry in TemplateCatalog.all {
                print("\(entry.name)\t\(entry.artifact)\t\(entry.language.rawValue)\t\(entry.contextType) v\(entry.contextVersion)")
            }
        }
    }

    /// `topoc templates cat NAME`
    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a bundled template, to copy and override.")

        @Argument(help: "The template's name (topoc templates list).")
        var name: String

        func run() throws {
            guard let text = TemplateCatalog.text(name) else {
                printError("topoc: error: no bundled template is named '\(name)' (topoc templates list)")
                throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
            }
            print(text, terminator: "")
        }
    }

    /// `topoc templates context NAME FILE`
    struct Context: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the context (JSON) a template renders for a topology.")

        @Option(name: .long, help: "Deployment target: compose or local.")
        var target: DeploymentTarget = .compose

        @Argument(help: "The template's name (topoc templates list).")
        var name: String

        @Argument(help: "The topology file.")
        var file: String

        func run() throws {
            guard TemplateCatalog.entry(name) != nil else {
                printError("topoc: error: no bundled template is named '\(name)' (topoc templates list)")
                throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
            }
            let compiled = try compile(file, target: target)
            emit(compiled.diagnostics, format: .text, files: [file])
            guard let plan = compiled.plan, let json = TemplateCatalog.contextJSON(name, plan: plan) else {
                throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue)
            }
            print(json, terminator: "")
        }
    }

    /// `topoc templates check DIR`
    struct CheckTemplates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check an override folder: names, syntax, blocks, and (with --topology) every render.")

        @Option(name: .long, help: "Also render every template for this topology on the compose and local targets.")
        var topology: String?

        @Argument(help: "The folder of <name>.mustache overrides.")
        var directory: String

        func run() throws {
            let set = try loadTemplates(directory)
            var errors: [TemplateError] = []
            if let topology {
                for target in [DeploymentTarget.compose, .local] {
                    let compiled = try compile(topology, target: target)
                    emit(compiled.diagnostics, format: .text, files: [topology])
                    guard let plan = compiled.plan else { throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue) }
                    errors += set.collectingErrors { _ = CompilerDriver.artifacts(for: plan, only: []) }.1
                }
            }
            guard errors.isEmpty else {
                // The same template error on both targets is printed once.
                var seen = Set<String>()
                emit(errors.map(\.diagnostic).filter { seen.insert($0.rendered).inserted }, format: .text, files: [])
                throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue)
            }
            print("\(directory): templates fine")
        }
    }
}

/// The bundled templates with a folder's overrides; parse errors are printed and end the command
/// with status 1.
func loadTemplates(_ directory: String) throws -> TemplateSet {
    do {
        return try TemplateSet.loading(directory: directory)
    } catch let failure as TemplateErrors {
        emit(failure.errors.map(\.diagnostic), format: .text, files: [])
        throw ExitCode(CompilerDriver.Outcome.topologyErrors.rawValue)
    } catch {
        printError("topoc: error: \(error)")
        throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
    }
}
