import Foundation
import Testing

@testable import TopologyCompiler

@Suite("rule catalog")
struct RulesDocumentTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/rules.md")

    /// docs/rules.md is generated from the catalog; regenerate with
    /// `swift run topoc explain --all --markdown > docs/rules.md`.
    @Test func docsRulesIsInSyncWithTheCatalog() throws {
        let generated = RulesDocument.markdown()
        if ProcessInfo.processInfo.environment["TOPOC_UPDATE_GOLDEN"] == "1" {
            try Data(generated.utf8).write(to: Self.document)
        }
        let written = try String(contentsOf: Self.document, encoding: .utf8)
        #expect(written == generated, "docs/rules.md is stale: run `swift run topoc explain --all --markdown > docs/rules.md`")
    }

    @Test func codesAreUniqueWellFormedAndExplained() {
        let all = DiagnosticCatalog.all
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(Set(all.map(\.slug)).count == all.count)
        for code in all {
            #expect(code.code.range(of: #"^T[A-Z]{2}[0-9]{3}$"#, options: .regularExpression) != nil, "\(code.code)")
            #expect(code.slug.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) != nil, "\(code.slug)")
            #expect(code.explanation.count > 40, "\(code.code) needs a real explanation")
            #expect(DiagnosticCatalog.lookup(code.code) == code)
            #expect(DiagnosticCatalog.lookup(code.slug) == code)
        }
    }
}
