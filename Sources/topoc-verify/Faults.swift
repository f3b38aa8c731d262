import Foundation
import PostgresNIO
import TopologyClient
import TopologyRuntime

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
            await setMaintenance(true)
            await setReplay(paused: true)
            print(String(format: "+%.1f s: replay paused on every replica", Date().timeIntervalSince1970 - started))
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
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 2
        configuration.timeoutIntervalForResource = 4
        let session = URLSession(configuration: configuration)
        var everywhere = true
        let credentials = Data("\(spec.restUser):\(spec.restPassword)".utf8).base64EncodedString()
        for cluster in clusters {
            let members = spec.members.filter { $0.cluster == cluster }
            for member in members {
                guard let url = URL(string: "http://127.0.0.1:\(member.restPort)/config") else { continue }
                var request = URLRequest(url: url)
                request.httpMethod = "PATCH"
                request.setValue("Basic \(credentials)", forHTTPHeaderField: "Authorization")
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data("{\"pause\": \(on)}".utf8)
                if let (_, response) = try? await session.data(for: request), (response as? HTTPURLResponse)?.statusCode == 200 {
                    break
                }
            }
            var reported = false
            for _ in 0..<50 {
                reported = true
                for member in members {
                    guard let url = URL(string: "http://127.0.0.1:\(member.restPort)/patroni"),
                        let (data, _) = try? await session.data(from: url)
                    else { continue }
                    if String(decoding: data, as: UTF8.self).contains("\"pause\": true") != on { reported = false }
                }
                if reported { break }
                try? await Task.sleep(for: .milliseconds(200))
            }
            everywhere = everywhere && reported
        }
        return everywhere
    }

    /// Pauses or resumes replay on every member the monitor sees as a replica (resume: on every member).
    private func setReplay(paused: Bool) async {
        for cluster in clusters {
            let roles = client.memberRoles(cluster: cluster)
            for member in spec.members where member.cluster == cluster {
                let isReplica = roles.contains { $0.member == member.name && $0.role == .replica }
                guard isReplica || !paused else { continue }
                let statement: PostgresQuery = paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()"
                try? await Superuser.run(spec, host: "127.0.0.1", port: member.port, database: "postgres") { connection in
                    try await connection.query(statement, logger: connection.logger)
                }
            }
        }
    }
}

/// The kill, set by the fault task and read after the load.
final class KillBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (cluster: String, member: String, at: Double)?

    func set(_ value: (cluster: String, member: String, at: Double)) { lock.withLock { self.value = value } }
    func get() -> (cluster: String, member: String, at: Double)? { lock.withLock { value } }
}
