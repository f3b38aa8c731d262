import ArgumentParser
import TopologyCompiler

/// `topoc explain CODE`
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a diagnostic code (or list every code with --all).")

    @Flag(name: .long, help: "List every code.")
    var all = false

    @Flag(name: .long, help: "With --all: print docs/rules.md (Markdown).")
    var markdown = false

    @Argument(help: "A code such as TPC010, or its slug such as unknown-key.")
    var code: String?

    func validate() throws {
        if !all && code == nil { throw ValidationError("name a code, such as TPC010, or pass --all") }
    }

    func run() throws {
        if all && markdown {
            print(RulesDocument.markdown(), terminator: "")
            return
        }
        if all {
            for entry in DiagnosticCatalog.all {
                print("\(entry.code)  \(entry.slug)  [\(entry.defaultSeverity.rawValue)]  \(entry.summary)")
            }
            return
        }
        guard let code, let entry = DiagnosticCatalog.lookup(code) else {
            printError("topoc: error: unknown code '\(code ?? "")'; `topoc explain --all` lists them")
            throw ExitCode(CompilerDriver.Outcome.usageOrIO.rawValue)
        }
        print(DiagnosticCatalog.explanation(of: entry))
    }
}
