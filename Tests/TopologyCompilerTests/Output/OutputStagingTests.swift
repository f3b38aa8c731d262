import Foundation
import Testing

@testable import TopologyCompiler

/// The staging step of ``OutputWriter``: temporaries written by directory on several threads.
@Suite("Output staging")
struct OutputStagingTests {
    @Test("many directories written at once: every file whole, no temporary left")
    func manyDirectoriesWritten() throws {
        try OutputTestKit.withScratch { base in
            var artifacts: [Artifact] = []
            for directory in 0..<40 {
                for file in 0..<25 {
                    let text = String(repeating: "d\(directory) f\(file)\n", count: 50 + file)
                    artifacts.append(OutputTestKit.art("d\(directory)/sub/f\(file).txt", text))
                }
            }
            let report = try OutputWriter(directory: base).write(artifacts)
            #expect(report.written.count == 1_000)
            for artifact in artifacts {
                #expect(OutputTestKit.text(base, artifact.path) == String(decoding: artifact.contents, as: UTF8.self))
            }
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: base.path)
                .filter { $0.split(separator: "/").last?.hasPrefix(OutputWriter.temporaryPrefix) == true }
            #expect(leftovers.isEmpty)
        }
    }

    @Test("a file that cannot be staged: the first failure in path order, every other temporary removed")
    func stagingFailureRemovesTheRest() throws {
        try OutputTestKit.withScratch { base in
            var descriptors: [Int32] = []
            for directory in 0..<6 {
                let url = base.appendingPathComponent("d\(directory)")
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
                descriptors.append(try OutputFileSystem.openDirectory(atPath: url.path))
            }
            defer { descriptors.forEach(OutputFileSystem.closeQuietly) }
            // Directories 2 and 4 are not open descriptors (EBADF); the others succeed.
            let parents = descriptors.enumerated().map { $0.offset == 2 || $0.offset == 4 ? Int32(-1) - Int32($0.offset) : $0.element }
            var pending: [(item: OutputPlan.Item, parent: Int32)] = []
            for directory in 0..<6 {
                for file in 0..<10 {
                    let path = try ArtifactPath("d\(directory)/f\(file).txt")
                    let item = OutputPlan.Item(
                        path: path, artifact: OutputTestKit.art(path.string, "bytes \(directory) \(file)\n"), sha256: "",
                        action: .create, editedByUser: false)
                    pending.append((item, parents[directory]))
                }
            }
            switch OutputWriter.writeTemporaries(pending, flush: false) {
            case .success:
                Issue.record("staging into a bad descriptor succeeded")
            case .failure(let failure):
                #expect(failure.item.path.string == "d2/f0.txt")
                #expect(failure.error.code == EBADF)
            }
            for directory in 0..<6 {
                let names = try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("d\(directory)").path)
                #expect(names.isEmpty, "d\(directory) holds \(names)")
            }
        }
    }
}
