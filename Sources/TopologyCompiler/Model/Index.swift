/// An index on a table.
public struct Index: Sendable {
    /// The index's name; derived from the table and keys when omitted.
    public var name: Located<String>?
    /// The access method.
    public var method: Located<IndexMethod>
    /// The key parts: columns or expressions, in order.
    public var keys: [IndexKey]
    /// Whether the index is unique.
    public var unique: Located<Bool>?
    /// Non-key columns stored in the index (covering index).
    public var include: [Located<String>]
    /// The predicate of a partial index, SQL as written.
    public var predicate: Located<String>?
    /// Rules silenced for this index.
    public var suppressions: [Suppression]
    /// Where the index was declared.
    public var location: SourceLocation
    /// The index's previous name (`renamed_from:`), which `topoc migrate` renames instead of rebuilding.
    public var renamedFrom: Located<String>? = nil
}

/// A key part of an index.
public enum IndexKey: Sendable {
    /// A column.
    case column(Located<String>)
    /// An expression, SQL as written.
    case expression(Located<String>)

    /// Where the key part was written.
    public var location: SourceLocation {
        switch self {
        case .column(let name): name.location
        case .expression(let expression): expression.location
        }
    }
}

/// An index access method.
public enum IndexMethod: String, Sendable, CaseIterable, Codable {
    case btree
    case hash
    case gin
    case gist
    case brin
    case spgist
}
