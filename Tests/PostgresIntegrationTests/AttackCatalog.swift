import Foundation
import Testing
import TopologyCompiler

/// The attacks on one deployed example: every login role of the plan, connected as itself,
/// tries what the role model forbids (each statement must be refused with the error PostgreSQL
/// gives for it), and the positive path proves that each role can still do its job.
///
/// Privilege checks happen when a statement is planned and its executor starts, before any
/// row is read, so `INSERT INTO t (c) SELECT c FROM t WHERE false`, `UPDATE t SET c = c WHERE
/// false` and `DELETE FROM t WHERE false` prove (or refuse) a privilege on every table whatever
/// its constraints; the positive path also writes a real row per table where ``AttackRows`` can
/// derive one, and updates, reads and deletes it.
struct AttackSuite {
    let deployment: Deployment
    let model: AttackRoleModel
    /// The deployed databases.
    let databases: [PlanDatabase]

    var psql: PSQL { deployment.psql }
    var plan: Plan { deployment.plan }
    var roles: PlanRoles { plan.roles }
    static let tenantA = AttackRows.tenantID(1)
    static let tenantB = AttackRows.tenantID(2)
    static let password = "attack-suite-secret"

    init(deployment: Deployment, databases: [PlanDatabase]) {
        self.deployment = deployment
        self.model = AttackRoleModel(plan: deployment.plan)
        self.databases = databases
    }

    /// Privileged roles that are members of the clients group: the pooler lookup must never
    /// answer for them (created for the test, with the deployment's suffix).
    var decoys: [(name: String, attributes: String)] {
        [
            ("decoy_super_\(deployment.suffix)", "SUPERUSER"), ("decoy_replication_\(deployment.suffix)", "REPLICATION"),
            ("decoy_bypassrls_\(deployment.suffix)", "BYPASSRLS"),
        ]
    }

    // MARK: catalog

    struct Facts {
        var database: PlanDatabase
        var relations: [CatalogRelation]
        var definers: [CatalogFunction]
        var schemas: [String]
        /// Calls of `topoc_shard_for`, `topoc_shard_name` and `topoc_this_shard`, with values.
        var shardCalls: [String]
    }

    func facts(_ database: PlanDatabase) async throws -> Facts {
        let db = database.name
        let relations = try await psql.check(
            """
            SELECT n.nspname, c.relname, c.relkind, c.relispartition, c.relforcerowsecurity,
                   coalesce((SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                             AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum LIMIT 1), '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_%'
            ORDER BY 1, 2
            """, database: db
        ).rows.compactMap { row -> CatalogRelation? in
            guard row.count == 6 else { return nil }
            return CatalogRelation(
                schema: row[0], name: row[1], kind: row[2], isPartition: row[3] == "t", forcesRowSecurity: row[4] == "t",
                column: row[5].isEmpty ? nil : row[5])
        }
        let definers = try await psql.check(
            """
            SELECT n.nspname, p.proname, p.oid, p.oid::regprocedure, p.prorettype = 'trigger'::regtype,
                   format('%I.%I(%s)', n.nspname, p.proname,
                          coalesce((SELECT string_agg('NULL::' || format_type(t, NULL), ', ') FROM unnest(p.proargtypes) t), ''))
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2
            """, database: db
        ).rows.compactMap { row -> CatalogFunction? in
            guard row.count == 6 else { return nil }
            return CatalogFunction(schema: row[0], name: row[1], oid: row[2], signature: row[3], isTrigger: row[4] == "t", call: row[5])
        }
        let schemas = try await psql.check(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
            database: db
        ).lines
        let shardFunctions = try await psql.check(
            """
            SELECT p.proname, coalesce((SELECT string_agg(format_type(t, NULL), ',') FROM unnest(p.proargtypes) t), '')
            FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
              AND p.proname IN ('topoc_shard_for', 'topoc_shard_name', 'topoc_this_shard')
            ORDER BY 1
            """, database: db
        ).rows
        let rows = AttackRows(plan: plan)
        var shardCalls: [String] = []
        for row in shardFunctions where row.count == 2 {
            let types = row[1].isEmpty ? [] : row[1].split(separator: ",").map(String.init)
            let arguments = types.map { type in
                type == "text" ? literal(plan.regions.first ?? "r") : rows.generic(type, variant: 1) ?? "NULL::\(type)"
            }
            shardCalls.append("SELECT public.\(row[0])(\(arguments.joined(separator: ", "))) IS NOT NULL")
        }
        return Facts(database: database, relations: relations, definers: definers, schemas: schemas, shardCalls: shardCalls)
    }

    // MARK: running

    /// Runs every attack and positive check of the example.
    func run() async throws -> AttackTally {
        var tally = AttackTally()
        var allFacts: [Facts] = []
        for database in databases { allFacts.append(try await facts(database)) }
        try await prepareRoles()

        // 1. The writers insert their real rows (shared-schema: tenants A and B), so that the
        //    attacks below have other tenants' rows to aim at.
        var written: [String: [(schema: String, table: PlanTable, row: AttackRows.Row)]] = [:]
        for facts in allFacts {
            let (seedTally, rows) = try await seed(facts)
            tally.merge(seedTally)
            written[facts.database.name] = rows
        }

        // 2. Every login role against every database it reaches; CONNECT refused elsewhere.
        var batches: [AttackBatch] = []
        for facts in allFacts {
            for role in model.loginRoles where model.mayConnect(role, facts.database) {
                batches.append(roleBatch(role, facts, written: written[facts.database.name] ?? []))
            }
            batches.append(superuserBatch(facts))
        }
        for (role, database) in escalationTargets() {
            batches.append(escalationBatch(role, database: database))
        }
        tally.merge(try await runAll(batches))
        for role in model.loginRoles {
            for database in databases where !model.mayConnect(role, database) {
                let output = try await psql.sql("SELECT current_user", database: database.name, user: role)
                if output.status != 0 && output.stderr.contains("permission denied for database") {
                    tally.refused += 1
                } else {
                    tally.succeeded.append(
                        "\(role) CONNECT to \(database.name): expected permission denied for database, got status \(output.status) \(output.stdout) \(output.stderr)"
                    )
                }
            }
        }

        // 3. The writers update, read and delete their rows.
        for facts in allFacts {
            tally.merge(try await finish(facts, rows: written[facts.database.name] ?? []))
        }
        return tally
    }

    /// Runs batches, a few at a time.
    func runAll(_ batches: [AttackBatch]) async throws -> AttackTally {
        var tally = AttackTally()
        try await withThrowingTaskGroup(of: (String, [AttackOutcome]?).self) { group in
            var iterator = batches.makeIterator()
            func addNext() {
                guard let batch = iterator.next() else { return }
                group.addTask { ("\(batch.user)@\(batch.database)", try await batch.run(psql)) }
            }
            for _ in 0..<3 { addNext() }
            while let (context, outcomes) = try await group.next() {
                if let outcomes { tally.add(outcomes, context: context) } else { tally.setupFailed.append("\(context): batch lost") }
                addNext()
            }
        }
        return tally
    }

    /// Passwords for the login roles (so the pooler lookup has real secrets to refuse or give),
    /// and the privileged decoys in the clients group.
    func prepareRoles() async throws {
        guard let database = databases.first else { return }
        var sql = ""
        for role in model.loginRoles {
            sql += "ALTER ROLE \(quoted(role)) PASSWORD \(literal(Self.password));\n"
        }
        for decoy in decoys {
            sql +=
                "CREATE ROLE \(quoted(decoy.name)) LOGIN \(decoy.attributes) PASSWORD \(literal(Self.password)) IN ROLE \(quoted(roles.clients));\n"
        }
        try await psql.check(sql, database: database.name)
    }

    // MARK: the positive path's rows

    /// The schemas whose tables a writer fills: `public` (by the database's writer) and every
    /// tenant schema (by its tenant's role).
    func writerSchemas(_ facts: Facts) -> [(schema: String, role: String, tables: [String])] {
        let database = facts.database
        let held = database.tables.filter { !$0.contains(".") }
        if model.hasTenantSchemas(database) {
            var result = [("public", model.writer(database), held.filter { model.sharedTables.contains($0) })]
            for tenant in model.tenants {
                guard let schema = tenant.schema, let role = tenant.role else { continue }
                result.append((schema, role, held.filter { !model.sharedTables.contains($0) }))
            }
            return result
        }
        return [("public", model.writer(database), held)]
    }

    /// Inserts the real rows: read-only shared tables by the superuser, the rest by the writer.
    func seed(_ facts: Facts) async throws -> (AttackTally, [(schema: String, table: PlanTable, row: AttackRows.Row)]) {
        var tally = AttackTally()
        var written: [(schema: String, table: PlanTable, row: AttackRows.Row)] = []
        let generator = AttackRows(plan: plan)
        let database = facts.database
        let variants: [(Int, String?)] = model.isSharedSchema ? [(1, Self.tenantA), (2, Self.tenantB)] : [(1, nil)]
        for (schema, role, tables) in writerSchemas(facts) {
            let allTables = database.tables.filter { !$0.contains(".") }
            var superuser = AttackBatch(user: "postgres", database: database.name)
            var writer = AttackBatch(user: role, database: database.name)
            var pending: [(index: Int, schema: String, table: PlanTable, row: AttackRows.Row)] = []
            for (variant, tenant) in variants {
                if let tenant { writer.setup("SELECT set_config('app.tenant_id', \(literal(tenant)), false)") }
                for (table, row) in generator.rows(tables: allTables, variant: variant, tenantValue: tenant) {
                    let shared = model.sharedTables.contains(table.name)
                    let inSchema = model.hasTenantSchemas(database) && !shared ? schema : "public"
                    let insert =
                        "INSERT INTO \(quoted(inSchema)).\(quoted(table.name)) (\(row.map { quoted($0.column) }.joined(separator: ", "))) VALUES (\(row.map(\.value).joined(separator: ", ")))"
                    if shared && database.kind != .tenant {
                        // The shared tables are read-only for the writer: the superuser fills them
                        // (once, in the public schema's pass).
                        if schema == "public" { superuser.setup(insert + " ON CONFLICT DO NOTHING") }
                    } else if tables.contains(table.name) {
                        pending.append((writer.steps.count, inSchema, table, row))
                        writer.realRow("\(role) inserts a row into \(inSchema).\(table.name)", insert)
                    }
                }
            }
            // A shared row the generator cannot derive only leaves its children without a parent.
            for outcome in try await superuser.run(psql) ?? [] where !outcome.matches {
                tally.notes.append("seed as superuser: \(outcome.summary)")
            }
            guard let outcomes = try await writer.run(psql) else { continue }
            tally.add(outcomes, context: "\(role)@\(database.name)")
            for entry in pending where outcomes[entry.index].matches {
                written.append((entry.schema, entry.table, entry.row))
            }
        }
        return (tally, written)
    }

    /// The condition selecting a written row by its primary key, or nil when the row does not
    /// give every key column.
    func keyCondition(_ table: PlanTable, _ row: AttackRows.Row) -> String? {
        var parts: [String] = []
        for key in table.schema.primaryKey {
            guard let value = row.first(where: { $0.column == key })?.value else { return nil }
            parts.append("\(quoted(key)) = \(value)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// The writers read, update and delete their real rows (children first).
    func finish(_ facts: Facts, rows: [(schema: String, table: PlanTable, row: AttackRows.Row)]) async throws -> AttackTally {
        var batches: [String: AttackBatch] = [:]
        let database = facts.database
        for (schema, table, row) in rows.reversed() {
            guard let role = model.writer(ofSchema: schema, database), let condition = keyCondition(table, row) else { continue }
            var batch = batches[role] ?? AttackBatch(user: role, database: database.name)
            let name = "\(quoted(schema)).\(quoted(table.name))"
            if let tenant = model.isSharedSchema ? row.first(where: { $0.column == plan.tenancy?.column })?.value : nil {
                batch.setup("SELECT set_config('app.tenant_id', (\(tenant))::text, false)")
            }
            let column = quoted(row.first?.column ?? "")
            batch.positive("\(role) reads its row of \(name)", "SELECT count(*) FROM \(name) WHERE \(condition)", .rows(["1"]))
            batch.positive(
                "\(role) updates its row of \(name)", "UPDATE \(name) SET \(column) = \(column) WHERE \(condition)", .rowCount(1))
            batch.positive("\(role) deletes its row of \(name)", "DELETE FROM \(name) WHERE \(condition)", .rowCount(1))
            batches[role] = batch
        }
        return try await runAll(Array(batches.values))
    }

    // MARK: the attacks of one role in one database

    func roleBatch(_ role: String, _ facts: Facts, written: [(schema: String, table: PlanTable, row: AttackRows.Row)]) -> AttackBatch {
        let database = facts.database
        var batch = AttackBatch(user: role, database: database.name)
        let denied = AttackExpectation.denied("permission denied for")

        // Every relation: what the role model allows must work, everything else is refused.
        for relation in facts.relations where relation.kind != "S" {
            let allowed = model.privileges(role, relation, database)
            let name = relation.qualified
            let what = "\(role) on \(relation.schema).\(relation.name)"
            if allowed.contains(.select) {
                batch.positive("\(what): SELECT", "SELECT count(*) >= 0 FROM \(name)", .rows(["t"]))
            } else {
                batch.attack("\(what): SELECT", "SELECT count(*) FROM \(name)", denied)
                if relation.isTable {
                    batch.attack("\(what): COPY TO STDOUT", "COPY \(name) TO STDOUT", denied)
                }
            }
            guard relation.isTable, let column = relation.column.map(quoted) else { continue }
            let writes: [(AttackRoleModel.Privilege, String)] = [
                (.insert, "INSERT INTO \(name) (\(column)) SELECT \(column) FROM \(name) WHERE false"),
                (.update, "UPDATE \(name) SET \(column) = \(column) WHERE false"),
                (.delete, "DELETE FROM \(name) WHERE false"),
            ]
            for (privilege, sql) in writes where !relation.isPartition || privilege == .insert {
                if allowed.contains(privilege) {
                    batch.positive("\(what): \(privilege.rawValue) (plan time)", sql, .rowCount(0))
                } else {
                    batch.attack("\(what): \(privilege.rawValue)", sql, denied)
                }
            }
            if !relation.isPartition {
                batch.attack("\(what): TRUNCATE", "TRUNCATE \(name)", denied)
            }
        }
        for relation in facts.relations where relation.kind == "S" {
            let writes = facts.relations.contains { $0.schema == relation.schema && model.privileges(role, $0, database).contains(.insert) }
            if !writes {
                batch.attack("\(role): nextval(\(relation.name))", "SELECT nextval(\(literal(relation.qualified)))", denied)
            }
        }

        // SECURITY DEFINER functions: only the pooler lookup and the writer's refresh functions.
        for function in facts.definers {
            if model.mayExecute(role, function, database) {
                batch.positive(
                    "\(role) calls \(function.signature)", "SELECT count(*) >= 0 FROM (SELECT \(function.call)) AS called", .rows(["t"]))
            } else {
                batch.attack("\(role) calls \(function.signature)", "SELECT \(function.call)", denied)
            }
        }
        if role == model.writer(database) || role == model.reader(database) {
            for call in facts.shardCalls {
                batch.positive("\(role): \(call)", call, .rows(["t"]))
            }
        }

        // Objects of its own: nowhere.
        let schemaDenied = AttackExpectation.denied("permission denied for schema")
        batch.attack("\(role): CREATE TABLE in public", "CREATE TABLE public.topoc_attack_t (i int)", schemaDenied)
        batch.attack(
            "\(role): CREATE FUNCTION in public", "CREATE FUNCTION public.topoc_attack_f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            schemaDenied)
        batch.attack("\(role): CREATE VIEW in public", "CREATE VIEW public.topoc_attack_v AS SELECT 1 AS one", schemaDenied)
        for schema in facts.schemas where schema != "public" {
            batch.attack("\(role): CREATE TABLE in \(schema)", "CREATE TABLE \(quoted(schema)).topoc_attack_t (i int)", schemaDenied)
        }
        batch.attack("\(role): CREATE SCHEMA", "CREATE SCHEMA topoc_attack", .denied("permission denied for database"))
        batch.attack(
            "\(role): CREATE TEMP TABLE", "CREATE TEMP TABLE topoc_attack_tmp (i int)",
            // A temp schema another session of this server left behind (the forging checks grant
            // TEMPORARY in a rolled-back transaction) is refused for its owner instead.
            .denied("permission denied to create temporary tables", "permission denied for schema pg_temp_"))

        // Password hashes.
        batch.attack(
            "\(role): read pg_authid", "SELECT rolname, rolpassword FROM pg_authid", .denied("permission denied for table pg_authid"))
        batch.attack("\(role): read pg_shadow", "SELECT usename, passwd FROM pg_shadow", .denied("permission denied for view pg_shadow"))
        if role == roles.poolerAuth {
            poolerChecks(&batch)
        } else {
            batch.attack(
                "\(role) calls the pooler lookup", "SELECT * FROM topoc_pgbouncer.lookup('postgres')",
                .denied("permission denied for schema topoc_pgbouncer", "permission denied for function"))
        }

        // Other tenants' rows (shared-schema): row-level security hides and refuses them.
        if model.isSharedSchema && (role == roles.application || role == roles.readOnly) {
            sharedSchemaAttacks(&batch, role: role, facts, written: written)
        }
        return batch
    }

    /// The auth role gets the secret of a clients member, and of no privileged role.
    func poolerChecks(_ batch: inout AttackBatch) {
        let members = [roles.application, roles.readOnly] + model.tenants.compactMap(\.role)
        for member in members {
            batch.positive(
                "lookup(\(member)) gives its SCRAM secret",
                "SELECT usename, passwd LIKE 'SCRAM-SHA-256$%' FROM topoc_pgbouncer.lookup(\(literal(member)))", .rows(["\(member)|t"]))
        }
        var victims = ["postgres", roles.owner, roles.poolerAuth, roles.clients] + decoys.map(\.name)
        if model.capturesChanges { victims.append(roles.changeDataCapture) }
        if !plan.multiPrimaryGroups.isEmpty { victims.append(roles.multiPrimary) }
        for victim in victims {
            batch.attack(
                "\(roles.poolerAuth): lookup(\(victim))",
                "SELECT count(*) FROM topoc_pgbouncer.lookup(\(literal(victim)))",
                .rows(["0"]))
        }
    }

    /// As tenant A: tenant B's rows are invisible, untouchable and cannot be inserted; row-level
    /// security cannot be switched off.
    func sharedSchemaAttacks(
        _ batch: inout AttackBatch, role: String, _ facts: Facts, written: [(schema: String, table: PlanTable, row: AttackRows.Row)]
    ) {
        guard let column = plan.tenancy?.column else { return }
        let tenantColumn = quoted(column)
        let generator = AttackRows(plan: plan)
        let intruders = generator.rows(tables: facts.database.tables, variant: 3, tenantValue: Self.tenantB)
        let b = "\(literal(Self.tenantB))::\(plan.tenancy?.columnType ?? "text")"
        batch.setup("SELECT set_config('app.tenant_id', \(literal(Self.tenantA)), false)")
        let writer = role == model.writer(facts.database)
        for table in plan.tables where table.schema.tenantScoped && facts.database.tables.contains(table.name) {
            guard table.schema.columns.contains(where: { $0.name == column }) else { continue }
            let name = "public.\(quoted(table.name))"
            let what = "\(role) as tenant A on \(table.name)"
            let first = quoted(table.schema.columns.first { $0.derived == nil }?.name ?? column)
            batch.attack("\(what): SELECT B's rows", "SELECT count(*) FROM \(name) WHERE \(tenantColumn) = \(b)", .rows(["0"]))
            batch.attack(
                "\(what): COPY B's rows", "COPY (SELECT * FROM \(name) WHERE \(tenantColumn) <> \(literal(Self.tenantA))) TO STDOUT",
                .rows([]))
            guard writer else { continue }
            batch.attack(
                "\(what): UPDATE B's rows", "UPDATE \(name) SET \(first) = \(first) WHERE \(tenantColumn) = \(b)", .rowCount(0))
            batch.attack("\(what): DELETE B's rows", "DELETE FROM \(name) WHERE \(tenantColumn) = \(b)", .rowCount(0))
            if let row = intruders.first(where: { $0.table.name == table.name })?.row {
                batch.attack(
                    "\(what): INSERT a row of B",
                    "INSERT INTO \(name) (\(row.map { quoted($0.column) }.joined(separator: ", "))) VALUES (\(row.map(\.value).joined(separator: ", ")))",
                    .denied("new row violates row-level security policy"))
            }
            if written.contains(where: { $0.table.name == table.name }) {
                batch.attack(
                    "\(what): move A's rows to B", "UPDATE \(name) SET \(tenantColumn) = \(b)",
                    .denied("new row violates row-level security policy"))
            }
            batch.attack("\(what): DISABLE ROW LEVEL SECURITY", "ALTER TABLE \(name) DISABLE ROW LEVEL SECURITY", .denied("must be owner"))
            batch.attack(
                "\(what): NO FORCE ROW LEVEL SECURITY", "ALTER TABLE \(name) NO FORCE ROW LEVEL SECURITY", .denied("must be owner"))
            batch.attack("\(what): DROP POLICY", "DROP POLICY tenant_isolation ON \(name)", .denied("must be owner"))
            batch.attack("\(what): CREATE POLICY", "CREATE POLICY topoc_attack ON \(name) USING (true)", .denied("must be owner"))
            batch.setup("SET row_security = off")
            batch.attack(
                "\(what): row_security = off", "SELECT count(*) FROM \(name)",
                .denied("query would be affected by row-level security policy"))
            batch.setup("RESET row_security")
        }
        batch.setup("SELECT set_config('app.tenant_id', '', false)")
        for table in plan.tables where table.schema.tenantScoped && facts.database.tables.contains(table.name) {
            guard table.schema.columns.contains(where: { $0.name == column }) else { continue }
            batch.attack(
                "\(role) with no tenant set on \(table.name): SELECT", "SELECT count(*) FROM public.\(quoted(table.name))", .rows(["0"]))
        }
    }

    // MARK: escalation

    /// Each login role once, in the first database it reaches.
    func escalationTargets() -> [(String, PlanDatabase)] {
        model.loginRoles.compactMap { role in databases.first { model.mayConnect(role, $0) }.map { (role, $0) } }
    }

    func escalationBatch(_ role: String, database: PlanDatabase) -> AttackBatch {
        var batch = AttackBatch(user: role, database: database.name)
        let targets = [roles.owner, "postgres", roles.application].filter { $0 != role }
        for target in targets {
            batch.attack("\(role): SET ROLE \(target)", "SET ROLE \(quoted(target))", .denied("permission denied to set role"))
            batch.setup("RESET ROLE")
        }
        batch.attack(
            "\(role): SET SESSION AUTHORIZATION postgres", "SET SESSION AUTHORIZATION postgres",
            .denied("permission denied to set session authorization"))
        batch.setup("RESET SESSION AUTHORIZATION")
        let me = quoted(role)
        for attribute in ["SUPERUSER", "BYPASSRLS", "REPLICATION", "CREATEROLE", "CREATEDB"] {
            batch.attack(
                "\(role): ALTER ROLE self \(attribute)", "ALTER ROLE \(me) \(attribute)", .denied("must be superuser", "permission denied"))
        }
        batch.attack(
            "\(role): ALTER ROLE owner LOGIN", "ALTER ROLE \(quoted(roles.owner)) LOGIN", .denied("permission denied", "must be superuser"))
        batch.attack(
            "\(role): ALTER ROLE owner PASSWORD", "ALTER ROLE \(quoted(roles.owner)) PASSWORD 'x'",
            .denied("permission denied", "must be superuser"))
        for group in [
            roles.owner, roles.clients, "pg_read_all_data", "pg_write_all_data", "pg_read_server_files", "pg_execute_server_program",
        ] {
            batch.attack(
                "\(role): GRANT \(group) TO self", "GRANT \(quoted(group)) TO \(me)", .denied("must have admin option", "permission denied")
            )
        }
        batch.attack("\(role): CREATE ROLE", "CREATE ROLE topoc_attack_role", .denied("permission denied to create role"))
        batch.attack(
            "\(role): ALTER DEFAULT PRIVILEGES FOR ROLE owner",
            "ALTER DEFAULT PRIVILEGES FOR ROLE \(quoted(roles.owner)) GRANT ALL ON TABLES TO \(me)",
            .denied("permission denied to change default privileges", "must be member of role"))
        batch.attack("\(role): ALTER SYSTEM", "ALTER SYSTEM SET log_statement = 'none'", .denied("must be superuser", "permission denied"))
        batch.attack(
            "\(role): pg_read_file", "SELECT pg_read_file('postgresql.conf')", .denied("permission denied for function pg_read_file"))
        batch.attack("\(role): lo_import", "SELECT lo_import('/etc/passwd')", .denied("permission denied for function lo_import"))
        batch.attack(
            "\(role): COPY TO a server file", "COPY (SELECT 1) TO '/tmp/topoc_attack'",
            .denied("pg_write_server_files", "must be superuser"))
        batch.attack(
            "\(role): COPY FROM PROGRAM", "COPY (SELECT 1) TO PROGRAM 'true'", .denied("pg_execute_server_program", "must be superuser"))
        return batch
    }

    // MARK: forging audit and counter rows

    /// As the superuser (the only role that can create the setup), temporary tables named like
    /// the audited and counted tables, owned by the owner role, whose triggers call the audit and
    /// counter functions; fired by the writer, the functions refuse (their `TG_RELID` check).
    /// Also the writer, even granted TEMPORARY, cannot attach the functions to a table of its own.
    func superuserBatch(_ facts: Facts) -> AttackBatch {
        let database = facts.database
        var batch = AttackBatch(user: "postgres", database: database.name)
        let audit = plan.replication.auditTables.first { $0.database == database.name }
        for function in facts.definers where function.isTrigger {
            batch.attack(
                "superuser calls trigger function \(function.signature)", "SELECT \(function.call)",
                .refused(sqlstate: "0A000", anyOf: ["trigger functions can only be called as triggers"]))
            let target: String?
            var arguments = ""
            if function.name == "topoc_audit_row" {
                target = audit?.tables.first
                arguments = literal(audit?.tables.first ?? "")
            } else {
                target =
                    plan.tables.flatMap { table in
                        table.schema.counters.filter { PlanNames.counterTrigger(table: table.name, column: $0.column) == function.name }
                            .map(\.countedTable)
                    }.first
            }
            guard let target,
                let relation = facts.relations.first(where: {
                    $0.name == target && !$0.isPartition && ($0.schema == function.schema || function.name == "topoc_audit_row")
                }),
                let role = model.writer(ofSchema: relation.schema, database)
            else { continue }
            let temp = "pg_temp.\(quoted(target))"
            batch.setup("BEGIN")
            batch.setup("GRANT TEMPORARY ON DATABASE \(quoted(database.name)) TO \(quoted(role))")
            batch.setup("CREATE TEMP TABLE \(quoted(target)) AS SELECT * FROM \(relation.qualified) LIMIT 0")
            batch.setup("ALTER TABLE \(temp) OWNER TO \(quoted(roles.owner))")
            batch.setup("GRANT INSERT ON \(temp) TO \(quoted(role))")
            batch.setup(
                "CREATE TRIGGER topoc_forge AFTER INSERT ON \(temp) FOR EACH ROW EXECUTE FUNCTION \(quoted(function.schema)).\(quoted(function.name))(\(arguments))"
            )
            batch.setup("SET LOCAL ROLE \(quoted(role))")
            batch.attack(
                "\(role) fires \(function.signature) on a temporary \(target)", "INSERT INTO \(temp) DEFAULT VALUES",
                .refused(sqlstate: "42501", anyOf: ["fired on"]))
            batch.setup("ROLLBACK")
            batch.setup("BEGIN")
            batch.setup("GRANT TEMPORARY ON DATABASE \(quoted(database.name)) TO \(quoted(role))")
            batch.setup("SET LOCAL ROLE \(quoted(role))")
            batch.setup("CREATE TEMP TABLE topoc_forge (i int)")
            batch.attack(
                "\(role), granted TEMPORARY, attaches \(function.signature) to its own table",
                "CREATE TRIGGER topoc_forge AFTER INSERT ON pg_temp.topoc_forge FOR EACH ROW EXECUTE FUNCTION \(quoted(function.schema)).\(quoted(function.name))(\(arguments))",
                .denied("permission denied for function"))
            batch.setup("ROLLBACK")
        }
        if let audit {
            batch.positive(
                "no forged audit rows", "SELECT count(*) FROM public.\(quoted(audit.name)) WHERE schema_name LIKE 'pg\\_temp%'",
                .rows(["0"]))
        }
        // The catalog agrees: nobody outside the model may execute a SECURITY DEFINER function.
        for function in facts.definers {
            for role in model.loginRoles + [roles.clients] {
                let allowed = model.mayExecute(role, function, database)
                batch.catalog(
                    "has_function_privilege(\(role), \(function.signature))",
                    "SELECT has_function_privilege(\(literal(role)), \(function.oid)::oid, 'EXECUTE')", .rows([allowed ? "t" : "f"]))
            }
        }
        // Row-level security is on, and forced, exactly where the plan says.
        if model.isSharedSchema, let column = plan.tenancy?.column {
            for table in plan.tables where database.tables.contains(table.name) {
                let expected = table.schema.tenantScoped && table.schema.columns.contains { $0.name == column }
                batch.catalog(
                    "row-level security of \(table.name)",
                    "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = \(literal("public.\(quoted(table.name))"))::regclass",
                    .rows([expected ? "t" : "f"]))
            }
        }
        return batch
    }
}
