import TopologyRuntime
import XCTest

/// The decision over one server a read-only pool handed out (TopologyClient's checked path).
final class ReplicaCheckTests: XCTestCase {
    typealias Sample = ReplicaCheck.Sample

    /// The leader at 1000 on timeline 2, observed at t=100.
    let leader = ReplicaCheck.LeaderPosition(lsn: LSN(1000), timeline: 2, observedAt: 100)

    func replica(replayed: UInt64, timeline: UInt32 = 2, replayedAt: Double? = 90) -> Sample {
        Sample(inRecovery: true, replayLSN: LSN(replayed), checkpointTimeline: timeline, replayedAt: replayedAt)
    }

    func token(_ lsn: UInt64, timeline: UInt32 = 2) -> SessionToken {
        var token = SessionToken.none
        token.observe(LSN(lsn), timeline: timeline)
        return token
    }

    func admits(
        _ sample: Sample, _ level: ConsistencyLevel, token: SessionToken = .none, leader: ReplicaCheck.LeaderPosition?, now: Double = 100
    )
        -> Bool
    {
        ReplicaCheck.admits(sample, level: level, token: token, leader: leader, now: now, maxStaleness: .seconds(3))
    }

    func testATokenBoundReadNeedsTheTokenReplayedOnTheServerItself() {
        for level in [ConsistencyLevel.readYourWrites, .causal] {
            XCTAssertTrue(admits(replica(replayed: 900), level, token: token(900), leader: leader))
            XCTAssertFalse(admits(replica(replayed: 899), level, token: token(900), leader: leader), "\(level): not replayed")
            XCTAssertTrue(admits(replica(replayed: 10), level, leader: nil), "\(level): a session without writes reads anywhere")
        }
    }

    func testNoTimelineMismatchIsTrusted() {
        // A token from before the failover: the leader has moved on, the read goes to the leader.
        XCTAssertFalse(admits(replica(replayed: 5000, timeline: 1), .readYourWrites, token: token(900, timeline: 1), leader: leader))
        // A replica whose last restartpoint is on the old timeline (not yet known to follow the new one,
        // or left past the fork), however far it replayed.
        XCTAssertFalse(admits(replica(replayed: 5000, timeline: 1), .readYourWrites, token: token(900), leader: leader))
        // A token newer than the leader the watch last saw: not trusted until the watch catches up.
        XCTAssertFalse(admits(replica(replayed: 5000, timeline: 3), .readYourWrites, token: token(900, timeline: 3), leader: leader))
        // No leader observed yet: a token-bound read cannot be checked.
        XCTAssertFalse(admits(replica(replayed: 5000), .causal, token: token(900), leader: nil))
    }

    func testOnlyAStandbyServes() {
        let primary = Sample(inRecovery: false, replayLSN: LSN(5000), checkpointTimeline: 2, replayedAt: 99)
        for level in ConsistencyLevel.allCases {
            XCTAssertFalse(admits(primary, level, leader: leader), "\(level) on a server out of recovery")
        }
        let neverAStandby = Sample(inRecovery: true, replayLSN: nil, checkpointTimeline: 2, replayedAt: nil)
        XCTAssertFalse(admits(neverAStandby, .eventual, leader: leader))
        XCTAssertFalse(admits(replica(replayed: 5000), .strong, leader: leader), "strong is the leader's")
    }

    func testEventualStalenessIsTime() {
        // Caught up with the leader's observed position: fresh as of the observation (t=100).
        XCTAssertTrue(admits(replica(replayed: 1000, replayedAt: 10), .eventual, leader: leader, now: 103))
        XCTAssertFalse(admits(replica(replayed: 1000, replayedAt: 10), .eventual, leader: leader, now: 103.5))
        // Behind: as old as its last replayed commit (t=90).
        XCTAssertTrue(admits(replica(replayed: 999, replayedAt: 98), .eventual, leader: leader, now: 101))
        XCTAssertFalse(admits(replica(replayed: 999, replayedAt: 90), .eventual, leader: leader, now: 101))
        // Past the leader's position on another timeline (diverged): only its commit time counts.
        XCTAssertFalse(admits(replica(replayed: 9000, timeline: 1, replayedAt: 50), .eventual, leader: leader, now: 101))
        XCTAssertEqual(ReplicaCheck.freshAsOf(replica(replayed: 9000, timeline: 1, replayedAt: 50), leader: leader), 50)
        // No leader observed: its commit time, never the observation.
        XCTAssertTrue(admits(replica(replayed: 1000, replayedAt: 99), .eventual, leader: nil, now: 101))
        XCTAssertFalse(admits(replica(replayed: 1000, replayedAt: nil), .eventual, leader: nil, now: 101))
    }
}
