/// The decision for a read through a pool that picks the replica itself (CloudNativePG's
/// `-pooler-ro`, or PgBouncer's `_ro` pool behind HAProxy): the client cannot choose the member,
/// so it asks the server behind the connection, inside the read's own transaction, what it has
/// replayed (a ``Sample``) and reads there only if the level allows; otherwise the leader serves.
///
/// The rules are those of ``ReplicaRoutingState``, applied to the one server the pool handed
/// out instead of to a monitor's view of every member:
/// - only a server in recovery serves (a pool that reached a primary, current or stray, does not);
/// - `read-your-writes` and `causal`: the server has replayed the session's token, and the
///   token, the leader and the server are on one timeline. The server's timeline is that of its
///   last restartpoint (`pg_control_checkpoint()`, the one timeline function an unprivileged role
///   may call on a standby): after a failover a replica serves token-bound reads again only once
///   it has made a restartpoint on the new timeline, and a replica left on the old timeline
///   (past the fork, waiting for a rewind) never does;
/// - `eventual`: the data is at most `maxStaleness` old as time: fresh as of the leader's last
///   observation if the server had replayed the leader's position then (on the leader's
///   timeline), else as of its last replayed commit.
public enum ReplicaCheck {
    /// What the server behind a read-only connection reports about itself.
    public struct Sample: Sendable, Hashable {
        /// `pg_is_in_recovery()`.
        public var inRecovery: Bool
        /// `pg_last_wal_replay_lsn()` (`nil` on a server that never was a standby).
        public var replayLSN: LSN?
        /// The timeline of its last checkpoint or restartpoint (`pg_control_checkpoint()`).
        public var checkpointTimeline: UInt32
        /// `pg_last_xact_replay_timestamp()`, seconds since 1970 (`nil` before any replayed commit).
        public var replayedAt: Double?

        /// Creates a sample.
        public init(inRecovery: Bool, replayLSN: LSN?, checkpointTimeline: UInt32, replayedAt: Double?) {
            self.inRecovery = inRecovery
            self.replayLSN = replayLSN
            self.checkpointTimeline = checkpointTimeline
            self.replayedAt = replayedAt
        }
    }

    /// The leader's position as a monitor last read it.
    public struct LeaderPosition: Sendable, Hashable {
        /// `pg_current_wal_lsn()`.
        public var lsn: LSN
        /// The leader's timeline.
        public var timeline: UInt32
        /// When it was read (seconds since 1970, taken before the query was sent).
        public var observedAt: Double

        /// Creates a position.
        public init(lsn: LSN, timeline: UInt32, observedAt: Double) {
            self.lsn = lsn
            self.timeline = timeline
            self.observedAt = observedAt
        }
    }

    /// Whether a read at `level` may be served by the server that reported `sample`.
    ///
    /// - Parameters:
    ///   - sample: What the server reported, in the read's transaction.
    ///   - level: The read's level.
    ///   - token: The session's token (read-your-writes and causal).
    ///   - leader: The leader's last observed position (`nil`: unknown; only reads that need
    ///     neither a timeline nor a staleness bound may then be served).
    ///   - now: The current time, seconds since 1970.
    ///   - maxStaleness: The bound of `eventual` reads.
    /// - Returns: `true` when the read may run on this connection.
    public static func admits(
        _ sample: Sample, level: ConsistencyLevel, token: SessionToken, leader: LeaderPosition?, now: Double,
        maxStaleness: Duration
    ) -> Bool {
        guard sample.inRecovery, let replayed = sample.replayLSN else { return false }
        switch level {
        case .strong:
            return false
        case .readYourWrites, .causal:
            if token.isEmpty { return true }
            guard let leader, token.timeline == leader.timeline, sample.checkpointTimeline == token.timeline else {
                return false
            }
            return replayed >= token.token.lastCommit
        case .eventual:
            guard let fresh = freshAsOf(sample, replayed: replayed, leader: leader) else { return false }
            return max(0, now - fresh) <= maxStaleness.inSeconds
        }
    }

    /// Since when the server certainly held every commit (seconds since 1970), or `nil`.
    public static func freshAsOf(_ sample: Sample, leader: LeaderPosition?) -> Double? {
        sample.replayLSN.flatMap { freshAsOf(sample, replayed: $0, leader: leader) }
    }

    private static func freshAsOf(_ sample: Sample, replayed: LSN, leader: LeaderPosition?) -> Double? {
        if let leader, sample.checkpointTimeline == leader.timeline, replayed >= leader.lsn {
            return leader.observedAt
        }
        return sample.replayedAt
    }
}
