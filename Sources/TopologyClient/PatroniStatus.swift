import Foundation
import TopologyRuntime

/// The fields of Patroni's `GET /patroni` that routing needs.
struct PatroniStatus: Decodable, Sendable {
    var state: String?
    var role: String?
    var timeline: UInt32?
    var xlog: XLog?

    struct XLog: Decodable, Sendable {
        /// The leader's current WAL position.
        var location: UInt64?
        /// A replica's replayed position.
        var replayedLocation: UInt64?
        /// The commit time of the last transaction a replica replayed (`pg_last_xact_replay_timestamp()`).
        var replayedTimestamp: String?
        /// Whether replay is paused.
        var paused: Bool?

        enum CodingKeys: String, CodingKey {
            case location
            case replayedLocation = "replayed_location"
            case replayedTimestamp = "replayed_timestamp"
            case paused
        }
    }

    /// Whether the member is the running leader.
    var isLeader: Bool { state == "running" && (role == "master" || role == "primary") }
    /// Whether the member is a running replica.
    var isReplica: Bool { state == "running" && role == "replica" }

    /// What routing keeps of it.
    var observation: ReplicaRoutingState.Observation {
        ReplicaRoutingState.Observation(
            isLeader: isLeader, isReplica: isReplica, timeline: timeline, location: xlog?.location,
            replayedLocation: xlog?.replayedLocation,
            replayedAt: xlog?.replayedTimestamp.flatMap(Self.parseTimestamp)?.timeIntervalSince1970)
    }

    /// Parses Patroni's rendering of a timestamp with time zone, as Python's `str(datetime)`
    /// prints it: `2026-12-03 12:36:43.123456+00:00` (fraction optional).
    static func parseTimestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 25 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        guard index + 6 <= bytes.count, let offsetHours = number(index + 1, 2), let offsetMinutes = number(index + 4, 2) else {
            return nil
        }
        let sign: Int = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(secondsFromGMT: 0) else { return nil }
        calendar.timeZone = utc
        guard let date = calendar.date(from: components) else { return nil }
        return date.addingTimeInterval(fraction - Double(sign * (offsetHours * 3600 + offsetMinutes * 60)))
    }
}
