/// Change data capture: the trigger audit log and logical replication (publications and
/// replica identity). Replication slots are not DDL: Patroni creates them.
enum CaptureDDL {
    /// The name of the audit trigger function (one audit table per database).
    static let auditFunction = "topoc_audit_row"

    /// The audit table and its trigger function, in `public` (before any audited table's trigger).
    static func auditLog(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        guard let audit = database.auditTable else { return script }
        let table = SchemaTarget.publicSchema.qualify(audit.name)
        script.comment("the audit log: one row per inserted, updated or deleted row of \(audit.tables.joined(separator: ", "))")
        script.add(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
                "id" bigserial NOT NULL,
                "schema_name" text NOT NULL,
                "table_name" text NOT NULL,
                "operation" text NOT NULL,
                "old_row" jsonb,
                "new_row" jsonb,
                "changed_at" timestamp with time zone DEFAULT now() NOT NULL,
                "txid" bigint DEFAULT txid_current() NOT NULL,
                CONSTRAINT \(SQLQuoting.identifier(PlanNames.primaryKey(table: audit.name))) PRIMARY KEY ("id")
            )
            """)
        let audited = "ARRAY[" + audit.tables.map(SQLQuoting.literal).joined(separator: ", ") + "]::text[]"
        let body = """

            DECLARE
                source oid := COALESCE(pg_catalog.pg_partition_root(TG_RELID)::oid, TG_RELID);
            BEGIN
                -- Fires only for the audited tables topoc created (owned by \(database.plan.roles.owner), permanent,
                -- named by the trigger's argument), never for a table a caller made to forge rows.
                IF NOT (TG_ARGV[0] = ANY (\(audited)) AND EXISTS (
                    SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles o ON o.oid = c.relowner
                    WHERE c.oid = source AND c.relname = TG_ARGV[0] AND c.relpersistence = 'p'
                      AND o.rolname = \(SQLQuoting.literal(database.plan.roles.owner))))
                THEN
                    RAISE EXCEPTION '\(auditFunction) fired on %, which is not an audited table', TG_RELID::regclass
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                INSERT INTO \(table) ("schema_name", "table_name", "operation", "old_row", "new_row")
                VALUES (
                    TG_TABLE_SCHEMA, TG_ARGV[0], TG_OP,
                    CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END,
                    CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END);
                RETURN NULL;
            END

            """
        let function = "\(SchemaTarget.publicSchema.qualify(auditFunction))()"
        script.add(
            "CREATE OR REPLACE FUNCTION \(function) RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(body))
        script.comment("only the trigger writes the audit log: no role may call the function or write the table")
        script.add("REVOKE ALL ON FUNCTION \(function) FROM PUBLIC")
        script.add("REVOKE ALL ON \(table) FROM PUBLIC, \(database.clientRoles.map(SQLQuoting.identifier).joined(separator: ", "))")
        return script
    }

    /// The event trigger that gives partitions created later (by pg_partman, or by hand) the
    /// `REPLICA IDENTITY FULL` of their partitioned root: PostgreSQL does not inherit it.
    /// Emitted when a partitioned table of the database has full replica identity.
    static func replicaIdentityFollower(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        let needed = database.allTables.contains {
            $0.group == nil && $0.partitioning != nil && $0.source.schema.capture?.replicaIdentity == .full
        }
        guard needed else { return script }
        let function = SchemaTarget.publicSchema.qualify("topoc_follow_replica_identity")
        let body = """

            DECLARE
                command record;
                root regclass;
                part record;
            BEGIN
                FOR command IN SELECT objid FROM pg_catalog.pg_event_trigger_ddl_commands() WHERE object_type = 'table' LOOP
                    root := pg_catalog.pg_partition_root(command.objid);
                    CONTINUE WHEN root IS NULL OR (SELECT relreplident FROM pg_catalog.pg_class WHERE oid = root) <> 'f';
                    FOR part IN
                        SELECT t.relid FROM pg_catalog.pg_partition_tree(root) t JOIN pg_catalog.pg_class c ON c.oid = t.relid
                        WHERE c.relreplident <> 'f'
                    LOOP
                        EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', part.relid::regclass);
                    END LOOP;
                END LOOP;
            END

            """
        script.comment("partitions created later (pg_partman) get REPLICA IDENTITY FULL from their root, which PostgreSQL does not copy")
        script.add(
            "CREATE OR REPLACE FUNCTION \(function)() RETURNS event_trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(body))
        let guarded = """

            BEGIN
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger WHERE evtname = 'topoc_follow_replica_identity') THEN
                    CREATE EVENT TRIGGER "topoc_follow_replica_identity" ON ddl_command_end
                        WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION \(function)();
                END IF;
            END

            """
        script.add("DO " + SQLQuoting.dollarQuoted(guarded))
        return script
    }

    /// The publication of the database, created empty once; tables are added per schema.
    static func publication(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        guard let publication = database.publication else { return script }
        let name = SQLQuoting.identifier(publication.name)
        let root = publication.publishViaPartitionRoot ? "true" : "false"
        let body = """

            BEGIN
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = \(SQLQuoting.literal(publication.name))) THEN
                    CREATE PUBLICATION \(name) WITH (publish_via_partition_root = \(root));
                END IF;
            END

            """
        script.comment(
            "publication \(publication.name) for logical decoding of \(publication.tables.joined(separator: ", ")); its slot is created by Patroni, not here"
        )
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        script.add("ALTER PUBLICATION \(name) SET (publish_via_partition_root = \(root))")
        return script
    }

    /// The heartbeat table of a database a Debezium connector reads: one row, owned by the owner
    /// role and published, whose `beat_at` the CDC role alone may update (Debezium's
    /// `heartbeat.action.query`). Without it a connector whose captured tables are quiet receives
    /// no event while other tables fill the WAL, confirms no position, and its slot holds that WAL.
    static func heartbeat(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        guard database.connectorSlot != nil, let publication = database.publication else { return script }
        let name = DebeziumCatalog.heartbeatTable
        let table = SchemaTarget.publicSchema.qualify(name)
        let consumer = SQLQuoting.identifier(database.plan.roles.changeDataCapture)
        script.comment(
            "the Debezium heartbeat: the connector updates this row every \(DebeziumCatalog.heartbeatIntervalMilliseconds) ms, and confirms its position with the event"
        )
        script.add(
            """
            CREATE TABLE IF NOT EXISTS \(table) (
                "id" integer NOT NULL,
                "beat_at" timestamp with time zone DEFAULT now() NOT NULL,
                CONSTRAINT \(SQLQuoting.identifier(PlanNames.primaryKey(table: name))) PRIMARY KEY ("id"),
                CONSTRAINT \(SQLQuoting.identifier("\(name)_one_row")) CHECK ("id" = 1)
            )
            """)
        script.add("INSERT INTO \(table) (\"id\") VALUES (1) ON CONFLICT (\"id\") DO NOTHING")
        script.comment("the CDC role reads the row (snapshot) and updates beat_at; nobody else touches it")
        script.add("REVOKE ALL ON \(table) FROM PUBLIC, \(database.clientRoles.map(SQLQuoting.identifier).joined(separator: ", "))")
        script.add("GRANT SELECT, UPDATE (\"beat_at\") ON \(table) TO \(consumer)")
        let body = """

            BEGIN
                IF NOT EXISTS (
                    SELECT FROM pg_catalog.pg_publication_rel r JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid
                    WHERE p.pubname = \(SQLQuoting.literal(publication.name)) AND r.prrelid = \(SchemaTarget.publicSchema.regclass(name))) THEN
                    ALTER PUBLICATION \(SQLQuoting.identifier(publication.name)) ADD TABLE \(table);
                END IF;
            END

            """
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        return script
    }

    /// Audit triggers, replica identity and publication membership of a schema's tables.
    static func statements(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        let database = scope.database
        if let audit = database.auditTable {
            for table in scope.tables where table.group == nil && audit.tables.contains(table.name) {
                script.comment("\(table.name) changes go to the audit log \(audit.name)")
                script.add(
                    "CREATE OR REPLACE TRIGGER \(SQLQuoting.identifier(PlanNames.auditTrigger(table: table.name))) AFTER INSERT OR UPDATE OR DELETE ON \(scope.schema.qualify(table.name)) FOR EACH ROW EXECUTE FUNCTION \(SchemaTarget.publicSchema.qualify(auditFunction))(\(SQLQuoting.literal(table.name)))"
                )
            }
        }
        for table in scope.tables where table.group == nil && table.source.schema.capture?.replicaIdentity == .full {
            script.comment("\(table.name): REPLICA IDENTITY FULL on the table and every partition (old rows are decoded whole)")
            let body = """

                DECLARE
                    part record;
                BEGIN
                    FOR part IN SELECT \(scope.schema.regclass(table.name)) AS relid UNION SELECT relid FROM pg_catalog.pg_partition_tree(\(scope.schema.regclass(table.name))) LOOP
                        EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', part.relid::regclass);
                    END LOOP;
                END

                """
            script.add("DO " + SQLQuoting.dollarQuoted(body))
        }
        if let publication = database.publication {
            let published = scope.tables.filter { $0.group == nil && publication.tables.contains($0.name) }
            let consumer = SQLQuoting.identifier(database.plan.roles.changeDataCapture)
            if !published.isEmpty {
                script.comment("the CDC role reads what it captures (the snapshot), and nothing else")
                if scope.schema != .publicSchema {
                    script.add("GRANT USAGE ON SCHEMA \(scope.schema.identifier) TO \(consumer)")
                }
                script.add("GRANT SELECT ON \(published.map { scope.schema.qualify($0.name) }.joined(separator: ", ")) TO \(consumer)")
            }
            for table in published {
                script.comment("\(table.name) is published in \(publication.name)")
                let body = """

                    BEGIN
                        IF EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = \(SQLQuoting.literal(publication.name)))
                           AND NOT EXISTS (
                               SELECT FROM pg_catalog.pg_publication_rel r JOIN pg_catalog.pg_publication p ON p.oid = r.prpubid
                               WHERE p.pubname = \(SQLQuoting.literal(publication.name)) AND r.prrelid = \(scope.schema.regclass(table.name))) THEN
                            ALTER PUBLICATION \(SQLQuoting.identifier(publication.name)) ADD TABLE \(scope.schema.qualify(table.name));
                        END IF;
                    END

                    """
                script.add("DO " + SQLQuoting.dollarQuoted(body))
            }
        }
        return script
    }
}
