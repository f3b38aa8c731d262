/// Column types as the DDL writes them, and what they need from extensions.
package enum ColumnTypeSQL {
    /// The type as SQL: the plan's canonical spelling, except that a precision on a type whose
    /// name has a suffix goes where PostgreSQL's grammar wants it
    /// (`timestamp with time zone(3)` becomes `timestamp(3) with time zone`).
    static func spelling(_ type: String) -> String {
        for (head, tail) in [("timestamp", " with time zone"), ("time", " with time zone")] {
            let prefix = head + tail + "("
            guard type.hasPrefix(prefix), let close = type.firstIndex(of: ")") else { continue }
            let modifier = type[type.index(type.startIndex, offsetBy: prefix.count)..<close]
            let rest = type[type.index(after: close)...]
            return "\(head)(\(modifier))\(tail)\(rest)"
        }
        return type
    }

    /// The plain integer type behind a serial type (`bigserial` -> `bigint`), for columns that
    /// copy a key generated elsewhere.
    package static func withoutSerial(_ type: String) -> String {
        switch type {
        case "smallserial": "smallint"
        case "serial": "integer"
        case "bigserial": "bigint"
        default: type
        }
    }

    /// The base type without modifiers or array brackets.
    static func base(_ type: String) -> String {
        var text = type
        if let open = text.firstIndex(of: "(") { text = String(text[..<open]) }
        while text.hasSuffix("[]") { text = String(text.dropLast(2)) }
        return text
    }

    /// Whether values of the type are arrays.
    static func isArray(_ type: String) -> Bool {
        type.hasSuffix("[]")
    }

    /// Whether the type needs the `citext` extension.
    static func needsCitext(_ type: String) -> Bool {
        base(type) == "citext"
    }

    /// Types with GiST operator classes in core PostgreSQL (others need `btree_gist`).
    private static let gistNative: Set<String> = [
        "point", "box", "polygon", "circle", "inet", "cidr", "tsvector", "tsquery",
        "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
    ]

    /// Types with GIN operator classes in core PostgreSQL besides arrays (others need `btree_gin`).
    private static let ginNative: Set<String> = ["jsonb", "tsvector"]

    /// Whether a GiST index on a column of the type needs `btree_gist`.
    static func gistNeedsBtreeGist(_ type: String) -> Bool {
        !isArray(type) && !gistNative.contains(base(type))
    }

    /// Whether a GIN index on a column of the type needs `btree_gin`.
    static func ginNeedsBtreeGin(_ type: String) -> Bool {
        !isArray(type) && !ginNative.contains(base(type))
    }
}
