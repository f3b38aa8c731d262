extension TopologyDecoder {
    func decodePooling(_ node: YAMLNode?, at fallback: SourceLocation) -> Pooling {
        // A default is located where its section is written, else at the top of the file, so a
        // finding about a defaulted setting points at the section that leaves it out.
        func defaulted(at location: SourceLocation) -> Pooling {
            Pooling(
                mode: Located(.transaction, at: location), maxClientConnections: Located(1000, at: location),
                readWrite: Pool(size: Located(15, at: location), reserve: Located(0, at: location)), readOnly: nil,
                sessionFeatures: [], declaredVersion: nil, location: nil)
        }
        guard let node else { return defaulted(at: fallback) }
        let defaults = defaulted(at: node.location)
        return context.mapping(node, section: .pooling, key: "pooling") { reader in
            var pooling = Pooling(
                mode: reader.value("mode").flatMap { context.choice($0, key: "mode", as: PoolMode.self) }
                    ?? defaults.mode,
                maxClientConnections: reader.value("max_client_conn").flatMap {
                    context.int($0, key: "max_client_conn", range: 1...1_000_000)
                } ?? defaults.maxClientConnections,
                readWrite: reader.value("read_write").flatMap { decodePool($0, key: "read_write") } ?? defaults.readWrite,
                readOnly: reader.value("read_only").flatMap { decodePool($0, key: "read_only") },
                sessionFeatures: reader.value("session_features").map(decodeSessionFeatures) ?? [],
                declaredVersion: reader.value("pgbouncer_version").flatMap(decodePgBouncerVersion),
                location: node.location)
            pooling.suppressions = decodeSuppressions(reader.value("suppress"))
            return pooling
        } ?? defaults
    }

    func decodePgBouncerVersion(_ node: YAMLNode) -> Located<PgBouncerVersion>? {
        guard let text = context.string(node, key: "pgbouncer_version") else { return nil }
        guard let version = PgBouncerVersion(parsing: text.value) else {
            context.report(
                .invalidValue, "'pgbouncer_version' must be a PgBouncer release such as 1.18 or 1.21.0, found '\(text.value)'",
                at: text.location)
            return nil
        }
        return Located(version, at: text.location)
    }

    func decodePool(_ node: YAMLNode, key: String) -> Pool? {
        context.mapping(node, section: .pool, key: key) { reader in
            guard let size = reader.required("pool_size").flatMap({ context.int($0, key: "pool_size", range: 1...10_000) })
            else { return nil }
            let reserve = reader.value("reserve").flatMap { context.int($0, key: "reserve", range: 0...10_000) }
            return Pool(size: size, reserve: reserve ?? Located(0, at: size.location))
        }
    }

    func decodeTenancy(_ node: YAMLNode) -> Tenancy? {
        context.mapping(node, section: .tenancy, key: "tenancy") { reader -> Tenancy? in
            decodeTenancy(reader: &reader, at: node.location)
        }
    }

    private func decodeTenancy(reader: inout MappingReader, at location: SourceLocation) -> Tenancy? {
        let mode = reader.required("mode").flatMap { context.choice($0, key: "mode", as: TenancyMode.self) }
        let column = reader.value("column").flatMap { context.name($0, key: "column", kind: .sql, what: "tenant column") }
        let tenantColumnType = reader.value("column_type").flatMap { columnType($0, key: "column_type") }
        let role = reader.value("app_role").flatMap { context.name($0, key: "app_role", kind: .sql, what: "role") }
        let tenants =
            reader.value("tenants").map {
                context.names($0, key: "tenants", kind: .sql, what: "tenant")
            } ?? []
        var prefix: Located<String>?
        if let node = reader.value("prefix"), let text = context.string(node, key: "prefix") {
            prefix = text.value.isEmpty ? text : context.checkName(text, kind: .sql, what: "prefix")
        }
        let shared =
            reader.value("shared_tables").map {
                context.names($0, key: "shared_tables", kind: .sql, what: "table")
            } ?? []
        guard let mode else { return nil }
        if mode.value == .sharedSchema {
            if column == nil, reader.keyLocation("column") == nil {
                context.report(.missingKey, "shared-schema tenancy needs 'column', the tenant column", at: mode.location)
            }
        } else {
            for key in ["column", "column_type"] {
                if let location = reader.keyLocation(key) {
                    context.report(
                        .inapplicableKey, "'\(key)' applies only to shared-schema tenancy", at: location,
                        notes: [.init("mode chosen here", at: mode.location)])
                }
            }
        }
        var tenancy = Tenancy(
            mode: mode, column: column,
            columnType: tenantColumnType ?? column.map { Located(ColumnType(base: "text"), at: $0.location) },
            applicationRole: role ?? Located("app", at: location), tenants: tenants,
            namePrefix: prefix ?? Located("tenant_", at: location), sharedTables: shared,
            location: location)
        tenancy.suppressions = decodeSuppressions(reader.value("suppress"))
        return tenancy
    }

    func columnType(_ node: YAMLNode, key: String) -> Located<ColumnType>? {
        guard let text = context.string(node, key: key) else { return nil }
        guard let type = ColumnType(parsing: text.value) else {
            let hint = Suggestions.hint(for: text.value, in: ColumnType.knownSpellings)
            context.report(
                .unknownColumnType, "unknown column type '\(text.value)'\(hint)", at: text.location,
                fixIt: Suggestions.fixIt(for: text, in: ColumnType.knownSpellings))
            return nil
        }
        return Located(type, at: text.location)
    }

    func decodeSessionFeatures(_ node: YAMLNode) -> [Located<SessionFeature>] {
        var result: [Located<SessionFeature>] = []
        for item in context.list(node, key: "session_features") ?? [] {
            guard let feature = context.choice(item, key: "session_features", as: SessionFeature.self) else { continue }
            if let first = result.first(where: { $0.value == feature.value }) {
                context.report(
                    .duplicateName, "session feature '\(feature.value.rawValue)' is listed twice", at: feature.location,
                    notes: [.init("first listed here", at: first.location)])
                continue
            }
            result.append(feature)
        }
        return result
    }
}
