/// A session's consistency token on one cluster: the highest commit position the session must
/// see, and the timeline that position is on.
///
/// A position is only comparable with replay positions on the same timeline: after a failover
/// the new leader forks a new timeline, and a replica on it may have replayed past the token's
/// number without holding the write. A token whose timeline is not the cluster's current one is
/// therefore never used to pick a replica (the read goes to the leader).
public struct SessionToken: Sendable, Hashable, CustomStringConvertible {
    /// The position (`ConsistencyToken.lastCommit`).
    public var token: ConsistencyToken
    /// The timeline of `token` (0 when the session has not written).
    public var timeline: UInt32

    /// A token that requires nothing.
    public static let none = SessionToken(token: .none, timeline: 0)

    /// Creates a token.
    ///
    /// - Parameters:
    ///   - token: The position.
    ///   - timeline: Its timeline.
    public init(token: ConsistencyToken, timeline: UInt32) {
        self.token = token
        self.timeline = timeline
    }

    /// Whether the token requires anything.
    public var isEmpty: Bool { token.lastCommit == .zero }

    /// Raises the token to a commit at `lsn` on `timeline`: a later timeline replaces the token,
    /// an earlier one is ignored, the same one keeps the higher position.
    ///
    /// - Parameters:
    ///   - lsn: The commit's position.
    ///   - timeline: Its timeline.
    public mutating func observe(_ lsn: LSN, timeline: UInt32) {
        if timeline > self.timeline {
            self = SessionToken(token: ConsistencyToken(lastCommit: lsn), timeline: timeline)
        } else if timeline == self.timeline {
            token.observe(lsn)
        }
    }

    /// Raises the token to cover another session's (causal consistency).
    ///
    /// - Parameter other: The other session's token.
    public mutating func merge(_ other: SessionToken) {
        observe(other.token.lastCommit, timeline: other.timeline)
    }

    /// `timeline:LSN`, for example `3:0/5000A10`.
    public var description: String { "\(timeline):\(token.lastCommit)" }
}
