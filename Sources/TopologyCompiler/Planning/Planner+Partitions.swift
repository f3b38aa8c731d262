import Foundation

extension Planner {
    /// Every partition of a partitioned table, in bound order, with the DEFAULT partition last.
    func partitions(of table: Table, _ partitioning: Partitioning) -> [PlanPartition] {
        let base = table.name.value
        var result: [PlanPartition] = []
        switch partitioning.method.value {
        case .range:
            if let interval = partitioning.interval?.value, let from = partitioning.from?.value,
                let to = partitioning.to?.value
            {
                result = series(base: base, interval: interval, from: from, to: to, at: partitioning.location)
            }
            for range in partitioning.ranges {
                result.append(
                    PlanPartition(
                        name: "\(base)_\(range.name.value)", kind: .range, from: range.from?.value, to: range.to?.value,
                        values: nil, modulus: nil, remainder: nil))
            }
        case .list:
            for list in partitioning.lists {
                result.append(
                    PlanPartition(
                        name: "\(base)_\(list.name.value)", kind: .list, from: nil, to: nil,
                        values: list.values.map(\.value), modulus: nil, remainder: nil))
            }
        case .hash:
            let modulus = partitioning.modulus?.value ?? 1
            for remainder in 0..<modulus {
                result.append(
                    PlanPartition(
                        name: "\(base)_h\(remainder)", kind: .hash, from: nil, to: nil, values: nil, modulus: modulus,
                        remainder: remainder))
            }
        }
        if partitioning.defaultPartition?.value == true {
            result.append(
                PlanPartition(
                    name: "\(base)_default", kind: .`default`, from: nil, to: nil, values: nil, modulus: nil,
                    remainder: nil))
        }
        for partition in result where partition.name.utf8.count > NameRules.maxIdentifierBytes {
            context.report(
                .identifierTooLong,
                "partition name '\(partition.name)' is longer than 63 bytes; shorten the table or partition name",
                at: partitioning.location)
            break
        }
        return result
    }

    /// The generated interval series [from, to), named after each partition's first day.
    private func series(
        base: String, interval: PartitionInterval, from: CalendarDate, to: CalendarDate, at location: SourceLocation
    ) -> [PlanPartition] {
        var result: [PlanPartition] = []
        var lower = interval.start(of: from)
        if lower != from {
            context.report(
                .invalidValue,
                "'from' \(from) is not the start of a \(interval.rawValue) interval; the series starts at \(lower)",
                at: location, severity: .warning)
        }
        while lower < to {
            guard result.count < Planner.maxPartitionsPerTable, let upper = interval.next(after: lower) else {
                context.report(
                    .planLimit,
                    "the series makes more than \(Planner.maxPartitionsPerTable) partitions; widen the interval or shorten the range",
                    at: location)
                return result
            }
            result.append(
                PlanPartition(
                    name: "\(base)_\(suffix(lower, interval))", kind: .range, from: lower.description,
                    to: upper.description, values: nil, modulus: nil, remainder: nil))
            lower = upper
        }
        return result
    }

    private func suffix(_ date: CalendarDate, _ interval: PartitionInterval) -> String {
        let text = date.description
        let year = String(text.prefix(4))
        let month = String(text.dropFirst(5).prefix(2))
        switch interval {
        case .daily, .weekly: return "p" + text.replacingOccurrences(of: "-", with: "")
        case .monthly: return "p\(year)_\(month)"
        case .quarterly: return "p\(year)q\((date.month - 1) / 3 + 1)"
        case .yearly: return "p\(year)"
        }
    }
}

extension CalendarDate {
    /// The date with a given ordinal (days since 0001-01-01).
    static func fromOrdinal(_ ordinal: Int) -> CalendarDate? {
        guard ordinal >= 0 else { return nil }
        let start = CalendarDate(year: 1, month: 1, day: 1)
        return start?.adding(days: ordinal)
    }
}
