import Foundation
import Testing

@testable import TopologyCompiler

/// `replica-check.py` against stand-in Patroni REST endpoints (Python's http.server on loopback,
/// answering what Patroni 3.0.2 answers: `GET /replica?lag=` with the replica's `xlog`, `GET
/// /primary` with the leader's `xlog.location`), one case per branch. The cluster suite runs it
/// under HAProxy against real Patroni members.
struct ReplicaCheckScriptTests {
    /// Runs every case in one Python process; prints one line per case: name, expected, actual.
    static let driver = #"""
        import http.server, json, os, subprocess, sys, threading
        from datetime import datetime, timedelta, timezone

        script = open(sys.argv[1]).read()
        answers = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = answers.get((self.server.server_port, self.path.split("?")[0]), (503, {}))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(3)]
        for server in servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        leader, replica, other = (server.server_port for server in servers)
        table = {"main_ro": {"lag_bytes": 1048576, "max_staleness_ms": 3000,
                 "members": {"m0": ["127.0.0.1", leader], "m1": ["127.0.0.1", replica], "m2": ["127.0.0.1", other]}}}
        lines = script.split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith("CLUSTERS = "))
        lines[index] = "CLUSTERS = " + json.dumps(table)
        path = sys.argv[1] + ".case.py"
        open(path, "w").write("\n".join(lines))

        def stamp(seconds_ago):
            return str(datetime.now(timezone.utc) - timedelta(seconds=seconds_ago))

        def case(name, expected, replica_answer, leader_answer=(200, {"xlog": {"location": 5000}}), server="m1"):
            answers.clear()
            answers[(replica, "/replica")] = replica_answer
            answers[(leader, "/primary")] = leader_answer
            env = {"HAPROXY_PROXY_NAME": "main_ro", "HAPROXY_SERVER_NAME": server, "PATH": "/usr/bin:/bin"}
            code = subprocess.run([sys.executable, path], env=env).returncode
            print(name, expected, code)

        def xlog(replayed, seconds_ago):
            return (200, {"role": "replica", "xlog": {"received_location": 5000, "replayed_location": replayed,
                                                       "replayed_timestamp": stamp(seconds_ago), "paused": False}})

        case("caught-up-with-an-old-commit", 0, xlog(5000, 3600))
        case("behind-with-a-recent-commit", 0, xlog(4000, 1))
        case("behind-with-a-stale-commit", 1, xlog(4000, 10))
        case("behind-with-no-replayed-commit", 1, (200, {"xlog": {"replayed_location": 4000, "replayed_timestamp": None}}))
        case("patroni-byte-check-refuses", 1, (503, {"xlog": {"replayed_location": 5000}}))
        case("no-leader", 1, xlog(4000, 1), leader_answer=(503, {}))
        case("unknown-server", 1, xlog(5000, 1), server="m9")
        """#

    @Test func everyBranchOfTheCheck() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        var plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        // The stand-ins speak plain HTTP; ClusterTLSTests runs the check over HTTPS against Patroni.
        plan.tls = nil
        let script = ReplicaCheckScript.text(plan: plan)
        let path = ClusterBackendSupport.write(script, name: "replica-check.py")
        let driver = ClusterBackendSupport.write(Self.driver, name: "driver.py")
        let run = Subprocess.run(["/usr/bin/python3", driver, path], environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
        #expect(run.status == 0, "\(run.error)")
        let cases = run.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(cases.count == 7, "\(run.output)\(run.error)")
        for fields in cases where fields.count == 3 {
            #expect(fields[1] == fields[2], "\(fields[0]): expected exit \(fields[1]), got \(fields[2])")
        }
    }
}
