import TopologyCompiler

/// The catalog part of the live check: every planned database on its cluster's leader (tables,
/// columns, indexes with `indisvalid`, keys, triggers, row security, publications, grants), and
/// per cluster the roles topoc creates and the logical slots.
struct LiveCatalogCheck {
    let plan: Plan
    let locator: LiveLocator
    let target: LiveTarget

    /// The kinds where an object the plan does not declare is drift.
    static let extras: Set<LiveFactKind> = [.column, .index, .constraint, .policy, .publicationTable, .grant, .defaultPrivilege]

    func run() -> LiveCheckPart {
        var part = LiveCheckPart(name: "catalog")
        for database in plan.databases {
            let scope = LiveScope(cluster: database.cluster, database: database.name)
            guard let leader = target.clusters[database.cluster]?.leader else {
                part.skip(scope, "its cluster's leader is not reachable", at: locator.whole)
                continue
            }
            let layout = LiveDatabaseLayout(plan: plan, database: database)
            let publications = plan.replication.publications.filter { $0.database == database.name && $0.cluster == database.cluster }
            let result = leader.query(
                database: database.name, sql: LiveCatalogQueries.database(layout, publications: publications.map(\.name)))
            guard result.status == 0 else {
                part.skip(scope, "\(leader.label): \(Self.firstLine(result.error))", at: locator.whole)
                continue
            }
            let expected = LiveCatalogExpectations(plan: plan, layout: layout, locator: locator, scope: scope).all()
            part.compare(
                expected, LiveCatalogQueries.observations(result.output, scope: scope), scopes: [scope], extras: Self.extras,
                locate: locate)
        }
        for cluster in plan.clusters {
            clusterFacts(cluster, into: &part)
        }
        return part
    }

    /// Roles and slots, read in one of the cluster's databases.
    private func clusterFacts(_ cluster: PlanCluster, into part: inout LiveCheckPart) {
        let scope = LiveScope(cluster: cluster.name)
        guard let leader = target.clusters[cluster.name]?.leader else {
            part.skip(scope, "its leader is not reachable", at: locator.cluster(cluster.template))
            return
        }
        let databases = plan.databases.filter { $0.cluster == cluster.name }
        let database = (databases.first { $0.kind != .tenant } ?? databases.first)?.name ?? "postgres"
        let roles = RoleDDL.roles(plan)
        let result = leader.query(database: database, sql: LiveCatalogQueries.cluster(roles: roles.map(\.name)))
        guard result.status == 0 else {
            part.skip(scope, "\(leader.label): \(Self.firstLine(result.error))", at: locator.cluster(cluster.template))
            return
        }
        var expected = roles.map { role in
            LiveExpectation(
                LiveFact(.role, scope, role.name),
                LiveCatalogQueries.roleValue(
                    login: role.login, replication: role.replication, bypassRLS: role.bypassRLS, inherit: role.inherit),
                at: locator.role(roleKind(role.name)))
        }
        for slot in plan.replication.slots where slot.cluster == cluster.name {
            expected.append(
                LiveExpectation(
                    LiveFact(.slot, scope, slot.name), LiveCatalogQueries.slotValue(plugin: slot.plugin.rawValue, database: slot.database),
                    at: locator.slot(slot.name)))
        }
        part.compare(expected, LiveCatalogQueries.observations(result.output, scope: scope), scopes: [scope], locate: locate)
    }

    /// The kind of a role the plan names.
    private func roleKind(_ name: String) -> RoleKind? {
        let roles = plan.roles
        let kinds: [(String, RoleKind)] = [
            (roles.owner, .owner), (roles.application, .application), (roles.readOnly, .readOnly), (roles.clients, .clients),
            (roles.changeDataCapture, .changeDataCapture), (roles.poolerAuth, .poolerAuth), (roles.multiPrimary, .multiPrimary),
            (roles.monitor, .monitor),
        ]
        return kinds.first { $0.0 == name }?.1
    }

    /// The nearest declaration of an object the plan does not declare: its table.
    private func locate(_ observation: LiveObservation) -> SourceLocation {
        let fact = observation.fact
        if fact.kind == .publicationTable { return locator.publication }
        if fact.kind == .index, observation.value.hasPrefix("on ") {
            return locator.table(observation.value.dropFirst(3).split(separator: " ").first.map(String.init) ?? "")
        }
        let relation = fact.key.split(separator: " ").first.map(String.init) ?? fact.key
        let parts = relation.split(separator: ".")
        return parts.count >= 2 ? locator.table(String(parts[1])) : locator.whole
    }

    /// The first line of an error, for a message.
    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "no answer"
    }
}
