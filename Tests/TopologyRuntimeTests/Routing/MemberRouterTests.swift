import Testing
import TopologyRuntime

@Suite("MemberRouter")
struct MemberRouterTests {
    /// A leader at 0/1000, a replica caught up to 0/F00 lagging 1 s, one at 0/800 lagging 10 s.
    private let members = [
        MemberState(role: .replica, replayLSN: LSN(0x800), lag: .seconds(10)),
        MemberState(role: .leader, replayLSN: LSN(0x1000)),
        MemberState(role: .replica, replayLSN: LSN(0xF00), lag: .seconds(1)),
    ]
    private let router = MemberRouter(maxStaleness: .seconds(2))

    @Test("Writes and strong reads go to the leader")
    func leader() {
        #expect(router.routeWrite(members: members) == .leader(member: 1, reason: .write))
        #expect(router.routeRead(.strong, members: members) == .leader(member: 1, reason: .strongRead))
    }

    @Test("Eventual reads go to a replica within the staleness bound")
    func eventual() {
        #expect(router.routeRead(.eventual, members: members) == .replica(member: 2))
        let strict = MemberRouter(maxStaleness: .milliseconds(500))
        #expect(strict.routeRead(.eventual, members: members) == .leader(member: 1, reason: .noEligibleReplica))
        let loose = MemberRouter(maxStaleness: .seconds(30))
        #expect(loose.routeRead(.eventual, members: members) == .replica(member: 0))
    }

    @Test(
        "Read-your-writes and causal reads need a replica that replayed the token",
        arguments: [
            ConsistencyLevel.readYourWrites, .causal,
        ])
    func sessionReads(level: ConsistencyLevel) {
        let caughtUpBoth = ConsistencyToken(lastCommit: LSN(0x800))
        let caughtUpOne = ConsistencyToken(lastCommit: LSN(0x900))
        let caughtUpNone = ConsistencyToken(lastCommit: LSN(0xF01))
        #expect(router.routeRead(level, token: caughtUpBoth, members: members) == .replica(member: 0))
        #expect(router.routeRead(level, token: caughtUpOne, members: members) == .replica(member: 2))
        #expect(
            router.routeRead(level, token: caughtUpNone, members: members)
                == .leader(member: 1, reason: .noEligibleReplica))
        // The staleness bound does not apply: the 10 s replica is fine for a session that has
        // not written past it.
        #expect(router.routeRead(level, token: .none, members: members).member == 0)
    }

    @Test("Offline members are never chosen, and no leader means writes are unavailable")
    func offline() {
        var states = members
        states[1].role = .offline
        states[2].role = .offline
        #expect(router.routeWrite(members: states) == .unavailable)
        #expect(router.routeRead(.strong, members: states) == .unavailable)
        #expect(router.routeRead(.eventual, members: states) == .unavailable)
        #expect(router.routeRead(.causal, members: states) == .replica(member: 0))
    }

    @Test("Preferences pick among eligible replicas: spread cycles, freshest takes the latest LSN")
    func preferences() {
        let states = [
            MemberState(role: .leader, replayLSN: LSN(90)),
            MemberState(role: .replica, replayLSN: LSN(10)),
            MemberState(role: .replica, replayLSN: LSN(30)),
            MemberState(role: .offline, replayLSN: LSN(80)),
            MemberState(role: .replica, replayLSN: LSN(20)),
        ]
        var router = MemberRouter(maxStaleness: .seconds(1), preference: .freshest)
        #expect(router.routeRead(.eventual, members: states) == .replica(member: 2))
        let picks = (0..<6).map { value -> Int? in
            router.preference = .spread(UInt64(value))
            return router.routeRead(.eventual, members: states).member
        }
        #expect(picks == [1, 2, 4, 1, 2, 4])
        router.preference = .spread(7)
        let token = ConsistencyToken(lastCommit: LSN(15))
        // Eligible: members 2 and 4; 7 % 2 == 1 picks the second.
        #expect(router.routeRead(.readYourWrites, token: token, members: states) == .replica(member: 4))
    }

    @Test("Routes over array slices by their own indices")
    func slices() {
        let slice = members[1...]
        #expect(router.routeRead(.eventual, members: slice) == .replica(member: 2))
        #expect(router.routeWrite(members: slice).member == 1)
    }
}
