import Foundation
import TopologyRuntime

/// One application session (a user, a request chain): its consistency token per cluster.
///
/// The client raises the token after every write transaction it commits and, for `causal`, after
/// reads. Hand a session's tokens to another (``adopt(_:)``) to make that one's causal reads see
/// this one's writes. Safe to share between tasks.
public final class ClientSession: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [String: SessionToken] = [:]

    /// Creates a session that requires nothing yet.
    public init() {}

    /// The session's token on `cluster`.
    public func token(on cluster: String) -> SessionToken {
        lock.withLock { tokens[cluster] ?? .none }
    }

    /// Every token, by cluster (to hand to another session).
    public var allTokens: [String: SessionToken] {
        lock.withLock { tokens }
    }

    /// Raises the token on `cluster` to a commit at `lsn` on `timeline`.
    public func observe(cluster: String, lsn: UInt64, timeline: UInt32) {
        lock.withLock { tokens[cluster, default: .none].observe(.init(lsn), timeline: timeline) }
    }

    /// Raises this session's tokens to cover `tokens` (causal consistency).
    public func adopt(_ other: [String: SessionToken]) {
        lock.withLock {
            for (cluster, token) in other { tokens[cluster, default: .none].merge(token) }
        }
    }
}
