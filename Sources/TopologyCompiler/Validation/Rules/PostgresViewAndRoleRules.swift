/// The view rules (TPG119, TPG120) and role rules (TPG123, TPG124) of the PostgreSQL family.
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

    /// TPG123: the application role is not the superuser.
    static let appRoleBypassesRLS = Rule(.appRoleBypassesRLS) { context in
        guard let tenancy = context.topology.tenancy,
            tenancy.applicationRole.value.lowercased() == superuserName
        else { return }
        let container = tenancy.mode.value == .schemaPerTenant ? "schema" : "database"
        let consequence =
            tenancy.mode.value == .sharedSchema
            ? "a superuser bypasses row-level security, so every tenant would see every tenant's rows"
            : "a superuser bypasses the grants that keep each tenant to its own \(container)"
        context.report(
            "app_role '\(tenancy.applicationRole.value)' is the superuser: \(consequence); name a dedicated role "
                + "such as '\(context.topology.name.value)_app'",
            at: tenancy.applicationRole.location)
    }

    /// Role names that role specifications reserve.
    static let reservedRoleNames: Set<String> = ["public", "none", "current_user", "session_user", "current_role"]

    /// TPG124: the application role's name is not reserved.
    static let reservedRoleName = Rule(.reservedRoleName) { context in
        guard let tenancy = context.topology.tenancy else { return }
        let role = tenancy.applicationRole
        let lowered = role.value.lowercased()
        let reason: String
        if lowered.hasPrefix("pg_") {
            reason = "role names starting with 'pg_' are reserved for PostgreSQL's predefined roles"
        } else if reservedRoleNames.contains(lowered) {
            reason = "'\(lowered)' is a reserved word of role specifications"
        } else {
            return
        }
        context.report(
            "app_role '\(role.value)' cannot be created: \(reason); choose another name such as "
                + "'\(context.topology.name.value)_app'",
            at: role.location)
    }
}
