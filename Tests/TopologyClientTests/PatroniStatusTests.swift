import Foundation
import XCTest

@testable import TopologyClient

final class PatroniStatusTests: XCTestCase {
    func testPatroniTimestampsParse() throws {
        let date = try XCTUnwrap(PatroniStatus.parseTimestamp("2026-12-03 12:36:43.250000+01:00"))
        XCTAssertEqual(date.timeIntervalSince1970, 1_796_297_803.25, accuracy: 0.0001)
        XCTAssertEqual(PatroniStatus.parseTimestamp("2026-12-03 11:36:43+00:00")?.timeIntervalSince1970, 1_796_297_803)
        XCTAssertNil(PatroniStatus.parseTimestamp("yesterday"))
    }

    func testAReplicasStatusDecodes() throws {
        let json = """
            {"state": "running", "role": "replica", "timeline": 3, "xlog": {"received_location": 50331816,
            "replayed_location": 50331816, "replayed_timestamp": "2026-12-03 11:36:43.5+00:00", "paused": false}}
            """
        let status = try JSONDecoder().decode(PatroniStatus.self, from: Data(json.utf8))
        XCTAssertTrue(status.isReplica)
        XCTAssertEqual(status.observation.replayedLocation, 50_331_816)
        XCTAssertEqual(status.observation.timeline, 3)
        XCTAssertEqual(status.observation.replayedAt ?? 0, 1_796_297_803.5, accuracy: 0.0001)
    }
}
