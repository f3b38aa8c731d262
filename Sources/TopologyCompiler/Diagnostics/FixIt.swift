/// A machine-applicable correction attached to a diagnostic: the YAML scalar that starts at
/// ``location`` (a key or a value, plain or quoted) is to be replaced by ``replacement``.
///
/// Every fix-it is checked by a test that applies it to the topology that triggered it and
/// validates the result clean of the diagnostic (FixItTests).
public struct FixIt: Sendable, Hashable {
    /// Where the scalar to replace starts.
    public var location: SourceLocation
    /// The text to write instead (a plain YAML scalar).
    public var replacement: String

    /// Creates a fix-it.
    public init(at location: SourceLocation, replaceWith replacement: String) {
        self.location = location
        self.replacement = replacement
    }
}
