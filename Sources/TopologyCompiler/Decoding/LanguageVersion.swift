import TopologyRuntime

/// The versions of the topology language (`version:`) and what each changes. A version changes
/// only defaults that decide where data lives, so a topology keeps its meaning by keeping its
/// version, and a new topology gets the better default by starting at the newest one.
enum LanguageVersion {
    /// The versions this topoc reads.
    static let supported = [1, 2]

    /// The newest version: what `topoc init` writes.
    static let newest = 2

    /// The token placement of a consistent-hash ring that does not choose one: `nil` for
    /// version 1 (`hashed`, the placement of every ring made before version 2), `balanced` from
    /// version 2 on.
    static func defaultTokenPlacement(_ version: Int) -> RingPlacement? {
        version >= 2 ? .balanced : nil
    }
}
