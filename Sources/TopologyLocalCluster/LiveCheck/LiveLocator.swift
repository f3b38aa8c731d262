import TopologyCompiler

/// Finds the topology line that declares a planned object, so a drift is reported where the
/// object is written (the nearest enclosing declaration when the object is derived).
public struct LiveLocator: Sendable {
    /// The decoded topology.
    public let topology: Topology

    /// Creates a locator.
    public init(topology: Topology) { self.topology = topology }

    /// The topology's name: the fallback for objects without a declaration of their own.
    public var whole: SourceLocation { topology.name.location }

    /// A table's declaration.
    public func table(_ name: String) -> SourceLocation {
        topology.table(named: name)?.name.location ?? whole
    }

    /// A column's declaration (counter and snapshot columns included), else its table's.
    public func column(_ table: String, _ column: String) -> SourceLocation {
        guard let declared = topology.table(named: table) else { return whole }
        if let found = declared.column(named: column) { return found.name.location }
        if let counter = declared.counters.first(where: { $0.name.value == column }) { return counter.name.location }
        if let snapshot = declared.snapshots.first(where: { $0.name.value == column }) { return snapshot.name.location }
        return declared.name.location
    }

    /// An index's declaration: the planned indexes follow the declared ones in order.
    public func index(_ table: String, position: Int?) -> SourceLocation {
        guard let declared = topology.table(named: table) else { return whole }
        guard let position, declared.indexes.indices.contains(position) else { return declared.name.location }
        return declared.indexes[position].location
    }

    /// A constraint's declaration: the primary key, a unique constraint or a foreign key by position.
    public func constraint(_ table: String, kind: String, position: Int) -> SourceLocation {
        guard let declared = topology.table(named: table) else { return whole }
        switch kind {
        case "p": return declared.primaryKeyLocation ?? declared.name.location
        case "u" where declared.uniqueConstraints.indices.contains(position): return declared.uniqueConstraints[position].location
        case "f" where declared.foreignKeys.indices.contains(position): return declared.foreignKeys[position].location
        default: return declared.name.location
        }
    }

    /// A cluster template's declaration.
    public func cluster(_ template: String) -> SourceLocation {
        topology.cluster(named: template)?.name.location ?? whole
    }

    /// A setting of a cluster template: the key where it is declared, else the cluster.
    public func setting(_ template: String, _ name: String) -> SourceLocation {
        guard let cluster = topology.cluster(named: template) else { return whole }
        let settings = cluster.settings
        let declared: SourceLocation? =
            switch name {
            case "max_connections": settings.maxConnections?.location
            case "max_wal_senders": settings.maxWalSenders?.location
            case "max_replication_slots": settings.maxReplicationSlots?.location
            case "shared_buffers": settings.sharedBuffers?.location
            case "max_slot_wal_keep_size": settings.maxSlotWalKeepSize?.location
            case "max_locks_per_transaction": settings.maxLocksPerTransaction?.location
            default: nil
            }
        return declared ?? cluster.name.location
    }

    /// The tenancy section, else the table.
    public func tenancy(table: String) -> SourceLocation {
        topology.tenancy?.location ?? self.table(table)
    }

    /// The CDC publication's name.
    public var publication: SourceLocation { topology.cdc?.publication.location ?? whole }

    /// A captured table's entry, else the publication.
    public func captured(_ table: String) -> SourceLocation {
        topology.cdc?.tables.first { $0.table.value == table }?.table.location ?? publication
    }

    /// The CDC slot's name (a multi-primary link's slot: its group).
    public func slot(_ name: String) -> SourceLocation {
        // A sharded or multi-database topology suffixes the declared slot with its database.
        if let cdc = topology.cdc, name == cdc.slot.value || name.hasPrefix(cdc.slot.value + "_") { return cdc.slot.location }
        return topology.multiPrimaryGroups.first?.name.location ?? whole
    }

    /// The `roles:` entry of a role kind, else the section, else the application role's name.
    public func role(_ kind: RoleKind?) -> SourceLocation {
        if let kind, let named = topology.roles.names[kind] { return named.location }
        return topology.roles.location ?? topology.applicationRole.location
    }

    /// The pooling section.
    public var pooling: SourceLocation { topology.pooling.location ?? whole }

    /// A view's declaration.
    public func view(_ name: String) -> SourceLocation {
        topology.views.first(where: { $0.name.value == name })?.name.location ?? whole
    }

    /// A view's refresh schedule, else the view.
    public func refresh(view: String) -> SourceLocation {
        guard let declared = topology.views.first(where: { $0.name.value == view }) else { return whole }
        return declared.refreshSchedule?.location ?? declared.name.location
    }

    /// A table's partitioning, else the table.
    public func partitioning(_ table: String) -> SourceLocation {
        topology.table(named: table)?.partitioning?.location ?? self.table(table)
    }
}
