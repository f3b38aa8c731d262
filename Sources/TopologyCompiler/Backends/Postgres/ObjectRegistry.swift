/// Every name topoc's DDL creates, per cluster, database and schema, derived from the plan in one
/// place: tables and their partitions, the sequences of serial columns, indexes, constraints,
/// triggers, functions, the CDC audit and heartbeat tables, views and their unique indexes and
/// refresh functions, row-level security policies, publications, replication slots and roles.
///
/// Two uses:
/// - the planner reports any two entries of one namespace with the same name (TPG122,
///   ``collisions``): PostgreSQL would refuse the second `CREATE`, or an `IF NOT EXISTS` / `OR
///   REPLACE` would silently keep or replace the other object;
/// - the PostgreSQL tests compare the catalog after an apply with ``entries``, so an object an
///   `IF NOT EXISTS` skipped fails a test.
///
/// The names come from the same helpers the DDL writes them with (``PlanNames``, the plan's
/// resolved index and constraint names, the backend's fixed names).
public struct ObjectRegistry: Sendable {
    /// What an object is, which decides its namespace and how the catalog shows it.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case table, partition, index, sequence, view
        case materializedView = "materialized view"
        case constraint, trigger, function, policy, publication, slot, role
        case eventTrigger = "event trigger"

        /// Whether the kind shares PostgreSQL's relation namespace of a schema (`pg_class`).
        public var isRelation: Bool {
            [.table, .partition, .index, .sequence, .view, .materializedView].contains(self)
        }
    }

    /// Where a name comes from in the topology, so a collision is reported at the user's YAML.
    public enum Origin: Sendable, Hashable {
        /// A table (its own name, or a name derived from it alone).
        case table(String)
        /// A column of a table (a serial sequence, a counter or snapshot trigger).
        case column(table: String, column: String)
        /// An index of a table, by its resolved name.
        case index(table: String, name: String)
        /// A unique constraint or foreign key of a table, by its resolved name.
        case constraint(table: String, name: String)
        /// A partition of a table, by its full name.
        case partition(table: String, name: String)
        /// A vertical group of a table.
        case verticalGroup(table: String, group: String)
        /// A view.
        case view(String)
        /// The change data capture section.
        case changeDataCapture
        /// The tenancy section (a tenant's name for its role).
        case tenant(String)
        /// A multi-primary group.
        case multiPrimary(String)
        /// The roles section (or topoc's default role names).
        case roles
        /// A name topoc fixes (`topoc_*`), the same in every topology.
        case builtIn
    }

    /// One created object.
    public struct Entry: Sendable, Hashable {
        /// The cluster the object is created on.
        public var cluster: String
        /// The database, nil for cluster-wide objects (roles, slots).
        public var database: String?
        /// The schema, nil for objects outside schemas (publications, event triggers, roles, slots).
        public var schema: String?
        /// The relation a constraint, trigger or policy belongs to, or whose column owns a sequence.
        public var relation: String?
        /// The object's name.
        public var name: String
        /// What the object is.
        public var kind: Kind
        /// Whether the topology writes this name (a table's or view's name, an explicit index name...).
        public var userNamed: Bool
        /// Where the name comes from.
        public var origin: Origin
        /// For a serial sequence, its column (the sequence must be that column's).
        public var column: String? = nil
        /// Whether the database's DDL script creates the object (slots, subscriptions and the
        /// partitions pg_partman creates come from elsewhere).
        public var createdByScript: Bool = true

        /// The namespace the name must be unique in.
        public var namespace: String {
            let place = "\(cluster)/\(database ?? "")"
            switch kind {
            case .table, .partition, .index, .sequence, .view, .materializedView:
                return "\(place)/\(schema ?? "")/relation"
            case .function: return "\(place)/\(schema ?? "")/function"
            case .constraint, .trigger, .policy:
                return "\(place)/\(schema ?? "")/\(relation ?? "")/\(kind.rawValue)"
            case .publication, .eventTrigger: return "\(place)/\(kind.rawValue)"
            case .slot: return "\(cluster)/slot"
            case .role: return "role"
            }
        }
    }

    /// Two entries of one namespace with the same name.
    public struct Collision: Sendable, Hashable {
        /// The entry to report (the user-named one, or the later derived one).
        public var reported: Entry
        /// The entry it collides with.
        public var other: Entry
    }

    /// Every object, in creation order (duplicates of the same object across clusters included).
    public let entries: [Entry]

    /// The registry of a plan.
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - oneDatabasePerSharedScript: Register only the first database of each set whose scripts
    ///     are identical but for their identity (``SharedSchemaGroup``: the shard databases): they
    ///     create the same objects in namespaces of their own, so one shows every collision the
    ///     others would. The planner's name check uses this (at 256 shards it is the difference
    ///     between seconds and milliseconds); the catalog comparison needs every database.
    public init(plan: Plan, oneDatabasePerSharedScript: Bool = false) {
        let builder = Builder()
        let shared = SharedRendering()
        var scopes = plan.databases.map { DatabaseScope(plan: plan, database: $0, shared: shared) }
        if oneDatabasePerSharedScript {
            let repeated = Set(
                SharedSchemaGroup.groups(scopes).flatMap { $0.members.dropFirst() }.map { "\($0.cluster)/\($0.database.name)" })
            scopes.removeAll { repeated.contains("\($0.cluster)/\($0.database.name)") }
        }
        for scope in scopes {
            builder.add(scope)
        }
        builder.addRoles(plan)
        for slot in plan.replication.slots {
            builder.append(
                Entry(
                    cluster: slot.cluster, database: nil, schema: nil, relation: nil, name: slot.name, kind: .slot,
                    userNamed: false, origin: .changeDataCapture, createdByScript: false))
        }
        for group in plan.multiPrimaryGroups {
            for link in group.links {
                builder.append(
                    Entry(
                        cluster: link.publisher, database: nil, schema: nil, relation: nil, name: link.slot, kind: .slot,
                        userNamed: false, origin: .multiPrimary(group.name), createdByScript: false))
            }
        }
        entries = builder.entries
    }

    /// The entries a database's script creates, for the catalog comparison.
    public func entries(cluster: String, database: String) -> [Entry] {
        entries.filter { $0.cluster == cluster && $0.database == database && $0.createdByScript }
    }

    /// Every pair of distinct objects sharing a name in one namespace, each reported once.
    public var collisions: [Collision] {
        var first: [String: Entry] = [:]
        var seen: Set<String> = []
        var result: [Collision] = []
        for entry in entries {
            let key = entry.namespace + "\u{0}" + entry.name
            guard let earlier = first[key] else {
                first[key] = entry
                continue
            }
            // The same object met again (a role every database creates, a view in two schemas'
            // scans) is no collision.
            if earlier.kind == entry.kind && earlier.origin == entry.origin { continue }
            let pair = "\(key)\u{0}\(entry.kind)\u{0}\(entry.origin)"
            guard seen.insert(pair).inserted else { continue }
            let reported = entry.userNamed && !earlier.userNamed ? entry : (earlier.userNamed ? earlier : entry)
            result.append(Collision(reported: reported, other: reported == entry ? earlier : entry))
        }
        return result
    }

    /// Collects entries.
    private final class Builder {
        var entries: [Entry] = []

        func append(_ entry: Entry) { entries.append(entry) }

        /// The objects of one database's script.
        func add(_ database: DatabaseScope) {
            let cluster = database.cluster
            let name = database.database.name
            func entry(
                _ schema: String?, _ relation: String?, _ object: String, _ kind: Kind, user: Bool, _ origin: Origin,
                column: String? = nil, created: Bool = true
            ) {
                append(
                    Entry(
                        cluster: cluster, database: name, schema: schema, relation: relation, name: object, kind: kind,
                        userNamed: user, origin: origin, column: column, createdByScript: created))
            }
            if let audit = database.auditTable {
                entry("public", nil, audit.name, .table, user: true, .changeDataCapture)
                entry("public", nil, PlanNames.primaryKey(table: audit.name), .index, user: false, .changeDataCapture)
                entry("public", audit.name, PlanNames.primaryKey(table: audit.name), .constraint, user: false, .changeDataCapture)
                entry(
                    "public", audit.name, PlanNames.serialSequence(table: audit.name, column: "id"), .sequence, user: false,
                    .changeDataCapture, column: "id")
                entry("public", nil, CaptureDDL.auditFunction, .function, user: false, .builtIn)
            }
            if database.connectorSlot != nil, database.publication != nil {
                let heartbeat = DebeziumCatalog.heartbeatTable
                entry("public", nil, heartbeat, .table, user: false, .changeDataCapture)
                entry("public", nil, PlanNames.primaryKey(table: heartbeat), .index, user: false, .changeDataCapture)
                entry("public", heartbeat, PlanNames.primaryKey(table: heartbeat), .constraint, user: false, .changeDataCapture)
                entry("public", heartbeat, "\(heartbeat)_one_row", .constraint, user: false, .changeDataCapture)
            }
            if let publication = database.publication {
                entry(nil, nil, publication.name, .publication, user: false, .changeDataCapture)
            }
            if CaptureDDL.replicaIdentityFollower(database).hasStatements {
                entry("public", nil, "topoc_follow_replica_identity", .function, user: false, .builtIn)
                entry(nil, nil, "topoc_follow_replica_identity", .eventTrigger, user: false, .builtIn)
            }
            entry(RoleDDL.poolerSchema, nil, RoleDDL.poolerFunction, .function, user: false, .builtIn)
            let publicScope = SchemaScope(database: database, schema: .publicSchema, tables: database.publicTables)
            addSchema(publicScope, schema: "public", entry: entry)
            if database.hasTenantSchemas {
                entry("public", nil, TenancyDDL.onboardFunction, .function, user: false, .builtIn)
                let template = SchemaScope(database: database, schema: .tenantTemplate, tables: database.tenantTables)
                for tenant in database.plan.tenancy?.tenants ?? [] {
                    guard let schema = tenant.schema else { continue }
                    addSchema(template, schema: schema, entry: entry)
                }
            }
            if let group = MultiPrimaryDDL.group(of: database) {
                entry(nil, nil, group.publication, .publication, user: false, .multiPrimary(group.name))
                if MultiPrimaryDDL.resolvesConflicts(group), group.timestampColumn != nil {
                    entry("public", nil, MultiPrimaryDDL.stampFunction(group), .function, user: false, .multiPrimary(group.name))
                    for table in MultiPrimaryDDL.tables(database, group) {
                        let resolve = MultiPrimaryDDL.resolveTrigger(table.name)
                        let stamp = MultiPrimaryDDL.stampTrigger(table.name)
                        entry("public", nil, resolve, .function, user: false, .table(table.name))
                        entry("public", table.name, resolve, .trigger, user: false, .table(table.name))
                        entry("public", table.name, stamp, .trigger, user: false, .table(table.name))
                    }
                }
            }
        }

        /// The objects of one schema: tables, partitions, sequences, indexes, constraints,
        /// triggers and their functions, policies, views.
        func addSchema(
            _ scope: SchemaScope, schema: String,
            entry: (String?, String?, String, Kind, Bool, Origin, String?, Bool) -> Void
        ) {
            let database = scope.database
            for table in scope.tables {
                let source = table.source.name
                let tableOrigin: Origin =
                    table.group.map { .verticalGroup(table: source, group: $0.name) } ?? .table(source)
                entry(schema, nil, table.name, .table, table.group == nil, tableOrigin, nil, true)
                let managed = table.partitioning?.partmanPremake != nil
                for partition in table.partitions {
                    entry(
                        schema, nil, partition.name, .partition, false,
                        .partition(table: source, name: partition.name), nil, !(managed && partition.kind == .default))
                }
                for column in table.columns where PlanNames.serialTypes.contains(column.type) {
                    entry(
                        schema, table.name, PlanNames.serialSequence(table: table.name, column: column.name), .sequence, false,
                        .column(table: source, column: column.name), column.name, true)
                }
                if !table.primaryKey.isEmpty {
                    let key = PlanNames.primaryKey(table: table.name)
                    entry(schema, nil, key, .index, false, tableOrigin, nil, true)
                    entry(schema, table.name, key, .constraint, false, tableOrigin, nil, true)
                }
                for unique in table.uniqueConstraints {
                    let origin = Origin.constraint(table: source, name: unique.name)
                    let user = unique.name != PlanNames.unique(table: source, columns: unique.columns)
                    entry(schema, nil, unique.name, .index, user, origin, nil, true)
                    entry(schema, table.name, unique.name, .constraint, user, origin, nil, true)
                }
                for key in table.foreignKeys {
                    let user = key.name != PlanNames.foreignKey(table: source, columns: key.columns)
                    entry(schema, table.name, key.name, .constraint, user, .constraint(table: source, name: key.name), nil, true)
                }
                for index in table.indexes {
                    let user = index.name != PlanNames.index(table: source, keys: index.keys, unique: index.unique)
                    entry(schema, nil, index.name, .index, user, .index(table: source, name: index.name), nil, true)
                }
                for counter in table.source.schema.counters
                where table.column(counter.column) != nil && scope.location(of: counter.countedTable) == scope.schema {
                    let origin = Origin.column(table: source, column: counter.column)
                    let name = PlanNames.counterTrigger(table: table.name, column: counter.column)
                    let lock = PlanNames.counterLockTrigger(table: table.name, column: counter.column)
                    entry(schema, nil, name, .function, false, origin, nil, true)
                    entry(schema, counter.countedTable, name, .trigger, false, origin, nil, true)
                    entry(schema, counter.countedTable, lock, .trigger, false, origin, nil, true)
                }
                for snapshot in table.source.schema.snapshots
                where table.column(snapshot.column) != nil && scope.location(of: snapshot.sourceTable) != nil {
                    let origin = Origin.column(table: source, column: snapshot.column)
                    let name = PlanNames.snapshotTrigger(table: table.name, column: snapshot.column)
                    entry(schema, nil, name, .function, false, origin, nil, true)
                    entry(schema, table.name, name, .trigger, false, origin, nil, true)
                }
                if table.group == nil, table.source.schema.capture?.method == .trigger {
                    entry(
                        schema, table.name, PlanNames.auditTrigger(table: table.name), .trigger, false, tableOrigin, nil,
                        true)
                }
                if database.isSharedSchemaTenancy, table.group == nil, table.source.schema.tenantScoped,
                    let column = database.plan.tenancy?.column, table.column(column) != nil
                {
                    entry(schema, table.name, TenancyDDL.policyName, .policy, false, .builtIn, nil, true)
                }
            }
            for view in database.views where ViewDDL.placement(view, in: database) == scope.isTenantTemplate {
                let origin = Origin.view(view.name)
                entry(schema, nil, view.name, view.materialized ? .materializedView : .view, true, origin, nil, true)
                if view.materialized {
                    if !view.uniqueKey.isEmpty {
                        entry(schema, nil, ViewDDL.uniqueIndexName(view), .index, false, origin, nil, true)
                    }
                    entry(schema, nil, ViewDDL.refreshFunction(view.name), .function, false, origin, nil, true)
                }
            }
        }

        /// The roles every database's script creates (cluster-wide, so one namespace).
        func addRoles(_ plan: Plan) {
            let roles = plan.roles
            let fixed = [
                roles.superuser, roles.owner, roles.application, roles.readOnly, roles.clients, roles.changeDataCapture, roles.poolerAuth,
                roles.poolerAdmin, roles.multiPrimary, roles.monitor, roles.backup, roles.replication, roles.rewind,
            ]
            var seen = Set<String>()
            for role in fixed where seen.insert(role).inserted {
                append(
                    Entry(
                        cluster: "", database: nil, schema: nil, relation: nil, name: role, kind: .role, userNamed: false,
                        origin: .roles, createdByScript: false))
            }
            for tenant in plan.tenancy?.tenants ?? [] {
                guard let role = tenant.role else { continue }
                append(
                    Entry(
                        cluster: "", database: nil, schema: nil, relation: nil, name: role, kind: .role, userNamed: false,
                        origin: .tenant(tenant.name), createdByScript: false))
            }
        }
    }
}
