import Foundation
import TopologyCompiler

/// The Patroni part of the live check: `GET /config` of each cluster against the dynamic
/// configuration the plan gives Patroni (`bootstrap.dcs`, the body of `dynamic-config.json`),
/// compared leaf by leaf; a parameter or permanent slot in `/config` that the plan lacks is drift.
struct LivePatroniCheck {
    let plan: Plan
    let locator: LiveLocator
    let target: LiveTarget

    func run() -> LiveCheckPart {
        var part = LiveCheckPart(name: "Patroni /config")
        if target.reachesPostgreSQLOnly {
            part.headline = "not checked (--dsn reaches PostgreSQL only)"
            return part
        }
        for cluster in plan.clusters {
            guard let access = target.clusters[cluster.name], !access.restPorts.isEmpty else { continue }
            let scope = LiveScope(cluster: cluster.name)
            guard let document = Self.fetch(restPorts: access.restPorts, tls: target.restTLS) else {
                part.skip(scope, "no member answers GET /config", at: locator.cluster(cluster.template))
                continue
            }
            var planned: [(String, DeployYAML)] = []
            Self.flatten(.mapping(PatroniConfig.dcs(cluster: cluster, plan: plan)), path: "", into: &planned)
            var running: [(String, Any)] = []
            Self.flatten(document, path: "", into: &running)
            let values = Dictionary(running, uniquingKeysWith: { first, _ in first })
            var expected: [LiveExpectation] = []
            var observed: [LiveObservation] = []
            for (path, value) in planned {
                let fact = LiveFact(.patroniConfig, scope, path)
                let wanted = Self.text(value)
                expected.append(LiveExpectation(fact, wanted, at: location(path, cluster: cluster)))
                if let found = values[path] {
                    observed.append(LiveObservation(fact, Self.matches(value, found) ? wanted : Self.text(found)))
                }
            }
            for (path, value) in running where path.hasPrefix("postgresql.parameters.") || path.hasPrefix("slots.") {
                if !planned.contains(where: { $0.0 == path }) {
                    observed.append(LiveObservation(LiveFact(.patroniConfig, scope, path), Self.text(value)))
                }
            }
            part.compare(expected, observed, scopes: [scope], extras: [.patroniConfig]) { location($0.fact.key, cluster: cluster) }
        }
        return part
    }

    /// The topology line a configuration path comes from.
    private func location(_ path: String, cluster: PlanCluster) -> SourceLocation {
        let parameters = "postgresql.parameters."
        if path.hasPrefix(parameters) { return locator.setting(cluster.template, String(path.dropFirst(parameters.count))) }
        if path.hasPrefix("slots.") { return locator.slot(String(path.dropFirst(6).split(separator: ".").first ?? "")) }
        return locator.cluster(cluster.template)
    }

    /// `GET /config` from the first member that answers.
    static func fetch(restPorts: [Int], tls: LoopbackTLS? = nil) -> [String: Any]? {
        for port in restPorts {
            guard let response = LoopbackHTTP.get(port: port, path: "/config", timeout: 2, tls: tls), response.status == 200,
                let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            else { continue }
            return object
        }
        return nil
    }

    /// The leaves of the planned document by dotted path.
    static func flatten(_ value: DeployYAML, path: String, into leaves: inout [(String, DeployYAML)]) {
        switch value {
        case .mapping(let entries) where isSlot(path):
            // A permanent slot is one fact: its properties, sorted.
            leaves.append((path, .string(entries.map { "\($0.0)=\(text($0.1))" }.sorted().joined(separator: ", "))))
        case .mapping(let entries):
            for (key, child) in entries { flatten(child, path: path.isEmpty ? key : "\(path).\(key)", into: &leaves) }
        default:
            leaves.append((path, value))
        }
    }

    /// The leaves of the running document by dotted path.
    static func flatten(_ value: Any, path: String, into leaves: inout [(String, Any)]) {
        if let object = value as? [String: Any], isSlot(path) {
            leaves.append((path, object.map { "\($0.key)=\(text($0.value))" }.sorted().joined(separator: ", ")))
        } else if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                flatten(object[key] as Any, path: path.isEmpty ? key : "\(path).\(key)", into: &leaves)
            }
        } else {
            leaves.append((path, value))
        }
    }

    /// Whether a path names one permanent slot (`slots.NAME`).
    static func isSlot(_ path: String) -> Bool {
        path.hasPrefix("slots.") && path.split(separator: ".", omittingEmptySubsequences: false).count == 2
    }

    /// A planned leaf as text.
    static func text(_ value: DeployYAML) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .sequence(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .mapping: "{}"
        }
    }

    /// A running leaf as text.
    static func text(_ value: Any) -> String {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        case let items as [Any]: "[" + items.map { text($0) }.joined(separator: ", ") + "]"
        case is NSNull: "null"
        default: "\(value)"
        }
    }

    /// Whether a running leaf holds the planned value (Patroni may store a number as a string and
    /// the reverse; JSON booleans come back as numbers on Linux).
    static func matches(_ planned: DeployYAML, _ running: Any) -> Bool {
        switch planned {
        case .bool(let flag):
            if let text = running as? String { return LiveSettingValue.boolean(text) == flag }
            return (running as? NSNumber)?.boolValue == flag
        case .int(let number):
            if let text = running as? String { return Int64(text) == number }
            return (running as? NSNumber)?.int64Value == number
        default:
            return text(planned) == text(running)
        }
    }
}
