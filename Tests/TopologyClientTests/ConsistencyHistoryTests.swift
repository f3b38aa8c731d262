import Foundation
import TopologyClient
import XCTest

final class ConsistencyHistoryTests: XCTestCase {
    func write(_ session: Int, _ seq: Int, at: Double) -> HistoryOperation {
        HistoryOperation(
            kind: .write, session: session, database: "d", target: session, seq: seq, startedAt: at - 0.01, endedAt: at, outcome: .ok)
    }

    func read(_ session: Int, of target: Int, level: String, saw seq: Int, at: Double, adoptedAt: Double? = nil) -> HistoryOperation {
        HistoryOperation(
            kind: .read, session: session, database: "d", level: level, target: target, seq: seq, adoptedAt: adoptedAt, startedAt: at,
            endedAt: at + 0.01, outcome: .ok, server: "m1")
    }

    func testAReadThatMissesTheSessionsOwnWriteIsAViolation() {
        let history = ConsistencyHistory(operations: [
            write(1, 1, at: 10), read(1, of: 1, level: "read-your-writes", saw: 1, at: 10.1),
            write(1, 2, at: 11), read(1, of: 1, level: "read-your-writes", saw: 1, at: 11.1),
        ])
        let found = history.violations(maxStaleness: 5, survivors: nil)
        XCTAssertEqual(found.map(\.kind), [.readYourWrites])
    }

    func testCausalReadsNeedWhatWasAcknowledgedBeforeTheTokenWasHandedOver() {
        let history = ConsistencyHistory(operations: [
            write(2, 1, at: 10), read(3, of: 2, level: "causal", saw: 1, at: 10.2, adoptedAt: 10.1),
            write(2, 2, at: 10.3), read(3, of: 2, level: "causal", saw: 1, at: 10.5, adoptedAt: 10.4),
        ])
        XCTAssertEqual(history.violations(maxStaleness: 5, survivors: nil).map(\.kind), [.causal])
    }

    func testEventualStalenessAndLostWrites() {
        let history = ConsistencyHistory(operations: [
            write(1, 1, at: 10), write(1, 2, at: 11),
            read(4, of: 1, level: "eventual", saw: 1, at: 13),  // misses seq 2, acknowledged 2 s earlier
            read(4, of: 1, level: "eventual", saw: 2, at: 14),
        ])
        XCTAssertEqual(history.eventualStaleness(), [2, 0])
        XCTAssertEqual(history.violations(maxStaleness: 3, survivors: [1: [1, 2]]), [])
        XCTAssertEqual(history.violations(maxStaleness: 1, survivors: [1: [1, 2]]).map(\.kind), [.staleness])
        XCTAssertEqual(history.violations(maxStaleness: 3, survivors: [1: [1]]).map(\.kind), [.lostWrite])
    }

    func testUnknownAndFailedWritesAreNotRequired() {
        var unknown = write(1, 2, at: 11)
        unknown.outcome = .unknown
        let history = ConsistencyHistory(operations: [
            write(1, 1, at: 10), unknown, read(1, of: 1, level: "read-your-writes", saw: 1, at: 12),
        ])
        XCTAssertEqual(history.violations(maxStaleness: 5, survivors: [1: [1]]), [])
    }
}
