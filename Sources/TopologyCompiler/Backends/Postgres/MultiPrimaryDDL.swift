/// Multi-primary groups: every member cluster publishes the group's tables and subscribes to
/// every other member with `origin = none` (PostgreSQL 16), so a change crosses each link once
/// and never comes back.
///
/// Conflicts are settled by triggers, because PostgreSQL's apply worker has no resolution of its
/// own (a duplicate key stops the subscription). With a time-based policy every local write
/// stamps the group's timestamp column with `clock_timestamp()` (an ordinary trigger: it does not
/// fire in the apply worker), and a replica trigger (it fires only in the apply worker) decides
/// what an incoming row version does:
/// - last-write-wins: an incoming insert or update replaces the local row only when its
///   `(timestamp, row text)` is greater; the row text breaks ties the same way on every member,
///   so all members keep the same version;
/// - first-write-wins: two inserts of one key keep the earlier one; updates follow the timestamp
///   as above (a later update is not a conflict).
/// Deletes apply as they come. Other policies get the replication without resolution triggers.
package enum MultiPrimaryDDL {
    /// The group whose replicated database this is, if any.
    static func group(of database: DatabaseScope) -> PlanMultiPrimaryGroup? {
        database.plan.multiPrimaryGroups.first {
            $0.database == database.database.name && $0.clusters.contains(database.cluster) && database.database.kind == .main
        }
    }

    /// The tables the group replicates in this database (never a vertical group's table).
    static func tables(_ database: DatabaseScope, _ group: PlanMultiPrimaryGroup) -> [TableShape] {
        let replicated = Set(group.tables)
        return database.publicTables.filter { $0.group == nil && replicated.contains($0.name) }
    }

    /// Whether the group's policy is settled by topoc's triggers.
    static func resolvesConflicts(_ group: PlanMultiPrimaryGroup) -> Bool {
        guard group.timestampColumn != nil, let policy = group.conflictPolicy else { return false }
        switch policy {
        case .lastWriteWins, .firstWriteWins: return true
        case .versionVector, .crdt, .application: return false
        }
    }

    /// The publication, the stamping and the resolution triggers of the database's script.
    static func statements(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        guard let group = group(of: database) else { return script }
        let tables = tables(database, group)
        let name = SQLQuoting.identifier(group.publication)
        let list = tables.map { SchemaTarget.publicSchema.qualify($0.name) }.joined(separator: ", ")
        let body = """

            BEGIN
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = \(SQLQuoting.literal(group.publication))) THEN
                    CREATE PUBLICATION \(name) WITH (publish_via_partition_root = true);
                END IF;
            END

            """
        let peers = group.clusters.filter { $0 != database.cluster }
        script.comment(
            "multi-primary group \(group.name): \(database.cluster) publishes \(tables.map(\.name).joined(separator: ", ")) to \(peers.joined(separator: ", "))"
        )
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        if !tables.isEmpty { script.add("ALTER PUBLICATION \(name) SET TABLE \(list)") }
        guard resolvesConflicts(group), let column = group.timestampColumn else {
            script.comment(
                "conflict policy \(group.conflictPolicy?.rawValue ?? "none"): no resolution triggers; a conflicting insert stops the subscription until resolved by hand"
            )
            return script
        }
        let stamp = SchemaTarget.publicSchema.qualify(stampFunction(group))
        script.comment("every local write stamps \(column); the apply worker keeps the stamp of the member that wrote the row")
        script.add(
            "CREATE OR REPLACE FUNCTION \(stamp)() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(
                    "\nBEGIN\n    NEW.\(SQLQuoting.identifier(column)) := pg_catalog.clock_timestamp();\n    RETURN NEW;\nEND\n"))
        for table in tables {
            script.append(resolution(table, group: group, column: column, stamp: stamp))
        }
        return script
    }

    /// The stamping trigger function of a group.
    static func stampFunction(_ group: PlanMultiPrimaryGroup) -> String {
        PlanNames.bounded("\(group.publication)_stamp", fallback: "topoc_mp_stamp", seed: group.name)
    }

    /// The resolution trigger (and function) of a table.
    static func resolveTrigger(_ table: String) -> String {
        PlanNames.bounded("\(table)_mp_resolve", fallback: "topoc_mp_resolve", seed: table)
    }

    /// The stamping trigger of a table.
    static func stampTrigger(_ table: String) -> String {
        PlanNames.bounded("\(table)_mp_stamp", fallback: "topoc_mp_stamp", seed: table)
    }

    private static func resolution(_ table: TableShape, group: PlanMultiPrimaryGroup, column: String, stamp: String) -> SQLScript {
        var script = SQLScript()
        let qualified = SchemaTarget.publicSchema.qualify(table.name)
        let function = SchemaTarget.publicSchema.qualify(resolveTrigger(table.name))
        let stamped = SQLQuoting.identifier(column)
        let key = table.primaryKey.map(SQLQuoting.identifier)
        let keyMatch = key.map { "t.\($0) = NEW.\($0)" }.joined(separator: " AND ")
        let columns = table.columns.map { SQLQuoting.identifier($0.name) }
        let assignments = columns.map { "\($0) = NEW.\($0)" }.joined(separator: ", ")
        let incoming = "(NEW.\(stamped), NEW::text)"
        let insertWins =
            group.conflictPolicy == .firstWriteWins
            ? "\(incoming) < (existing.\(stamped), existing::text)" : "\(incoming) > (existing.\(stamped), existing::text)"
        let body = """

            DECLARE
                existing \(qualified)%ROWTYPE;
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    -- This trigger's own update of a conflicting insert below: already decided.
                    IF pg_catalog.pg_trigger_depth() > 1 THEN
                        RETURN NEW;
                    END IF;
                    -- The local version stays unless the incoming one is later (ties: greater row text).
                    IF \(incoming) > (OLD.\(stamped), OLD::text) THEN
                        RETURN NEW;
                    END IF;
                    RETURN NULL;
                END IF;
                -- INSERT: the key may exist already, written on this member too.
                SELECT * INTO existing FROM \(qualified) AS t WHERE \(keyMatch) FOR UPDATE;
                IF NOT FOUND THEN
                    RETURN NEW;
                END IF;
                IF \(insertWins) THEN
                    UPDATE \(qualified) AS t SET \(assignments) WHERE \(keyMatch);
                END IF;
                RETURN NULL;
            END

            """
        script.comment(
            "\(table.name): \(group.conflictPolicy?.rawValue ?? "") on \(column) for row versions that arrive from the group's other members"
        )
        script.add(
            "CREATE OR REPLACE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(body))
        script.add(
            "CREATE OR REPLACE TRIGGER \(SQLQuoting.identifier(resolveTrigger(table.name))) BEFORE INSERT OR UPDATE ON \(qualified) FOR EACH ROW EXECUTE FUNCTION \(function)()"
        )
        script.add("ALTER TABLE \(qualified) ENABLE REPLICA TRIGGER \(SQLQuoting.identifier(resolveTrigger(table.name)))")
        script.add(
            "CREATE OR REPLACE TRIGGER \(SQLQuoting.identifier(stampTrigger(table.name))) BEFORE INSERT OR UPDATE ON \(qualified) FOR EACH ROW EXECUTE FUNCTION \(stamp)()"
        )
        return script
    }

    // MARK: Subscriptions

    /// `sql/<cluster>/multi-primary-subscriptions.sql`.
    static func subscriptionsPath(_ cluster: String) -> String {
        "sql/\(cluster)/multi-primary-subscriptions.sql"
    }

    /// The subscriptions a cluster creates, by group, or nil when it is in no group.
    static func subscriptionScript(cluster: String, plan: Plan) -> (database: String, text: String)? {
        guard let group = plan.multiPrimaryGroups.first(where: { $0.clusters.contains(cluster) }) else { return nil }
        var script = SQLScript()
        script.comment("Run in database \(group.database) after every member's database script (the publications must exist).")
        script.comment(
            "The slots are Patroni's permanent slots on each publisher; the password comes from \(ClusterLayout.peerPassfileName),")
        script.comment("written next to each member's data directory at deploy time (make-peer-pgpass.sh). Creates what is missing.")
        script.add("SET client_min_messages = warning")
        for link in group.links where link.subscriber == cluster {
            let conninfo = connection(to: link.publisher, database: group.database, plan: plan)
            let create =
                "CREATE SUBSCRIPTION \(SQLQuoting.identifier(link.subscription)) CONNECTION \(SQLQuoting.literal(conninfo)) PUBLICATION \(SQLQuoting.identifier(group.publication)) WITH (create_slot = false, slot_name = \(SQLQuoting.literal(link.slot)), copy_data = false, origin = none)"
            script.comment("\(cluster) applies what \(link.publisher) writes (slot \(link.slot) on \(link.publisher))")
            script.meta(
                "SELECT \(SQLQuoting.literal(create)) WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_subscription WHERE subname = \(SQLQuoting.literal(link.subscription)))\\gexec"
            )
        }
        let header =
            "-- Generated by topoc \(TopocVersion.current) from topology \"\(SQLQuoting.comment(plan.topology))\": multi-primary subscriptions of cluster \"\(cluster)\". Do not edit.\n"
        return (group.database, header + script.render())
    }

    /// The libpq connection to a publisher's leader, through its read-write frontend (which
    /// follows Patroni's leader), as the multi-primary role (REPLICATION, no superuser) with the
    /// deploy-time password file.
    static func connection(to publisher: String, database: String, plan: Plan) -> String {
        let frontend = plan.pooler.frontends.first { $0.cluster == publisher }
        let values: [(String, String)] = [
            ("host", frontend?.host ?? publisher), ("port", String(frontend?.readWritePort ?? 5432)), ("dbname", database),
            ("user", plan.roles.multiPrimary), ("passfile", ClusterLayout.peerPassfileRelative),
        ]
        return values.map { "\($0.0)=\(conninfoValue($0.1))" }.joined(separator: " ")
    }

    /// A libpq connection string value: single-quoted, with `\\` and `'` escaped (byte-wise, so a
    /// quote before a combining mark is escaped too).
    package static func conninfoValue(_ value: String) -> String {
        let backslashes = ByteReplacement.replacing(UInt8(ascii: "\\"), with: "\\\\", in: value)
        return "'" + ByteReplacement.replacing(UInt8(ascii: "'"), with: "\\'", in: backslashes) + "'"
    }
}
