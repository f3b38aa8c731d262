/// A view or materialized view.
public struct View: Sendable {
    /// The view's name.
    public var name: Located<String>
    /// Whether it is materialized.
    public var materialized: Located<Bool>
    /// The defining query, SQL as written.
    public var query: Located<String>
    /// The columns of the unique index that CONCURRENTLY refresh needs.
    public var uniqueKey: [Located<String>]
    /// The refresh cron schedule, if refreshed on a schedule.
    public var refreshSchedule: Located<CronSchedule>?
    /// Whether refreshes use CONCURRENTLY.
    public var refreshConcurrently: Located<Bool>?
    /// Rules silenced for this view.
    public var suppressions: [Suppression]
}

/// A cron schedule: five fields or a macro such as `@hourly`.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The schedule as written, normalised to single spaces.
    public var expression: String

    /// Parses and checks a schedule.
    public init?(parsing text: String) {
        let macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
        if macros.contains(text) {
            expression = text
            return
        }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        let ranges = [0...59, 0...23, 1...31, 1...12, 0...7]
        guard fields.count == 5 else { return nil }
        for (field, range) in zip(fields, ranges) {
            for part in field.split(separator: ",", omittingEmptySubsequences: false) {
                guard CronSchedule.isValid(part: part, range: range) else { return nil }
            }
        }
        expression = fields.joined(separator: " ")
    }

    private static func isValid(part: Substring, range: ClosedRange<Int>) -> Bool {
        let stepSplit = part.split(separator: "/", omittingEmptySubsequences: false)
        guard stepSplit.count <= 2 else { return false }
        if stepSplit.count == 2 {
            guard stepSplit[1].allSatisfy(\.isASCIIDigit), let step = Int(stepSplit[1]), step > 0,
                step <= range.upperBound
            else { return false }
        }
        let base = stepSplit[0]
        if base == "*" { return true }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2, bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
            return false
        }
        let values = bounds.compactMap { Int($0) }
        guard values.count == bounds.count, values.allSatisfy(range.contains) else { return false }
        return values.count == 1 || values[0] <= values[1]
    }

    public var description: String { expression }
}
