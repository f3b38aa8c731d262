import Foundation
import Testing

@testable import TopologyCompiler

/// The kubernetes target references every Secret it needs by name and never writes one: no
/// `Secret` object, no password value, every reference a name (and key) of a Secret named after
/// one of the topology's secret variables, and every such Secret the deployment needs referenced.
@Suite("kubernetes secrets")
struct KubernetesSecretTests {
    /// The kubernetes manifests of an example, parsed by topoc's own YAML composer, or nil when
    /// the target refuses the example.
    static func manifests(_ example: String) throws -> [(path: String, text: String, root: YAMLNode)]? {
        let text = try String(contentsOf: PlanTestSupport.exampleURL(example), encoding: .utf8)
        guard let plan = CompilerDriver.compile(bytes: Array(text.utf8), file: example, target: .kubernetes).plan else {
            return nil
        }
        return try KubernetesBackend().artifacts(for: plan).map { artifact in
            var diagnostics: [Diagnostic] = []
            let root = YAMLComposer(file: artifact.path, limits: .default).compose(artifact.contents, diagnostics: &diagnostics)
            #expect(diagnostics.isEmpty, "\(artifact.path): \(diagnostics.map(\.rendered))")
            return (artifact.path, String(decoding: artifact.contents, as: UTF8.self), try #require(root))
        }
    }

    /// Every (key, value) pair under a node, depth first.
    static func pairs(_ node: YAMLNode) -> [(key: String, value: YAMLNode)] {
        switch node.content {
        case .mapping(let entries):
            return entries.flatMap { [($0.key.scalar ?? "", $0.value)] + pairs($0.value) }
        case .sequence(let items):
            return items.flatMap(pairs)
        case .scalar:
            return []
        }
    }

    /// The mapping's scalar value under `key`.
    static func scalar(_ node: YAMLNode, _ key: String) -> String? {
        guard case .mapping(let entries) = node.content else { return nil }
        return entries.first { $0.key.scalar == key }?.value.scalar
    }

    @Test(arguments: try PlanTestSupport.exampleNames())
    func secretsAreReferencedNeverInlined(_ example: String) throws {
        guard let manifests = try Self.manifests(example) else { return }
        let text = try String(contentsOf: PlanTestSupport.exampleURL(example), encoding: .utf8)
        let plan = try #require(PlanTestSupport.plan(text, target: .kubernetes))
        let variables =
            [plan.secrets.superuser, plan.secrets.poolerAuth, plan.secrets.multiPrimary]
            + ClusterLayout.loginSecrets(plan).map(\.variable)
        let known = Set(variables.map { KubernetesNames.secret(variable: $0) })
        var referenced: Set<String> = []
        for manifest in manifests {
            #expect(Self.scalar(manifest.root, "kind") != "Secret", "\(manifest.path) is a Secret")
            for (key, value) in Self.pairs(manifest.root) {
                switch key {
                case "stringData":
                    Issue.record("\(manifest.path): stringData")
                case "data":
                    #expect(Self.scalar(manifest.root, "kind") == "ConfigMap", "\(manifest.path): data outside a ConfigMap")
                case "superuserSecret", "authQuerySecret", "secretKeyRef", "password", "passwordSecret":
                    // A reference: a mapping of name (and key) only, naming a Secret of a topology variable.
                    guard case .mapping(let entries) = value.content else {
                        Issue.record("\(manifest.path): \(key) is not a reference")
                        continue
                    }
                    let keys = Set(entries.compactMap(\.key.scalar))
                    #expect(keys == ["name"] || keys == ["name", "key"], "\(manifest.path): \(key) has \(keys.sorted())")
                    let name = Self.scalar(value, "name") ?? ""
                    #expect(known.contains(name), "\(manifest.path): \(key) names '\(name)', not a Secret of the topology")
                    if keys.contains("key") { #expect(Self.scalar(value, "key") == SecretReference.passwordKey) }
                    referenced.insert(name)
                case "accessKeyId", "secretAccessKey", "applicationCredentials", "storageAccount", "storageKey":
                    // The object store's credentials: a name and key of the Secret the topology names.
                    guard case .mapping(let entries) = value.content else {
                        Issue.record("\(manifest.path): \(key) is not a reference")
                        continue
                    }
                    #expect(Set(entries.compactMap(\.key.scalar)) == ["name", "key"], "\(manifest.path): \(key)")
                    let name = Self.scalar(value, "name")
                    #expect(name != nil && name == plan.kubernetes?.backup?.secret, "\(manifest.path): \(key) names \(name ?? "nothing")")
                default:
                    break
                }
            }
            // Passwords reach SQL only from the environment (`\getenv`), never as literals.
            #expect(!manifest.text.contains("PASSWORD '"), "\(manifest.path) holds a password literal")
        }
        var needed = [plan.secrets.superuser, plan.secrets.poolerAuth] + ClusterLayout.loginSecrets(plan).map(\.variable)
        if !plan.multiPrimaryGroups.isEmpty { needed.append(plan.secrets.multiPrimary) }
        for variable in needed {
            #expect(referenced.contains(KubernetesNames.secret(variable: variable)), "\(example): Secret of \(variable) never referenced")
        }
    }

    /// Most examples deploy on the kubernetes target; the others are refused by TKS rules only.
    @Test func mostExamplesBuildForKubernetes() throws {
        let names = try PlanTestSupport.exampleNames()
        var built = 0
        for name in names {
            let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
            let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: .kubernetes)
            if compiled.plan != nil {
                built += 1
            } else {
                let errors = compiled.diagnostics.filter { $0.severity == .error }.map(\.code.code)
                #expect(!errors.isEmpty && errors.allSatisfy { $0.hasPrefix("TKS") }, "\(name): \(errors)")
            }
        }
        #expect(built * 2 > names.count, "only \(built) of \(names.count) examples build for kubernetes")
    }
}
