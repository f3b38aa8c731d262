import Foundation
import Testing

@testable import TopologyCompiler

/// Every template's context for every example and target, compared with its reviewed dump under
/// `Tests/TopologyCompilerTests/TemplateContexts/<example>/<target>/<template>.json` (the
/// contract docs/templates.md documents; a change to it is a change users' overrides see).
/// Regenerate with `TOPOC_UPDATE_GOLDEN=1 swift test --filter TemplateContextGoldenTests`.
@Suite("template context golden dumps")
struct TemplateContextGoldenTests {
    static let folder = PlanTestSupport.repository.appendingPathComponent("Tests/TopologyCompilerTests/TemplateContexts")

    @Test(arguments: try PlanTestSupport.exampleNames())
    func contextsMatchGolden(_ name: String) throws {
        let example = name.replacingOccurrences(of: ".yaml", with: "")
        for target in [DeploymentTarget.compose, .local] {
            let plan = try #require(try PlanTestSupport.plan(example: name, target: target))
            for entry in TemplateCatalog.all {
                let json = entry.context(plan)
                #expect(json.contains("\"contextVersion\" : \(entry.contextVersion)"), "\(entry.name)")
                let file = Self.folder.appendingPathComponent("\(example)/\(target.rawValue)/\(entry.name).json")
                if ProcessInfo.processInfo.environment["TOPOC_UPDATE_GOLDEN"] == "1" {
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(json.utf8).write(to: file)
                    continue
                }
                let golden = try? String(contentsOf: file, encoding: .utf8)
                #expect(golden == json, "\(file.path) differs: review and regenerate with TOPOC_UPDATE_GOLDEN=1")
            }
        }
    }
}
