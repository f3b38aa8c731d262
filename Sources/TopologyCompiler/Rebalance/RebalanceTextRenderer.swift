/// Renders a `RebalanceReport` for people.
public enum RebalanceTextRenderer {
    /// The report as text: a summary, the flows between shards, and every moving range.
    ///
    /// - Parameter report: The report.
    /// - Returns: Lines ending in a newline.
    public static func render(_ report: RebalanceReport) -> String {
        var lines: [String] = []
        lines.append(
            "rebalance \(report.topology): \(report.strategy.rawValue), \(report.oldShards.count) -> \(report.newShards.count) shards")
        var summary = "keys moved: \(percent(report.fractionMoved)) (optimum \(percent(report.optimalFraction)))"
        if let sample = report.sampledKeys {
            summary += ", counted over \(sample) keys"
        } else {
            summary += ", \(report.moves.count) token ranges"
        }
        lines.append(summary)
        if !report.flows.isEmpty {
            lines.append("")
            lines.append("flows:")
            for flow in report.flows {
                lines.append(
                    "  \(flow.from) -> \(flow.to): \(percent(flow.fraction)) in \(flow.ranges) range\(flow.ranges == 1 ? "" : "s")")
            }
        }
        if !report.moves.isEmpty {
            lines.append("")
            lines.append("ranges (start exclusive, end inclusive]:")
            for move in report.moves {
                lines.append("  (\(move.startExclusive), \(move.endInclusive)] \(move.from) -> \(move.to) \(percent(move.fraction))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A share as a percentage with three decimals.
    static func percent(_ fraction: Double) -> String {
        let thousandths = Int((fraction * 100_000).rounded())
        let whole = thousandths / 1000
        let rest = String(thousandths % 1000)
        return "\(whole).\(String(repeating: "0", count: 3 - rest.count))\(rest)%"
    }
}
