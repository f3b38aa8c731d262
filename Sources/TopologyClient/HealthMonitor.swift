import Foundation
import TopologyRuntime

/// Polls every member's Patroni REST API (`GET /patroni`: role, state, timeline, WAL positions,
/// last replayed commit time) and keeps each cluster's ``ReplicaRoutingState`` for routing.
final class HealthMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var health: [ReplicaRoutingState]
    private let clusters: [ClientTopology.Cluster]
    private let api: PatroniAPIClient

    init(clusters: [ClientTopology.Cluster], api: PatroniAPIClient) {
        self.clusters = clusters
        self.api = api
        health = clusters.map { ReplicaRoutingState(memberCount: $0.replicaReads?.count ?? 0) }
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
                group.addTask { [api] in
                    var statuses: [PatroniStatus?] = Array(repeating: nil, count: members.count)
                    await withTaskGroup(of: (Int, PatroniStatus?).self) { inner in
                        for (position, member) in members.enumerated() {
                            inner.addTask { (position, await Self.status(member.rest, api: api)) }
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
    private static func status(_ endpoint: ClientTopology.Endpoint, api: PatroniAPIClient) async -> PatroniStatus? {
        guard let response = try? await api.send(.GET, host: endpoint.host, port: endpoint.port, path: "/patroni") else { return nil }
        return try? JSONDecoder().decode(PatroniStatus.self, from: Data(response.body))
    }
}
