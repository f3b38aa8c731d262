import Foundation
import Testing

@testable import TopologyCompiler

/// The plan of every example, compared with its reviewed golden file.
///
/// Golden files catch unintended changes; the semantic tests in PlannerTests prove the plan
/// is right. Regenerate after an intended change with
/// `TOPOC_UPDATE_GOLDEN=1 swift test --filter GoldenPlanTests` and review the diff.
@Suite("golden plans")
struct GoldenPlanTests {
    static let goldenFolder = PlanTestSupport.repository.appendingPathComponent("Tests/TopologyCompilerTests/Golden")

    @Test(arguments: try PlanTestSupport.exampleNames())
    func examplePlanMatchesGolden(_ name: String) throws {
        for target in DeploymentTarget.allCases {
            let plan = try #require(try PlanTestSupport.plan(example: name, target: target))
            let actual = PlanJSON.encode(plan)
            let golden = Self.goldenFolder.appendingPathComponent(
                "\(name.replacingOccurrences(of: ".yaml", with: "")).\(target.rawValue).plan.json")
            if ProcessInfo.processInfo.environment["TOPOC_UPDATE_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: golden)
                continue
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            #expect(actual == expected, "plan of \(name) for \(target.rawValue) differs from \(golden.lastPathComponent)")
        }
    }
}
