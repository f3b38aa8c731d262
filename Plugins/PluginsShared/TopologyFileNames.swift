// One file compiled into both plugins and into TopologyCompiler (each holds a `PluginsShared`
// symlink to this folder; plugins cannot depend on library targets), so the rule that names a
// topology's generated Swift file exists once.

/// Which files are topologies, and what the generated router of each is called.
enum TopologyFileNames {
    /// Whether a file name is a topology the plugins compile: `topology.yaml` or
    /// `*.topology.yaml` (`.yml` too).
    static func isTopology(_ name: String) -> Bool {
        ["topology.yaml", "topology.yml"].contains(name) || name.hasSuffix(".topology.yaml") || name.hasSuffix(".topology.yml")
    }

    /// The generated file's name: the topology file's name without `.yaml`/`.yml`, its runs of
    /// ASCII letters and digits in UpperCamelCase, plus `.swift` (`topology.yaml` ->
    /// `Topology.swift`, `shop.topology.yaml` -> `ShopTopology.swift`); `Topology.swift` when no
    /// letter or digit is left, and a leading digit gets an underscore.
    static func generatedName(for fileName: String) -> String {
        var base = fileName
        for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
        }
        let words = base.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        var joined = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if joined.isEmpty {
            joined = "Topology"
        } else if let first = joined.first, first.isNumber {
            joined = "_" + joined
        }
        return joined + ".swift"
    }
}
