/// Routes reads and writes to the members of one physical cluster by consistency level.
///
/// The decision is a pure function of the member states (from a health checker), the request's
/// consistency level, the session's token and the staleness bound:
///
/// | request                         | goes to                                                    |
/// |---------------------------------|------------------------------------------------------------|
/// | write                           | the leader                                                 |
/// | `strong` read                   | the leader                                                 |
/// | `eventual` read                 | a replica whose `lag <= maxStaleness`, else the leader     |
/// | `readYourWrites`/`causal` read  | a replica whose `replayLSN >= token.lastCommit`, else the leader |
///
/// The router scans the states at most three times, takes no locks and never allocates (the
/// states are read through a buffer pointer), so it can run on every statement from any thread.
public struct MemberRouter: Sendable, Hashable {
    /// The staleness bound for `eventual` reads (the topology's `max_staleness`).
    public var maxStaleness: Duration
    /// Which eligible replica to choose.
    public var preference: ReplicaPreference

    /// Creates a router.
    ///
    /// - Parameters:
    ///   - maxStaleness: The staleness bound for `eventual` reads.
    ///   - preference: Which eligible replica to choose.
    public init(maxStaleness: Duration, preference: ReplicaPreference = .first) {
        self.maxStaleness = maxStaleness
        self.preference = preference
    }

    /// Where a write goes: the leader, or `.unavailable` without one.
    ///
    /// - Parameter members: The cluster's member states.
    /// - Returns: The decision, with indices into `members`.
    public func routeWrite(members: [MemberState]) -> RouteDecision {
        members.withUnsafeBufferPointer { route(nil, token: .none, members: $0, offset: 0) }
    }

    /// Where a write goes, for states held in a slice (indices are the slice's own).
    ///
    /// - Parameter members: The cluster's member states.
    /// - Returns: The decision, with indices into `members`.
    public func routeWrite(members: ArraySlice<MemberState>) -> RouteDecision {
        members.withUnsafeBufferPointer { route(nil, token: .none, members: $0, offset: members.startIndex) }
    }

    /// Where a read at `consistency` goes.
    ///
    /// - Parameters:
    ///   - consistency: The consistency level the read needs.
    ///   - token: The session's token (ignored by `strong` and `eventual`).
    ///   - members: The cluster's member states.
    /// - Returns: The decision, with indices into `members`.
    public func routeRead(
        _ consistency: ConsistencyLevel,
        token: ConsistencyToken = .none,
        members: [MemberState]
    ) -> RouteDecision {
        members.withUnsafeBufferPointer { route(consistency, token: token, members: $0, offset: 0) }
    }

    /// Where a read at `consistency` goes, for states held in a slice (indices are the slice's own).
    ///
    /// - Parameters:
    ///   - consistency: The consistency level the read needs.
    ///   - token: The session's token (ignored by `strong` and `eventual`).
    ///   - members: The cluster's member states.
    /// - Returns: The decision, with indices into `members`.
    public func routeRead(
        _ consistency: ConsistencyLevel,
        token: ConsistencyToken = .none,
        members: ArraySlice<MemberState>
    ) -> RouteDecision {
        members.withUnsafeBufferPointer { route(consistency, token: token, members: $0, offset: members.startIndex) }
    }

    /// Where a read at `consistency` (or a write, for `nil`) goes, over states in a buffer.
    ///
    /// - Parameters:
    ///   - consistency: The read's consistency level, or `nil` for a write.
    ///   - token: The session's token.
    ///   - members: The cluster's member states.
    ///   - offset: Added to every index in the decision.
    /// - Returns: The decision.
    public func route(
        _ consistency: ConsistencyLevel?,
        token: ConsistencyToken,
        members: UnsafeBufferPointer<MemberState>,
        offset: Int = 0
    ) -> RouteDecision {
        let leader = members.firstIndex { $0.role == .leader }
        guard let consistency else {
            return leader.map { .leader(member: $0 + offset, reason: .write) } ?? .unavailable
        }
        let rule: Eligibility
        switch consistency {
        case .strong:
            return leader.map { .leader(member: $0 + offset, reason: .strongRead) } ?? .unavailable
        case .eventual:
            rule = .withinStaleness(maxStaleness)
        case .readYourWrites, .causal:
            rule = .replayed(token.lastCommit)
        }
        if let chosen = chooseReplica(members, rule: rule) {
            return .replica(member: chosen + offset)
        }
        return leader.map { .leader(member: $0 + offset, reason: .noEligibleReplica) } ?? .unavailable
    }

    /// Which replicas may serve a read.
    private enum Eligibility {
        /// Those whose lag is within the bound.
        case withinStaleness(Duration)
        /// Those that have replayed this LSN.
        case replayed(LSN)

        func admits(_ state: MemberState) -> Bool {
            guard state.role == .replica else {
                return false
            }
            switch self {
            case .withinStaleness(let bound):
                return state.lag <= bound
            case .replayed(let lsn):
                return state.replayLSN >= lsn
            }
        }
    }

    /// The index of the eligible replica `preference` picks, or `nil` if none is eligible.
    private func chooseReplica(_ members: UnsafeBufferPointer<MemberState>, rule: Eligibility) -> Int? {
        switch preference {
        case .first:
            return members.firstIndex { rule.admits($0) }
        case .freshest:
            var chosen: Int?
            for index in members.indices where rule.admits(members[index]) {
                if let current = chosen, members[current].replayLSN >= members[index].replayLSN {
                    continue
                }
                chosen = index
            }
            return chosen
        case .spread(let value):
            var count: UInt64 = 0
            for state in members where rule.admits(state) {
                count += 1
            }
            guard count > 0 else {
                return nil
            }
            var remaining = value % count
            for index in members.indices where rule.admits(members[index]) {
                if remaining == 0 {
                    return index
                }
                remaining -= 1
            }
            return nil
        }
    }
}
