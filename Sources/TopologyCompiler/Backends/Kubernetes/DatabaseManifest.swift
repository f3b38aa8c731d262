/// The CloudNativePG `Database` of every database of the plan, owned by the NOLOGIN owner role
/// (as the cluster's initdb database is) and kept when the object is deleted.
enum DatabaseManifest {
    /// The Databases of a cluster, whose databases are `databases`.
    static func objects(_ cluster: PlanCluster, plan: Plan, namespace: String, databases: [PlanDatabase]) -> [KubernetesObject] {
        databases.map { database in
            KubernetesObject(
                apiVersion: KubernetesObject.cnpg, kind: "Database",
                name: KubernetesNames.database(cluster: cluster.name, database: database.name), namespace: namespace,
                body: [
                    (
                        "spec",
                        .mapping([
                            ("cluster", .mapping([("name", .string(cluster.name))])), ("name", .string(database.name)),
                            ("owner", .string(plan.roles.owner)), ("ensure", .string("present")),
                            ("databaseReclaimPolicy", .string("retain")),
                        ])
                    )
                ])
        }
    }
}
