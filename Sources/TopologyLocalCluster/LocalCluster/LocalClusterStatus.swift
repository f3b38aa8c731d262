import Foundation
import TopologyCompiler

/// `topoc status`: the processes of a local deployment and each cluster as Patroni sees it
/// (`GET /cluster`): members, roles, states, timelines, lag and which standbys are synchronous.
public enum LocalClusterStatus {
    /// The report's text.
    public static func report(layout: LocalRunLayout) throws -> String {
        let state = try LocalClusterState.load(from: layout.state)
        var lines = ["topology \(state.topology), run folder \(state.runDirectory)", "", "processes:"]
        let notRunning = state.notRunning
        for process in state.processes {
            var condition = "running"
            if let dead = notRunning.first(where: { $0.process.process == process.process }) {
                condition = "NOT RUNNING"
                if let postmaster = dead.orphanedPostmaster {
                    condition += " (its PostgreSQL, pid \(postmaster.pid), still runs without it: no failover manages it)"
                }
            }
            lines.append("  \(pad(process.kind, 10)) \(pad(process.name, 20)) pid \(pad(String(process.process.pid), 8)) \(condition)")
        }
        // With the run folder's passwords, the leader's pg_stat_replication adds real streaming state.
        let psql = LocalSecrets.load(from: layout.secrets).flatMap { secrets -> PSQL? in
            guard let password = secrets.values[state.superuserVariable ?? ""] else { return nil }
            return PSQL(program: "/usr/bin/psql", password: password)
        }
        var clusters: [String] = []
        for member in state.members where !clusters.contains(member.cluster ?? "") { clusters.append(member.cluster ?? "") }
        for cluster in clusters {
            let members = state.members.filter { $0.cluster == cluster }
            lines.append("")
            guard let view = ClusterProbe.view(restPorts: members.compactMap(\.restPort), tls: state.restTLS) else {
                lines.append("cluster \(cluster): no member's REST API answers")
                continue
            }
            let sync = view.syncStandbys.map(\.name)
            lines.append(
                "cluster \(cluster): leader \(view.leader?.name ?? "none"), synchronous standbys: \(sync.isEmpty ? "none" : sync.joined(separator: ", "))"
            )
            lines.append("  \(pad("member", 20)) \(pad("role", 14)) \(pad("state", 18)) \(pad("address", 18)) \(pad("tl", 4)) lag (bytes)")
            let streams = view.leader.flatMap { leader in psql.flatMap { replication(port: leader.port, psql: $0) } } ?? [:]
            for member in view.members {
                var lag = member.role == "leader" ? "" : member.lag.map(String.init) ?? "unknown"
                if let stream = streams[member.name] {
                    lag += "  (pg_stat_replication: \(stream.state), \(stream.sync), replay lag \(stream.lag) bytes)"
                } else if member.role != "leader" && psql != nil {
                    lag += "  (not in the leader's pg_stat_replication)"
                }
                let flags = member.tags["nofailover"] == "1" || member.tags["nofailover"] == "true" ? "  nofailover" : ""
                lines.append(
                    "  \(pad(member.name, 20)) \(pad(member.role, 14)) \(pad(member.state, 18)) \(pad("\(member.host):\(member.port)", 18)) \(pad(member.timeline.map(String.init) ?? "-", 4)) \(lag)\(flags)"
                )
            }
            for subscription in view.leader.flatMap({ leader in psql.flatMap { subscriptions(port: leader.port, psql: $0) } }) ?? [] {
                lines.append("  subscription \(subscription)")
            }
        }
        lines.append("")
        lines.append("endpoints: pgbouncer \(state.pgbouncer) pools \(state.pools.joined(separator: ", "))")
        for frontend in state.frontends {
            lines.append(
                "  \(frontend.cluster): rw \(frontend.host):\(frontend.readWritePort), ro \(frontend.host):\(frontend.readOnlyPort)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One replica's row of the leader's pg_stat_replication.
    struct Stream {
        var state: String
        var sync: String
        var lag: String
    }

    /// The leader's pg_stat_replication by application name.
    static func replication(port: Int, psql: PSQL) -> [String: Stream]? {
        let result = psql.run(
            port: port,
            sql:
                "SELECT application_name, state, sync_state, COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint::text, '?') FROM pg_stat_replication",
            timeout: 5)
        guard result.status == 0 else { return nil }
        var streams: [String: Stream] = [:]
        for row in result.rows where row.count == 4 { streams[row[0]] = Stream(state: row[1], sync: row[2], lag: row[3]) }
        return streams
    }

    /// The leader's logical subscriptions (multi-primary groups), one line each: whether its
    /// apply worker runs and how long ago it last heard from the publisher.
    static func subscriptions(port: Int, psql: PSQL) -> [String]? {
        let result = psql.run(
            port: port,
            sql: """
                SELECT s.subname, s.subenabled::text, (w.pid IS NOT NULL)::text,
                       COALESCE(round(EXTRACT(epoch FROM now() - w.last_msg_receipt_time)::numeric, 1)::text, '-')
                FROM pg_catalog.pg_subscription s
                LEFT JOIN pg_catalog.pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
                ORDER BY 1
                """,
            timeout: 5)
        guard result.status == 0 else { return nil }
        return result.rows.filter { $0.count == 4 }.map { row in
            let state = row[1] != "true" ? "disabled" : row[2] == "true" ? "running" : "enabled, no apply worker (retrying)"
            return "\(row[0]): \(state)" + (row[3] == "-" ? "" : ", last message \(row[3]) s ago")
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
