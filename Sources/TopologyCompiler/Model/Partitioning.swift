/// Declarative partitioning of a table.
public struct Partitioning: Sendable {
    /// The partitioning method.
    public var method: Located<PartitionMethod>
    /// The partition key's columns.
    public var columns: [Located<String>]
    /// For range partitioning: a generated series of intervals.
    public var interval: Located<PartitionInterval>?
    /// The series' first bound (inclusive).
    public var from: Located<CalendarDate>?
    /// The series' last bound (exclusive).
    public var to: Located<CalendarDate>?
    /// Explicit range partitions.
    public var ranges: [RangePartition]
    /// List partitions: name and values.
    public var lists: [ListPartition]
    /// Hash partition count.
    public var modulus: Located<Int>?
    /// Whether a DEFAULT partition catches rows outside every bound.
    public var defaultPartition: Located<Bool>?
    /// pg_partman maintenance of future range partitions, if asked.
    public var partman: PartmanSettings?
    /// Where the section is.
    public var location: SourceLocation
}

/// A partitioning method.
public enum PartitionMethod: String, Sendable, CaseIterable, Codable {
    case range
    case list
    case hash
}

/// The width of each partition in a generated range series.
public enum PartitionInterval: String, Sendable, CaseIterable, Codable {
    case daily
    case weekly
    case monthly
    case quarterly
    case yearly

    /// The start of the interval that holds `date`: the day itself, the Monday of its ISO week,
    /// the first of its month, quarter or year. The one definition the planner's series and the
    /// partition rules both step with.
    public func start(of date: CalendarDate) -> CalendarDate {
        switch self {
        case .daily: return date
        case .weekly: return CalendarDate.fromOrdinal(date.ordinal - (date.weekday - 1)) ?? date
        case .monthly: return CalendarDate(year: date.year, month: date.month, day: 1) ?? date
        case .quarterly: return CalendarDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1) ?? date
        case .yearly: return CalendarDate(year: date.year, month: 1, day: 1) ?? date
        }
    }

    /// The start of the next interval after the one starting at `start`; `nil` past the calendar's range.
    public func next(after start: CalendarDate) -> CalendarDate? {
        switch self {
        case .daily: start.adding(days: 1)
        case .weekly: start.adding(days: 7)
        case .monthly: start.adding(months: 1)
        case .quarterly: start.adding(months: 3)
        case .yearly: start.adding(months: 12)
        }
    }
}

/// An explicit range partition: values in [from, to).
public struct RangePartition: Sendable {
    /// The partition's name suffix.
    public var name: Located<String>
    /// The inclusive lower bound, SQL literal text; nil for MINVALUE.
    public var from: Located<String>?
    /// The exclusive upper bound; nil for MAXVALUE.
    public var to: Located<String>?
}

/// A list partition.
public struct ListPartition: Sendable {
    /// The partition's name suffix.
    public var name: Located<String>
    /// The values it holds, as text.
    public var values: [Located<String>]
}

/// pg_partman settings for a range-partitioned table.
public struct PartmanSettings: Sendable {
    /// How many future partitions pg_partman keeps ahead.
    public var premake: Located<Int>
    /// How long partitions are kept, if they expire.
    public var retention: Located<String>?
}
