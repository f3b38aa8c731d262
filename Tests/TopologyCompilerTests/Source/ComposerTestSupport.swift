import Testing

@testable import TopologyCompiler

/// Helpers for the composer tests.
enum ComposerKit {
    static let file = "compose-test.yaml"

    /// Composes a text with the composer alone (no decoding).
    static func compose(_ text: String, limits: ParseLimits = .default) -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let root = YAMLComposer(file: file, limits: limits).compose(Array(text.utf8), diagnostics: &diagnostics)
        return (root, diagnostics)
    }

    /// The value of `key` in a mapping node.
    static func value(_ node: YAMLNode?, _ key: String) -> YAMLNode? {
        guard let node, case .mapping(let pairs) = node.content else { return nil }
        return pairs.first { $0.key.scalar == key }?.value
    }

    /// The keys of a mapping node, in order.
    static func keys(_ node: YAMLNode?) -> [String] {
        guard let node, case .mapping(let pairs) = node.content else { return [] }
        return pairs.compactMap(\.key.scalar)
    }

    /// Follows a path of mapping keys from the root.
    static func value(_ root: YAMLNode?, path: [String]) -> YAMLNode? {
        path.reduce(root) { node, key in value(node, key) }
    }

    /// Runs `body` and returns its result with the time it took.
    static func timed<T>(_ body: () -> T) -> (T, Duration) {
        let clock = ContinuousClock()
        var result: T?
        let elapsed = clock.measure { result = body() }
        return (result!, elapsed)
    }

    /// The classic "billion laughs" levels: `x-l0: &l0 lol`, then nine levels of ten aliases each.
    static func laughs(levels: Int = 9, prefix: String = "x-") -> String {
        var text = "\(prefix)l0: &l0 lol\n"
        for level in 1...levels {
            let items = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ",")
            text += "\(prefix)l\(level): &l\(level) [\(items)]\n"
        }
        return text
    }

    /// The same bomb made of mappings (each level maps ten keys to the previous level), usable as a merge source.
    static func mappingLaughs(levels: Int = 9) -> String {
        var text = "x-m0: &m0 { k0: v, k1: v, k2: v, k3: v, k4: v, k5: v, k6: v, k7: v, k8: v, k9: v }\n"
        for level in 1...levels {
            let items = (0..<10).map { "k\($0): *m\(level - 1)" }.joined(separator: ", ")
            text += "x-m\(level): &m\(level) { \(items) }\n"
        }
        return text
    }
}
