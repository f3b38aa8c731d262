import TopologyRuntime

/// Where the app sends one statement: a shard's database and the member that serves it.
public struct Placement: Sendable, Equatable {
    /// The shard that holds the row.
    public let shard: Shop.Shard
    /// The member chosen for the statement.
    public let member: ClusterMember?
    /// Why that member.
    public let decision: RouteDecision
}

/// Routes a user's statements with the generated `Shop` router.
public struct UserRouter: Sendable {
    /// The deployment whose endpoints to use.
    public let deployment: Shop.Deployment

    /// Creates a router for a deployment.
    ///
    /// - Parameter deployment: The deployment target.
    public init(deployment: Shop.Deployment) {
        self.deployment = deployment
    }

    /// Where a read of `userID`'s rows goes at the topology's consistency level, given what a
    /// health checker reports for the shard's members and the session's token.
    ///
    /// - Parameters:
    ///   - userID: The user.
    ///   - states: The live state of each member of the shard's cluster, in member order.
    ///   - token: The session's consistency token.
    /// - Returns: The placement.
    public func read(userID: Int64, states: [MemberState], token: ConsistencyToken) -> Placement {
        let shard = Shop.users.shard(for: userID)
        let decision = Shop.memberRouter.routeRead(Shop.consistency, token: token, members: states)
        let members = shard.cluster.members(in: deployment)
        return Placement(shard: shard, member: decision.member.map { members[$0] }, decision: decision)
    }

    /// Where a write of `userID`'s rows goes: the leader of the shard's cluster.
    ///
    /// - Parameters:
    ///   - userID: The user.
    ///   - states: The live state of each member of the shard's cluster, in member order.
    /// - Returns: The placement.
    public func write(userID: Int64, states: [MemberState]) -> Placement {
        let shard = Shop.users.shard(for: userID)
        let decision = Shop.memberRouter.routeWrite(members: states)
        let members = shard.cluster.members(in: deployment)
        return Placement(shard: shard, member: decision.member.map { members[$0] }, decision: decision)
    }
}
