import Foundation
import Testing

@testable import TopologyCompiler

/// Every file `topoc build` writes for every example and target, compared byte for byte with its
/// reviewed copy under `Tests/TopologyCompilerTests/Golden/<example>/<target>/`.
///
/// Golden files catch unintended changes to any backend; the backend, DDL and cluster tests prove
/// the files are right. After an intended change, regenerate with
/// `TOPOC_UPDATE_GOLDEN=1 swift test --filter GoldenArtifactTests` and review the diff like code.
@Suite("golden artifacts")
struct GoldenArtifactTests {
    static let goldenFolder = PlanTestSupport.repository.appendingPathComponent("Tests/TopologyCompilerTests/Golden")

    @Test(arguments: try PlanTestSupport.exampleNames())
    func exampleArtifactsMatchGolden(_ name: String) throws {
        let example = name.replacingOccurrences(of: ".yaml", with: "")
        for target in DeploymentTarget.allCases {
            let artifacts = try Self.build(example: name, target: target)
            let folder = Self.goldenFolder.appendingPathComponent(example).appendingPathComponent(target.rawValue)
            if ProcessInfo.processInfo.environment["TOPOC_UPDATE_GOLDEN"] == "1" {
                try Self.replace(folder, with: artifacts)
                continue
            }
            let golden = try Self.files(under: folder)
            let built = Dictionary(uniqueKeysWithValues: artifacts.map { ($0.path, $0.contents) })
            let missing = golden.keys.filter { built[$0] == nil }.sorted()
            let extra = built.keys.filter { golden[$0] == nil }.sorted()
            #expect(missing.isEmpty, "\(example) \(target.rawValue): no longer built: \(missing.joined(separator: ", "))")
            #expect(extra.isEmpty, "\(example) \(target.rawValue): built but not in the golden files: \(extra.joined(separator: ", "))")
            for artifact in artifacts {
                guard let expected = golden[artifact.path], expected != artifact.contents else { continue }
                Issue.record(
                    "\(example) \(target.rawValue): \(artifact.path) differs from its golden file \(Self.firstDifference(expected, artifact.contents))"
                )
            }
        }
    }

    /// The golden folder holds exactly one folder per example, each with one folder per target.
    @Test func goldenFolderHasNoStaleExamples() throws {
        let examples = Set(try PlanTestSupport.exampleNames().map { $0.replacingOccurrences(of: ".yaml", with: "") })
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.goldenFolder.path).filter { !$0.hasPrefix(".") }
        #expect(Set(folders) == examples, "golden folders without an example: \(Set(folders).subtracting(examples).sorted())")
        for example in examples {
            let targets = try FileManager.default.contentsOfDirectory(atPath: Self.goldenFolder.appendingPathComponent(example).path)
            #expect(Set(targets) == Set(DeploymentTarget.allCases.map(\.rawValue)), "\(example): target folders \(targets.sorted())")
        }
    }

    /// What `topoc build` writes for an example: every backend's artifacts, the Swift router made
    /// from the plans of every target (as `Build.run` does).
    /// An example the kubernetes target refuses (TKS) has one golden file instead,
    /// `refused.txt`, with the errors `topoc build --target kubernetes` prints.
    static func build(example name: String, target: DeploymentTarget) throws -> [Artifact] {
        if target == .kubernetes {
            let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
            let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: "examples/\(name)", target: target)
            if compiled.plan == nil {
                let errors = compiled.diagnostics.filter { $0.severity == .error }
                #expect(!errors.isEmpty && errors.allSatisfy { $0.code.code.hasPrefix("TKS") }, "\(name): refused by more than TKS rules")
                let lines = errors.map(\.rendered).joined(separator: "\n") + "\n"
                return [Artifact(path: "refused.txt", contents: lines, producer: "test")]
            }
        }
        let plan = try #require(try PlanTestSupport.plan(example: name, target: target))
        return SwiftRouterBuild.artifacts(plan: plan, only: [], fileName: nil) { other in
            // Quietly: a target that refuses the example (kubernetes, TKS) is left out of the file.
            (try? String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)).flatMap {
                CompilerDriver.compile(bytes: Array($0.utf8), file: "examples/\(name)", target: other).plan
            }
        }
    }

    /// The regular files under `folder`, by `/`-separated path relative to it.
    static func files(under folder: URL) throws -> [String: [UInt8]] {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            Issue.record("no golden files at \(folder.path): run TOPOC_UPDATE_GOLDEN=1 swift test --filter GoldenArtifactTests")
            return [:]
        }
        var files: [String: [UInt8]] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        let prefix = folder.standardizedFileURL.path + "/"
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            files[path] = Array(try Data(contentsOf: url))
        }
        return files
    }

    /// Replaces `folder` with exactly `artifacts`.
    static func replace(_ folder: URL, with artifacts: [Artifact]) throws {
        if FileManager.default.fileExists(atPath: folder.path) { try FileManager.default.removeItem(at: folder) }
        for artifact in artifacts {
            let file = folder.appendingPathComponent(artifact.path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(artifact.contents).write(to: file)
        }
    }

    /// `at line N: expected ... found ...` for the first line that differs.
    static func firstDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String {
        let old = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let new = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(old.count, new.count) {
            let before = index < old.count ? String(old[index]) : "<end of file>"
            let after = index < new.count ? String(new[index]) : "<end of file>"
            if before != after { return "at line \(index + 1):\n  golden: \(before.prefix(200))\n  built:  \(after.prefix(200))" }
        }
        return "(same lines, different bytes)"
    }
}
