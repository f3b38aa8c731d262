import TopologyCompiler

/// The settings part of the live check: on every member, `pg_settings` against the parameters
/// of the cluster's Patroni configuration, and any parameter with `pending_restart`.
struct LiveSettingsCheck {
    let plan: Plan
    let locator: LiveLocator
    let target: LiveTarget

    func run() -> LiveCheckPart {
        var part = LiveCheckPart(name: "settings")
        for cluster in plan.clusters {
            guard let access = target.clusters[cluster.name] else { continue }
            let planned = PatroniConfig.parameters(cluster: cluster, plan: plan)
            let database = plan.databases.first { $0.cluster == cluster.name && $0.kind != .tenant }?.name ?? "postgres"
            let names = LiveCatalogQueries.array(planned.map(\.key))
            let sql = """
                SELECT name, setting, coalesce(unit, ''), vartype, pending_restart::text FROM pg_catalog.pg_settings
                WHERE name = ANY(\(names)) OR pending_restart
                """
            for (member, connection) in access.members {
                let scope = LiveScope(cluster: cluster.name, member: member)
                let result = connection.query(database: database, sql: sql)
                guard result.status == 0 else {
                    part.skip(
                        scope, "\(connection.label): \(LiveCatalogCheck.firstLine(result.error))", at: locator.cluster(cluster.template))
                    continue
                }
                var rows: [String: [String]] = [:]
                for row in result.rows where row.count == 5 { rows[row[0]] = row }
                var expected: [LiveExpectation] = []
                var observed: [LiveObservation] = []
                var hidden: [String] = []
                for (name, value) in planned {
                    guard let row = rows[name] else {
                        // pg_settings hides superuser-only parameters from roles without pg_read_all_settings.
                        hidden.append(name)
                        continue
                    }
                    let fact = LiveFact(.setting, scope, name)
                    expected.append(LiveExpectation(fact, value, at: locator.setting(cluster.template, name)))
                    let same = LiveSettingValue.matches(planned: value, setting: row[1], unit: row[2], vartype: row[3])
                    observed.append(LiveObservation(fact, same ? value : LiveSettingValue.shown(setting: row[1], unit: row[2])))
                }
                for row in rows.values where row[4] == "true" {
                    observed.append(LiveObservation(LiveFact(.pendingRestart, scope, row[0]), "waits for a restart"))
                }
                part.compare(expected, observed, scopes: [scope], extras: [.pendingRestart]) {
                    locator.setting(cluster.template, $0.fact.key)
                }
                if !hidden.isEmpty {
                    part.hidden.append("\(scope): \(hidden.sorted().joined(separator: ", "))")
                }
            }
        }
        return part
    }
}
