/// `topoc diff`: every change between two plans, classified, with both plans' hashes.
public struct PlanDiff: Sendable {
    /// The old plan.
    public let old: Plan
    /// The new plan.
    public let new: Plan

    /// Compares two plans of the same target.
    public init(old: Plan, new: Plan) {
        self.old = old
        self.new = new
    }

    /// The migrations of every database of the new plan, in plan order.
    func databaseMigrations() -> [DatabaseMigration] {
        let shared = SharedRendering()
        let oldShared = SharedRendering()
        let oldScopes = old.databases.map { DatabaseScope(plan: old, database: $0, shared: oldShared) }
        let newScopes = new.databases.map { DatabaseScope(plan: new, database: $0, shared: shared) }
        var oldByKey: [String: DatabaseScope] = [:]
        for scope in oldScopes where oldByKey[Self.key(scope.database)] == nil { oldByKey[Self.key(scope.database)] = scope }
        let oldIncludes = PostgresBackend.includes(oldScopes)
        let newIncludes = PostgresBackend.includes(newScopes)
        return newScopes.map { scope in
            let before = oldByKey[Self.key(scope.database)]
            return DatabaseMigration(
                old: before, new: scope, oldShared: before.flatMap { oldIncludes[DatabaseScript.path($0.database)] },
                newShared: newIncludes[DatabaseScript.path(scope.database)])
        }
    }

    /// A database's identity across the plans: its cluster and name.
    private static func key(_ database: PlanDatabase) -> String { "\(database.cluster)/\(database.name)" }

    /// The change set: deployment changes first, then each database's schema changes (identical
    /// changes of several databases listed once, with every database in their scope).
    public func changeSet() -> ChangeSet {
        var changes = DeploymentDiff(old: old, new: new).changes()
        var schema: [PlanChange] = []
        for migration in databaseMigrations() where migration.old != nil {
            let place = "\(migration.new.cluster)/\(migration.new.database.name)"
            var typed = false
            for (_, label, list) in migration.schemaChanges() {
                for change in list {
                    if case .converge = change { continue }
                    typed = true
                    var item = change.classification
                    item.scope = [label == "public" ? place : "\(place)/\(label)"]
                    schema.append(item)
                }
            }
            if typed || migration.scriptChanged {
                var item = SchemaChange.converge.classification
                item.scope = [place]
                schema.append(item)
            }
        }
        var merged: [PlanChange] = []
        for change in schema {
            if let index = merged.firstIndex(where: {
                $0.action == change.action && $0.object == change.object && $0.name == change.name && $0.impact == change.impact
                    && $0.lock == change.lock && $0.detail == change.detail
            }) {
                merged[index].scope += change.scope
            } else {
                merged.append(change)
            }
        }
        changes += merged
        return ChangeSet(
            oldPlanSHA256: PlanFingerprint.sha256(old), newPlanSHA256: PlanFingerprint.sha256(new), changes: changes)
    }
}
