import Foundation
import Yams

/// The `patroni.yml` template's overlay on a member's typed configuration (``PatroniConfig``):
/// the rendered YAML mapping is merged into the document (mappings key by key, anything else
/// replaced, new keys appended), except where topoc owns the key (``ownedPaths``), which is a
/// located error (TTP005) rather than an override by accident.
enum PatroniOverlay {
    /// The keys topoc derives from the topology and must keep: identity and DCS, the guarantees'
    /// timing and synchronous mode, slots, addresses, credentials, access rules and tags. Setting
    /// one of them, or replacing a mapping that holds one by something else, is refused.
    static let ownedPaths: [[String]] = [
        ["scope"], ["namespace"], ["name"], ["etcd3"], ["ctl"], ["watchdog"],
        ["restapi", "listen"], ["restapi", "connect_address"], ["restapi", "authentication"], ["restapi", "certfile"],
        ["restapi", "keyfile"], ["restapi", "cafile"], ["restapi", "verify_client"],
        ["bootstrap", "dcs", "ttl"], ["bootstrap", "dcs", "loop_wait"], ["bootstrap", "dcs", "retry_timeout"],
        ["bootstrap", "dcs", "maximum_lag_on_failover"], ["bootstrap", "dcs", "synchronous_mode"],
        ["bootstrap", "dcs", "synchronous_mode_strict"], ["bootstrap", "dcs", "synchronous_node_count"],
        ["bootstrap", "dcs", "slots"], ["bootstrap", "dcs", "postgresql", "use_slots"],
        ["bootstrap", "dcs", "postgresql", "parameters", "synchronous_commit"],
        ["bootstrap", "dcs", "postgresql", "parameters", "synchronous_standby_names"],
        ["bootstrap", "post_bootstrap"], ["bootstrap", "users"],
        ["postgresql", "listen"], ["postgresql", "connect_address"], ["postgresql", "data_dir"], ["postgresql", "bin_dir"],
        ["postgresql", "pgpass"], ["postgresql", "authentication"], ["postgresql", "pg_hba"],
        ["tags", "nofailover"], ["tags", "nosync"],
    ]

    /// The document with the overlay template rendered for `member` merged in; the document as it
    /// is when the overlay is empty (the bundled one) or wrong (the error is logged for the build).
    static func apply(_ document: DeployYAML, member: PlanMember, cluster: PlanCluster, plan: Plan) -> DeployYAML {
        let context = PatroniTemplateContext(member: member, cluster: cluster, plan: plan)
        let text = TemplateSet.renderCurrent("patroni.yml", context: context, language: .yaml)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed != "{}" else { return document }
        let file = TemplateSet.current.file(of: "patroni.yml")
        do {
            guard let node = try Yams.compose(yaml: text) else { return document }
            guard case .mapping = node else {
                TemplateSet.log(error(file, node, "the overlay for member \(member.name) is not a mapping"))
                return document
            }
            var errors: [TemplateError] = []
            let merged = merge(document, node, path: [], file: file, member: member.name, errors: &errors)
            errors.forEach(TemplateSet.log)
            return errors.isEmpty ? merged : document
        } catch {
            TemplateSet.log(
                TemplateError(
                    .templateUnsafeValue, "the overlay for member \(member.name) is not YAML: \(error)", file: file, line: 1, column: 1))
            return document
        }
    }

    private static func error(_ file: String, _ node: Yams.Node, _ message: String) -> TemplateError {
        TemplateError(.templateOwnedKey, message, file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// `overlay` (a mapping node) merged into `base`.
    private static func merge(
        _ base: DeployYAML, _ overlay: Yams.Node, path: [String], file: String, member: String, errors: inout [TemplateError]
    ) -> DeployYAML {
        guard case .mapping(var entries) = base, let mapping = overlay.mapping else { return value(of: overlay) }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let keyPath = path + [key]
            let dotted = keyPath.joined(separator: ".")
            if ownedPaths.contains(where: { keyPath.starts(with: $0) }) {
                errors.append(
                    error(
                        file, keyNode,
                        "'\(dotted)' is owned by topoc (derived from the topology) and cannot be overridden (member \(member))"))
                continue
            }
            let holdsOwned = ownedPaths.contains { $0.count > keyPath.count && $0.starts(with: keyPath) }
            let index = entries.firstIndex { $0.0 == key }
            if let index, case .mapping = entries[index].1, valueNode.mapping != nil {
                entries[index].1 = merge(entries[index].1, valueNode, path: keyPath, file: file, member: member, errors: &errors)
            } else if holdsOwned {
                errors.append(error(file, keyNode, "'\(dotted)' holds keys topoc owns: set its other keys one by one (member \(member))"))
            } else if let index {
                entries[index].1 = value(of: valueNode)
            } else {
                entries.append((key, value(of: valueNode)))
            }
        }
        return .mapping(entries)
    }

    /// A YAML node as a document value: plain scalars that are booleans or integers keep their type.
    private static func value(of node: Yams.Node) -> DeployYAML {
        switch node {
        case .mapping(let mapping):
            return .mapping(mapping.map { ($0.key.string ?? "", value(of: $0.value)) })
        case .sequence(let sequence):
            return .sequence(sequence.map(value(of:)))
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .int(int) }
            }
            return .string(scalar.string)
        case .alias:
            return .string("")
        }
    }
}
