import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// topoc-verify ends on its own when the deployment never answers: its Patroni REST API here is
/// a socket that accepts connections and never replies, so the run would wait for a leader for
/// minutes; the watchdog (budget shortened by TOPOC_VERIFY_BUDGET) ends it with exit 2 and names
/// the stage it was stuck in.
final class VerifyWatchdogTests: XCTestCase {
    /// A listening socket on loopback that never accepts: connections complete in the kernel's
    /// backlog and every request waits for an answer that does not come.
    private func silentListener() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(descriptor, 64), 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    func testTheWatchdogEndsARunThatWouldWaitForever() throws {
        let verifier = TopocProcess.executable.deletingLastPathComponent().appendingPathComponent("topoc-verify")
        guard FileManager.default.isExecutableFile(atPath: verifier.path) else {
            throw XCTSkip("topoc-verify is not built beside topoc (swift build --build-tests builds it)")
        }
        let (descriptor, port) = try silentListener()
        defer { close(descriptor) }
        let folder = try TopocProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let endpoint = #"{"host": "127.0.0.1", "port": \#(port)}"#
        let routing = """
            {"topology": "t", "pooler": \(endpoint), "clusters": [{"name": "c", "readWrite": \(endpoint),
             "databases": [{"name": "d", "pool": "d", "readOnlyPool": "d_ro"}],
             "replicaReads": [{"member": "m0", "readOnly": \(endpoint), "rest": \(endpoint)},
                              {"member": "m1", "readOnly": \(endpoint), "rest": \(endpoint)}]}]}
            """
        let routingURL = folder.appendingPathComponent("routing.json")
        try Data(routing.utf8).write(to: routingURL)
        let spec = """
            {"routing": "\(routingURL.path)", "username": "app", "password": "p", "superuserPassword": "s",
             "restUser": "r", "restPassword": "r", "members": [], "seconds": 20, "readPath": "routed",
             "pauseReplay": false, "killLeader": false}
            """
        let specURL = folder.appendingPathComponent("verify-spec.json")
        try Data(spec.utf8).write(to: specURL)

        setenv("TOPOC_VERIFY_BUDGET", "3", 1)
        defer { unsetenv("TOPOC_VERIFY_BUDGET") }
        let started = Date()
        let result = try TopocProcess.run([specURL.path], binary: verifier)
        let elapsed = Date().timeIntervalSince(started)

        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(
            result.stderr.contains("the run did not end within 3 s (at: waiting for a leader and a replica in every cluster"),
            result.stderr)
        XCTAssertLessThan(elapsed, 20, "ended by the watchdog, not by the 30 s wait for a leader")
        XCTAssertFalse(FileManager.default.fileExists(atPath: specURL.path), "the spec (passwords) is removed once read")
    }
}
