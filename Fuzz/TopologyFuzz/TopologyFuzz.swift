import Foundation
import TopologyCompiler

/// Runs one input through everything a topology file reaches: load, plan for both targets,
/// and the backends. Any trap, hang or sanitizer report is a bug.
func fuzzOne(_ bytes: [UInt8]) {
    for target in DeploymentTarget.allCases {
        let compiled = CompilerDriver.compile(bytes: bytes, file: "fuzz.yaml", target: target)
        if let plan = compiled.plan {
            _ = CompilerDriver.artifacts(for: plan, only: [])
            _ = PlanTextRenderer.render(plan)
        }
        for format in DiagnosticFormat.allCases {
            _ = DiagnosticRenderer.render(compiled.diagnostics, as: format, files: ["fuzz.yaml"])
        }
    }
}

#if FUZZING
    /// libFuzzer's entry point; built with `-Xswiftc -DFUZZING --sanitize fuzzer`.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func topologyFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let data else { return 0 }
        fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
#else
    /// Without the fuzzer: replays the files or folders given as arguments (a crash reproducer).
    @main
    enum TopologyFuzzReplay {
        static func main() {
            var count = 0
            for argument in CommandLine.arguments.dropFirst() {
                let url = URL(fileURLWithPath: argument)
                let files =
                    (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil))
                    ?? [url]
                for file in files.sorted(by: { $0.path < $1.path }) {
                    guard let data = FileManager.default.contents(atPath: file.path) else { continue }
                    fuzzOne(Array(data))
                    count += 1
                }
            }
            print("replayed \(count) inputs without a crash")
        }
    }
#endif
