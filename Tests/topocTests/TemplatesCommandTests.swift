import Foundation
import Testing

/// `topoc templates` and `topoc build --templates`, run as a user would, including from a copy of
/// the binary outside the build folder (the templates are embedded, no resource bundle).
@Suite("topoc templates")
struct TemplatesCommandTests {
    static func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-templates-cli-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func listCatAndContext() throws {
        let list = try TopocProcess.run(["templates", "list"])
        #expect(list.status == 0)
        for name in ["haproxy.cfg", "pgbouncer.ini", "Dockerfile", "README.md", "patroni.yml"] {
            #expect(list.stdout.contains(name + "\t"), "\(list.stdout)")
            let cat = try TopocProcess.run(["templates", "cat", name])
            let file = try String(contentsOf: TopocProcess.repository.appendingPathComponent("Templates/\(name).mustache"), encoding: .utf8)
            #expect(cat.status == 0 && cat.stdout == file, "\(name)")
        }
        let context = try TopocProcess.run(["templates", "context", "pgbouncer.ini", "examples/single-node.yaml"])
        #expect(context.status == 0 && context.stdout.contains("\"contextVersion\" : 1"), "\(context.stderr)")
        let unknown = try TopocProcess.run(["templates", "cat", "nginx.conf"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no bundled template is named 'nginx.conf'"))
    }

    /// A copied binary renders from its embedded templates, and an override's error is located in
    /// the override file, with exit 1 and nothing written.
    @Test func copiedBinaryBuildsAndOverrideErrorsAreLocated() throws {
        let work = try Self.folder("copy")
        defer { try? FileManager.default.removeItem(at: work) }
        let binary = work.appendingPathComponent("topoc")
        try FileManager.default.copyItem(at: TopocProcess.executable, to: binary)
        let example = TopocProcess.repository.appendingPathComponent("examples/single-node.yaml").path
        let built = try TopocProcess.run(["build", "-o", "out", "--target", "local", example], in: work, binary: binary)
        #expect(built.status == 0, "\(built.stderr)")
        let haproxy = try String(contentsOf: work.appendingPathComponent("out/cluster/haproxy/haproxy.cfg"), encoding: .utf8)
        #expect(haproxy.contains("listen main_rw\n"))

        let templates = work.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "{{<haproxy.cfg}}\n{{$global}}\nglobal\n    maxconn {{maxconnections}}\n{{/global}}\n{{/haproxy.cfg}}\n".write(
            to: templates.appendingPathComponent("haproxy.cfg.mustache"), atomically: true, encoding: .utf8)
        let refused = try TopocProcess.run(["build", "-o", "refused", "--templates", "templates", example], in: work, binary: binary)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("templates/haproxy.cfg.mustache:4:13: error: the context has no value 'maxconnections' [TTP002]"),
            "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("refused").path), "nothing written")
        // Into the earlier output: the backends had staged their files; none is put in place.
        let out = work.appendingPathComponent("out")
        let before = try FileManager.default.subpathsOfDirectory(atPath: out.path).sorted()
        let refusedAgain = try TopocProcess.run(["build", "-o", "out", "--templates", "templates", example], in: work, binary: binary)
        #expect(refusedAgain.status == 1)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: out.path).sorted() == before)
        #expect(try String(contentsOf: out.appendingPathComponent("cluster/haproxy/haproxy.cfg"), encoding: .utf8) == haproxy)
        let check = try TopocProcess.run(["templates", "check", "templates", "--topology", example], in: work, binary: binary)
        #expect(check.status == 1 && check.stderr.components(separatedBy: "[TTP002]").count == 2, "\(check.stderr)")

        try "{{<haproxy.cfg}}\n{{$global}}\nglobal\n    maxconn {{maxconn}}\n    nbthread 2\n{{/global}}\n{{/haproxy.cfg}}\n".write(
            to: templates.appendingPathComponent("haproxy.cfg.mustache"), atomically: true, encoding: .utf8)
        let fine = try TopocProcess.run(["templates", "check", "templates", "--topology", example], in: work, binary: binary)
        #expect(fine.status == 0, "\(fine.stderr)")
        let overridden = try TopocProcess.run(["build", "-o", "out", "--templates", "templates", example], in: work, binary: binary)
        #expect(overridden.status == 0, "\(overridden.stderr)")
        let changed = try String(contentsOf: work.appendingPathComponent("out/cluster/haproxy/haproxy.cfg"), encoding: .utf8)
        #expect(changed.contains("    nbthread 2\n") && changed.contains("listen main_rw\n"))
    }
}
