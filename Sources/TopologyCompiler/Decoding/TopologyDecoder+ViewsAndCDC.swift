extension TopologyDecoder {
    func decodeViews(_ node: YAMLNode) -> [View] {
        context.namedEntries(node, key: "views", kind: .sql, what: "view name").compactMap { name, value in
            context.mapping(value, section: .view, key: name.value) { reader -> View? in
                let materialized = reader.value("materialized").flatMap { context.bool($0, key: "materialized") }
                let query = reader.required("query").flatMap { context.sql($0, key: "query") }
                let uniqueKey =
                    reader.value("unique_key").map {
                        context.names($0, key: "unique_key", kind: .sql, what: "column", singleAllowed: true)
                    } ?? []
                var schedule: Located<CronSchedule>?
                var concurrently: Located<Bool>?
                if let refresh = reader.value("refresh") {
                    _ = context.mapping(refresh, section: .refresh, key: "refresh") { refreshReader -> Void? in
                        schedule = refreshReader.value("schedule").flatMap { node in
                            guard let text = context.string(node, key: "schedule") else { return nil }
                            guard let cron = CronSchedule(parsing: text.value) else {
                                context.report(
                                    .invalidQuantity,
                                    "'\(text.value)' is not a cron schedule (five fields, such as '0 * * * *', or @hourly)",
                                    at: text.location)
                                return nil
                            }
                            return Located(cron, at: text.location)
                        }
                        concurrently = refreshReader.value("concurrently").flatMap { context.bool($0, key: "concurrently") }
                        return nil
                    }
                    if materialized?.value != true {
                        context.report(
                            .inapplicableKey, "'refresh' applies only to materialized views; add 'materialized: true'",
                            at: reader.keyLocation("refresh") ?? refresh.location)
                    }
                }
                guard let query else { return nil }
                return View(
                    name: name, materialized: materialized ?? Located(false, at: name.location), query: query,
                    uniqueKey: uniqueKey, refreshSchedule: schedule, refreshConcurrently: concurrently,
                    suppressions: decodeSuppressions(reader.value("suppress")))
            }
        }
    }

    func decodeCDC(_ node: YAMLNode) -> ChangeDataCapture? {
        context.mapping(node, section: .cdc, key: "cdc") { reader -> ChangeDataCapture? in
            let publication = reader.value("publication").flatMap {
                context.name($0, key: "publication", kind: .sql, what: "publication")
            }
            let slot = reader.value("slot").flatMap { node -> Located<String>? in
                guard let name = context.name(node, key: "slot", kind: .sql, what: "replication slot") else { return nil }
                // Replication slot names may only contain lower case letters, numbers and underscores.
                guard name.value == name.value.lowercased() else {
                    context.report(
                        .invalidIdentifier, "replication slot names use lowercase letters, digits and underscores only", at: name.location)
                    return nil
                }
                return name
            }
            let plugin = reader.value("plugin").flatMap { context.choice($0, key: "plugin", as: DecodingPlugin.self) }
            let sink = reader.value("sink").flatMap { node in
                context.mapping(node, section: .sink, key: "sink") { sinkReader -> DebeziumSink? in
                    let prefix = sinkReader.required("topic_prefix").flatMap {
                        context.value($0, key: "topic_prefix", problem: ValueGrammar.topicPrefixProblem)
                    }
                    let mode = sinkReader.value("snapshot_mode").flatMap {
                        context.choice($0, key: "snapshot_mode", as: SnapshotMode.self)
                    }
                    let servers = sinkReader.value("bootstrap_servers").flatMap {
                        context.value($0, key: "bootstrap_servers", problem: ValueGrammar.hostPortListProblem)
                    }
                    return prefix.map {
                        DebeziumSink(
                            topicPrefix: $0, snapshotMode: mode ?? Located(.initial, at: node.location),
                            bootstrapServers: servers, location: node.location)
                    }
                }
            }
            let audit = reader.value("audit_table").flatMap {
                context.name($0, key: "audit_table", kind: .sql, what: "audit table")
            }
            let tables = reader.required("tables").map(decodeCapturedTables) ?? []
            return ChangeDataCapture(
                publication: publication ?? Located("topoc_publication", at: node.location),
                slot: slot ?? Located("topoc_slot", at: node.location),
                plugin: plugin ?? Located(.pgoutput, at: node.location), sink: sink,
                auditTable: audit ?? Located("audit_log", at: node.location), tables: tables, location: node.location)
        }
    }

    func decodeCapturedTables(_ node: YAMLNode) -> [CapturedTable] {
        context.namedEntries(node, key: "tables", kind: .sql, what: "table").compactMap { table, value in
            decodeCapturedTable(table, value)
        }
    }

    private func decodeCapturedTable(_ table: Located<String>, _ value: YAMLNode) -> CapturedTable? {
        if case .scalar = value.content {
            return context.choice(value, key: table.value, as: CaptureMethod.self).map {
                CapturedTable(table: table, method: $0, replicaIdentity: nil, suppressions: [])
            }
        }
        return context.mapping(value, section: .capturedTable, key: table.value) { reader -> CapturedTable? in
            let method = reader.required("method").flatMap {
                context.choice($0, key: "method", as: CaptureMethod.self)
            }
            let identity = reader.value("replica_identity").flatMap {
                context.choice($0, key: "replica_identity", as: ReplicaIdentity.self)
            }
            if let identity, method?.value == .trigger {
                context.report(.inapplicableKey, "'replica_identity' applies only to logical capture", at: identity.location)
            }
            let suppressions = decodeSuppressions(reader.value("suppress"))
            guard let method else { return nil }
            return CapturedTable(table: table, method: method, replicaIdentity: identity, suppressions: suppressions)
        }
    }
}
