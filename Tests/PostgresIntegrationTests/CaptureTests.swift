import Foundation
import Testing
import TopologyCompiler

/// Change data capture on a real server: the trigger audit log, and logical decoding of the
/// generated publications.
@Suite("change data capture on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct CaptureTests {
    @Test("the audit log records insert, update and delete with the old and new rows, also for the application role")
    func auditLog() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "saas-shared-schema.yaml") else {
            return
        }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                let audit = deployment.plan.replication.auditTables.first, deployment.plan.tenancy != nil
            else { return }
            let app = deployment.plan.roles.application
            let psql = deployment.psql
            let db = database.name
            let tenant = "00000000-0000-0000-0000-00000000000a"
            try await psql.check(
                """
                INSERT INTO plans (plan_id, name, monthly_price) VALUES ('basic', 'Basic', 10);
                INSERT INTO subscriptions (tenant_id, plan_id, seats) VALUES (\(literal(tenant)), 'basic', 1);
                UPDATE subscriptions SET seats = 5;
                DELETE FROM subscriptions;
                BEGIN;
                SET LOCAL ROLE \(quoted(app));
                SELECT set_config('app.tenant_id', \(literal(tenant)), true) \\g /dev/null
                INSERT INTO subscriptions (tenant_id, plan_id, seats) VALUES (\(literal(tenant)), 'basic', 7);
                COMMIT;
                """, database: db)
            let rows = try await psql.check(
                """
                SELECT operation, schema_name, table_name, old_row IS NULL, new_row IS NULL,
                       coalesce(old_row->>'seats', ''), coalesce(new_row->>'seats', ''), txid > 0, changed_at <= now()
                FROM \(quoted(audit.name)) ORDER BY id
                """, database: db
            ).rows
            #expect(
                rows == [
                    ["INSERT", "public", "subscriptions", "t", "f", "", "1", "t", "t"],
                    ["UPDATE", "public", "subscriptions", "f", "f", "1", "5", "t", "t"],
                    ["DELETE", "public", "subscriptions", "f", "t", "5", "", "t", "t"],
                    ["INSERT", "public", "subscriptions", "t", "f", "", "7", "t", "t"],
                ])
            let denied = try await psql.sql("SET ROLE \(quoted(app)); SELECT count(*) FROM \(quoted(audit.name));", database: db)
            #expect(denied.status != 0 && denied.stderr.contains("permission denied"), "the application cannot read the audit log")
        }
    }

    /// The relations (as `regclass` text) of the Insert messages a pgoutput slot holds for a publication.
    static func insertedRelations(_ psql: PSQL, slot: String, publication: String, database: String) async throws -> [String] {
        try await psql.check(
            """
            SELECT ('x' || encode(substring(data FROM 2 FOR 4), 'hex'))::bit(32)::bigint::oid::regclass
            FROM pg_logical_slot_peek_binary_changes(\(literal(slot)), NULL, NULL, 'proto_version', '1', 'publication_names', \(literal(publication)))
            WHERE get_byte(data, 0) = 73
            """, database: database
        ).lines
    }

    @Test("a pgoutput slot on the publication decodes changes of published tables only")
    func publicationDecodes() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "ecommerce.yaml") else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                let publication = deployment.plan.replication.publications.first(where: { $0.database == database.name })
            else { return }
            let psql = deployment.psql
            let db = database.name
            let slot = "pgoutput_\(deployment.suffix)"
            try await psql.check("SELECT pg_create_logical_replication_slot(\(literal(slot)), 'pgoutput') \\g /dev/null", database: db)
            try await psql.check(
                """
                INSERT INTO products (product_id, name, price) VALUES (1, 'Lamp', 20);
                INSERT INTO users (user_id, email) VALUES (1, 'a@example.org');
                """, database: db)
            let inserted = try await Self.insertedRelations(psql, slot: slot, publication: publication.name, database: db)
            #expect(inserted == ["products"], "only the published table's insert is decoded")
            try await psql.check("SELECT pg_drop_replication_slot(\(literal(slot)))", database: db)
        }
    }

    @Test("publish_via_partition_root: changes of a partition are published as the parent's")
    func partitionRoot() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "multi-primary-ap.yaml") else {
            return
        }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                let publication = deployment.plan.replication.publications.first(where: { $0.database == database.name })
            else { return }
            #expect(publication.publishViaPartitionRoot)
            let psql = deployment.psql
            let db = database.name
            let slot = "root_\(deployment.suffix)"
            try await psql.check("SELECT pg_create_logical_replication_slot(\(literal(slot)), 'pgoutput') \\g /dev/null", database: db)
            try await psql.check(
                """
                INSERT INTO carts (cart_id, user_id) VALUES ('00000000-0000-0000-0000-000000000001', 1);
                INSERT INTO cart_items (cart_id, sku, added_from_region) VALUES ('00000000-0000-0000-0000-000000000001', 'sku-1', 'us-east');
                """, database: db)
            let inserted = try await Self.insertedRelations(psql, slot: slot, publication: publication.name, database: db)
            #expect(inserted == ["carts", "cart_items"], "the partition's insert is published as the parent's")
            try await psql.check("SELECT pg_drop_replication_slot(\(literal(slot)))", database: db)
        }
    }

    @Test("REPLICA IDENTITY FULL: an update's old row is decoded whole (wal2json)")
    func replicaIdentityFull() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "ecommerce.yaml") else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database),
                let products = deployment.plan.tables.first(where: { $0.name == "products" })
            else { return }
            let psql = deployment.psql
            let db = database.name
            let slot = "wal2json_\(deployment.suffix)"
            try await psql.check("INSERT INTO products (product_id, name, price) VALUES (1, 'Lamp', 20)", database: db)
            try await psql.check("SELECT pg_create_logical_replication_slot(\(literal(slot)), 'wal2json') \\g /dev/null", database: db)
            try await psql.check("UPDATE products SET price = 25 WHERE product_id = 1", database: db)
            let lines = try await psql.check(
                "SELECT data FROM pg_logical_slot_get_changes(\(literal(slot)), NULL, NULL, 'format-version', '2') WHERE data LIKE '{\"action\":\"U\"%'",
                database: db
            ).lines
            #expect(lines.count == 1)
            let change = lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let identity = (change?["identity"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(identity == products.schema.columns.map(\.name), "the old row has every column")
            try await psql.check("SELECT pg_drop_replication_slot(\(literal(slot)))", database: db)
        }
    }
}
