import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Looks at a running cluster: Patroni's view of it and the leader's streaming replicas.
public enum ClusterProbe {
    /// How far a cluster is from ready.
    public struct Readiness: Sendable, Equatable {
        /// The leader's name, once elected.
        public var leader: String?
        /// The leader's PostgreSQL port.
        public var leaderPort: Int?
        /// Replicas streaming from the leader (pg_stat_replication.state = 'streaming').
        public var streaming: [String]
        /// Replicas expected.
        public var expectedReplicas: Int
        /// Patroni's per-member states, for progress lines.
        public var states: [String: String]

        /// Permanent logical slots not yet on every member (`member: slot`).
        public var slotsPending: [String] = []
        /// Synchronous standbys Patroni has recorded in the DCS, and how many the cluster needs.
        public var synchronousStandbys: [String] = []
        public var synchronousNeeded = 0
        /// Members whose Patroni state is not yet `running` (or `streaming`), as `member state`.
        public var settling: [String] = []

        /// Patroni's member states that mean the member's PostgreSQL runs and Patroni knows it.
        public static let settledStates: Set<String> = ["running", "streaming"]

        /// A leader runs, every replica streams, every member holds the permanent logical slots
        /// (Patroni restarts a replica once to copy them, so streaming alone is not yet ready) and
        /// every member's Patroni reports it running again after that restart. In synchronous mode
        /// Patroni must also have recorded the synchronous standbys: until then no replica is
        /// allowed to take over and a failover would leave the cluster without a leader. The
        /// leader picks synchronous standbys only among members the DCS shows running, so a member
        /// still restarting is about to cost the cluster its synchronous standby.
        public var isReady: Bool {
            leader != nil && streaming.count >= expectedReplicas && slotsPending.isEmpty && settling.isEmpty
                && synchronousStandbys.count >= synchronousNeeded
        }

        /// One progress line.
        public var summary: String {
            guard let leader else {
                let described = states.keys.sorted().map { "\($0) \(states[$0] ?? "?")" }.joined(separator: ", ")
                return "no leader yet" + (described.isEmpty ? "" : " (\(described))")
            }
            let slots = slotsPending.isEmpty ? "" : ", logical slots pending on \(slotsPending.joined(separator: ", "))"
            let sync =
                synchronousNeeded == 0
                ? "" : ", synchronous standbys \(synchronousStandbys.isEmpty ? "none" : synchronousStandbys.joined(separator: ", "))"
            let settle = settling.isEmpty ? "" : ", settling: \(settling.joined(separator: ", "))"
            return "leader \(leader), \(streaming.count)/\(expectedReplicas) replicas streaming" + sync + slots + settle
        }
    }

    /// Patroni's view from the first member whose REST API answers.
    public static func view(restPorts: [Int], timeout: Double = 2, tls: LoopbackTLS? = nil) -> PatroniClusterView? {
        for port in restPorts {
            if let view = PatroniClusterView.fetch(restPort: port, timeout: timeout, tls: tls) { return view }
        }
        return nil
    }

    /// The readiness of one cluster; `synchronousStandbys` is how many Patroni must have recorded,
    /// `slots` the permanent logical slots every member must hold.
    public static func readiness(
        restPorts: [Int], expectedReplicas: Int, synchronousStandbys: Int = 0, slots: [String] = [], psql: PSQL,
        tls: LoopbackTLS? = nil
    ) -> Readiness {
        var readiness = Readiness(leader: nil, leaderPort: nil, streaming: [], expectedReplicas: expectedReplicas, states: [:])
        readiness.synchronousNeeded = synchronousStandbys
        guard let view = view(restPorts: restPorts, tls: tls) else { return readiness }
        for member in view.members { readiness.states[member.name] = member.state }
        readiness.settling = settling(view)
        guard let leader = view.leader, leader.state == "running" else { return readiness }
        readiness.leader = leader.name
        readiness.leaderPort = leader.port
        readiness.synchronousStandbys = view.syncStandbys.map(\.name)
        readiness.streaming = streamingReplicas(port: leader.port, psql: psql) ?? []
        if !slots.isEmpty {
            for member in view.members {
                let held = logicalSlots(port: member.port, psql: psql) ?? []
                readiness.slotsPending += slots.filter { !held.contains($0) }.map { "\(member.name): \($0)" }
            }
        }
        return readiness
    }

    /// The members of `view` whose Patroni state is not settled, as `member state`.
    public static func settling(_ view: PatroniClusterView) -> [String] {
        view.members.filter { !Readiness.settledStates.contains($0.state) }.map { "\($0.name) \($0.state)" }
    }

    /// The application names of the replicas streaming from the server on `port`.
    public static func streamingReplicas(port: Int, psql: PSQL) -> [String]? {
        let result = psql.run(
            port: port, sql: "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1",
            timeout: 5)
        guard result.status == 0 else { return nil }
        return result.rows.compactMap(\.first).filter { !$0.isEmpty }
    }

    /// The logical slots of the server on `port`.
    public static func logicalSlots(port: Int, psql: PSQL) -> [String]? {
        let result = psql.run(
            port: port, sql: "SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'logical' ORDER BY 1", timeout: 5)
        guard result.status == 0 else { return nil }
        return result.rows.compactMap(\.first).filter { !$0.isEmpty }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:port.
    public static func isListening(port: Int) -> Bool {
        LoopbackHTTP.canConnect(port: port)
    }
}

extension LoopbackHTTP {
    /// Whether a TCP connection to 127.0.0.1:port succeeds.
    public static func canConnect(port: Int) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Whether a Unix socket accepts a connection (a server listens on it).
    public static func acceptsConnections(unixSocket path: String) -> Bool {
        #if canImport(Glibc)
            let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// Whether 127.0.0.1:port can be bound now (nothing listens there).
    public static func isFree(port: Int) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
