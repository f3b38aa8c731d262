import Foundation
import Testing
import TopologyCompiler
import TopologyLocalCluster

/// `topoc check --live`'s catalog part on a real PostgreSQL 15 with each example's DDL applied,
/// read as the monitoring role: a fresh database shows no drift, and drift injected by hand is
/// reported exactly, each with its code and at the topology line of the object.
@Suite("live catalog check on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct LiveCatalogDriftTests {
    /// The topology and the renamed plan of an example.
    static func load(_ name: String) throws -> (Topology, Plan)? {
        let path = "examples/\(name)"
        let bytes = Array(try Data(contentsOf: TestPlans.repository.appendingPathComponent(path)))
        let input = LiveCheck.input(bytes: bytes, file: path)
        guard let topology = input.topology, let plan = try TestPlans.plan(example: name) else { return nil }
        return (topology, plan)
    }

    /// Every cluster reached on the test server as the monitoring role (the server trusts 127.0.0.1).
    static func target(_ plan: Plan, port: Int, clusters: Set<String>) -> LiveTarget {
        var access: [String: LiveTarget.ClusterAccess] = [:]
        for cluster in plan.clusters where clusters.contains(cluster.name) {
            let reader = LiveConnection(.conninfo("host=127.0.0.1 port=\(port) user=\(plan.roles.monitor) sslmode=disable"))
            access[cluster.name] = LiveTarget.ClusterAccess(leader: reader, members: [], jobs: reader, restPorts: [])
        }
        return LiveTarget(clusters: access)
    }

    /// Creates and fills every database once (a second cluster's database of the same name is
    /// left out); returns the clusters whose databases all exist.
    static func deploy(_ deployment: Deployment) async throws -> Set<String> {
        var created = Set<String>()
        var complete = Set(deployment.plan.clusters.map(\.name))
        for database in deployment.plan.databases {
            guard created.insert(database.name).inserted else {
                complete.remove(database.cluster)
                continue
            }
            try await deployment.deploy(database)
        }
        return complete
    }

    /// Slots are Patroni's (permanent slots), not the DDL's: on the test server each planned
    /// slot is reported missing, which the check must say and nothing else.
    static func withoutSlots(_ drifts: [LiveDrift], plan: Plan) -> [LiveDrift] {
        let slots = Set(plan.replication.slots.map(\.name))
        for drift in drifts where drift.fact.kind == .slot {
            var missing = false
            if case .missing = drift.difference { missing = true }
            #expect(slots.contains(drift.fact.key) && missing, "\(drift.diagnostic.rendered)")
        }
        return drifts.filter { $0.fact.kind != .slot }
    }

    @Test("a fresh database of every example shows no catalog drift", arguments: TestPlans.exampleNames)
    func fresh(_ name: String) async throws {
        guard let port = PostgresServer.requirePort(), let loaded = try Self.load(name) else { return }
        let (topology, plan) = loaded
        try await Deployment.with(plan, port: port) { deployment in
            let clusters = try await Self.deploy(deployment)
            let check = LiveCheck(
                topology: topology, plan: deployment.plan, target: Self.target(deployment.plan, port: port, clusters: clusters))
            let report = check.run(only: [.catalog])
            let catalog = report.parts.first { $0.name == "catalog" }
            let drifts = Self.withoutSlots(catalog?.drifts ?? [], plan: deployment.plan)
            #expect(drifts.isEmpty, "\(name): \(drifts.map(\.diagnostic.rendered).joined(separator: "\n"))")
            #expect((catalog?.compared ?? 0) > 10, "\(name): compared \(catalog?.compared ?? 0) facts")
            // pg_partman's part_config as the DDL registers it (cron.sql is not run here: no jobs).
            let jobs = check.run(only: [.jobs]).parts.first { $0.name == "pg_cron and pg_partman" }
            let partman = (jobs?.drifts ?? []).filter { $0.fact.kind == .partmanConfig }
            #expect(partman.isEmpty, "\(name): \(partman.map(\.diagnostic.rendered).joined(separator: "\n"))")
            if name == "timeseries-range.yaml" {
                let databases = Set(deployment.plan.databases.map(\.name))
                let unread = (jobs?.unchecked ?? []).filter { databases.contains($0.scope.database ?? "") }
                #expect((jobs?.compared ?? 0) > 0 && unread.isEmpty, "\(name): \(unread.map(\.reason))")
            }
            // Database-per-tenant: the read-only role may not connect to a tenant's database.
            for skipped in catalog?.unchecked ?? [] {
                let database = deployment.plan.databases.first { $0.name == skipped.scope.database }
                #expect(
                    database?.kind == .tenant || skipped.scope.database == nil || !clusters.contains(skipped.scope.cluster ?? ""),
                    "\(name): \(skipped.reason)")
            }
        }
    }

    /// The database of the deployment that holds a relation.
    static func holding(_ relation: String, in deployment: Deployment) async throws -> String {
        for database in deployment.plan.databases {
            let found = try await deployment.psql.sql(
                "SELECT to_regclass(\(literal(relation))) IS NOT NULL", database: database.name)
            if found.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t" { return database.name }
        }
        throw DumpFailure(description: "no database of the deployment holds \(relation)")
    }

    /// Deploys an example on the test server and runs `body` with the deployment and a live check
    /// of it as the monitoring role.
    static func withChecked(
        _ name: String, _ body: (Deployment, LiveCheck) async throws -> Void
    ) async throws {
        guard let port = PostgresServer.requirePort(), let loaded = try load(name) else { return }
        let (topology, plan) = loaded
        try await Deployment.with(plan, port: port) { deployment in
            let clusters = try await deploy(deployment)
            let check = LiveCheck(
                topology: topology, plan: deployment.plan, target: target(deployment.plan, port: port, clusters: clusters))
            try await body(deployment, check)
        }
    }

    @Test("a dropped view and a materialized view recreated as a plain one are reported (TLV112)")
    func views() async throws {
        let name = "ecommerce.yaml"
        try await Self.withChecked(name) { deployment, check in
            let views = check.run(only: [.catalog]).parts[1].drifts.filter { $0.code == .liveView }
            #expect(views.isEmpty, "\(views.map(\.diagnostic.rendered))")
            let database = try await Self.holding("public.daily_sales", in: deployment)
            try await deployment.psql.check(
                """
                DROP MATERIALIZED VIEW public.daily_sales CASCADE;
                CREATE VIEW public.daily_sales AS SELECT 1 AS day;
                """, database: database)
            let drifts = check.run(only: [.catalog]).parts[1].drifts.filter { $0.code == .liveView }
            #expect(drifts.map(\.fact.key) == ["public.daily_sales"], "\(drifts.map(\.diagnostic.rendered))")
            #expect(drifts.first?.diagnostic.message.contains("planned materialized view, running view") == true)
        }
    }

    @Test("a dropped view and a sequence detached from its column are reported (TLV112, TLV113)")
    func viewAndSequence() async throws {
        let name = "primary-replicas.yaml"
        try await Self.withChecked(name) { deployment, check in
            let codes: Set<DiagnosticCode> = [.liveView, .liveSequence]
            #expect(check.run(only: [.catalog]).parts[1].drifts.filter { codes.contains($0.code) }.isEmpty)
            try await deployment.psql.check(
                """
                DROP VIEW public.published_articles;
                ALTER SEQUENCE public.articles_article_id_seq OWNED BY NONE;
                """, database: try await Self.holding("public.published_articles", in: deployment))
            let drifts = check.run(only: [.catalog]).parts[1].drifts.filter { codes.contains($0.code) }
            #expect(
                Set(drifts.map { "\($0.code.code) \($0.fact.key)" }) == [
                    "TLV112 public.published_articles", "TLV113 public.articles_article_id_seq",
                ], "\(drifts.map(\.diagnostic.rendered))")
            let sequence = drifts.first { $0.code == .liveSequence }?.diagnostic.message ?? ""
            #expect(sequence.contains("planned owned by articles.article_id, running not owned by a column"), "\(sequence)")
        }
    }

    /// Partitions in every tenant's schema: one detached by hand is reported, once, at the
    /// table's partitioning; one re-attached with another list of values is not (list and range
    /// bounds are compared by kind), nor is any other.
    @Test("a detached partition is reported (TLV114), a changed list of values is not")
    func partitions() async throws {
        let name = "saas-schema-per-tenant.yaml"
        try await Self.withChecked(name) { deployment, check in
            func partitionDrifts() -> [LiveDrift] {
                check.run(only: [.catalog]).parts.flatMap(\.drifts).filter { $0.code == .livePartition }
            }
            #expect(partitionDrifts().isEmpty, "\(partitionDrifts().map(\.diagnostic.rendered))")
            try await deployment.psql.check(
                """
                ALTER TABLE t_acme.documents DETACH PARTITION t_acme.documents_quotes;
                ALTER TABLE t_globex.documents DETACH PARTITION t_globex.documents_invoices;
                ALTER TABLE t_globex.documents ATTACH PARTITION t_globex.documents_invoices FOR VALUES IN ('invoice', 'receipt');
                """, database: try await Self.holding("t_acme.documents", in: deployment))
            let drifts = partitionDrifts()
            #expect(
                drifts.map(\.fact.key) == ["t_acme.documents_quotes"],
                "only the detached partition: a changed list keeps the kind of bound \(drifts.map(\.diagnostic.rendered))")
            let message = drifts.first?.diagnostic.message ?? ""
            #expect(message.contains("partition of documents, list"), "\(message)")
            let line = try String(contentsOf: TestPlans.repository.appendingPathComponent("examples/\(name)"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("partitioning:") }
            // At the table's partitioning map (its first key, the line after `partitioning:`).
            #expect(drifts.first?.diagnostic.location.line == line.map { $0 + 2 }, "\(drifts.first?.diagnostic.rendered ?? "")")
        }
    }

    /// The owner's default privileges in `public`: one revoked from the application role and
    /// one granted to PUBLIC are reported, once each (TLV115, at the owner role's declaration).
    @Test("a revoked and an added default privilege are reported (TLV115)")
    func defaultPrivileges() async throws {
        try await Self.withChecked("primary-replicas.yaml") { deployment, check in
            func drifts() -> [LiveDrift] {
                check.run(only: [.catalog]).parts.flatMap(\.drifts).filter { $0.code == .liveDefaultPrivileges }
            }
            #expect(drifts().isEmpty, "\(drifts().map(\.diagnostic.rendered))")
            let roles = deployment.plan.roles
            try await deployment.psql.check(
                """
                ALTER DEFAULT PRIVILEGES FOR ROLE \(quoted(roles.owner)) IN SCHEMA public REVOKE DELETE ON TABLES FROM \(quoted(roles.application));
                ALTER DEFAULT PRIVILEGES FOR ROLE \(quoted(roles.owner)) IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
                """, database: try await Self.holding("public.published_articles", in: deployment))
            let found = drifts()
            #expect(
                found.map(\.fact.key).sorted() == ["public tables to PUBLIC", "public tables to \(roles.application)"],
                "\(found.map(\.diagnostic.rendered))")
            let revoked = found.first { $0.fact.key.hasSuffix(roles.application) }?.diagnostic.message ?? ""
            #expect(
                revoked.contains("planned DELETE, INSERT, SELECT, UPDATE, running INSERT, SELECT, UPDATE"), "\(revoked)")
        }
    }

    @Test("drift injected by hand is reported exactly, coded and located")
    func injected() async throws {
        let name = "saas-shared-schema.yaml"
        guard let port = PostgresServer.requirePort(), let loaded = try Self.load(name) else { return }
        let (topology, plan) = loaded
        let text = try String(contentsOf: TestPlans.repository.appendingPathComponent("examples/\(name)"), encoding: .utf8)
        func line(_ needle: String) -> Int {
            (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) } ?? -1) + 1
        }
        try await Deployment.with(plan, port: port) { deployment in
            let clusters = try await Self.deploy(deployment)
            let database = deployment.plan.databases[0].name
            let reader = deployment.plan.roles.readOnly
            let check = LiveCheck(
                topology: topology, plan: deployment.plan, target: Self.target(deployment.plan, port: port, clusters: clusters))
            #expect(Self.withoutSlots(check.run(only: [.catalog]).parts[1].drifts, plan: deployment.plan).isEmpty)
            try await deployment.psql.check(
                """
                DROP INDEX public.tasks_board;
                UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = 'public.subscriptions_one_live'::regclass;
                GRANT DELETE ON public.plans TO \(quoted(reader));
                ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE public.projects ADD COLUMN note text;
                ALTER TABLE public.projects DROP CONSTRAINT projects_tenant_id_name_key;
                """, database: database)
            let drifts = Self.withoutSlots(check.run(only: [.catalog]).parts[1].drifts, plan: deployment.plan)
            let found = Set(drifts.map { "\($0.code.code) \($0.fact.key)" })
            #expect(
                found == [
                    "TLV103 public.tasks_board", "TLV104 public.subscriptions_one_live", "TLV111 public.plans to \(reader)",
                    "TLV107 public.tasks", "TLV102 public.projects.note", "TLV105 public.projects.projects_tenant_id_name_key",
                ], "\(drifts.map(\.diagnostic.rendered).joined(separator: "\n"))")
            let located = Dictionary(drifts.map { ($0.code.code, $0.location.line) }, uniquingKeysWith: { first, _ in first })
            #expect(located["TLV103"] == line("name: tasks_board"))
            #expect(located["TLV104"] == line("name: subscriptions_one_live"))
            #expect(located["TLV102"] == line("  projects:"))
            #expect(drifts.allSatisfy { $0.location.file == "examples/\(name)" })
            let message = drifts.first { $0.code == .liveGrant }?.diagnostic.message ?? ""
            #expect(message.contains("planned SELECT, running DELETE, SELECT"), "\(message)")
        }
    }
}
