import Foundation
import TopologyCompiler

/// Patroni's view of a cluster (`GET /cluster`), decoded leniently: Patroni reports `lag` as a
/// number or as `"unknown"`, and fields come and go between versions.
public struct PatroniClusterView: Sendable, Equatable {
    /// One member as Patroni sees it.
    public struct Member: Sendable, Equatable {
        public var name: String
        /// `leader`, `replica`, `sync_standby` or `standby_leader`.
        public var role: String
        /// `running`, `streaming`, `starting`, `creating replica`, `stopped`...
        public var state: String
        public var host: String
        public var port: Int
        public var timeline: Int?
        /// Replication lag in bytes, when known.
        public var lag: Int64?
        public var tags: [String: String]
    }

    public var members: [Member]

    /// The leader, if the cluster has one.
    public var leader: Member? { members.first { $0.role == "leader" || $0.role == "standby_leader" } }
    /// The members Patroni lists as synchronous standbys.
    public var syncStandbys: [Member] { members.filter { $0.role == "sync_standby" } }

    /// Asks a member's REST API.
    public static func fetch(restPort: Int, host: String = "127.0.0.1", timeout: Double = 2, tls: LoopbackTLS? = nil)
        -> PatroniClusterView?
    {
        guard let response = LoopbackHTTP.get(host: host, port: restPort, path: "/cluster", timeout: timeout, tls: tls),
            response.status == 200
        else { return nil }
        return decode(response.body)
    }

    /// Decodes the JSON body of `GET /cluster`.
    public static func decode(_ body: [UInt8]) -> PatroniClusterView? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let members = object["members"] as? [[String: Any]]
        else { return nil }
        return PatroniClusterView(
            members: members.map { member in
                var tags: [String: String] = [:]
                for (key, value) in member["tags"] as? [String: Any] ?? [:] { tags[key] = "\(value)" }
                return Member(
                    name: member["name"] as? String ?? "?", role: member["role"] as? String ?? "?",
                    state: member["state"] as? String ?? "?", host: member["host"] as? String ?? "",
                    port: (member["port"] as? NSNumber)?.intValue ?? 0,
                    timeline: (member["timeline"] as? NSNumber)?.intValue,
                    lag: (member["lag"] as? NSNumber)?.int64Value, tags: tags)
            })
    }
}
