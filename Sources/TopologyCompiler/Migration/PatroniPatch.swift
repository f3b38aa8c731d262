/// Patroni's dynamic configuration as a patch for a running cluster, with the changed settings
/// that need a restart named, and the settings removed from the topology patched to null.
package enum PatroniPatch {
    /// `patroni/<cluster>/edit-config.yml`.
    static func yamlPath(_ cluster: String) -> String { "patroni/\(cluster)/edit-config.yml" }
    /// `patroni/<cluster>/patch-config.json`.
    package static func jsonPath(_ cluster: String) -> String { "patroni/\(cluster)/patch-config.json" }
    /// `patroni/<cluster>/remove-settings.json`.
    package static func removalPath(_ cluster: String) -> String { "patroni/\(cluster)/remove-settings.json" }

    /// The changed or added settings that need a restart.
    package static func restartSettings(before: PlanCluster, after: PlanCluster, old: Plan, new: Plan) -> [String] {
        // Each cluster with its own plan: settings that follow from the whole plan (pg_cron's,
        // once a view gets a refresh schedule) change although the cluster did not.
        let running = Dictionary(PatroniConfig.parameters(cluster: before, plan: old), uniquingKeysWith: { a, _ in a })
        return PatroniConfig.parameters(cluster: after, plan: new).filter { running[$0.key] != $0.value }.map(\.key).filter {
            PostmasterSettings.needsRestart($0, postgresVersion: new.postgresVersion)
        }
    }

    /// The settings of the old plan the new plan no longer has.
    static func removedSettings(before: PlanCluster, after: PlanCluster, old: Plan, new: Plan) -> [String] {
        let kept = Set(PatroniConfig.parameters(cluster: after, plan: new).map(\.key))
        return PatroniConfig.parameters(cluster: before, plan: old).map(\.key).filter { !kept.contains($0) }
    }

    /// The files of one cluster's patch.
    static func artifacts(before: PlanCluster, after: PlanCluster, old: Plan, new: Plan) -> [Artifact] {
        let restart = restartSettings(before: before, after: after, old: old, new: new)
        let note = """
            # Changed settings that need a restart: \(restart.isEmpty ? "none" : restart.map(CommentQuoting.line).joined(separator: ", ")).
            # After the patch, restart replicas first, then the leader (or switch over first):
            #   patronictl -c <member>.yml restart \(CommentQuoting.line(after.name)) --pending

            """
        var artifacts = [
            Artifact(
                path: yamlPath(after.name), contents: note + PatroniDynamicConfig.yaml(cluster: after, plan: new),
                producer: MigrationArtifacts.producer),
            Artifact(
                path: jsonPath(after.name), contents: PatroniDynamicConfig.json(cluster: after, plan: new),
                producer: MigrationArtifacts.producer),
        ]
        let removed = removedSettings(before: before, after: after, old: old, new: new)
        if !removed.isEmpty {
            var parameters: [String: String?] = [:]
            for key in removed { parameters[key] = .some(nil) }
            let document = ["postgresql": ["parameters": parameters]]
            artifacts.append(
                Artifact(path: removalPath(after.name), contents: DeterministicJSON.text(document), producer: MigrationArtifacts.producer))
        }
        return artifacts
    }
}
