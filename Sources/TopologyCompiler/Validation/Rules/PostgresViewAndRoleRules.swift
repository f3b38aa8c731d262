/// The view rules (TPG119, TPG120), role rules (TPG123-TPG125) and database name rule (TPG127)
/// of the PostgreSQL family.
enum PostgresViewAndRoleRules {
    /// TPG119: a concurrently refreshed materialized view has a unique key.
    static let concurrentRefreshNeedsUniqueKey = Rule(.concurrentRefreshNeedsUniqueKey) { context in
        for view in context.topology.views where view.materialized.value && view.uniqueKey.isEmpty {
            guard let concurrently = view.refreshConcurrently, concurrently.value else { continue }
            context.report(
                "materialized view '\(view.name.value)' is refreshed CONCURRENTLY, which needs a unique index on its "
                    + "columns; declare 'unique_key' with the columns that identify a row, or drop 'concurrently'",
                at: concurrently.location,
                notes: [.init("'\(view.name.value)' is declared here", at: view.name.location)],
                suppressions: view.suppressions)
        }
    }

    /// TPG120: only materialized views have a unique key.
    static let uniqueKeyOnPlainView = Rule(.uniqueKeyOnPlainView) { context in
        for view in context.topology.views where !view.materialized.value {
            guard let first = view.uniqueKey.first else { continue }
            context.report(
                "view '\(view.name.value)' is not materialized, and a plain view cannot have an index; add "
                    + "'materialized: true' or drop 'unique_key'",
                at: first.location, notes: [.init("'\(view.name.value)' is declared here", at: view.name.location)],
                suppressions: view.suppressions)
        }
    }

    /// The superuser Patroni creates, which the application must never connect as.
    static let superuserName = "postgres"

    /// The role names a topology resolves to: each kind's declared name, else its default, with
    /// the location to report at (the declared name, else the application role's).
    static func resolvedRoles(_ topology: Topology) -> [(kind: RoleKind, name: Located<String>)] {
        let application = topology.applicationRole
        return RoleKind.allCases.map { kind in
            if kind == .application { return (kind, application) }
            return (
                kind,
                topology.roles.names[kind] ?? Located(kind.defaultName(application: application.value), at: application.location)
            )
        }
    }

    /// TPG123: the application role is not the superuser.
    static let appRoleBypassesRLS = Rule(.appRoleBypassesRLS) { context in
        let role = context.topology.applicationRole
        guard role.value.lowercased() == superuserName else { return }
        let consequence: String
        switch context.topology.tenancy?.mode.value {
        case .sharedSchema?:
            consequence = "a superuser bypasses row-level security, so every tenant would see every tenant's rows"
        case .schemaPerTenant?:
            consequence = "a superuser bypasses the grants that keep each tenant to its own schema"
        case .databasePerTenant?:
            consequence = "a superuser bypasses the grants that keep each tenant to its own database"
        case nil:
            consequence = "the application would run with every privilege, and PgBouncer never serves the superuser"
        }
        context.report(
            "the application role '\(role.value)' is the superuser: \(consequence); name a dedicated role "
                + "such as '\(context.topology.name.value)_app'",
            at: role.location)
    }

    /// Role names that role specifications reserve.
    static let reservedRoleNames: Set<String> = ["public", "none", "current_user", "session_user", "current_role"]

    /// Words that the user field of `pg_hba.conf` and of PgBouncer's HBA file reads as keywords,
    /// not as role names (`all` matches every role).
    static let hbaKeywords: Set<String> = ["all", "sameuser", "samerole", "samegroup", "replication"]

    /// TPG124: no role's name is reserved. Defaults are derived from the application role, so
    /// the application role and the names a topology declares are the ones to check.
    static let reservedRoleName = Rule(.reservedRoleName) { context in
        let topology = context.topology
        for (kind, role) in resolvedRoles(topology) where kind == .application || topology.roles.names[kind] != nil {
            let lowered = role.value.lowercased()
            let reason: String
            if lowered.hasPrefix("pg_") {
                reason = "role names starting with 'pg_' are reserved for PostgreSQL's predefined roles"
            } else if reservedRoleNames.contains(lowered) {
                reason = "'\(lowered)' is a reserved word of role specifications"
            } else if hbaKeywords.contains(lowered) {
                reason =
                    "'\(lowered)' is a keyword of the user field of pg_hba.conf and of PgBouncer's HBA file, so the line "
                    + "that names this role would match other roles ('all' matches every role)"
            } else {
                continue
            }
            context.report(
                "the \(kind.key) role '\(role.value)' cannot be created: \(reason); choose another name such as "
                    + "'\(context.topology.name.value)_\(kind.key)'",
                at: role.location)
        }
    }

    /// The roles Patroni creates itself, which no role of topoc's may share a name with.
    static let patroniRoles = [superuserName, "replicator"]

    /// TPG125: every role has its own name, and none is Patroni's superuser or replication role.
    static let roleNameCollision = Rule(.roleNameCollision) { context in
        var seen: [String: RoleKind] = [:]
        for (kind, role) in resolvedRoles(context.topology) {
            if patroniRoles.contains(role.value.lowercased()), kind != .application {
                context.report(
                    "the \(kind.key) role '\(role.value)' is one of Patroni's roles (the superuser or the replication role): "
                        + "it would run with that role's privileges; give it its own name",
                    at: role.location)
            } else if let other = seen[role.value] {
                context.report(
                    "the \(kind.key) role and the \(other.key) role are both named '\(role.value)': one role would hold both sets "
                        + "of privileges\(kind == .changeDataCapture || other == .changeDataCapture || kind == .multiPrimary || other == .multiPrimary ? " (REPLICATION among them)" : ""); give each its own name under 'roles:'",
                    at: role.location)
            } else {
                seen[role.value] = kind
            }
        }
    }

    /// The databases every PostgreSQL cluster has.
    static let systemDatabases: Set<String> = ["postgres", "template0", "template1"]

    /// TPG127: the main database and the vertical groups' databases are not a cluster's own
    /// databases (tenant databases are TTN606's).
    static let reservedDatabaseName = Rule(.reservedDatabaseName) { context in
        let topology = context.topology
        var named: [(name: String, what: String, location: SourceLocation)] = []
        if topology.sharding == nil, !topology.clusters.isEmpty {
            named.append(
                (PhysicalLayout.databaseName(topology.name.value), "the main database, named after the topology", topology.name.location))
        }
        for table in topology.tables {
            for group in table.verticalGroups {
                named.append(
                    (
                        group.database.value, "the database of vertical group '\(group.name.value)' of '\(table.name.value)'",
                        group.database.location
                    ))
            }
        }
        // Exact names: topoc quotes database names, so 'Postgres' is a database of its own.
        for entry in named where systemDatabases.contains(entry.name) {
            context.report(
                "'\(entry.name)' would be \(entry.what), but every PostgreSQL cluster already has that database: "
                    + "the schema would go into it (into template1, every database created later would copy it); "
                    + "choose another name",
                at: entry.location)
        }
    }
}
