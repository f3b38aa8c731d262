import ShopRouting
import Testing
import TopologyRuntime

@Suite("The generated Shop router")
struct ShopRoutingTests {
    @Test("Four shards, each with its database and cluster")
    func shards() {
        #expect(Shop.Shard.allCases.map(\.name) == ["s0", "s1", "s2", "s3"])
        #expect(Shop.Shard.s2.database == "shop_s2")
        #expect(Shop.Shard.s2.cluster.name == "shard-s2")
        #expect(Shop.Shard(name: "s3") == .s3)
    }

    @Test("Users route like the runtime's ring over the same shard names")
    func routesLikeTheRuntime() throws {
        let ring = try HashRing(shards: ["s0", "s1", "s2", "s3"], virtualNodes: 150)
        for userID in Int64(-1_000)..<1_000 {
            #expect(Shop.users.shard(for: userID).rawValue == ring.shard(for: userID))
        }
        #expect(Shop.orders.colocationGroup == "by_user")
        #expect(Shop.products.shards.count == 4)
    }

    @Test("Members and endpoints per deployment")
    func endpoints() {
        let members = Shop.Cluster.shardS0.members(in: .compose)
        #expect(members.map(\.name) == ["shard-s0-0", "shard-s0-1", "shard-s0-2"])
        #expect(members.first?.isBootstrapLeader == true)
        #expect(Shop.Cluster.shardS0.members(in: .local).allSatisfy { $0.endpoint.host == "127.0.0.1" })
    }

    @Test("Reads at read-your-writes wait for a replica that replayed the session's commit")
    func readYourWrites() throws {
        #expect(Shop.consistency == .readYourWrites)
        let router = UserRouter(deployment: .compose)
        let states = [
            MemberState(role: .leader, replayLSN: LSN(0x4000)),
            MemberState(role: .replica, replayLSN: LSN(0x2000)),
        ]
        let behind = router.read(userID: 7, states: states, token: ConsistencyToken(lastCommit: LSN(0x3000)))
        #expect(behind.decision == .leader(member: 0, reason: .noEligibleReplica))
        let caughtUp = router.read(userID: 7, states: states, token: ConsistencyToken(lastCommit: LSN(0x1000)))
        #expect(caughtUp.decision == .replica(member: 1))
        #expect(caughtUp.member?.name == "\(caughtUp.shard.cluster.name)-1")
    }
}
