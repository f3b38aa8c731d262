/// Views and materialized views: each materialized view gets its unique index (which
/// `REFRESH ... CONCURRENTLY` needs) and a refresh function `topoc_refresh_<view>()`; the
/// schedules are pg_cron jobs in `cron.sql` (see ``CronDDL``).
package enum ViewDDL {
    /// The refresh function's name.
    static func refreshFunction(_ view: String) -> String {
        PlanNames.refreshFunction(view: view)
    }

    /// The name of a materialized view's unique index.
    static func uniqueIndexName(_ view: PlanView) -> String {
        PlanNames.index(table: view.name, keys: view.uniqueKey.map { PlanIndexKey(column: $0, expression: nil) }, unique: true)
    }

    /// Where a view of a database goes: `nil` when it reads a table this database does not hold,
    /// `true` for every tenant's schema, `false` for `public`.
    package static func placement(_ view: PlanView, in database: DatabaseScope) -> Bool? {
        let names = referencedNames(view.query)
        func referenced(_ name: String) -> Bool { names.contains(name) }
        let tenant = Set(database.tenantTables.map(\.name))
        let held = Set(database.allTables.filter { $0.group == nil }.map(\.name))
        let missing = database.plan.tables.map(\.name).filter { referenced($0) && !held.contains($0) }
        if !missing.isEmpty { return nil }
        if tenant.contains(where: referenced) { return true }
        let earlier = database.views.prefix { $0.name != view.name }
        return earlier.contains { referenced($0.name) && placement($0, in: database) == true }
    }

    /// The names a query may reference: unquoted words folded to lower case and double-quoted
    /// identifiers as written (string literals skipped).
    static func referencedNames(_ query: String) -> Set<String> {
        var names = Set<String>()
        var scalars = Array(query.unicodeScalars)[...]
        func isWordStart(_ s: Unicode.Scalar) -> Bool { s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
        func isWord(_ s: Unicode.Scalar) -> Bool { isWordStart(s) || ("0"..."9").contains(s) || s == "$" }
        while let first = scalars.first {
            if first == "'" || first == "\"" {
                scalars = scalars.dropFirst()
                var text = String.UnicodeScalarView()
                while let next = scalars.first {
                    scalars = scalars.dropFirst()
                    if next == first {
                        if scalars.first == first {
                            text.append(first)
                            scalars = scalars.dropFirst()
                            continue
                        }
                        break
                    }
                    text.append(next)
                }
                if first == "\"" { names.insert(String(text)) }
            } else if isWordStart(first) {
                var text = String.UnicodeScalarView()
                while let next = scalars.first, isWord(next) {
                    text.append(next)
                    scalars = scalars.dropFirst()
                }
                names.insert(String(text).lowercased())
            } else {
                scalars = scalars.dropFirst()
                if ("0"..."9").contains(first) {
                    while let next = scalars.first, isWord(next) { scalars = scalars.dropFirst() }
                }
            }
        }
        return names
    }

    /// The views of a schema: the public ones or the tenant ones.
    static func statements(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        let database = scope.database
        let views = database.views.filter { placement($0, in: database) == scope.isTenantTemplate }
        if !scope.isTenantTemplate {
            for view in database.views where placement(view, in: database) == nil {
                script.comment("view \(view.name) not created here: it reads a table of another database")
            }
        }
        guard !views.isEmpty else { return script }
        if scope.isTenantTemplate {
            script.comment("view queries name tables unqualified: resolve them in the tenant's schema first")
            script.add("SELECT pg_catalog.set_config('search_path', quote_ident(\(scope.schema.literal)) || ', public', true)")
        }
        for view in views {
            script.append(self.view(view, scope: scope))
        }
        return script
    }

    /// One view's statements.
    private static func view(_ view: PlanView, scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        let name = scope.schema.qualify(view.name)
        guard view.materialized else {
            let invoker = scope.database.isSharedSchemaTenancy ? " WITH (security_invoker = true)" : ""
            script.comment("view \(view.name)\(invoker.isEmpty ? "" : ": security_invoker, so row-level security applies to its readers")")
            script.add("CREATE OR REPLACE VIEW \(name)\(invoker) AS\n\(view.query)")
            return script
        }
        script.comment("materialized view \(view.name)")
        script.add("CREATE MATERIALIZED VIEW IF NOT EXISTS \(name) AS\n\(view.query)\nWITH DATA")
        if !view.uniqueKey.isEmpty {
            script.add(
                "CREATE UNIQUE INDEX IF NOT EXISTS \(SQLQuoting.identifier(uniqueIndexName(view))) ON \(name) (\(SQLQuoting.identifierList(view.uniqueKey)))"
            )
        }
        let concurrently = view.refreshConcurrently && !view.uniqueKey.isEmpty
        let body = """

            BEGIN
                REFRESH MATERIALIZED VIEW \(concurrently ? "CONCURRENTLY " : "")\(name);
            END

            """
        let function = "\(scope.schema.qualify(refreshFunction(view.name)))()"
        script.add(
            "CREATE OR REPLACE FUNCTION \(function) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(body))
        script.comment("only the owner may refresh; the writer role calls this function (granted with the privileges)")
        script.add("REVOKE ALL ON FUNCTION \(function) FROM PUBLIC")
        var note = "Refreshed by \(refreshFunction(view.name))()"
        if concurrently { note += " concurrently (readers are not blocked)" }
        if let schedule = view.refreshSchedule { note += " on the pg_cron schedule '\(schedule)'" }
        script.add("COMMENT ON MATERIALIZED VIEW \(name) IS \(SQLQuoting.literal(note + "."))")
        return script
    }
}
