import TopologyCompiler

/// What `topoc up` refuses to carry out on a running local deployment: changes that need
/// processes it does not start or stop on a running deployment (clusters, members, etcd, HAProxy,
/// PgBouncer's listening address), rows moving between shards, manual changes, and, without
/// `--allow-destructive`, changes that drop data.
public struct LocalMigrationRefusal: Error, CustomStringConvertible, Sendable {
    /// Why, and what to do instead.
    public var description: String
    /// True when only `--allow-destructive` is missing.
    public var destructive: Bool
}

/// Decides whether a change set can be applied to a running local deployment.
enum LocalMigrationGate {
    /// Throws a ``LocalMigrationRefusal`` naming every change `topoc up` cannot apply in place.
    static func check(_ changes: ChangeSet, old: Plan, new: Plan, allowDestructive: Bool) throws {
        var reasons: [String] = []
        for change in changes.changes {
            let subject = "\(change.action.rawValue) \(change.object) \(change.name)"
            switch (change.impact, change.object) {
            case (.dataMovement, _):
                reasons.append(
                    "\(subject): rows move between shards; `topoc up` does not move data. Run `topoc rebalance OLD NEW` for the ranges to copy, copy them, then bring the deployment up from NEW"
                )
            case (.manual, _):
                reasons.append("\(subject): \(change.detail); carry it out by hand, then bring the deployment up from NEW")
            case (_, "cluster"), (_, "member"):
                reasons.append(
                    "\(subject): \(change.action == .drop ? "stopping" : "starting") Patroni members of a running deployment is not done by `topoc up`; stop it with `topoc down` (its data goes) and run `topoc up` again, or use `topoc migrate` with your own orchestration"
                )
            case (.configRestart, "pgbouncer"):
                reasons.append(
                    "\(subject): PgBouncer's listening address or version changes; stop the deployment with `topoc down` and run `topoc up` again"
                )
            default:
                continue
            }
        }
        if old.etcd != new.etcd {
            reasons.append("etcd: its members or ports change; stop the deployment with `topoc down` and run `topoc up` again")
        }
        if HAProxyBackend.text(plan: old) != HAProxyBackend.text(plan: new) {
            reasons.append(
                "HAProxy: its configuration changes (frontends, servers or checks); stop the deployment with `topoc down` and run `topoc up` again"
            )
        }
        if !reasons.isEmpty {
            throw LocalMigrationRefusal(
                description: "the running deployment cannot be changed in place:\n" + reasons.map { "  - " + $0 }.joined(separator: "\n"),
                destructive: false)
        }
        if changes.isDestructive && !allowDestructive {
            let dropped = changes.changes.filter { $0.impact == .destructive }.map { "\($0.object) \($0.name)" }
            throw LocalMigrationRefusal(
                description: "the change drops data (\(dropped.joined(separator: ", "))); review it and pass --allow-destructive",
                destructive: true)
        }
    }
}
