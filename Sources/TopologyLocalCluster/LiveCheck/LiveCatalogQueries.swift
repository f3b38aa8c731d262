import TopologyCompiler

/// The catalog queries of the live check. Each returns rows of three text columns — the fact's
/// kind, its key and its value, spelled as ``LiveCatalogExpectations`` spells them — so all of a
/// database's queries run as one statement (`UNION ALL`) in one psql call. They read only
/// catalogs PUBLIC may read (`pg_class`, `pg_index`, `pg_constraint`, `pg_trigger`,
/// `pg_policies`, `pg_publication_rel`, `pg_roles`, `pg_replication_slots`).
enum LiveCatalogQueries {
    /// `ARRAY['a', 'b']::text[]`, every element a literal.
    static func array(_ values: [String]) -> String {
        "ARRAY[" + values.map(SQLQuoting.literal).joined(separator: ", ") + "]::text[]"
    }

    /// The facts of one database's planned schemas and tables.
    static func database(_ layout: LiveDatabaseLayout, publications: [String]) -> String {
        let schemas = array(layout.schemaNames)
        let tables = array(layout.tableNames)
        let roles = array(layout.clientRoles)
        let relation = "n.nspname = ANY(\(schemas)) AND c.relname = ANY(\(tables)) AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        let from = "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        let parts = [
            """
            SELECT 'table', n.nspname || '.' || c.relname, CASE c.relkind WHEN 'p' THEN 'partitioned table' ELSE 'table' END
            FROM \(from) WHERE \(relation)
            """,
            """
            SELECT 'column', n.nspname || '.' || c.relname || '.' || a.attname,
                   pg_catalog.format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
            FROM \(from) JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
            WHERE \(relation) AND a.attnum > 0 AND NOT a.attisdropped
            """,
            """
            SELECT 'index', n.nspname || '.' || i.relname,
                   'on ' || c.relname || ' ' || am.amname || CASE WHEN x.indisunique THEN ' unique' ELSE '' END
                   || CASE WHEN x.indisvalid THEN ' valid' ELSE ' invalid' END
            FROM \(from) JOIN pg_catalog.pg_index x ON x.indrelid = c.oid JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
            JOIN pg_catalog.pg_am am ON am.oid = i.relam
            WHERE \(relation) AND NOT EXISTS (
                SELECT FROM pg_catalog.pg_constraint k
                WHERE k.conindid = x.indexrelid AND k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x'))
            """,
            """
            SELECT 'constraint', n.nspname || '.' || c.relname || '.' || k.conname,
                   CASE k.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' ELSE 'foreign key' END || ' ('
                   || (SELECT pg_catalog.string_agg(a.attname, ', ' ORDER BY o.ord)
                       FROM pg_catalog.unnest(k.conkey) WITH ORDINALITY o(num, ord)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = o.num) || ')'
                   || CASE WHEN k.contype = 'f' THEN ' references ' || (SELECT r.relname FROM pg_catalog.pg_class r WHERE r.oid = k.confrelid) ELSE '' END
            FROM \(from) JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid
            WHERE \(relation) AND k.contype IN ('p', 'u', 'f') AND k.conparentid = 0
            """,
            """
            SELECT 'trigger', n.nspname || '.' || c.relname || '.' || g.tgname, 'trigger'
            FROM \(from) JOIN pg_catalog.pg_trigger g ON g.tgrelid = c.oid
            WHERE \(relation) AND NOT g.tgisinternal AND g.tgparentid = 0
            """,
            """
            SELECT 'row security', n.nspname || '.' || c.relname,
                   CASE WHEN c.relrowsecurity THEN CASE WHEN c.relforcerowsecurity THEN 'enabled and forced' ELSE 'enabled, not forced' END
                        ELSE CASE WHEN c.relforcerowsecurity THEN 'disabled (forced)' ELSE 'disabled' END END
            FROM \(from) WHERE \(relation)
            """,
            """
            SELECT 'policy', n.nspname || '.' || c.relname || '.' || p.polname,
                   'policy for ' || CASE p.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' ELSE 'DELETE' END
            FROM \(from) JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid WHERE \(relation)
            """,
            """
            SELECT 'publication', p.pubname, CASE WHEN p.pubviaroot THEN 'via partition root' ELSE 'per partition' END
            FROM pg_catalog.pg_publication p WHERE p.pubname = ANY(\(array(publications)))
            """,
            """
            SELECT 'publication table', p.pubname || ': ' || n.nspname || '.' || c.relname, 'published'
            FROM pg_catalog.pg_publication_rel r JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid
            JOIN \(from) ON c.oid = r.prrelid WHERE p.pubname = ANY(\(array(publications)))
            """,
            """
            SELECT 'view', n.nspname || '.' || c.relname, CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END
            FROM \(from) WHERE n.nspname = ANY(\(schemas)) AND c.relkind IN ('v', 'm')
            """,
            """
            SELECT 'sequence', n.nspname || '.' || c.relname,
                   coalesce('owned by ' || t.relname || '.' || a.attname, 'not owned by a column')
            FROM \(from) LEFT JOIN pg_catalog.pg_depend d ON d.objid = c.oid AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i')
            LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
            LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE n.nspname = ANY(\(schemas)) AND c.relkind = 'S'
            """,
            """
            SELECT 'partition', n.nspname || '.' || c.relname,
                   'partition of ' || p.relname || ', ' || CASE
                       WHEN b.bound = 'DEFAULT' THEN 'default'
                       WHEN b.bound LIKE 'FOR VALUES WITH %' THEN 'hash ' || substr(b.bound, 17)
                       WHEN b.bound LIKE 'FOR VALUES IN %' THEN 'list'
                       ELSE 'range' END
            FROM \(from) JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
            CROSS JOIN LATERAL (SELECT pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound) b
            WHERE n.nspname = ANY(\(schemas)) AND c.relispartition AND p.relname = ANY(\(tables))
            """,
            """
            SELECT 'default privilege', n.nspname || ' ' || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                       WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END
                   || ' to ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END,
                   pg_catalog.string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
            FROM pg_catalog.pg_default_acl d JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
            CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a
            WHERE pg_catalog.pg_get_userbyid(d.defaclrole) = \(SQLQuoting.literal(layout.owner)) AND n.nspname = ANY(\(schemas))
              AND (a.grantee = 0 OR pg_catalog.pg_get_userbyid(a.grantee) = ANY(\(roles)))
            GROUP BY 1, 2
            """,
            """
            SELECT 'grant', n.nspname || '.' || c.relname || ' to ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END,
                   pg_catalog.string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
            FROM \(from) CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
            WHERE \(relation) AND (a.grantee = 0 OR pg_catalog.pg_get_userbyid(a.grantee) = ANY(\(roles)))
            GROUP BY 1, 2
            """,
        ]
        return framed(parts.joined(separator: "\nUNION ALL\n"))
    }

    /// One text column per fact, its three fields separated by the unit separator (a name may
    /// hold `|`, psql's column separator, but no control character).
    static func framed(_ union: String) -> String {
        "SELECT f.kind || chr(31) || f.key || chr(31) || f.value FROM (\n\(union)\n) AS f(kind, key, value)"
    }

    /// The value of a role fact: its attributes, comma-separated.
    static func roleValue(login: Bool, replication: Bool, bypassRLS: Bool, inherit: Bool) -> String {
        ([login ? "login" : "nologin"] + (replication ? ["replication"] : []) + (bypassRLS ? ["bypassrls"] : [])
            + (inherit ? ["inherit"] : [])).joined(separator: ", ")
    }

    /// The facts of one cluster: the roles topoc creates and the logical slots.
    static func cluster(roles: [String]) -> String {
        framed(
            """
            SELECT 'role', rolname, pg_catalog.concat_ws(', ', CASE WHEN rolcanlogin THEN 'login' ELSE 'nologin' END,
                   CASE WHEN rolsuper THEN 'superuser' END, CASE WHEN rolcreatedb THEN 'createdb' END,
                   CASE WHEN rolcreaterole THEN 'createrole' END, CASE WHEN rolreplication THEN 'replication' END,
                   CASE WHEN rolbypassrls THEN 'bypassrls' END, CASE WHEN rolinherit THEN 'inherit' END)
            FROM pg_catalog.pg_roles WHERE rolname = ANY(\(array(roles)))
            UNION ALL
            SELECT 'slot', slot_name::text, 'logical, plugin ' || plugin || ', database ' || database
            FROM pg_catalog.pg_replication_slots WHERE slot_type = 'logical'
            """)
    }

    /// The value of a slot fact.
    static func slotValue(plugin: String, database: String) -> String { "logical, plugin \(plugin), database \(database)" }

    /// The framed output as observations; lines of another shape are ignored.
    static func observations(_ output: String, scope: LiveScope) -> [LiveObservation] {
        output.split(separator: "\n").compactMap { line in
            let row = line.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard row.count == 3, let kind = LiveFactKind(rawValue: row[0]) else { return nil }
            return LiveObservation(LiveFact(kind, scope, row[1]), row[2])
        }
    }
}
