import Foundation
import TopologyCompiler

/// The PgBouncer part of the live check: `SHOW CONFIG` on the admin console, as the admin/stats
/// user the deployment configures, against the `[pgbouncer]` section topoc generates.
struct LivePgBouncerCheck {
    let plan: Plan
    let locator: LiveLocator
    let target: LiveTarget

    func run() -> LiveCheckPart {
        var part = LiveCheckPart(name: "PgBouncer")
        guard let console = target.pgbouncer else {
            part.headline =
                target.reachesPostgreSQLOnly ? "not checked (--dsn reaches PostgreSQL only)" : "not checked (no PgBouncer to reach)"
            return part
        }
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
        comparePools(console: console, scope: scope, part: &part)
        return part
    }

    /// `SHOW DATABASES` against the generated `[databases]` section: each pool's server address,
    /// database, `pool_size` and `reserve_pool`; a pool PgBouncer runs that the plan lacks (other
    /// than its admin console) is drift too.
    private func comparePools(console: LiveConnection, scope: LiveScope, part: inout LiveCheckPart) {
        let result = console.query(database: "pgbouncer", sql: "SHOW DATABASES")
        guard result.status == 0 else {
            part.skip(scope, "\(console.label): \(LiveCatalogCheck.firstLine(result.error))", at: locator.pooling)
            return
        }
        var expected: [LiveExpectation] = []
        for (name, value) in Self.pools(PgBouncerConfig.text(plan: plan)) {
            expected.append(LiveExpectation(LiveFact(.pgbouncerPool, scope, name), value, at: locator.pooling))
        }
        // name, host, port, database, force_user, pool_size, min_pool_size, reserve_pool: the
        // first columns of SHOW DATABASES in every PgBouncer release topoc supports.
        let observed = result.rows.filter { $0.count >= 8 && $0[0] != "pgbouncer" }.map { row in
            LiveObservation(
                LiveFact(.pgbouncerPool, scope, row[0]),
                Self.poolValue(host: row[1], port: row[2], database: row[3], size: row[5], reserve: row[7]))
        }
        part.compare(expected, observed, scopes: [scope], extras: [.pgbouncerPool]) { _ in locator.pooling }
    }

    /// The pools of the `[databases]` section: name and the compared value.
    static func pools(_ ini: String) -> [(String, String)] {
        var inSection = false
        var pools: [(String, String)] = []
        for line in ini.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[") {
                inSection = text == "[databases]"
                continue
            }
            guard inSection, !text.hasPrefix(";"), !text.hasPrefix("#"), let equals = text.firstIndex(of: "=") else { continue }
            let name = text[..<equals].trimmingCharacters(in: .whitespaces)
            let fields = connectionFields(String(text[text.index(after: equals)...]))
            pools.append(
                (
                    name,
                    poolValue(
                        host: fields["host"] ?? "", port: fields["port"] ?? "", database: fields["dbname"] ?? name,
                        size: fields["pool_size"] ?? "", reserve: fields["reserve_pool"] ?? "")
                ))
        }
        return pools
    }

    /// The `key=value` pairs of a pool's connection string; a value may be single-quoted with
    /// `\'` and `\\` escapes, as in libpq connection strings.
    static func connectionFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        var characters = Array(text)[...]
        while true {
            while characters.first == " " { characters.removeFirst() }
            guard let sign = characters.firstIndex(of: "=") else { break }
            let key = String(characters[..<sign]).trimmingCharacters(in: .whitespaces)
            characters = characters[characters.index(after: sign)...]
            var value = ""
            if characters.first == "'" {
                characters.removeFirst()
                while let next = characters.first {
                    characters.removeFirst()
                    if next == "\\", let escaped = characters.first {
                        value.append(escaped)
                        characters.removeFirst()
                    } else if next == "'" {
                        break
                    } else {
                        value.append(next)
                    }
                }
            } else {
                while let next = characters.first, next != " " {
                    value.append(next)
                    characters.removeFirst()
                }
            }
            fields[key] = value
        }
        return fields
    }

    /// One pool as compared.
    static func poolValue(host: String, port: String, database: String, size: String, reserve: String) -> String {
        "host=\(host) port=\(port) dbname=\(database) pool_size=\(size) reserve_pool=\(reserve)"
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
