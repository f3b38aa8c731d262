/// Bounds on the work any input can cause while it is read.
public struct ParseLimits: Sendable, Hashable {
    /// The largest file accepted, in bytes.
    public var maxBytes: Int
    /// The deepest nesting of mappings and sequences.
    public var maxDepth: Int
    /// The most nodes the document may hold once every alias is expanded.
    public var maxExpandedNodes: Int

    /// Creates limits.
    public init(maxBytes: Int, maxDepth: Int, maxExpandedNodes: Int) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxExpandedNodes = maxExpandedNodes
    }

    /// The defaults: 16 MiB, 64 levels, one million expanded nodes. Real topologies use a
    /// fraction of each (a 256-shard, 300-table topology expands to about 50,000 nodes).
    public static let `default` = ParseLimits(maxBytes: 16 << 20, maxDepth: 64, maxExpandedNodes: 1_000_000)
}
