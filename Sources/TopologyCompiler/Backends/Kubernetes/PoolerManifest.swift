/// The CloudNativePG `Pooler`s of a cluster: one for the read-write pool, and one for the
/// read-only pool when the topology declares it, each PgBouncer in the topology's pool mode.
///
/// PgBouncer looks client roles up with topoc's own `auth_query` (the lookup function the schema
/// Job creates, docs/roles.md) as the pooler-auth role, whose Secret the Pooler names; the
/// operator's own `cnpg_pooler_pgbouncer` integration is not used.
enum PoolerManifest {
    /// The PgBouncer parameters of a pool: client limit, pool size, reserve and, where topoc sets
    /// it, `max_prepared_statements`. Every one is on CloudNativePG's list (``CNPGLimits/allowedPgBouncerParameters``), which a test keeps true.
    static func parameters(_ pooler: PlanPooler, readOnly: Bool) -> [String: String] {
        var parameters = [
            "max_client_conn": String(pooler.maxClientConnections),
            "default_pool_size": String(readOnly ? pooler.readOnlyPoolSize ?? pooler.readWritePoolSize : pooler.readWritePoolSize),
            "reserve_pool_size": String(readOnly ? pooler.readOnlyReserve ?? 0 : pooler.readWriteReserve),
        ]
        if let prepared = pooler.maxPreparedStatements { parameters["max_prepared_statements"] = String(prepared) }
        return parameters
    }

    /// The Poolers of a cluster.
    static func objects(_ cluster: PlanCluster, plan: Plan, namespace: String) -> [KubernetesObject] {
        let pools = plan.hasReadOnlyPooler(cluster) ? [false, true] : [false]
        return pools.map { readOnly in
            let pgbouncer: [(String, DeployYAML)] = [
                ("poolMode", .string(plan.pooler.mode.rawValue)),
                ("authQuerySecret", SecretReference.byName(variable: plan.secrets.poolerAuth)),
                ("authQuery", .string(RoleDDL.poolerAuthQuery)),
                (
                    "parameters",
                    .mapping(parameters(plan.pooler, readOnly: readOnly).sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
                ),
            ]
            let spec: [(String, DeployYAML)] = [
                ("cluster", .mapping([("name", .string(cluster.name))])),
                ("instances", .int(cluster.members.count > 1 ? 2 : 1)),
                ("type", .string(readOnly ? "ro" : "rw")),
                ("pgbouncer", .mapping(pgbouncer)),
            ]
            return KubernetesObject(
                apiVersion: KubernetesObject.cnpg, kind: "Pooler", name: KubernetesNames.pooler(cluster: cluster.name, readOnly: readOnly),
                namespace: namespace, body: [("spec", .mapping(spec))])
        }
    }
}
