import ShopRouting
import TopologyRuntime

// Routes a few users with the router generated from Sources/ShopRouting/topology.yaml.
print("topology \(Shop.name): \(Shop.Shard.allCases.count) shards, consistency \(Shop.consistency.rawValue)")
for userID: Int64 in [1, 42, 1_000_003] {
    let shard = Shop.users.shard(for: userID)
    let endpoint = shard.cluster.readWriteEndpoint(in: .compose)
    print("user \(userID) -> shard \(shard.name), database \(shard.database), read-write \(endpoint)")
}

// A session that wrote at 0/3000 reads from a replica only once it has replayed that far.
let router = UserRouter(deployment: .compose)
var token = ConsistencyToken.none
token.observe(LSN("0/3000") ?? .zero)
let states = [
    MemberState(role: .leader, replayLSN: LSN(0x4000)),
    MemberState(role: .replica, replayLSN: LSN(0x2000), lag: .milliseconds(300)),
    MemberState(role: .replica, replayLSN: LSN(0x3800), lag: .milliseconds(100)),
]
let read = router.read(userID: 42, states: states, token: token)
print("read-your-writes read for user 42 after \(token.lastCommit): \(read.member?.name ?? "none") (\(read.decision))")
let write = router.write(userID: 42, states: states)
print("write for user 42: \(write.member?.name ?? "none")")
