import TopologyRuntime

/// The entries of one table that a generated router embeds as packed text (``PackedTable``),
/// with the Swift type the table has and the runtime reader that unpacks it.
enum PackedTableValues {
    /// Strings (names, hosts, databases).
    case strings([String])
    /// Optional strings (a member's region).
    case optionalStrings([String?])
    /// Integers (ports, member counts).
    case integers([Int])
    /// Booleans (member flags).
    case booleans([Bool])
    /// Cases of the generated enum `type` by position (raw value), read through `type.byIndex`.
    case cases([Int], type: String)

    /// What a table holds, without its entries: the one source of each table's Swift type.
    enum Kind: Equatable {
        /// Strings.
        case strings
        /// Optional strings.
        case optionalStrings
        /// Integers.
        case integers
        /// Booleans.
        case booleans
        /// Cases of the generated enum `type`.
        case cases(type: String)

        /// The Swift type of a table of this kind (`[String]`, `[Cluster]`).
        var swiftType: String {
            switch self {
            case .strings: "[String]"
            case .optionalStrings: "[String?]"
            case .integers: "[Int]"
            case .booleans: "[Bool]"
            case .cases(let type): "[\(type)]"
            }
        }
    }

    /// What the table holds.
    var kind: Kind {
        switch self {
        case .strings: .strings
        case .optionalStrings: .optionalStrings
        case .integers: .integers
        case .booleans: .booleans
        case .cases(_, let type): .cases(type: type)
        }
    }

    /// The table's Swift type (`[String]`, `[Cluster]`).
    var swiftType: String { kind.swiftType }

    /// The number of entries.
    var count: Int {
        switch self {
        case .strings(let values): values.count
        case .optionalStrings(let values): values.count
        case .integers(let values): values.count
        case .booleans(let values): values.count
        case .cases(let positions, _): positions.count
        }
    }

    /// The runtime function that reads the table (`PackedTable.strings`).
    var reader: String {
        switch self {
        case .strings: "PackedTable.strings"
        case .optionalStrings: "PackedTable.optionalStrings"
        case .integers: "PackedTable.integers"
        case .booleans: "PackedTable.booleans"
        case .cases: "PackedTable.elements"
        }
    }

    /// The reader's arguments before the text (`count: 3`, `of: Cluster.byIndex`).
    var leadingArguments: String {
        switch self {
        case .cases(_, let type): "count: \(count), of: \(type).byIndex"
        case .strings, .optionalStrings, .integers, .booleans: "count: \(count)"
        }
    }

    /// Each entry's token, in table order.
    var tokens: [String] {
        switch self {
        case .strings(let values): values.map { PackedTable.token($0) }
        case .optionalStrings(let values): values.map { PackedTable.token($0) }
        case .integers(let values): values.map { PackedTable.token($0) }
        case .booleans(let values): values.map { PackedTable.token($0) }
        case .cases(let positions, _): positions.map { PackedTable.token($0) }
        }
    }
}
