/// A span of time written as `500ms`, `10s`, `5m`, `2h` or `1d`, kept in milliseconds.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds.
    public var milliseconds: Int64

    /// Creates a span from milliseconds.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates a span from whole seconds.
    public static func seconds(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 1000) }

    /// The span in whole seconds, rounded up (Patroni's settings are integers of seconds).
    public var wholeSecondsRoundedUp: Int64 { (milliseconds + 999) / 1000 }

    /// Parses `500ms`, `10s`, `5m`, `2h`, `1d` or a bare `0`.
    public init?(parsing text: String) {
        if text == "0" {
            self.init(milliseconds: 0)
            return
        }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            let number = text.dropLast(unit.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = Int64(number),
                value <= Int64.max / factor / 4
            else { return nil }
            self.init(milliseconds: value * factor)
            return
        }
        return nil
    }

    /// The shortest exact spelling: `1500ms`, `10s`, `5m`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        for (unit, factor) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        where milliseconds % factor == 0 {
            return "\(milliseconds / factor)\(unit)"
        }
        return "\(milliseconds)ms"
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

/// An amount of memory or data written with PostgreSQL's units (`8kB`, `1MB`, `2GB`), in bytes.
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The size in bytes.
    public var bytes: Int64

    /// Creates a size from bytes.
    public init(bytes: Int64) { self.bytes = bytes }

    /// Parses `0`, `512B`, `8kB`, `1MB`, `2GB`, `1TB` (powers of 1024; `KB`, `KiB`, `MiB`... accepted).
    public init?(parsing text: String) {
        if text == "0" {
            self.init(bytes: 0)
            return
        }
        let units: [(String, Int64)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
            ("kB", 1 << 10), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40), ("B", 1),
        ]
        for (unit, factor) in units where text.hasSuffix(unit) {
            let number = text.dropLast(unit.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = Int64(number),
                value <= Int64.max / factor / 4
            else { return nil }
            self.init(bytes: value * factor)
            return
        }
        return nil
    }

    /// The largest exact PostgreSQL unit: `1MB`, `1536kB`, `100B`.
    public var description: String {
        if bytes == 0 { return "0B" }
        for (unit, factor) in [("TB", Int64(1) << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)]
        where bytes % factor == 0 {
            return "\(bytes / factor)\(unit)"
        }
        return "\(bytes)B"
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }
}

/// A calendar date (`YYYY-MM-DD`), used for range partition bounds.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1..9999.
    public var year: Int
    /// The month, 1..12.
    public var month: Int
    /// The day, 1..31 (valid for the month).
    public var day: Int

    /// Creates a date; returns nil when the day does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Days since 0001-01-01 (proleptic Gregorian), for day arithmetic.
    public var ordinal: Int {
        let y = year - 1
        var days = y * 365 + y / 4 - y / 100 + y / 400
        for m in 1..<month { days += CalendarDate.daysIn(month: m, year: year) }
        return days + day - 1
    }

    /// The date a number of days later.
    public func adding(days: Int) -> CalendarDate? {
        var date = self
        var remaining = days
        while remaining > 0 {
            let left = CalendarDate.daysIn(month: date.month, year: date.year) - date.day
            if remaining <= left {
                date.day += remaining
                remaining = 0
            } else {
                remaining -= left + 1
                date.day = 1
                if date.month == 12 {
                    date.month = 1
                    date.year += 1
                    if date.year > 9999 { return nil }
                } else {
                    date.month += 1
                }
            }
        }
        return date
    }

    /// The same day a number of months later, clamped to 1 when the day is the first.
    /// Only used with first-of-month dates, which interval series start from.
    public func adding(months: Int) -> CalendarDate? {
        let total = (year * 12 + (month - 1)) + months
        return CalendarDate(year: total / 12, month: total % 12 + 1, day: min(day, 28))
    }

    /// The ISO weekday, 1 = Monday ... 7 = Sunday.
    public var weekday: Int { (ordinal % 7) + 1 }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension Character {
    /// Whether the character is one of the ASCII digits `0` to `9`.
    package var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
