import Foundation
import TopologyRuntime

/// The leader's WAL position and timeline per cluster, as last read over SQL through the
/// cluster's read-write pool: what checked reads through a read-only pool compare a replica
/// with (``ReplicaCheck``) where no Patroni REST API is reachable (CloudNativePG).
final class LeaderWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var positions: [ReplicaCheck.LeaderPosition?]

    /// A watch over `clusterCount` clusters, none observed yet.
    init(clusterCount: Int) {
        positions = Array(repeating: nil, count: clusterCount)
    }

    /// The last position of cluster `index`, or `nil` before the first answer.
    func position(of index: Int) -> ReplicaCheck.LeaderPosition? {
        lock.withLock { positions[index] }
    }

    /// Records an answer; a position from an older timeline than the one recorded is ignored (a
    /// slow answer from a demoted leader must not take the watch back).
    func record(_ position: ReplicaCheck.LeaderPosition, of index: Int) {
        lock.withLock {
            if let current = positions[index], current.timeline > position.timeline { return }
            positions[index] = position
        }
    }
}
