import Foundation

/// A PostgreSQL column type, checked against the built-in types.
public struct ColumnType: Sendable, Hashable, CustomStringConvertible {
    /// The canonical base name (`bigint`, `character varying`, `timestamp with time zone`...).
    public var base: String
    /// Type modifiers, such as the length of `varchar(80)`.
    public var modifiers: [Int]
    /// Array dimensions (`text[]` has one).
    public var arrayDimensions: Int

    /// Creates a type.
    public init(base: String, modifiers: [Int] = [], arrayDimensions: Int = 0) {
        self.base = base
        self.modifiers = modifiers
        self.arrayDimensions = arrayDimensions
    }

    /// The SQL spelling: `character varying(80)`, `text[]`.
    public var description: String {
        var text = base
        if !modifiers.isEmpty { text += "(" + modifiers.map(String.init).joined(separator: ",") + ")" }
        return text + String(repeating: "[]", count: arrayDimensions)
    }

    /// Whether values of the type are arrays.
    public var isArray: Bool { arrayDimensions > 0 }

    /// Spellings accepted, mapped to PostgreSQL's canonical names, with how many modifiers each takes.
    static let known: [String: (canonical: String, maxModifiers: Int)] = [
        "smallint": ("smallint", 0), "int2": ("smallint", 0),
        "integer": ("integer", 0), "int": ("integer", 0), "int4": ("integer", 0),
        "bigint": ("bigint", 0), "int8": ("bigint", 0),
        "smallserial": ("smallserial", 0), "serial": ("serial", 0), "bigserial": ("bigserial", 0),
        "numeric": ("numeric", 2), "decimal": ("numeric", 2),
        "real": ("real", 0), "float4": ("real", 0),
        "double precision": ("double precision", 0), "float8": ("double precision", 0),
        "money": ("money", 0),
        "text": ("text", 0), "varchar": ("character varying", 1),
        "character varying": ("character varying", 1), "char": ("character", 1),
        "character": ("character", 1), "citext": ("citext", 0),
        "bytea": ("bytea", 0), "boolean": ("boolean", 0), "bool": ("boolean", 0),
        "date": ("date", 0), "time": ("time", 1), "timetz": ("time with time zone", 1),
        "time with time zone": ("time with time zone", 1),
        "timestamp": ("timestamp", 1), "timestamptz": ("timestamp with time zone", 1),
        "timestamp with time zone": ("timestamp with time zone", 1),
        "timestamp without time zone": ("timestamp", 1),
        "interval": ("interval", 0), "uuid": ("uuid", 0), "json": ("json", 0), "jsonb": ("jsonb", 0),
        "xml": ("xml", 0), "inet": ("inet", 0), "cidr": ("cidr", 0), "macaddr": ("macaddr", 0),
        "tsvector": ("tsvector", 0), "tsquery": ("tsquery", 0),
        "point": ("point", 0), "line": ("line", 0), "lseg": ("lseg", 0), "box": ("box", 0),
        "path": ("path", 0), "polygon": ("polygon", 0), "circle": ("circle", 0),
        "int4range": ("int4range", 0), "int8range": ("int8range", 0), "numrange": ("numrange", 0),
        "tsrange": ("tsrange", 0), "tstzrange": ("tstzrange", 0), "daterange": ("daterange", 0),
        "bit": ("bit", 1), "varbit": ("bit varying", 1), "bit varying": ("bit varying", 1),
    ]

    /// Every accepted spelling, for suggestions.
    public static var knownSpellings: [String] { known.keys.sorted() }

    /// Parses `bigint`, `varchar(80)`, `numeric(12, 2)`, `text[]`, `timestamptz`; nil when unknown.
    public init?(parsing text: String) {
        var rest = text.trimmingCharacters(in: .whitespaces).lowercased()
        var dimensions = 0
        while rest.hasSuffix("[]") {
            dimensions += 1
            rest = String(rest.dropLast(2)).trimmingCharacters(in: .whitespaces)
        }
        var modifiers: [Int] = []
        if let open = rest.firstIndex(of: "("), rest.hasSuffix(")") {
            let inside = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            for part in inside.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit), let value = Int(trimmed),
                    value <= 10_485_760
                else { return nil }
                modifiers.append(value)
            }
            rest = String(rest[..<open]).trimmingCharacters(in: .whitespaces)
        }
        let words = rest.split(separator: " ").joined(separator: " ")
        guard let entry = ColumnType.known[words], modifiers.count <= entry.maxModifiers, dimensions <= 6 else {
            return nil
        }
        self.init(base: entry.canonical, modifiers: modifiers, arrayDimensions: dimensions)
    }

    /// The type as a shard key, if it can be one.
    public var shardKeyType: ShardKeyType? {
        guard arrayDimensions == 0 else { return nil }
        switch base {
        case "smallint", "smallserial": return .smallint
        case "integer", "serial": return .integer
        case "bigint", "bigserial": return .bigint
        case "text", "character varying": return .text
        default: return nil
        }
    }
}
