import Foundation

/// The PgBouncer part of the live check: `SHOW CONFIG` on the admin console, as the admin/stats
/// user the deployment configures, against the `[pgbouncer]` section topoc generates.
struct LivePgBouncerCheck {
    let plan: Plan
    let locator: LiveLocator
    let target: LiveTarget

    func run() -> LiveCheckPart {
        var part = LiveCheckPart(name: "PgBouncer")
        guard let console = target.pgbouncer else { return part }
        let scope = LiveScope()
        let result = console.query(database: "pgbouncer", sql: "SHOW CONFIG")
        guard result.status == 0 else {
            part.skip(scope, "\(console.label): \(LiveCatalogCheck.firstLine(result.error))", at: locator.pooling)
            return part
        }
        var running: [String: String] = [:]
        for row in result.rows where row.count >= 2 { running[row[0]] = row[1] }
        var expected: [LiveExpectation] = []
        var observed: [LiveObservation] = []
        for (key, value) in Self.settings(PgBouncerConfig.text(plan: plan)) {
            let fact = LiveFact(.pgbouncerSetting, scope, key)
            expected.append(LiveExpectation(fact, value, at: locator.pooling))
            if let shown = running[key] { observed.append(LiveObservation(fact, shown)) }
        }
        part.compare(expected, observed, scopes: [scope]) { _ in locator.pooling }
        return part
    }

    /// The `key = value` lines of the `[pgbouncer]` section, in file order.
    static func settings(_ ini: String) -> [(String, String)] {
        var inSection = false
        var settings: [(String, String)] = []
        for line in ini.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[") {
                inSection = text == "[pgbouncer]"
                continue
            }
            guard inSection, !text.hasPrefix(";"), !text.hasPrefix("#"), let equals = text.firstIndex(of: "=") else { continue }
            let key = text[..<equals].trimmingCharacters(in: .whitespaces)
            let value = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            settings.append((key, value))
        }
        return settings
    }
}
