import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// The generated router reads like the rest of the code base: `swift-format lint --strict` with
/// the repository's configuration finds nothing in any example's file (both targets' data).
@Suite("Generated Swift router is swift-format clean")
struct GeneratedRouterFormatTests {
    /// swift-format from the toolchain, or nil (an issue under CI).
    static func swiftFormat() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/swift-format") {
            return "\(folder)/swift-format"
        }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("swift-format is not on PATH (it ships with the Swift toolchain)")
        }
        return nil
    }

    @Test(arguments: try PlanTestSupport.exampleNames())
    func generatedFileIsLintClean(example: String) throws {
        guard let program = Self.swiftFormat() else { return }
        let plans = try [DeploymentTarget.compose, .local].compactMap { try PlanTestSupport.plan(example: example, target: $0) }
        let artifact = try #require(SwiftRouterBackend().artifacts(for: plans).first)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-format-\(UUID().uuidString).swift")
        try Data(artifact.contents).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = PlanTestSupport.repository.appendingPathComponent(".swift-format").path
        let result = Subprocess.run(
            [program, "lint", "--strict", "--configuration", configuration, file.path], environment: ["PATH": "/usr/bin:/bin"], timeout: 120
        )
        #expect(result.status == 0, "\(example): \(result.error)")
    }

    @Test func integersAreGroupedFromSevenDigits() {
        #expect(SwiftSourceWriter.integer(123_456) == "123456")
        #expect(SwiftSourceWriter.integer(1_234_567) == "1_234_567")
        #expect(SwiftSourceWriter.integer(Int64.min) == "-9_223_372_036_854_775_808")
        #expect(SwiftSourceWriter.integer(-1_000_000) == "-1_000_000")
    }
}
