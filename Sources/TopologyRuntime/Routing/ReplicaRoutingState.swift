/// What a health monitor last saw of one cluster's members (role, timeline, replay position,
/// freshness), and the routing decision over it with a session's timeline-aware token.
///
/// Members are indexed as the caller lists them (TopologyClient: like `routing.json`'s `replicaReads`). A replica whose timeline differs from
/// the leader's is offline for routing (it has not followed the last failover yet). The state
/// lives in arrays allocated once; ``route(_:token:now:spread:)`` refreshes each replica's
/// time lag in place and routes through a buffer pointer, so a decision allocates nothing.
public struct ReplicaRoutingState: Sendable {
    /// One member as a monitor saw it in one poll.
    public struct Observation: Sendable, Hashable {
        /// Whether it is the running leader.
        public var isLeader: Bool
        /// Whether it is a running replica.
        public var isReplica: Bool
        /// Its timeline, if known.
        public var timeline: UInt32?
        /// The leader's current WAL position.
        public var location: UInt64?
        /// A replica's replayed position.
        public var replayedLocation: UInt64?
        /// A replica's last replayed commit time (seconds since 1970).
        public var replayedAt: Double?

        /// Creates an observation.
        public init(
            isLeader: Bool, isReplica: Bool, timeline: UInt32?, location: UInt64? = nil, replayedLocation: UInt64? = nil,
            replayedAt: Double? = nil
        ) {
            self.isLeader = isLeader
            self.isReplica = isReplica
            self.timeline = timeline
            self.location = location
            self.replayedLocation = replayedLocation
            self.replayedAt = replayedAt
        }
    }

    /// The members' routing states.
    public private(set) var members: [MemberState]
    /// Each member's timeline (0 if unknown).
    public private(set) var timelines: [UInt32]
    /// Since when each replica has certainly held every commit (seconds since 1970): the poll
    /// at which it had replayed all the leader had then written, else its last replayed commit's
    /// time. `nil` when unknown (never eligible for `eventual`).
    public private(set) var freshAsOf: [Double?]
    /// The leader's timeline (0 without a leader).
    public private(set) var leaderTimeline: UInt32 = 0
    /// When the monitor last completed a poll of this cluster (seconds since 1970).
    public private(set) var observedAt: Double = 0

    /// A state with every member offline.
    ///
    /// - Parameter memberCount: The number of members.
    public init(memberCount: Int) {
        members = Array(repeating: MemberState(role: .offline, replayLSN: .zero), count: memberCount)
        timelines = Array(repeating: 0, count: memberCount)
        freshAsOf = Array(repeating: nil, count: memberCount)
    }

    /// Applies one poll's answers (`nil` for a member that did not answer).
    ///
    /// - Parameters:
    ///   - statuses: One observation per member.
    ///   - polledAt: When the poll started (seconds since 1970): a replica that had replayed
    ///     all the leader had then written is fresh as of this instant.
    public mutating func apply(_ statuses: [Observation?], polledAt: Double) {
        let leader = statuses.firstIndex { $0?.isLeader == true }
        let leaderStatus = leader.flatMap { statuses[$0] }
        leaderTimeline = leaderStatus?.timeline ?? 0
        let leaderLocation = leaderStatus?.location
        for index in members.indices {
            guard let status = statuses[index] else {
                members[index] = MemberState(role: .offline, replayLSN: .zero)
                freshAsOf[index] = nil
                continue
            }
            timelines[index] = status.timeline ?? 0
            if index == leader {
                members[index] = MemberState(role: .leader, replayLSN: LSN(status.location ?? 0))
                freshAsOf[index] = polledAt
            } else if status.isReplica, let replayed = status.replayedLocation,
                leaderTimeline != 0, status.timeline == leaderTimeline
            {
                members[index] = MemberState(role: .replica, replayLSN: LSN(replayed))
                if let leaderLocation, replayed >= leaderLocation {
                    freshAsOf[index] = polledAt
                } else {
                    freshAsOf[index] = status.replayedAt
                }
            } else {
                members[index] = MemberState(role: .offline, replayLSN: .zero)
                freshAsOf[index] = nil
            }
        }
        observedAt = polledAt
    }

    /// Routes a read (`consistency` non-nil) or a write. Tokens from another timeline than the
    /// leader's are not trusted: such a read goes to the leader.
    ///
    /// - Parameters:
    ///   - consistency: The read's level, or `nil` for a write.
    ///   - token: The session's token.
    ///   - now: The current time, seconds since 1970.
    ///   - spread: A counter that spreads reads over eligible replicas.
    ///   - router: The router (its preference is replaced by `spread`).
    /// - Returns: The decision, with indices into `members`.
    public mutating func route(
        _ consistency: ConsistencyLevel?, token: SessionToken, now: Double, spread: UInt64, router: MemberRouter
    ) -> RouteDecision {
        for index in members.indices where members[index].role == .replica {
            let age = freshAsOf[index].map { max(0, now - $0) } ?? Double.greatestFiniteMagnitude / 2
            members[index].lag = .milliseconds(Int64(min(age, 1e12) * 1000))
        }
        var router = router
        router.preference = .spread(spread)
        if consistency == .readYourWrites || consistency == .causal, !token.isEmpty, token.timeline != leaderTimeline {
            return members.withUnsafeBufferPointer { router.route(.strong, token: .none, members: $0) }
        }
        return members.withUnsafeBufferPointer { router.route(consistency, token: token.token, members: $0) }
    }

    /// The replica with the latest replay position on the leader's timeline, or `nil`.
    public func freshestReplica() -> Int? {
        var chosen: Int?
        for index in members.indices where members[index].role == .replica {
            if let current = chosen, members[current].replayLSN >= members[index].replayLSN { continue }
            chosen = index
        }
        return chosen
    }
}
