import Foundation
import PostgresNIO
import TopologyClient
import TopologyRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Replica lag (replay paused on every replica from 15 % to 45 % of the run) and a leader kill
/// (the first cluster's Patroni and postmaster, SIGKILL, at 60 %).
struct Faults: Sendable {
    let spec: VerifySpec
    let client: TopologyClient
    let clusters: [String]
    let started: Double
    var killedAt: (cluster: String, member: String, at: Double)?
    private let killBox = KillBox()

    init(spec: VerifySpec, client: TopologyClient, clusters: [String], started: Double) {
        self.spec = spec
        self.client = client
        self.clusters = clusters
        self.started = started
    }

    func inject() async {
        if spec.pauseReplay {
            await sleep(until: 0.15)
            let maintained = await setMaintenance(true)
            let paused = await setReplay(paused: true)
            print(
                String(format: "+%.1f s: replay paused on %d replicas", Date().timeIntervalSince1970 - started, paused)
                    + (maintained ? "" : "; warning: not every member reports maintenance mode on (Patroni may resume replay)"))
            await sleep(until: 0.45)
            await setReplay(paused: false)
            let resumed = await setMaintenance(false)
            print(
                String(format: "+%.1f s: replay resumed", Date().timeIntervalSince1970 - started)
                    + (resumed ? "" : "; warning: not every member reports maintenance mode off (no failover while paused)"))
        }
        if spec.killLeader, let cluster = clusters.first {
            await sleep(until: 0.6)
            guard let leader = client.memberRoles(cluster: cluster).first(where: { $0.role == .leader }),
                let member = spec.members.first(where: { $0.cluster == cluster && $0.name == leader.member })
            else {
                print("no leader seen in \(cluster): nothing killed")
                return
            }
            let postmaster = (try? String(contentsOfFile: member.dataDirectory + "/postmaster.pid", encoding: .utf8))?
                .split(separator: "\n").first.flatMap { Int32($0) }
            let at = Date().timeIntervalSince1970
            kill(member.patroniPID, SIGKILL)
            if let postmaster { kill(postmaster, SIGKILL) }
            killBox.set((cluster, member.name, at))
            print(
                "+\(String(format: "%.1f", at - started)) s: killed leader \(member.name) of \(cluster) (Patroni and postmaster, SIGKILL)")
        }
    }

    func recordedKill() async -> (cluster: String, member: String, at: Double)? { killBox.get() }

    private func sleep(until fraction: Double) async {
        let target = started + spec.seconds * fraction
        let remaining = target - Date().timeIntervalSince1970
        if remaining > 0 { try? await Task.sleep(for: .milliseconds(Int64(remaining * 1000))) }
    }

    /// Puts every cluster in Patroni's maintenance mode (`PATCH /config {"pause": on}`) and waits
    /// up to 10 s until every member reports it: Patroni resumes a paused replay at every loop
    /// otherwise, and does not fail over while paused. Returns whether every member reported it.
    @discardableResult
    private func setMaintenance(_ on: Bool) async -> Bool {
        let api = PatroniAPIClient(tls: client.tls.restAPI, timeout: .seconds(2))
        var everywhere = true
        let credentials = "Basic " + Data("\(spec.restUser):\(spec.restPassword)".utf8).base64EncodedString()
        for cluster in clusters {
            let members = spec.members.filter { $0.cluster == cluster }
            for member in members {
                let response = try? await api.send(
                    .PATCH, host: "127.0.0.1", port: member.restPort, path: "/config", body: Array("{\"pause\": \(on)}".utf8),
                    authorization: credentials)
                if response?.status == 200 { break }
            }
            var reported = false
            for _ in 0..<50 {
                reported = true
                for member in members {
                    guard let response = try? await api.send(.GET, host: "127.0.0.1", port: member.restPort, path: "/patroni")
                    else { continue }
                    if String(decoding: response.body, as: UTF8.self).contains("\"pause\": true") != on { reported = false }
                }
                if reported { break }
                try? await Task.sleep(for: .milliseconds(200))
            }
            everywhere = everywhere && reported
        }
        return everywhere
    }

    /// Pauses or resumes replay on every member the monitor sees as a replica (resume: on every
    /// member); returns on how many members the statement succeeded.
    @discardableResult
    private func setReplay(paused: Bool) async -> Int {
        var done = 0
        for cluster in clusters {
            let roles = client.memberRoles(cluster: cluster)
            for member in spec.members where member.cluster == cluster {
                let isReplica = roles.contains { $0.member == member.name && $0.role == .replica }
                guard isReplica || !paused else { continue }
                let statement: PostgresQuery = paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()"
                let succeeded: Void? = try? await Superuser.run(
                    spec, tls: client.tls, host: "127.0.0.1", port: member.port, database: "postgres"
                ) { connection in
                    try await connection.query(statement, logger: connection.logger)
                }
                if succeeded != nil { done += 1 }
            }
        }
        return done
    }
}

/// The kill, set by the fault task and read after the load.
final class KillBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (cluster: String, member: String, at: Double)?

    func set(_ value: (cluster: String, member: String, at: Double)) { lock.withLock { self.value = value } }
    func get() -> (cluster: String, member: String, at: Double)? { lock.withLock { value } }
}
