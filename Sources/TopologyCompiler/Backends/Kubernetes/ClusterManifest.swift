/// The CloudNativePG `Cluster` of a physical cluster: instances, PostgreSQL parameters,
/// synchronous replication, the bootstrap database, the superuser Secret, storage, resources and
/// anti-affinity.
enum ClusterManifest {
    /// CloudNativePG's PostgreSQL image of a major version (the operator's standard image).
    static func image(postgres major: Int) -> String { "ghcr.io/cloudnative-pg/postgresql:\(major)" }

    /// The memory request of each instance when the topology sets no `shared_buffers`.
    static let defaultMemoryMiB: Int64 = 1024

    /// The object; `databases` are the cluster's.
    static func object(_ cluster: PlanCluster, plan: Plan, namespace: String, databases: [PlanDatabase]) -> KubernetesObject {
        var postgresql: [(String, DeployYAML)] = [("parameters", .mapping(parameters(cluster).map { ($0.0, .string($0.1)) }))]
        if let synchronous = synchronous(cluster) { postgresql.append(("synchronous", synchronous)) }
        var spec: [(String, DeployYAML)] = [
            ("instances", .int(cluster.members.count)),
            ("imageName", .string(image(postgres: plan.postgresVersion))),
            ("enableSuperuserAccess", .bool(true)),
            ("superuserSecret", SecretReference.byName(variable: plan.secrets.superuser)),
            ("postgresql", .mapping(postgresql)),
        ]
        if let database = databases.first {
            // The first database is made by initdb, owned by the NOLOGIN owner role; the schema
            // Job makes the others and every role (docs/kubernetes.md).
            spec.append(
                (
                    "bootstrap",
                    .mapping([("initdb", .mapping([("database", .string(database.name)), ("owner", .string(plan.roles.owner))]))])
                ))
        }
        let peers = externalClusters(of: cluster, plan: plan, namespace: namespace)
        if !peers.isEmpty { spec.append(("externalClusters", .sequence(peers))) }
        let kubernetes = plan.kubernetes ?? PlanKubernetes(storageSize: PlanKubernetes.defaultStorageSize, cpu: PlanKubernetes.defaultCPU)
        var storage: [(String, DeployYAML)] = [("size", .string(kubernetes.storageSize))]
        if let storageClass = kubernetes.storageClass { storage.append(("storageClass", .string(storageClass))) }
        spec.append(("storage", .mapping(storage)))
        spec.append(("resources", resources(cluster, kubernetes: kubernetes)))
        if let backup = kubernetes.backup { spec.append(("backup", BackupManifest.clusterBackup(backup))) }
        var affinity: [(String, DeployYAML)] = [
            ("enablePodAntiAffinity", .bool(true)),
            ("podAntiAffinityType", .string("required")),
            ("topologyKey", .string("kubernetes.io/hostname")),
        ]
        let regions = Set(cluster.members.compactMap(\.region))
        if regions.count == 1, let region = regions.first, cluster.members.allSatisfy({ $0.region != nil }) {
            affinity.append(("nodeSelector", .mapping([("topology.kubernetes.io/region", .string(region))])))
        }
        spec.append(("affinity", .mapping(affinity)))
        return KubernetesObject(
            apiVersion: KubernetesObject.cnpg, kind: "Cluster", name: cluster.name, namespace: namespace, body: [("spec", .mapping(spec))])
    }

    /// Requests and limits: the declared ones, else a CPU and four times `shared_buffers` of
    /// memory (at least 1Gi, at most a declared memory limit); the memory limit is the request
    /// unless declared, the CPU is not limited unless declared.
    static func resources(_ cluster: PlanCluster, kubernetes: PlanKubernetes) -> DeployYAML {
        let memory: String
        if let declared = kubernetes.memory {
            memory = declared
        } else {
            let derived = memoryMiB(cluster)
            let cap = kubernetes.memoryLimit.flatMap { KubernetesQuantity($0, unit: .bytes) }.map { $0.amount / 1_048_576 }
            memory = cap.map { $0 < derived ? kubernetes.memoryLimit ?? "\(derived)Mi" : "\(derived)Mi" } ?? "\(derived)Mi"
        }
        var limits: [(String, DeployYAML)] = []
        if let cpuLimit = kubernetes.cpuLimit { limits.append(("cpu", .string(cpuLimit))) }
        limits.append(("memory", .string(kubernetes.memoryLimit ?? memory)))
        return .mapping([
            ("requests", .mapping([("cpu", .string(kubernetes.cpu)), ("memory", .string(memory))])),
            ("limits", .mapping(limits)),
        ])
    }

    /// The PostgreSQL parameters: the cluster's settings and the guarantees' `synchronous_commit`,
    /// sorted by name. CloudNativePG writes `synchronous_standby_names` from ``synchronous(_:)``.
    static func parameters(_ cluster: PlanCluster) -> [(String, String)] {
        var parameters = cluster.settings
        parameters["synchronous_commit"] = cluster.decided.synchronousCommit
        return parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `postgresql.synchronous` from the guarantees' decisions: quorum (`any`) over the
    /// replicas, as many as Patroni's `synchronous_node_count`, data durability `required` when
    /// the mode is strict (commits wait rather than run without a synchronous standby).
    static func synchronous(_ cluster: PlanCluster) -> DeployYAML? {
        let decided = cluster.decided
        guard decided.synchronousMode, cluster.members.count > 1 else { return nil }
        let number = decided.synchronousNodeCount
        let strict = decided.synchronousModeStrict
        return .mapping([
            ("method", .string("any")), ("number", .int(min(number, cluster.members.count - 1))),
            ("dataDurability", .string(strict ? "required" : "preferred")),
        ])
    }

    /// The memory of each instance: four times `shared_buffers` (PostgreSQL's guidance of a
    /// quarter of the memory), at least the default.
    static func memoryMiB(_ cluster: PlanCluster) -> Int64 {
        guard let text = cluster.settings["shared_buffers"], let bytes = byteCount(text) else { return defaultMemoryMiB }
        return max(defaultMemoryMiB, (bytes * 4 + 1_048_575) / 1_048_576)
    }

    /// Bytes of a PostgreSQL memory value as topoc writes it (`512MB`, `4GB`, `64kB`).
    static func byteCount(_ text: String) -> Int64? {
        let digits = text.prefix { $0.isNumber }
        guard let value = Int64(digits) else { return nil }
        let unit = text.dropFirst(digits.count)
        let scale: Int64? =
            switch unit {
            case "", "B": 1
            case "kB": 1024
            case "MB": 1024 * 1024
            case "GB": 1024 * 1024 * 1024
            case "TB": 1024 * 1024 * 1024 * 1024
            default: nil
            }
        guard let scale else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }

    /// The peers a cluster subscribes to (multi-primary links), reached at their `-rw` service as
    /// the multi-primary role with the password from its Secret.
    static func externalClusters(of cluster: PlanCluster, plan: Plan, namespace: String) -> [DeployYAML] {
        var result: [DeployYAML] = []
        for group in plan.multiPrimaryGroups {
            for link in group.links where link.subscriber == cluster.name {
                result.append(
                    .mapping([
                        ("name", .string(link.publisher)),
                        (
                            "connectionParameters",
                            .mapping([
                                ("host", .string(KubernetesNames.serviceHost("\(link.publisher)-rw", namespace: namespace))),
                                ("port", .string("5432")), ("dbname", .string(group.database)),
                                ("user", .string(plan.roles.multiPrimary)),
                            ])
                        ),
                        ("password", SecretReference.passwordKey(variable: plan.secrets.multiPrimary)),
                    ]))
            }
        }
        return result
    }
}
