import Foundation
import Testing

@testable import TopologyLocalCluster

/// When `topoc up` calls a cluster ready, from Patroni's view of it.
struct ClusterProbeTests {
    /// `GET /cluster` as Patroni 3.0.2 answered it while a replica restarted to copy a permanent
    /// logical slot (the moment a strict synchronous cluster loses its synchronous standby).
    static let restarting = """
        {"members": [
          {"name": "main-0", "role": "replica", "state": "running", "api_url": "http://127.0.0.1:31003/patroni",
           "host": "127.0.0.1", "port": 31004, "timeline": 1, "lag": 0},
          {"name": "main-1", "role": "sync_standby", "state": "starting", "api_url": "http://127.0.0.1:31005/patroni",
           "host": "127.0.0.1", "port": 31006, "lag": "unknown"},
          {"name": "main-2", "role": "leader", "state": "running", "api_url": "http://127.0.0.1:31001/patroni",
           "host": "127.0.0.1", "port": 31002, "timeline": 1}
        ]}
        """

    @Test func aMemberStillStartingIsSettling() throws {
        let view = try #require(PatroniClusterView.decode(Array(Self.restarting.utf8)))
        #expect(ClusterProbe.settling(view) == ["main-1 starting"])
        let settled = try #require(
            PatroniClusterView.decode(Array(Self.restarting.replacingOccurrences(of: "\"starting\"", with: "\"streaming\"").utf8)))
        #expect(ClusterProbe.settling(settled) == [])
    }

    @Test func readyOnlyOnceEveryMemberIsSettled() {
        var readiness = ClusterProbe.Readiness(
            leader: "main-2", leaderPort: 31002, streaming: ["main-0", "main-1"], expectedReplicas: 2, states: [:])
        readiness.synchronousNeeded = 1
        readiness.synchronousStandbys = ["main-1"]
        #expect(readiness.isReady)
        readiness.settling = ["main-1 starting"]
        #expect(!readiness.isReady)
        #expect(readiness.summary.hasSuffix(", settling: main-1 starting"))
        readiness.settling = []
        readiness.synchronousStandbys = []
        #expect(!readiness.isReady, "no synchronous standby recorded")
        readiness.synchronousStandbys = ["main-1"]
        readiness.slotsPending = ["main-0: events_debezium"]
        #expect(!readiness.isReady)
    }

    @Test func theFirstErrorsOfALogAreFound() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let lines = [
            "2026-12-05 00:16:42,101 INFO: Lock owner: None; I am main-0",
            "psql: error: connection to server on socket \"/tmp/.s.PGSQL.31002\" failed: No such file or directory",
            "2026-12-05 00:16:43.001 UTC [11] LOG:  database system is ready",
            "2026-12-05 00:16:43.002 UTC [12] FATAL:  role \"x\" does not exist",
            "2026-12-05 00:16:44,000 ERROR: post_bootstrap",
            "  File \"/usr/lib/python3/dist-packages/patroni/ha.py\", line 1483, in post_bootstrap",
        ]
        try lines.joined(separator: "\n").write(to: log, atomically: true, encoding: .utf8)
        #expect(LocalClusterUp.firstErrors(log.path) == [lines[1], lines[3], lines[4]])
        #expect(LocalClusterUp.firstErrors(log.path, limit: 1) == [lines[1]])
        #expect(LocalClusterUp.firstErrors("/nonexistent/probe.log") == [])
    }
}
