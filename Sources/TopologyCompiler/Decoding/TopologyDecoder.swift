import Foundation

/// Decodes a composed YAML tree into a ``Topology``.
///
/// Decoding reports every problem it finds; it returns a topology only when the file has no
/// errors of shape (unknown keys, wrong types, bad names). Cross-references are checked
/// afterwards by ``ReferenceChecker``.
struct TopologyDecoder {
    let file: String
    let context: DecodingContext

    func decode(_ root: YAMLNode) -> Topology? {
        guard case .mapping = root.content else {
            context.report(
                .documentShape, "the top level of a topology must be a mapping, found \(root.kindDescription)", at: root.location)
            return nil
        }
        return context.mapping(root, section: .topology, key: nil) { reader -> Topology? in
            var languageVersion: Located<Int>?
            if let version = reader.value("version"), let value = context.int(version, key: "version", range: 1...1_000) {
                if LanguageVersion.supported.contains(value.value) {
                    languageVersion = value
                } else {
                    context.report(
                        .invalidValue,
                        "this topoc reads versions \(LanguageVersion.supported.map(String.init).joined(separator: " and ")) of the topology language, not \(value.value)",
                        at: value.location)
                }
            }
            let name = reader.required("topology").flatMap {
                context.name($0, key: "topology", kind: .sql, what: "topology name")
            }
            if let name, name.value != name.value.lowercased() {
                context.report(
                    .invalidIdentifier, "the topology name is used in database names; write it in lowercase ('\(name.value.lowercased())')",
                    at: name.location)
            }
            let postgres = reader.value("postgres").flatMap { context.int($0, key: "postgres", range: 13...17) }
            let regions = reader.value("regions").map(decodeRegions) ?? []
            let guarantees =
                reader.value("guarantees").flatMap(decodeGuarantees)
                ?? Guarantees(consistency: nil, partition: nil, rpo: nil, rto: nil, maxStaleness: nil, location: nil)
            let secrets = decodeSecrets(reader.value("secrets"))
            let roles = reader.value("roles").map(decodeRoles) ?? Roles()
            let clusters = reader.value("clusters").map(decodeClusters) ?? []
            let groups = reader.value("multi_primary").map(decodeMultiPrimary) ?? []
            var sharding = reader.value("sharding").flatMap(decodeSharding)
            if let languageVersion, sharding?.tokenPlacement == nil {
                // The version's default, located at the version that chose it.
                sharding?.tokenPlacement = LanguageVersion.defaultTokenPlacement(languageVersion.value).map {
                    Located($0, at: languageVersion.location)
                }
            }
            let pooling = decodePooling(reader.value("pooling"), at: root.location)
            let tenancy = reader.value("tenancy").flatMap(decodeTenancy)
            let tables = reader.value("tables").map(decodeTables) ?? []
            let views = reader.value("views").map(decodeViews) ?? []
            let cdc = reader.value("cdc").flatMap(decodeCDC)
            let tls = reader.value("tls").flatMap(decodeTLS)
            let backup = reader.value("backup").flatMap(decodeBackup)
            let deployment = decodeDeployment(reader.value("deployment"), at: root.location)
            let rules = reader.value("rules").map(decodeRuleSeverities) ?? []
            if clusters.isEmpty, reader.value("clusters").map(isEmptyMapping) ?? true {
                context.report(
                    .missingKey, "a topology needs at least one cluster under 'clusters'",
                    at: reader.keyLocation("clusters") ?? root.location)
            }
            guard let name else { return nil }
            var topology = Topology(
                file: file, name: name, postgresVersion: postgres ?? Located(15, at: root.location), regions: regions,
                guarantees: guarantees, secrets: secrets, clusters: clusters, multiPrimaryGroups: groups,
                sharding: sharding, pooling: pooling, tenancy: tenancy, tables: tables, views: views, cdc: cdc,
                deployment: deployment, ruleSeverities: rules)
            topology.roles = roles
            topology.tls = tls
            topology.backup = backup
            return topology
        }
    }

    // MARK: Regions, guarantees, secrets

    func decodeRegions(_ node: YAMLNode) -> [Region] {
        if case .sequence = node.content {
            return context.names(node, key: "regions", kind: .service, what: "region")
                .map { Region(name: $0, roundTrips: []) }
        }
        return context.namedEntries(node, key: "regions", kind: .service, what: "region").map { name, value in
            let trips =
                value.isNull
                ? []
                : context.mapping(value, section: .region, key: name.value) { reader in
                    reader.value("rtt").map { rtt in
                        context.namedEntries(rtt, key: "rtt", kind: .service, what: "region").compactMap { other, time in
                            context.duration(time, key: "rtt").map { (region: other, time: $0) }
                        }
                    } ?? []
                } ?? []
            return Region(name: name, roundTrips: trips)
        }
    }

    func decodeGuarantees(_ node: YAMLNode) -> Guarantees? {
        context.mapping(node, section: .guarantees, key: "guarantees") { reader in
            Guarantees(
                consistency: reader.value("consistency").flatMap {
                    context.choice($0, key: "consistency", as: ConsistencyLevel.self)
                },
                partition: reader.value("partition").flatMap {
                    context.choice($0, key: "partition", as: PartitionChoice.self)
                },
                rpo: reader.value("rpo").flatMap { context.duration($0, key: "rpo") },
                rto: reader.value("rto").flatMap { context.duration($0, key: "rto") },
                maxStaleness: reader.value("max_staleness").flatMap { context.duration($0, key: "max_staleness") },
                location: node.location)
        }
    }

    func decodeSecrets(_ node: YAMLNode?) -> Secrets {
        var references: [String: Secrets.Reference] = [:]
        let fallback = node?.location ?? SourceLocation(file: file, line: 1, column: 1)
        if let node {
            _ = context.mapping(node, section: .secrets, key: "secrets") { reader -> Void? in
                for slot in Secrets.slots {
                    guard let value = reader.value(slot.key) else { continue }
                    if case .scalar = value.content {
                        context.report(
                            .literalSecret,
                            "'\(slot.key)' takes { env: VARIABLE }: secrets are referenced by environment variable, never written here",
                            at: value.location)
                        continue
                    }
                    let variable = context.mapping(value, section: .secret, key: slot.key) { secret in
                        secret.required("env").flatMap {
                            context.name($0, key: "env", kind: .environment, what: "environment variable")
                        }
                    }
                    if let variable { references[slot.key] = Secrets.Reference(environmentVariable: variable) }
                }
                return nil
            }
        }
        func reference(_ key: String) -> Secrets.Reference {
            references[key]
                ?? Secrets.Reference(
                    environmentVariable: Located(
                        Secrets.slots.first { $0.key == key }?.defaultVariable ?? "TOPOC_SECRET", at: fallback))
        }
        return Secrets(
            superuser: reference("superuser"), replication: reference("replication"),
            application: reference("app"), restAPI: reference("rest_api"), readOnly: reference("read_only"),
            changeDataCapture: reference("cdc"), poolerAuth: reference("pooler_auth"), poolerAdmin: reference("pooler_admin"),
            rewind: reference("rewind"), multiPrimary: reference("multi_primary"), monitor: reference("monitor"))
    }

    func decodeRuleSeverities(_ node: YAMLNode) -> [RuleSeverity] {
        guard case .mapping(let pairs) = node.content else {
            context.wrongType(node, expected: "a mapping of rule codes to levels", key: "rules")
            return []
        }
        return pairs.compactMap { pair in
            guard let code = context.string(pair.key, key: nil) else { return nil }
            guard isRuleCode(code.value) else {
                context.report(.invalidValue, "'\(code.value)' is not a rule code (such as TPG101)", at: code.location)
                return nil
            }
            return context.choice(pair.value, key: code.value, as: RuleLevel.self).map {
                RuleSeverity(code: code, level: $0)
            }
        }
    }

    func isRuleCode(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 6 && scalars.prefix(3).allSatisfy { ("A"..."Z").contains($0) }
            && scalars.suffix(3).allSatisfy { ("0"..."9").contains($0) }
    }

    func decodeSuppressions(_ node: YAMLNode?) -> [Suppression] {
        guard let node, let items = context.list(node, key: "suppress") else { return [] }
        return items.compactMap { item in
            context.mapping(item, section: .suppression, key: "suppress") { reader -> Suppression? in
                let code = reader.required("rule").flatMap { context.string($0, key: "rule") }
                let reason = reader.required("reason").flatMap { context.string($0, key: "reason") }
                if let code, !isRuleCode(code.value) {
                    context.report(.invalidValue, "'\(code.value)' is not a rule code (such as TPG101)", at: code.location)
                    return nil
                }
                if let reason, reason.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    context.report(.missingKey, "a suppression needs a reason", at: reason.location)
                    return nil
                }
                guard let code, let reason else { return nil }
                return Suppression(code: code, reason: reason)
            }
        }
    }

    // MARK: Deployment

    func decodeDeployment(_ node: YAMLNode?, at fallback: SourceLocation) -> Deployment {
        var deployment = Deployment(
            localBasePort: Located(25000, at: fallback), localRunDirectory: Located(".topoc/run", at: fallback),
            localPostgresBin: nil, composePublishAddress: nil)
        guard let node else { return deployment }
        _ = context.mapping(node, section: .deployment, key: "deployment") { reader -> Void? in
            if let local = reader.value("local") {
                _ = context.mapping(local, section: .local, key: "local") { localReader -> Void? in
                    if let port = localReader.value("base_port").flatMap({ context.int($0, key: "base_port", range: 1024...60000) }) {
                        deployment.localBasePort = port
                    }
                    if let port = localReader.value("pgbouncer_port").flatMap({
                        context.int($0, key: "pgbouncer_port", range: 1024...65535)
                    }) {
                        deployment.localPgBouncerPort = port
                    }
                    if let directory = localReader.value("run_dir").flatMap({
                        context.value($0, key: "run_dir") { ValueGrammar.pathProblem($0, absolute: false) }
                    }) {
                        deployment.localRunDirectory = directory
                    }
                    if let bin = localReader.value("postgres_bin").flatMap({
                        context.value($0, key: "postgres_bin") { ValueGrammar.pathProblem($0, absolute: true) }
                    }) {
                        deployment.localPostgresBin = bin
                    }
                    return nil
                }
            }
            if let compose = reader.value("compose") {
                _ = context.mapping(compose, section: .compose, key: "compose") { composeReader -> Void? in
                    if let publish = composeReader.value("publish").flatMap({
                        context.value($0, key: "publish") {
                            ValueGrammar.isIPv4($0) ? nil : "takes the IPv4 address to publish PgBouncer on, such as 127.0.0.1"
                        }
                    }) {
                        deployment.composePublishAddress = publish
                    }
                    return nil
                }
            }
            if let kubernetes = reader.value("kubernetes") {
                deployment.kubernetes = decodeKubernetes(kubernetes)
            }
            return nil
        }
        return deployment
    }

    func isEmptyMapping(_ node: YAMLNode) -> Bool {
        if case .mapping(let pairs) = node.content { return pairs.isEmpty }
        return false
    }
}
