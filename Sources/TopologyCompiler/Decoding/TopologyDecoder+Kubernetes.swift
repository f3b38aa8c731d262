extension TopologyDecoder {
    /// `deployment.kubernetes`: storage, resources and the backup object store of the kubernetes
    /// target; every value is a strict Kubernetes quantity, name or URL.
    func decodeKubernetes(_ node: YAMLNode) -> KubernetesDeployment {
        context.mapping(node, section: .kubernetes, key: "kubernetes") { reader -> KubernetesDeployment? in
            var kubernetes = KubernetesDeployment(location: node.location)
            if let storage = reader.value("storage") {
                _ = context.mapping(storage, section: .kubernetesStorage, key: "storage") { storageReader -> Void? in
                    kubernetes.storageSize = storageReader.value("size").flatMap { quantity($0, key: "size", unit: .bytes) }
                    kubernetes.storageClass = storageReader.value("class").flatMap { kubernetesName($0, key: "class") }
                    return nil
                }
            }
            if let resources = reader.value("resources") {
                _ = context.mapping(resources, section: .kubernetesResources, key: "resources") { resourcesReader -> Void? in
                    kubernetes.cpu = resourcesReader.value("cpu").flatMap { quantity($0, key: "cpu", unit: .cpu) }
                    kubernetes.memory = resourcesReader.value("memory").flatMap { quantity($0, key: "memory", unit: .bytes) }
                    kubernetes.cpuLimit = resourcesReader.value("cpu_limit").flatMap { quantity($0, key: "cpu_limit", unit: .cpu) }
                    kubernetes.memoryLimit = resourcesReader.value("memory_limit").flatMap {
                        quantity($0, key: "memory_limit", unit: .bytes)
                    }
                    return nil
                }
                for (request, limit, key) in [
                    (kubernetes.cpu, kubernetes.cpuLimit, "cpu_limit"), (kubernetes.memory, kubernetes.memoryLimit, "memory_limit"),
                ] {
                    if let request, let limit, limit.value.amount < request.value.amount {
                        context.report(
                            .invalidValue,
                            "'\(key)' \(limit.value) is below the request \(request.value): Kubernetes refuses a limit under its request",
                            at: limit.location)
                    }
                }
            }
            if let repository = reader.value("backup_repository") {
                kubernetes.backupRepository = decodeObjectStore(repository)
            }
            return kubernetes
        } ?? KubernetesDeployment(location: node.location)
    }

    /// `backup_repository: { kind: s3|gcs|azure, destination: ..., endpoint: ..., secret: ... }`.
    private func decodeObjectStore(_ node: YAMLNode) -> ObjectStoreRepository? {
        context.mapping(node, section: .objectStore, key: "backup_repository") { reader -> ObjectStoreRepository? in
            let kind = reader.required("kind").flatMap { context.choice($0, key: "kind", as: ObjectStoreKind.self) }
            let destinationNode = reader.required("destination")
            let endpoint = reader.value("endpoint").flatMap { context.value($0, key: "endpoint", problem: ValueGrammar.endpointProblem) }
            let secret = reader.value("secret").flatMap { kubernetesName($0, key: "secret") }
            guard let kind,
                let destination = destinationNode.flatMap({
                    context.value($0, key: "destination") { ValueGrammar.objectStoreDestinationProblem($0, kind: kind.value) }
                })
            else { return nil }
            return ObjectStoreRepository(kind: kind, destination: destination, endpoint: endpoint, secret: secret, location: node.location)
        }
    }

    private func quantity(_ node: YAMLNode, key: String, unit: KubernetesQuantity.Unit) -> Located<KubernetesQuantity>? {
        guard let text = context.string(node, key: key) else { return nil }
        guard let quantity = KubernetesQuantity(text.value, unit: unit) else {
            let shape =
                switch unit {
                case .cpu: "a positive CPU quantity: whole cores (2), cores with up to three decimals (1.5) or millicores (500m)"
                case .bytes: "a positive whole number with a unit suffix Ki, Mi, Gi, Ti, Pi, k, M, G, T or P, such as 20Gi"
                }
            context.report(.invalidValue, "'\(key)' must be \(shape), found \(ValueGrammar.shown(text.value))", at: text.location)
            return nil
        }
        return Located(quantity, at: text.location)
    }

    private func kubernetesName(_ node: YAMLNode, key: String) -> Located<String>? {
        context.value(node, key: key) {
            ValueGrammar.isKubernetesSubdomain($0)
                ? nil : "must be a Kubernetes name: lowercase letters, digits, '-' and '.', at most 253 characters"
        }
    }
}
