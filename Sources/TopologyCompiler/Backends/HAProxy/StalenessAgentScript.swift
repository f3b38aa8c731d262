import Foundation

/// `staleness-agent.py`: one long-running process per HAProxy that decides which replicas of a
/// read-only frontend under `max_staleness` may serve reads (Patroni 3.0.2's REST API bounds
/// replica lag in bytes only).
///
/// It polls every member of those clusters (Patroni's `GET /replica?lag=<bytes>`, then the
/// leader's `GET /primary`) once per poll interval, and answers HAProxy's health checks from
/// what it last saw: HAProxy connects to it (`tcp-check`), sends `<frontend>/<server>` and
/// expects `up`. Asking a process that already knows costs HAProxy a loopback round trip,
/// where an external check forks a Python interpreter per server and check (48 per second for
/// 16 shards of 3 members, more than two cores can start).
///
/// A replica is `up` when, at its last poll, Patroni's byte check passed and the leader's
/// position was known, and at the moment HAProxy asks, an upper bound of its staleness is
/// within `max_staleness`: the time since that poll when the replica had then replayed
/// everything the leader had written (read after the replica's position, so it can only be
/// newer), else the age of its last replayed commit (`pg_last_xact_replay_timestamp()`; the
/// replica shows the primary as of that commit or later). A poll older than three intervals,
/// an unknown server and a cluster without a reachable leader answer `down`, and so does a dead
/// agent (HAProxy cannot connect): every failure sends reads to the leader fallback. It
/// compares the leader's commit timestamps with this host's clock, so hosts must keep their
/// clocks synchronized.
enum StalenessAgentScript {
    /// The members the agent polls, by HAProxy proxy name and server name.
    struct Cluster: Encodable {
        var lagBytes: Int64
        var maxStalenessMilliseconds: Int64
        /// Server name -> [host, REST port].
        var members: [String: [Member]]

        enum Member: Encodable {
            case host(String)
            case port(Int)

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .host(let host): try container.encode(host)
                case .port(let port): try container.encode(port)
                }
            }
        }

        enum CodingKeys: String, CodingKey {
            case lagBytes = "lag_bytes"
            case maxStalenessMilliseconds = "max_staleness_ms"
            case members
        }
    }

    /// The agent's port inside the compose HAProxy container (loopback only).
    static let composePort = 8405

    /// The address and port the agent listens on and HAProxy's checks connect to: loopback on
    /// both targets (on compose, inside the HAProxy container, where the agent runs too).
    static func port(_ plan: Plan) -> Int {
        plan.target == .compose ? composePort : (plan.pooler.stalenessAgentPort ?? composePort)
    }

    /// How often the agent polls each member: half the strictest bound, between 250 ms and 1 s.
    static func pollMilliseconds(_ plan: Plan) -> Int64 {
        let strictest = clusters(plan).values.map(\.maxStalenessMilliseconds).min() ?? 2000
        return min(1000, max(250, strictest / 2))
    }

    /// The clusters whose read-only frontend uses the agent, keyed by the frontend's proxy name.
    static func clusters(_ plan: Plan) -> [String: Cluster] {
        var result: [String: Cluster] = [:]
        for cluster in plan.clusters {
            guard case .replicas(.staleness(let bytes, let milliseconds)) = ReadOnlyRoute.of(cluster, in: plan) else { continue }
            var members: [String: [Cluster.Member]] = [:]
            for member in cluster.members {
                members[ClusterLayout.token(member.name)] = [.host(member.host), .port(member.restPort)]
            }
            result["\(ClusterLayout.token(cluster.name))_ro"] = Cluster(
                lagBytes: bytes, maxStalenessMilliseconds: milliseconds, members: members)
        }
        return result
    }

    /// The table as a Python literal: JSON of strings and integers only, which Python reads as is.
    static func table(_ plan: Plan) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(clusters(plan)) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// How the agent reaches Patroni's REST API, as a Python literal: `None` for HTTP, else
    /// `{"ca": <CA file or None>}` for HTTPS, verified against the CA under verify-full.
    static func restTLS(_ plan: Plan) -> String {
        guard let files = ClusterLayout.tls(.patroni, in: plan) else { return "None" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let ca = files.verifies ? files.ca : nil
        guard let data = try? encoder.encode(["ca": ca]) else { return "None" }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: ":null", with: ":None")
    }

    /// The script's text.
    static func text(plan: Plan) -> String {
        #"""
        #!/usr/bin/python3
        # Generated by topoc from topology '\#(CommentQuoting.line(plan.topology))'. Do not edit.
        # The staleness agent of HAProxy's read-only frontends under max_staleness: it polls each
        # member's Patroni REST API and answers HAProxy's checks ("<frontend>/<server>\n") with "up"
        # or "down". A replica is up when Patroni's GET /replica?lag=<bytes> answered 200 at the last
        # poll and an upper bound of its staleness is within max_staleness now: the time since that
        # poll if it had then replayed all the leader had written, else the age of its last replayed
        # commit. Polls older than three intervals, unknown servers and a missing leader answer down;
        # so does a dead agent (HAProxy cannot connect), which sends reads to the leader fallback.
        import json
        import socketserver
        import ssl
        import sys
        import threading
        import time
        import urllib.error
        import urllib.request
        from datetime import datetime, timezone

        LISTEN = ("127.0.0.1", \#(port(plan)))
        POLL_SECONDS = \#(Double(pollMilliseconds(plan)) / 1000)
        CLUSTERS = \#(table(plan))
        # Patroni's REST API over HTTPS: None for HTTP; the CA to verify it against, or None to not verify.
        REST_TLS = \#(restTLS(plan))

        seen = {}
        seen_lock = threading.Lock()


        def context():
            if REST_TLS is None:
                return None
            if REST_TLS["ca"] is None:
                return ssl._create_unverified_context()
            return ssl.create_default_context(cafile=REST_TLS["ca"])


        def ask(host, port, path):
            scheme = "http" if REST_TLS is None else "https"
            try:
                with urllib.request.urlopen("%s://%s:%d%s" % (scheme, host, port, path), timeout=1, context=context()) as reply:
                    return reply.status, json.load(reply)
            except urllib.error.HTTPError as error:
                return error.code, {}
            except Exception:
                return None, {}


        def replayed_at(xlog):
            try:
                stamp = datetime.fromisoformat(xlog.get("replayed_timestamp") or "")
            except (TypeError, ValueError):
                return None
            return stamp if stamp.tzinfo is not None else None


        def poll(proxy, cluster):
            members = sorted(cluster["members"].items())
            while True:
                started = time.monotonic()
                replicas = {}
                for server, (host, port) in members:
                    code, status = ask(host, port, "/replica?lag=%d" % cluster["lag_bytes"])
                    replicas[server] = (code, status.get("xlog", {}))
                # The leader's position, read after the replicas': it can only be newer.
                leader = None
                for server, (host, port) in members:
                    if replicas[server][0] == 200:
                        continue
                    code, status = ask(host, port, "/primary")
                    if code == 200:
                        leader = status.get("xlog", {}).get("location")
                        break
                with seen_lock:
                    for server, (code, xlog) in replicas.items():
                        replayed = xlog.get("replayed_location")
                        eligible = code == 200 and isinstance(replayed, int) and isinstance(leader, int)
                        caught_up = eligible and replayed >= leader
                        seen[proxy + "/" + server] = (started, eligible, caught_up, replayed_at(xlog))
                time.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - started)))


        def verdict(key):
            proxy = key.split("/", 1)[0]
            cluster = CLUSTERS.get(proxy)
            with seen_lock:
                state = seen.get(key)
            if cluster is None or state is None:
                return False
            polled, eligible, caught_up, commit = state
            since_poll = time.monotonic() - polled
            if not eligible or since_poll > 3 * POLL_SECONDS + 1:
                return False
            bound = cluster["max_staleness_ms"] / 1000.0
            if caught_up and since_poll <= bound:
                return True
            if commit is None:
                return False
            return (datetime.now(timezone.utc) - commit).total_seconds() <= bound


        class Check(socketserver.StreamRequestHandler):
            timeout = 2

            def handle(self):
                try:
                    key = self.rfile.readline(512).decode("utf-8", "replace").strip()
                    self.wfile.write(b"up\n" if verdict(key) else b"down\n")
                except OSError:
                    pass


        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True


        def main():
            server = Server(LISTEN, Check)
            for proxy, cluster in sorted(CLUSTERS.items()):
                threading.Thread(target=poll, args=(proxy, cluster), daemon=True).start()
            print("staleness agent on %s:%d, %d frontends, poll %.2fs" % (LISTEN + (len(CLUSTERS), POLL_SECONDS)), flush=True)
            server.serve_forever()


        if __name__ == "__main__":
            sys.exit(main())

        """#
    }
}
