import Foundation
import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

/// What `Subprocess.run` does with a child's descendants.
@Suite("subprocess")
struct SubprocessTests {
    /// The limit its comment states: a descendant that keeps the child's descriptors holds the
    /// call until it exits, whatever the timeout (why `topoc verify` execs topoc-verify).
    @Test func aDescendantHoldingTheDescriptorsHoldsTheCaller() {
        let started = Date()
        let result = Subprocess.run(["/bin/sh", "-c", "sleep 3 & echo started"], environment: ["PATH": "/usr/bin:/bin"], timeout: 1)
        #expect(Date().timeIntervalSince(started) >= 2.5)
        #expect(result.output == "started\n")
    }

    @Test func aChildThatClosesItsPipesIsReadFully() {
        let result = Subprocess.run(["/bin/sh", "-c", "echo out; echo err >&2"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0)
        #expect(result.output == "out\n")
        #expect(result.error == "err\n")
    }
}
