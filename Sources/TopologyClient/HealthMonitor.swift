import Foundation
import TopologyRuntime

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Polls every member's Patroni REST API (`GET /patroni`: role, state, timeline, WAL positions,
/// last replayed commit time) and keeps each cluster's ``ReplicaRoutingState`` for routing.
final class HealthMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var health: [ReplicaRoutingState]
    private let clusters: [ClientTopology.Cluster]
    private let session: URLSession

    init(clusters: [ClientTopology.Cluster]) {
        self.clusters = clusters
        health = clusters.map { ReplicaRoutingState(memberCount: $0.replicaReads?.count ?? 0) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 1
        configuration.timeoutIntervalForResource = 2
        session = URLSession(configuration: configuration)
    }

    /// Runs `body` on cluster `index`'s state under the lock.
    func withHealth<Result>(of index: Int, _ body: (inout ReplicaRoutingState) -> Result) -> Result {
        lock.withLock { body(&health[index]) }
    }

    /// Polls every member of every cluster once, in parallel.
    func pollOnce() async {
        let polledAt = Date().timeIntervalSince1970
        await withTaskGroup(of: (Int, [PatroniStatus?]).self) { group in
            for (index, cluster) in clusters.enumerated() {
                let members = cluster.replicaReads ?? []
                group.addTask { [session] in
                    var statuses: [PatroniStatus?] = Array(repeating: nil, count: members.count)
                    await withTaskGroup(of: (Int, PatroniStatus?).self) { inner in
                        for (position, member) in members.enumerated() {
                            inner.addTask { (position, await Self.status(member.rest, session: session)) }
                        }
                        for await (position, status) in inner { statuses[position] = status }
                    }
                    return (index, statuses)
                }
            }
            for await (index, statuses) in group {
                let observations = statuses.map { $0?.observation }
                lock.withLock { health[index].apply(observations, polledAt: polledAt) }
            }
        }
    }

    /// Polls until the task is cancelled.
    func run(interval: Duration) async {
        while !Task.isCancelled {
            await pollOnce()
            try? await Task.sleep(for: interval)
        }
    }

    /// One member's status, or `nil` if it does not answer.
    private static func status(_ endpoint: ClientTopology.Endpoint, session: URLSession) async -> PatroniStatus? {
        guard let url = URL(string: "http://\(endpoint.host):\(endpoint.port)/patroni") else { return nil }
        guard let (data, _) = try? await session.data(from: url) else { return nil }
        return try? JSONDecoder().decode(PatroniStatus.self, from: data)
    }
}
