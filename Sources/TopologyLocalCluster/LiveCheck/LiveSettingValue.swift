import Foundation
import TopologyCompiler

/// Compares a planned PostgreSQL setting (as the topology and Patroni write it: `4GB`, `on`,
/// `pg_cron`) with the row `pg_settings` shows (`setting` in the parameter's base `unit`).
public enum LiveSettingValue {
    /// Bytes per memory unit `pg_settings` and postgresql.conf use.
    static let memoryUnits: [String: Double] = [
        "B": 1, "kB": 1024, "MB": 1024 * 1024, "GB": 1024 * 1024 * 1024, "TB": 1024 * 1024 * 1024 * 1024,
    ]
    /// Milliseconds per time unit.
    static let timeUnits: [String: Double] = ["us": 0.001, "ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000, "d": 86_400_000]

    /// Whether the planned value means what the server runs.
    public static func matches(planned: String, setting: String, unit: String, vartype: String) -> Bool {
        let planned = planned.trimmingCharacters(in: .whitespaces)
        switch vartype {
        case "bool":
            return boolean(planned) != nil && boolean(planned) == boolean(setting)
        case "integer", "real":
            guard let running = Double(setting) else { return false }
            guard let wanted = quantity(planned, unit: unit) else { return false }
            return abs(running - wanted) < 0.000_001 * max(1, abs(wanted))
        default:
            return list(planned) == list(setting)
        }
    }

    /// How the running value is shown: the setting with its unit.
    public static func shown(setting: String, unit: String) -> String {
        unit.isEmpty ? setting : (Double(unit.prefix { $0.isNumber }).map { _ in "\(setting) x \(unit)" } ?? "\(setting)\(unit)")
    }

    /// `on`/`off` and PostgreSQL's other spellings of a boolean.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "on", "true", "yes", "1", "t", "y": true
        case "off", "false", "no", "0", "f", "n": false
        default: nil
        }
    }

    /// A planned number in the parameter's base unit (`8kB` blocks, `MB`, `ms`, `s`, ...).
    static func quantity(_ text: String, unit: String) -> Double? {
        let digits = text.prefix { $0.isNumber || $0 == "." || $0 == "-" }
        guard let number = Double(digits) else { return nil }
        let suffix = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !suffix.isEmpty else { return number }
        let baseCount = Double(unit.prefix { $0.isNumber }) ?? 1
        let baseUnit = String(unit.drop { $0.isNumber })
        if let factor = memoryUnits[suffix], let base = memoryUnits[baseUnit] { return number * factor / (base * baseCount) }
        if let factor = timeUnits[suffix], let base = timeUnits[baseUnit] { return number * factor / (base * baseCount) }
        return nil
    }

    /// A list setting's items, unquoted and lowercased (`'pg_cron', x` and `pg_cron,x` are the same).
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'\"")).lowercased()
        }.filter { !$0.isEmpty }
    }
}
