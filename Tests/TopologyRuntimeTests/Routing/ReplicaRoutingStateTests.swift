import TopologyRuntime
import XCTest

final class ReplicaRoutingStateTests: XCTestCase {
    typealias Observation = ReplicaRoutingState.Observation

    /// Leader at 1000 on timeline 2; replica 1 replayed 1000, replica 2 replayed 400 (its last
    /// replayed commit at t=90), polled at t=100.
    func state() -> ReplicaRoutingState {
        var state = ReplicaRoutingState(memberCount: 3)
        state.apply(
            [
                Observation(isLeader: true, isReplica: false, timeline: 2, location: 1000),
                Observation(isLeader: false, isReplica: true, timeline: 2, replayedLocation: 1000, replayedAt: 95),
                Observation(isLeader: false, isReplica: true, timeline: 2, replayedLocation: 400, replayedAt: 90),
            ], polledAt: 100)
        return state
    }

    func testReadYourWritesGoesOnlyToAReplicaThatReplayedTheToken() {
        var state = state()
        let router = MemberRouter(maxStaleness: .seconds(5))
        var token = SessionToken.none
        token.observe(LSN(900), timeline: 2)
        for spread in 0..<10 as Range<UInt64> {
            XCTAssertEqual(state.route(.readYourWrites, token: token, now: 100, spread: spread, router: router), .replica(member: 1))
        }
        token.observe(LSN(1001), timeline: 2)
        XCTAssertEqual(
            state.route(.readYourWrites, token: token, now: 100, spread: 0, router: router),
            .leader(member: 0, reason: .noEligibleReplica))
    }

    func testATokenFromAnotherTimelineIsNeverTrusted() {
        var state = state()
        let router = MemberRouter(maxStaleness: .seconds(5))
        var token = SessionToken.none
        token.observe(LSN(10), timeline: 1)
        XCTAssertEqual(
            state.route(.causal, token: token, now: 100, spread: 0, router: router), .leader(member: 0, reason: .strongRead),
            "replica 1 replayed past 10, but on timeline 2")
    }

    func testAReplicaOnAnOldTimelineIsOffline() {
        var state = ReplicaRoutingState(memberCount: 2)
        state.apply(
            [
                Observation(isLeader: true, isReplica: false, timeline: 3, location: 1000),
                Observation(isLeader: false, isReplica: true, timeline: 2, replayedLocation: 2000, replayedAt: 99),
            ], polledAt: 100)
        XCTAssertEqual(state.members[1].role, .offline)
    }

    func testEventualStalenessIsTimeSinceTheReplicaWasLastCertainlyFresh() {
        var state = state()
        let router = MemberRouter(maxStaleness: .seconds(5))
        // At t=100: replica 1 is fresh as of the poll (0 s), replica 2 as of its last commit (10 s).
        for spread in 0..<10 as Range<UInt64> {
            XCTAssertEqual(state.route(.eventual, token: .none, now: 100, spread: spread, router: router), .replica(member: 1))
        }
        // At t=106 the poll itself is 6 s old: no replica is known to be within 5 s.
        XCTAssertEqual(
            state.route(.eventual, token: .none, now: 106, spread: 0, router: router), .leader(member: 0, reason: .noEligibleReplica))
    }

    func testSessionTokenTimelines() {
        var token = SessionToken.none
        token.observe(LSN(100), timeline: 1)
        token.observe(LSN(50), timeline: 2)
        XCTAssertEqual(token, SessionToken(token: ConsistencyToken(lastCommit: LSN(50)), timeline: 2))
        token.observe(LSN(500), timeline: 1)
        XCTAssertEqual(token.token.lastCommit, LSN(50), "an older timeline's commit is ignored")
        token.observe(LSN(70), timeline: 2)
        XCTAssertEqual(token.token.lastCommit, LSN(70))
        XCTAssertEqual(token.description, "2:0/46")
    }
}
