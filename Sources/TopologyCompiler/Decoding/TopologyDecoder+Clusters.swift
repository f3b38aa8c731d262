extension TopologyDecoder {
    func decodeClusters(_ node: YAMLNode) -> [Cluster] {
        context.namedEntries(node, key: "clusters", kind: .service, what: "cluster name").compactMap { name, value in
            context.mapping(value, section: .cluster, key: name.value) { reader -> Cluster? in
                let defaultRegion = reader.value("region").flatMap {
                    context.name($0, key: "region", kind: .service, what: "region")
                }
                let members = decodeMembers(reader.required("members"), defaultRegion: defaultRegion)
                let replication = decodeReplication(reader.value("replication"), at: name.location)
                let failover = decodeFailover(reader.value("failover"), at: name.location)
                let settings = decodeSettings(reader.value("settings"))
                let suppressions = decodeSuppressions(reader.value("suppress"))
                guard !members.isEmpty else { return nil }
                return Cluster(
                    name: name, members: members, replication: replication, failover: failover,
                    settings: settings, suppressions: suppressions)
            }
        }
    }

    func decodeMembers(_ node: YAMLNode?, defaultRegion: Located<String>?) -> [Member] {
        guard let node else { return [] }
        if case .scalar = node.content {
            guard let count = context.int(node, key: "members", range: 1...16) else { return [] }
            return (0..<count.value).map { _ in
                Member(region: defaultRegion, noFailover: false, location: node.location)
            }
        }
        guard let items = context.list(node, key: "members") else { return [] }
        if items.isEmpty {
            context.report(.invalidValue, "a cluster needs at least one member", at: node.location)
        }
        if items.count > 16 {
            context.report(.invalidValue, "'members' must be between 1 and 16, found \(items.count)", at: node.location)
            return []
        }
        return items.compactMap { item in
            context.mapping(item, section: .member, key: "members") { reader in
                let region =
                    reader.value("region").flatMap {
                        context.name($0, key: "region", kind: .service, what: "region")
                    } ?? defaultRegion
                let noFailover = reader.value("nofailover").flatMap { context.bool($0, key: "nofailover") }?.value ?? false
                return Member(region: region, noFailover: noFailover, location: item.location)
            }
        }
    }

    func decodeReplication(_ node: YAMLNode?, at fallback: SourceLocation) -> Replication {
        let asynchronous = Replication(
            mode: Located(.asynchronous, at: fallback), syncCount: nil, strict: nil, maximumLagOnFailover: nil)
        guard let node else { return asynchronous }
        return context.mapping(node, section: .replication, key: "replication") { reader in
            Replication(
                mode: reader.required("mode").flatMap { context.choice($0, key: "mode", as: ReplicationMode.self) }
                    ?? Located(.asynchronous, at: node.location),
                syncCount: reader.value("sync_count").flatMap { context.int($0, key: "sync_count", range: 1...15) },
                strict: reader.value("strict").flatMap { context.bool($0, key: "strict") },
                maximumLagOnFailover: reader.value("max_lag_on_failover").flatMap {
                    context.size($0, key: "max_lag_on_failover")
                })
        } ?? asynchronous
    }

    func decodeFailover(_ node: YAMLNode?, at fallback: SourceLocation) -> Failover {
        var failover = Failover(
            ttl: Located(.seconds(30), at: fallback), loopWait: Located(.seconds(10), at: fallback),
            retryTimeout: Located(.seconds(10), at: fallback), watchdog: Located(.off, at: fallback), declared: false)
        guard let node else { return failover }
        failover.declared = true
        _ = context.mapping(node, section: .failover, key: "failover") { reader -> Void? in
            if let ttl = reader.value("ttl").flatMap({ context.duration($0, key: "ttl") }) { failover.ttl = ttl }
            if let wait = reader.value("loop_wait").flatMap({ context.duration($0, key: "loop_wait") }) {
                failover.loopWait = wait
            }
            if let retry = reader.value("retry_timeout").flatMap({ context.duration($0, key: "retry_timeout") }) {
                failover.retryTimeout = retry
            }
            if let watchdog = reader.value("watchdog").flatMap({ context.choice($0, key: "watchdog", as: WatchdogMode.self) }) {
                failover.watchdog = watchdog
            }
            return nil
        }
        return failover
    }

    func decodeSettings(_ node: YAMLNode?) -> PostgresSettings {
        let empty = PostgresSettings(maxConnections: nil, maxWalSenders: nil, maxReplicationSlots: nil, sharedBuffers: nil)
        guard let node else { return empty }
        return context.mapping(node, section: .settings, key: "settings") { reader in
            PostgresSettings(
                maxConnections: reader.value("max_connections").flatMap {
                    context.int($0, key: "max_connections", range: 1...262_143)
                },
                maxWalSenders: reader.value("max_wal_senders").flatMap {
                    context.int($0, key: "max_wal_senders", range: 0...262_143)
                },
                maxReplicationSlots: reader.value("max_replication_slots").flatMap {
                    context.int($0, key: "max_replication_slots", range: 0...262_143)
                },
                sharedBuffers: reader.value("shared_buffers").flatMap { context.size($0, key: "shared_buffers") },
                maxSlotWalKeepSize: reader.value("max_slot_wal_keep_size").flatMap {
                    context.size($0, key: "max_slot_wal_keep_size")
                },
                maxLocksPerTransaction: reader.value("max_locks_per_transaction").flatMap {
                    context.int($0, key: "max_locks_per_transaction", range: 10...1_000_000)
                })
        } ?? empty
    }

    func decodeMultiPrimary(_ node: YAMLNode) -> [MultiPrimaryGroup] {
        context.namedEntries(node, key: "multi_primary", kind: .service, what: "multi-primary group").compactMap { name, value in
            context.mapping(value, section: .multiPrimaryGroup, key: name.value) { reader in
                var group = MultiPrimaryGroup(
                    name: name,
                    clusters: reader.required("clusters").map {
                        context.names($0, key: "clusters", kind: .service, what: "cluster", atLeastOne: true)
                    } ?? [],
                    conflictPolicy: reader.value("conflict").flatMap {
                        context.choice($0, key: "conflict", as: ConflictPolicy.self)
                    },
                    timestampColumn: reader.value("timestamp_column").flatMap {
                        context.name($0, key: "timestamp_column", kind: .sql, what: "column")
                    })
                group.suppressions = decodeSuppressions(reader.value("suppress"))
                return group
            }
        }
    }
}
