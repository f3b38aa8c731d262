import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// `staleness-agent.py` against stand-in Patroni REST endpoints (Python's http.server on
/// loopback, answering what Patroni 3.0.2 answers: `GET /replica?lag=` with the replica's
/// `xlog`, `GET /primary` with the leader's `xlog.location`), asked over TCP the way HAProxy's
/// `tcp-check` asks, one case per branch. The cluster suite runs it under HAProxy against real
/// Patroni members.
struct StalenessAgentScriptTests {
    /// Starts the agent once (polling every 0.1 s) and runs every case against it; prints one
    /// line per case: name, expected answer, actual answer.
    static let driver = #"""
        import http.server, json, socket, subprocess, sys, threading, time
        from datetime import datetime, timedelta, timezone

        script = open(sys.argv[1]).read()
        answers = {}

        served = {}
        served_lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                endpoint = (self.server.server_port, self.path.split("?")[0])
                with served_lock:
                    status, body = answers.get(endpoint, (503, {}))
                    served[endpoint] = served.get(endpoint, 0) + 1
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
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        agent_port = probe.getsockname()[1]
        probe.close()
        table = {"main_ro": {"lag_bytes": 1048576, "max_staleness_ms": 3000,
                 "members": {"m0": ["127.0.0.1", leader], "m1": ["127.0.0.1", replica], "m2": ["127.0.0.1", other]}}}
        lines = script.split("\n")
        for index, line in enumerate(lines):
            if line.startswith("CLUSTERS = "):
                lines[index] = "CLUSTERS = " + json.dumps(table)
            elif line.startswith("LISTEN = "):
                lines[index] = "LISTEN = (\"127.0.0.1\", %d)" % agent_port
            elif line.startswith("POLL_SECONDS = "):
                lines[index] = "POLL_SECONDS = 0.1"
        path = sys.argv[1] + ".case.py"
        open(path, "w").write("\n".join(lines))
        agent = subprocess.Popen([sys.executable, path], stdout=subprocess.DEVNULL)

        def ask(key):
            for _ in range(50):
                try:
                    with socket.create_connection(("127.0.0.1", agent_port), timeout=2) as connection:
                        connection.sendall((key + "\n").encode())
                        return connection.makefile().readline().strip()
                except OSError:
                    time.sleep(0.1)
            return "unreachable"

        def stamp(seconds_ago):
            return str(datetime.now(timezone.utc) - timedelta(seconds=seconds_ago))

        def case(name, expected, replica_answer, leader_answer=(200, {"xlog": {"location": 5000}}), key="main_ro/m1"):
            with served_lock:
                answers.clear()
                answers[(replica, "/replica")] = replica_answer
                answers[(leader, "/primary")] = leader_answer
                served.clear()
            # The agent polls its members in turn, one poll after another: the third request
            # for the replica's /replica since the change means the poll that made the second,
            # which started after the change, has stored its verdict. Counted, not timed: a
            # loaded machine may poll late.
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                with served_lock:
                    if served.get((replica, "/replica"), 0) >= 3:
                        break
                time.sleep(0.02)
            print(name, expected, ask(key))

        def xlog(replayed, seconds_ago):
            return (200, {"role": "replica", "xlog": {"received_location": 5000, "replayed_location": replayed,
                                                       "replayed_timestamp": stamp(seconds_ago), "paused": False}})

        try:
            case("caught-up-with-an-old-commit", "up", xlog(5000, 3600))
            case("behind-with-a-recent-commit", "up", xlog(4000, 1))
            case("behind-with-a-stale-commit", "down", xlog(4000, 10))
            case("behind-with-no-replayed-commit", "down", (200, {"xlog": {"replayed_location": 4000, "replayed_timestamp": None}}))
            case("patroni-byte-check-refuses", "down", (503, {"xlog": {"replayed_location": 5000}}))
            case("no-leader", "down", xlog(4000, 1), leader_answer=(503, {}))
            case("unknown-server", "down", xlog(5000, 1), key="main_ro/m9")
            case("unknown-frontend", "down", xlog(5000, 1), key="other_ro/m1")
            case("hostile-key", "down", xlog(5000, 1), key="main_ro/m1\x00;rm -rf /" + "x" * 600)
            case("back-up-again", "up", xlog(5000, 3600))
            # A replica whose REST API stops answering (still the caught-up answers above, then
            # no answer at all: the listening sockets stay open, so the agent's requests hang
            # until their timeout) is down once its last answered poll is older than the
            # freshness bound, three poll intervals plus one second (1.3 s here), whatever the
            # hung polling thread is doing.
            for server in servers:
                server.shutdown()
            time.sleep(3 * 0.1 + 1 + 0.3)
            print("rest-api-gone", "down", ask("main_ro/m1"))
        finally:
            agent.kill()
        """#

    @Test func everyBranchOfTheAgent() throws {
        var plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        // The stand-ins speak plain HTTP; ClusterTLSTests runs the agent over HTTPS against Patroni.
        plan.tls = nil
        let script = StalenessAgentScript.text(plan: plan)
        let path = ClusterBackendSupport.write(script, name: "staleness-agent.py")
        let driver = ClusterBackendSupport.write(Self.driver, name: "driver.py")
        let run = Subprocess.run(["/usr/bin/python3", driver, path], environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
        #expect(run.status == 0, "\(run.error)")
        let cases = run.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(cases.count == 11, "\(run.output)\(run.error)")
        for fields in cases where fields.count == 3 {
            #expect(fields[1] == fields[2], "\(fields[0]): expected \(fields[1]), got \(fields[2])")
        }
    }

    /// The poll interval is half the strictest bound, between 250 ms and 1 s.
    @Test func pollIntervalFollowsTheStrictestBound() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        #expect(StalenessAgentScript.pollMilliseconds(plan) == 1000, "max_staleness 5s")
        let global = try #require(try PlanTestSupport.plan(example: "global-composite.yaml", target: .local))
        #expect(StalenessAgentScript.pollMilliseconds(global) == 500, "max_staleness 1s")
    }
}
