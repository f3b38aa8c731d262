/// CloudNativePG `Publication`s: the change-data-capture publication of each database whose
/// published tables all live in `public`, and each multi-primary group's publication on every
/// member cluster. They name the same tables (and `publish_via_partition_root`) as the schema
/// scripts, which create them too, so the operator and the scripts agree.
///
/// A schema-per-tenant database's publication is left to the scripts: it grows as tenants are
/// onboarded, and an object naming today's tables would make the operator drop tomorrow's.
enum PublicationManifest {
    /// The Publications of a cluster.
    static func objects(_ cluster: PlanCluster, plan: Plan, namespace: String) -> [KubernetesObject] {
        var objects: [KubernetesObject] = []
        let tenantSchemas = DatabaseScope.isSchemaPerTenant(plan)
        for publication in plan.replication.publications where publication.cluster == cluster.name {
            guard let database = plan.databases.first(where: { $0.name == publication.database }) else { continue }
            if tenantSchemas && database.kind != .vertical { continue }
            var tables = publication.tables
            let hasConnector = plan.replication.slots.contains { $0.database == publication.database && $0.cluster == cluster.name }
            if hasConnector { tables.append(DebeziumCatalog.heartbeatTable) }
            objects.append(
                object(
                    cluster: cluster.name, database: publication.database, name: publication.name, tables: tables,
                    viaRoot: publication.publishViaPartitionRoot, namespace: namespace))
        }
        for group in plan.multiPrimaryGroups where group.clusters.contains(cluster.name) {
            let held = Set(plan.databases.first { $0.cluster == cluster.name && $0.name == group.database }?.tables ?? [])
            let tables = group.tables.filter(held.contains)
            objects.append(
                object(
                    cluster: cluster.name, database: group.database, name: group.publication, tables: tables, viaRoot: true,
                    namespace: namespace))
        }
        return objects
    }

    private static func object(
        cluster: String, database: String, name: String, tables: [String], viaRoot: Bool, namespace: String
    ) -> KubernetesObject {
        let objects: [DeployYAML] = tables.map { table in
            .mapping([("table", .mapping([("schema", .string("public")), ("name", .string(table))]))])
        }
        return KubernetesObject(
            apiVersion: KubernetesObject.cnpg, kind: "Publication",
            name: KubernetesNames.publication(cluster: cluster, database: database, publication: name), namespace: namespace,
            body: [
                (
                    "spec",
                    .mapping([
                        ("cluster", .mapping([("name", .string(cluster))])), ("name", .string(name)),
                        ("dbname", .string(database)), ("target", .mapping([("objects", .sequence(objects))])),
                        ("parameters", .mapping([("publish_via_partition_root", .string(viaRoot ? "true" : "false"))])),
                        ("publicationReclaimPolicy", .string("retain")),
                    ])
                )
            ])
    }
}
