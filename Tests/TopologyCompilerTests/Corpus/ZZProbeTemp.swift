import Foundation
import Testing
@testable import TopologyCompiler

@Suite struct ZZProbeTemp {
    @Test func probe() throws {
        let dir = "/tmp/probe"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        var out = ""
        for f in files {
            let bytes = Array(FileManager.default.contents(atPath: dir + "/" + f)!)
            let r = TopologyLoader.load(bytes: bytes, file: f)
            out += "=== \(f) topology=\(r.topology != nil)\n"
            for d in r.diagnostics { out += d.rendered + "\n" }
        }
        try out.write(toFile: "/tmp/probe.out", atomically: true, encoding: .utf8)
    }
}
