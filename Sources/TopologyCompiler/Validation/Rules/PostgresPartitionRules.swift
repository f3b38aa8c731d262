/// The partitioning rules of the PostgreSQL family: overlapping bounds (TPG115), values left
/// without a partition (TPG116), the shape of the partition key (TPG117) and the type of bounds
/// (TPG118).
enum PostgresPartitionRules {
    /// How a partition key's values are read and ordered.
    enum KeyKind: Equatable {
        case integer
        case number
        case dateTime
        case text
        case boolean
        /// Values topoc cannot check or order.
        case other

        /// The kind of a key column's type.
        init(_ type: ColumnType) {
            let base = type.base
            if type.isArray {
                self = .other
            } else if PostgresTypes.integers.contains(base) {
                self = .integer
            } else if PostgresTypes.otherNumbers.contains(base) {
                self = .number
            } else if PostgresTypes.dateTimes.contains(base) {
                self = .dateTime
            } else if ["text", "character varying", "character"].contains(base) {
                self = .text
            } else if base == "boolean" {
                self = .boolean
            } else {
                self = .other
            }
        }

        /// The kind's name in messages.
        var description: String {
            switch self {
            case .integer: "an integer"
            case .number: "a number"
            case .dateTime: "a date or timestamp (YYYY-MM-DD, optionally with a time)"
            case .text: "text"
            case .boolean: "a boolean"
            case .other: "a value"
            }
        }
    }

    /// A bound, ordered as PostgreSQL orders values of the key's type.
    enum BoundValue: Comparable {
        case integer(Int64)
        case number(Double)
        /// Text, and dates and timestamps normalised to `YYYY-MM-DD HH:MM:SS...`.
        case text(String)
    }

    /// What a literal is for a kind of key.
    enum Literal {
        /// A valid value that can be ordered.
        case ordered(BoundValue)
        /// A valid value that topoc does not order.
        case valid
        /// Not a value of the key's type.
        case invalid
    }

    /// Reads a bound or list value for a kind of key.
    static func literal(_ text: String, as kind: KeyKind) -> Literal {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .integer:
            return Int64(trimmed).map { .ordered(.integer($0)) } ?? .invalid
        case .number:
            return Double(trimmed).map { .ordered(.number($0)) } ?? .invalid
        case .dateTime:
            return dateTimeLiteral(trimmed)
        case .text:
            return .ordered(.text(text))
        case .boolean:
            let spellings = ["true", "false", "t", "f", "yes", "no", "on", "off", "1", "0"]
            return spellings.contains(trimmed.lowercased()) ? .valid : .invalid
        case .other:
            return .valid
        }
    }

    /// A date or timestamp literal: `YYYY-MM-DD`, optionally followed by a time, or one of the
    /// special inputs (`infinity`, `epoch`, `today`...; the relative ones cannot be ordered).
    private static func dateTimeLiteral(_ text: String) -> Literal {
        switch text.lowercased() {
        case "-infinity": return .ordered(.text("0000"))
        case "infinity": return .ordered(.text("99999"))
        case "epoch": return .ordered(.text("1970-01-01 00:00:00"))
        case "now", "today", "tomorrow", "yesterday": return .valid
        default: break
        }
        let datePart = String(text.prefix(10))
        guard CalendarDate(parsing: datePart) != nil else { return .invalid }
        var time = text.dropFirst(10)
        if time.isEmpty { return .ordered(.text(datePart + " 00:00:00")) }
        guard time.first == " " || time.first == "T" else { return .invalid }
        time = time.dropFirst()
        let clock = time.prefix { $0.isASCIIDigit || $0 == ":" || $0 == "." }
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts[0].count == 2, parts[1].count == 2 else { return .invalid }
        let seconds = parts.count == 2 ? ":00" : ""
        return .ordered(.text(datePart + " " + String(clock) + seconds + String(time.dropFirst(clock.count))))
    }

    /// One range of a range-partitioned table: an explicit range or the generated series.
    struct Span {
        /// What the range is called in messages.
        var name: String
        /// Where it is named.
        var location: SourceLocation
        /// The inclusive lower bound; nil is MINVALUE.
        var lower: BoundValue?
        /// The lower bound as written, and where.
        var lowerText: Located<String>?
        /// The exclusive upper bound; nil is MAXVALUE.
        var upper: BoundValue?
        /// The upper bound as written, and where.
        var upperText: Located<String>?

        /// Whether the span holds no value.
        var isEmpty: Bool {
            guard let lower, let upper else { return false }
            return lower >= upper
        }

        /// Whether two spans share a value.
        func overlaps(_ other: Span) -> Bool {
            let startsBeforeOtherEnds = lower.map { start in other.upper.map { start < $0 } ?? true } ?? true
            let otherStartsBeforeEnd = other.lower.map { start in upper.map { start < $0 } ?? true } ?? true
            return startsBeforeOtherEnds && otherStartsBeforeEnd
        }

        /// `[from, to)` as written.
        var written: String {
            "[\(lowerText.map { "'\($0.value)'" } ?? "MINVALUE"), \(upperText.map { "'\($0.value)'" } ?? "MAXVALUE"))"
        }
    }

    /// The single key column of a partitioning and its type, when known.
    static func keyColumn(of table: Table, in topology: Topology) -> (Located<String>, Located<ColumnType>)? {
        guard let partitioning = table.partitioning, partitioning.columns.count == 1,
            let type = PostgresRuleSupport.type(of: partitioning.columns[0].value, in: table, topology: topology)
        else { return nil }
        return (partitioning.columns[0], type)
    }

    /// The ranges of a range-partitioned table whose bounds are valid and ordered for its key.
    static func spans(of table: Table, in topology: Topology) -> [Span] {
        guard let partitioning = table.partitioning, partitioning.method.value == .range,
            let (_, type) = keyColumn(of: table, in: topology)
        else { return [] }
        let kind = KeyKind(type.value)
        var spans: [Span] = []
        if let series = seriesSpan(partitioning), kind == .dateTime { spans.append(series) }
        for range in partitioning.ranges {
            var bounds: [BoundValue?] = []
            for bound in [range.from, range.to] {
                guard let bound else {
                    bounds.append(nil)
                    continue
                }
                guard case .ordered(let value) = literal(bound.value, as: kind) else { break }
                bounds.append(value)
            }
            guard bounds.count == 2 else { continue }
            spans.append(
                Span(
                    name: "range '\(range.name.value)'", location: range.name.location, lower: bounds[0],
                    lowerText: range.from, upper: bounds[1], upperText: range.to))
        }
        return spans
    }

    /// The generated series as one range, from the interval start at or before `from` to the
    /// interval boundary at or after `to` (as the planner lays the partitions out).
    private static func seriesSpan(_ partitioning: Partitioning) -> Span? {
        guard let interval = partitioning.interval?.value, let from = partitioning.from, let to = partitioning.to
        else { return nil }
        let start = interval.start(of: from.value)
        var end = interval.start(of: to.value)
        if end < to.value { end = interval.next(after: end) ?? to.value }
        return Span(
            name: "the generated series", location: from.location, lower: .text("\(start) 00:00:00"),
            lowerText: Located(start.description, at: from.location), upper: .text("\(end) 00:00:00"),
            upperText: Located(end.description, at: to.location))
    }

    /// TPG115: ranges do not overlap and are not empty; list values are in one partition.
    static let partitionBoundsOverlap = Rule(.partitionBoundsOverlap) { context in
        for table in context.topology.tables {
            guard let partitioning = table.partitioning else { continue }
            let spans = spans(of: table, in: context.topology)
            var checked: [Span] = []
            for span in spans {
                if span.isEmpty {
                    context.report(
                        "\(span.name) \(span.written) is empty: its 'from' must be below its 'to' ('to' is exclusive)",
                        at: span.upperText?.location ?? span.location, suppressions: table.suppressions)
                    continue
                }
                for earlier in checked where span.overlaps(earlier) {
                    context.report(
                        "\(span.name) \(span.written) overlaps \(earlier.name) \(earlier.written); each value must "
                            + "belong to one partition",
                        at: span.lowerText?.location ?? span.location,
                        notes: [.init("\(earlier.name) is here", at: earlier.location)],
                        suppressions: table.suppressions)
                }
                checked.append(span)
            }
            reportRepeatedListValues(partitioning, of: table, context)
        }
    }

    /// Reports list values that an earlier list partition (or the same one) already holds.
    private static func reportRepeatedListValues(_ partitioning: Partitioning, of table: Table, _ context: RuleContext) {
        let kind = keyColumn(of: table, in: context.topology).map { KeyKind($0.1.value) } ?? .other
        var seen: [String: (partition: String, location: SourceLocation)] = [:]
        for list in partitioning.lists {
            for value in list.values {
                let key: String
                if case .ordered(.integer(let number)) = literal(value.value, as: kind) {
                    key = String(number)
                } else {
                    key = value.value
                }
                if let first = seen[key] {
                    context.report(
                        "value '\(value.value)' is already in partition '\(first.partition)'; each value must belong "
                            + "to one partition",
                        at: value.location, notes: [.init("first listed here", at: first.location)],
                        suppressions: table.suppressions)
                } else {
                    seen[key] = (list.name.value, value.location)
                }
            }
        }
    }

    /// TPG116: without a default partition, the ranges cover every value.
    static let partitionBoundsGap = Rule(.partitionBoundsGap) { context in
        for table in context.topology.tables {
            guard let partitioning = table.partitioning, partitioning.defaultPartition?.value != true,
                let (column, _) = keyColumn(of: table, in: context.topology)
            else { continue }
            let spans = spans(of: table, in: context.topology).filter { !$0.isEmpty }.sorted { lhs, rhs in
                guard let left = lhs.lower else { return rhs.lower != nil }
                return rhs.lower.map { left < $0 } ?? false
            }
            for gap in gaps(in: spans) {
                context.report(
                    "no partition holds rows with '\(column.value)' \(gap.values) and there is no default partition: "
                        + "inserting one fails with \"no partition of relation found for row\"; add 'default: true' "
                        + "or \(gap.fix)",
                    at: gap.location, suppressions: table.suppressions)
            }
        }
    }

    /// A span of values no range holds.
    struct Gap {
        /// The values, for messages ("below '2024-01-01'").
        var values: String
        /// How to close it.
        var fix: String
        /// The bound that leaves it open.
        var location: SourceLocation
    }

    /// The gaps around and between sorted spans.
    private static func gaps(in spans: [Span]) -> [Gap] {
        guard let first = spans.first else { return [] }
        var result: [Gap] = []
        if let lower = first.lowerText {
            result.append(
                Gap(
                    values: "below '\(lower.value)'", fix: "start the first range at MINVALUE (omit its 'from')",
                    location: lower.location))
        }
        var reach = first
        for span in spans.dropFirst() {
            guard let end = reach.upper, let endText = reach.upperText else { return result }
            if let start = span.lower, let startText = span.lowerText, end < start {
                result.append(
                    Gap(
                        values: "from '\(endText.value)' up to '\(startText.value)'",
                        fix: "start \(span.name) at '\(endText.value)'", location: startText.location))
            }
            if let upper = span.upper, upper <= end { continue }
            reach = span
        }
        if let endText = reach.upperText {
            result.append(
                Gap(
                    values: "at or above '\(endText.value)'", fix: "end the last range at MAXVALUE (omit its 'to')",
                    location: endText.location))
        }
        return result
    }

    /// TPG117: list partitioning, and topoc's range bounds, take one key column.
    static let partitionKeyShape = Rule(.partitionKeyShape) { context in
        for table in context.topology.tables {
            guard let partitioning = table.partitioning, partitioning.method.value != .hash,
                partitioning.columns.count > 1
            else { continue }
            let reason =
                partitioning.method.value == .list
                ? "list partitioning takes a single key column"
                : "topoc's range bounds and series give one value, so range partitioning takes a single key column"
            context.report(
                "\(reason); partition by '\(partitioning.columns[0].value)' alone",
                at: partitioning.columns[1].location,
                notes: [
                    .init(
                        "\(partitioning.method.value.rawValue) partitioning is chosen here",
                        at: partitioning.method.location)
                ],
                suppressions: table.suppressions)
        }
    }

    /// TPG118: bounds and list values are values of the key's type.
    static let partitionBoundType = Rule(.partitionBoundType) { context in
        for table in context.topology.tables {
            guard let partitioning = table.partitioning, let (column, type) = keyColumn(of: table, in: context.topology)
            else { continue }
            let kind = KeyKind(type.value)
            let note = Diagnostic.Note("'\(column.value)' is declared \(type.value) here", at: type.location)
            if let interval = partitioning.interval, kind != .dateTime {
                context.report(
                    "a generated series makes date bounds, but partition key '\(column.value)' is \(type.value); "
                        + "partition by a date or timestamp column, or write explicit 'ranges'",
                    at: interval.location, notes: [note], suppressions: table.suppressions)
            }
            let literals =
                partitioning.ranges.flatMap { [$0.from, $0.to].compactMap { $0 } }
                + partitioning.lists.flatMap(\.values)
            for value in literals {
                guard case .invalid = literal(value.value, as: kind) else { continue }
                context.report(
                    "'\(value.value)' is not a value of partition key '\(column.value)' (\(type.value)): write "
                        + kind.description,
                    at: value.location, notes: [note], suppressions: table.suppressions)
            }
        }
    }
}
