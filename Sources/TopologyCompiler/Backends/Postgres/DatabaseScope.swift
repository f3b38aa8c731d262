import Foundation

/// One database of the plan as its DDL script sees it: the tables it holds, which schema each
/// lives in, and the tenancy, replication and views that concern it.
package struct DatabaseScope: Sendable {
    /// The whole plan, held once for every scope made with the same ``SharedRendering``
    /// (``SharedRendering/storage(of:)``): a ``Plan`` inline is 1,480 bytes, and the scopes of
    /// 4,096 shard databases held 6 MB of copies.
    private let planStorage: PlanStorage
    /// The whole plan.
    var plan: Plan { planStorage.plan }
    /// The database.
    package let database: PlanDatabase
    /// Tables created in the `public` schema, in plan order (vertical group tables last).
    package let publicTables: [TableShape]
    /// Tables created in every tenant's schema (schema-per-tenant tenancy), in plan order.
    package let tenantTables: [TableShape]
    /// The extensions the database's tables need, in a fixed order (``ExtensionDDL``).
    let extensions: [String]
    /// What every database of the plan shares: table shapes, lookups, the plan itself, and text
    /// rendered once (a migration's shared body).
    let shared: SharedRendering

    /// Builds the scope of one database; the databases of one build share `shared`.
    package init(plan: Plan, database: PlanDatabase, shared: SharedRendering = SharedRendering()) {
        self.planStorage = shared.storage(of: plan)
        self.database = database
        self.shared = shared
        let layout = shared.tables(of: database) { Self.tables(of: database, in: plan, shared: shared) }
        publicTables = layout.publicTables
        tenantTables = layout.tenantTables
        extensions = layout.extensions
    }

    /// The tables a database's script creates, in the `public` schema and in every tenant's.
    private static func tables(
        of database: PlanDatabase, in plan: Plan, shared: SharedRendering
    ) -> SharedRendering.TableLayout {
        let held = Set(database.tables)
        var shapes: [TableShape] = []
        var groups: [TableShape] = []
        for table in plan.tables {
            if held.contains(table.name) {
                shapes.append(shared.shape(of: table))
            }
            for group in table.schema.verticalGroups where held.contains("\(table.name).\(group.name)") {
                groups.append(shared.shape(of: table, group: group))
            }
        }
        let extensions = ExtensionDDL.required(by: shapes + groups, shared: shared)
        if Self.isSchemaPerTenant(plan), database.kind != .vertical, let tenancy = plan.tenancy {
            let sharedTables = Set(tenancy.sharedTables)
            return .init(
                publicTables: shapes.filter { sharedTables.contains($0.name) } + groups,
                tenantTables: shapes.filter { !sharedTables.contains($0.name) }, extensions: extensions)
        }
        return .init(publicTables: shapes + groups, tenantTables: [], extensions: extensions)
    }

    /// Whether the plan puts every tenant in a schema of its own.
    static func isSchemaPerTenant(_ plan: Plan) -> Bool {
        plan.tenancy?.mode == .schemaPerTenant
    }

    /// Whether the plan keeps tenants' rows apart by a column and row-level security.
    package var isSharedSchemaTenancy: Bool {
        plan.tenancy?.mode == .sharedSchema
    }

    /// Whether this database gets tenant schemas (and the onboarding function).
    package var hasTenantSchemas: Bool {
        !tenantTables.isEmpty
    }

    /// Every table shape of the database, public ones first.
    var allTables: [TableShape] {
        publicTables + tenantTables
    }

    /// The cluster's script folder name.
    var cluster: String {
        database.cluster
    }

    /// The publication of this database, if any.
    var publication: PlanPublication? {
        shared.lookup(of: plan).publications[DatabaseLookup.Place(database)]
    }

    /// The logical slot a Debezium connector reads in this database, if the topology has a sink
    /// and the database a slot.
    package var connectorSlot: PlanSlot? {
        guard plan.replication.sink != nil else { return nil }
        return shared.lookup(of: plan).slots[DatabaseLookup.Place(database)]
    }

    /// The audit table of this database, if any.
    var auditTable: PlanAuditTable? {
        shared.lookup(of: plan).auditTables[database.name]
    }

    /// The shard this database holds, if any.
    var shard: PlanShard? {
        guard let index = database.shard else { return nil }
        return shared.lookup(of: plan).shards[index]
    }

    /// The tenant whose database this is (database-per-tenant), if any.
    var tenant: PlanTenant? {
        guard database.kind == .tenant, let name = database.tenant else { return nil }
        return shared.lookup(of: plan).tenants[name]
    }

    /// The role that reads and writes the tables of `public`: the tenant's role in a tenant
    /// database, else the application role.
    package var writerRole: String {
        tenant?.role ?? plan.roles.application
    }

    /// The role that may only read the tables of `public` (none in a tenant's database).
    package var readerRole: String? {
        tenant == nil ? plan.roles.readOnly : nil
    }

    /// The writer role, then the reader role where there is one.
    var clientRoles: [String] {
        [writerRole] + (readerRole.map { [$0] } ?? [])
    }

    /// The views this database holds, in plan order.
    package var views: [PlanView] {
        plan.views.filter { $0.databases.contains(database.name) }
    }
}

/// The tables visible from one schema while its DDL is written: the schema's own tables, and
/// the shared ones in `public`.
struct SchemaScope: Sendable {
    /// The database.
    let database: DatabaseScope
    /// The schema the statements create objects in.
    let schema: SchemaTarget
    /// The tables created in it.
    let tables: [TableShape]

    /// The schema a full table of the plan is reachable in from here, or nil when the table is
    /// in another database.
    func location(of table: String) -> SchemaTarget? {
        if tables.contains(where: { $0.name == table && $0.group == nil }) { return schema }
        if database.publicTables.contains(where: { $0.name == table && $0.group == nil }) { return .publicSchema }
        return nil
    }

    /// The shape of a full table reachable from here.
    func shape(of table: String) -> TableShape? {
        tables.first { $0.name == table && $0.group == nil }
            ?? database.publicTables.first { $0.name == table && $0.group == nil }
    }

    /// Whether this is the tenant template.
    var isTenantTemplate: Bool {
        schema.isTemplate
    }
}

/// What every database of a plan shares, made by the first database that needs it: text carried
/// identically (a migration's body of a shared script, rendered once for all its databases), the
/// plan and its lookups, and the shape of each table and the extensions it needs (a 256-shard plan
/// of 300 tables would otherwise shape 76,800 tables, once per consumer of the databases' scopes).
///
/// One instance serves one plan: shapes are keyed by table name (a vertical group's table has a
/// name of its own, `<table>_<group>`, which no other table may take: TPG122).
package final class SharedRendering: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String: String] = [:]
    private var shapes: [String: TableShape] = [:]
    private var groupShapes: [String: TableShape] = [:]
    private var extensions: [String: Set<String>] = [:]
    private var layouts: [TableLayoutKey: TableLayout] = [:]
    private var databaseLookup: DatabaseLookup?
    private var planStorage: PlanStorage?

    /// The tables of a database's script (in the `public` schema and in every tenant's) and the
    /// extensions they need.
    struct TableLayout {
        var publicTables: [TableShape]
        var tenantTables: [TableShape]
        var extensions: [String]
    }

    /// What a database's ``TableLayout`` depends on besides the plan.
    private struct TableLayoutKey: Hashable {
        var tables: [String]
        var vertical: Bool
    }

    /// Creates an empty cache.
    package init() {}

    /// The table layout of `database`, made by `make` the first time a database holds these
    /// tables: the shard databases of a plan hold the same ones, so they share one copy of the
    /// shapes (at 256 shards x 300 tables, copies per database were 49 MB of a build's peak).
    func tables(of database: PlanDatabase, make: () -> TableLayout) -> TableLayout {
        let key = TableLayoutKey(tables: database.tables, vertical: database.kind == .vertical)
        if let layout = lock.withLock({ layouts[key] }) { return layout }
        // Made outside the lock: `make` takes it for each table's shape.
        let layout = make()
        lock.withLock { layouts[key] = layout }
        return layout
    }

    /// The shape of `table` in the database that holds it, made the first time.
    func shape(of table: PlanTable) -> TableShape {
        lock.withLock {
            if let shape = shapes[table.name] { return shape }
            let shape = TableShape(table: table)
            shapes[table.name] = shape
            return shape
        }
    }

    /// The extensions a table shape needs (``ExtensionDDL/needed(by:)``), found the first time.
    func extensions(of table: TableShape) -> Set<String> {
        lock.withLock {
            if let needed = extensions[table.name] { return needed }
            let needed = ExtensionDDL.needed(by: table)
            extensions[table.name] = needed
            return needed
        }
    }

    /// The shape of the table of `table`'s vertical group `group`, made the first time.
    func shape(of table: PlanTable, group: PlanVerticalGroup) -> TableShape {
        lock.withLock {
            let key = "\(table.name).\(group.name)"
            if let shape = groupShapes[key] { return shape }
            let shape = TableShape(table: table, group: group)
            groupShapes[key] = shape
            return shape
        }
    }

    /// The plan every scope of this cache reads, held once (the first plan asked for: a cache
    /// serves one plan, as ``lookup(of:)`` does).
    func storage(of plan: Plan) -> PlanStorage {
        once(\.planStorage) { PlanStorage(plan) }
    }

    /// The plan's lookups by database (made the first time): each database's scope asks for its
    /// publication, slot, audit table, shard and tenant, and a search of the plan's lists for each
    /// was quadratic in the databases (4,096 shards with CDC).
    func lookup(of plan: Plan) -> DatabaseLookup {
        once(\.databaseLookup) { DatabaseLookup(plan) }
    }

    /// The value in `slot`, made by `make` (under the lock) the first time.
    private func once<Value>(_ slot: ReferenceWritableKeyPath<SharedRendering, Value?>, _ make: () -> Value) -> Value {
        lock.withLock {
            if let value = self[keyPath: slot] { return value }
            let made = make()
            self[keyPath: slot] = made
            return made
        }
    }

    /// The text under `key`, made by `render` the first time. Rendered outside the lock, so
    /// `render` may use this cache itself (a database's body takes it for its table shapes); two
    /// threads asking at once may both render, and the first text stored is kept.
    func text(_ key: String, render: () -> String) -> String {
        if let text = lock.withLock({ texts[key] }) { return text }
        let text = render()
        return lock.withLock {
            if let stored = texts[key] { return stored }
            texts[key] = text
            return text
        }
    }
}

/// A plan held by reference, so that the scopes of a build share it instead of each holding a
/// copy of its fields.
final class PlanStorage: Sendable {
    /// The plan.
    let plan: Plan

    /// Holds `plan`.
    init(_ plan: Plan) {
        self.plan = plan
    }
}
