import Foundation
import Testing

@testable import TopologyCompiler

/// The templates inside the binary are exactly `Templates/`, each parses, and the catalog names
/// each of them.
@Suite("bundled templates")
struct BundledTemplatesTests {
    static let folder = PlanTestSupport.repository.appendingPathComponent("Templates")

    @Test func embeddedCopyEqualsTemplatesFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(Set(files.map { String($0.dropLast(9)) }) == Set(BundledTemplates.sources.keys), "run scripts/embed-templates.sh")
        for file in files {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            #expect(BundledTemplates.sources[String(file.dropLast(9))] == text, "\(file) differs: run scripts/embed-templates.sh")
        }
    }

    @Test func everyBundledTemplateParsesAndIsCatalogued() throws {
        for (name, text) in BundledTemplates.sources {
            _ = try MustacheTemplate(text: text, file: name)
        }
        #expect(TemplateSet.bundled.bundled.count == BundledTemplates.sources.count)
        #expect(Set(TemplateCatalog.all.map(\.name)) == Set(BundledTemplates.sources.keys))
    }

    /// An override folder: unknown file names, misspelt blocks and syntax errors are located.
    @Test func overrideFolderErrorsAreLocated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-templates-\(getpid())-errors")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "x".write(to: folder.appendingPathComponent("haproxy.conf.mustache"), atomically: true, encoding: .utf8)
        try "{{<haproxy.cfg}}\n{{$globl}}\n{{/globl}}\n{{/haproxy.cfg}}\n".write(
            to: folder.appendingPathComponent("haproxy.cfg.mustache"), atomically: true, encoding: .utf8)
        try "{{#pools}}\n".write(to: folder.appendingPathComponent("pgbouncer.ini.mustache"), atomically: true, encoding: .utf8)
        #expect(throws: TemplateErrors.self) { try TemplateSet.loading(directory: folder.path) }
        do {
            _ = try TemplateSet.loading(directory: folder.path)
        } catch let failure as TemplateErrors {
            let lines = failure.errors.map(\.description)
            #expect(lines.count == 3, "\(lines)")
            #expect(
                lines.contains {
                    $0.hasSuffix(
                        "haproxy.cfg.mustache:2:1: error: 'haproxy.cfg' has no block 'globl'; its blocks: defaults, extra, global, readOnlyOptions, readWriteOptions [TTP004]"
                    )
                }, "\(lines)")
            #expect(
                lines.contains { $0.contains("haproxy.conf.mustache:1:1: error: 'haproxy.conf.mustache' overrides no bundled template") },
                "\(lines)")
            #expect(lines.contains { $0.hasSuffix("pgbouncer.ini.mustache:1:1: error: 'pools' is never closed [TTP001]") }, "\(lines)")
        }
    }
}
