import Testing

@testable import TopologyCompiler

/// The one definition of a range series' steps, used by the planner and the partition rules.
@Suite("partition intervals")
struct PartitionIntervalTests {
    private func date(_ year: Int, _ month: Int, _ day: Int) throws -> CalendarDate {
        try #require(CalendarDate(year: year, month: month, day: day))
    }

    @Test func eachIntervalStartsWhereItsCalendarUnitDoes() throws {
        let thursday = try date(2026, 1, 1)
        #expect(PartitionInterval.daily.start(of: thursday) == thursday)
        #expect(PartitionInterval.weekly.start(of: thursday) == (try date(2025, 12, 29)), "the Monday, across a year")
        #expect(PartitionInterval.weekly.start(of: try date(2024, 3, 2)) == (try date(2024, 2, 26)), "across a leap February")
        #expect(PartitionInterval.monthly.start(of: try date(2026, 12, 3)) == (try date(2026, 12, 1)))
        #expect(PartitionInterval.quarterly.start(of: try date(2026, 12, 3)) == (try date(2026, 10, 1)))
        #expect(PartitionInterval.yearly.start(of: try date(2026, 12, 3)) == (try date(2026, 1, 1)))
    }

    @Test func startsAreFixedPointsAndStepsLandOnStarts() throws {
        var day = try date(2023, 12, 25)
        for _ in 0..<800 {
            for interval in PartitionInterval.allCases {
                let start = interval.start(of: day)
                #expect(start <= day)
                #expect(interval.start(of: start) == start, "\(interval) \(day)")
                let next = try #require(interval.next(after: start))
                #expect(day < next, "\(interval): \(day) lies in [\(start), \(next))")
                #expect(interval.start(of: next) == next)
            }
            day = try #require(day.adding(days: 1))
        }
    }
}
