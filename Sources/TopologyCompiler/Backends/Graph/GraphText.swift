/// Short texts the graph views share: name ranges, counts, percentages, lists cut to length.
enum GraphText {
    /// `a`, `a, b` or `a .. z` for names in order.
    static func range(_ names: [String]) -> String {
        switch names.count {
        case 0: return "none"
        case 1: return names[0]
        case 2: return "\(names[0]), \(names[1])"
        default: return "\(names[0]) .. \(names[names.count - 1])"
        }
    }

    /// `1 member` or `3 members`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }

    /// A list joined with commas, cut after `limit` items with the number left out.
    static func list(_ items: [String], limit: Int = 6) -> String {
        guard items.count > limit else { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + ", ... (+\(items.count - limit))"
    }

    /// Lines cut after `limit` with a last line giving the number left out.
    static func lines(_ items: [String], limit: Int = 12) -> [String] {
        guard items.count > limit else { return items }
        return Array(items.prefix(limit)) + ["... and \(items.count - limit) more"]
    }

    /// A fraction as a percentage with two decimals (`6.25%`), the same on every platform.
    static func percent(_ fraction: Double) -> String {
        let hundredths = Int((fraction * 10_000).rounded())
        let fractional = hundredths % 100
        return "\(hundredths / 100).\(fractional < 10 ? "0" : "")\(fractional)%"
    }

    /// Seconds as `20s`.
    static func seconds(_ value: Int64) -> String { "\(value)s" }
}
