/// A YAML node as topoc reads it: the value, its style and where it was written.
///
/// Aliases are resolved while composing (the node is shared, not copied) and merge keys
/// (`<<: *defaults`) are applied, so decoders only see scalars, mappings and sequences.
public struct YAMLNode: Sendable {
    /// How a scalar was written; quoted scalars are always strings.
    public enum ScalarStyle: Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    /// One key and its value in a mapping.
    public struct Pair: Sendable {
        /// The key; always a scalar in a topology.
        public var key: YAMLNode
        /// The value.
        public var value: YAMLNode
    }

    /// The content of a node.
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case mapping([Pair])
        case sequence([YAMLNode])
    }

    /// The content.
    public var content: Content
    /// Where the node starts.
    public var location: SourceLocation
    /// The explicit tag, such as `!!str`, if one was written.
    public var tag: String?

    /// The scalar text, if the node is a scalar.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// Whether the node is a plain (unquoted) scalar equal to one of YAML's null spellings.
    public var isNull: Bool {
        guard case .scalar(let text, .plain) = content, tag == nil else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// The name of the node's kind, for messages: "a mapping", "a list", "a string"...; a tag
    /// that forced the kind is named ("a string (forced by the tag !!str)").
    public var kindDescription: String {
        guard let tag else { return untaggedKind }
        let shown = YAMLTag.display(tag)
        switch (YAMLTag(rawValue: tag), content) {
        case (.string?, .scalar): return "a string (forced by the tag \(shown))"
        case (.integer?, .scalar): return "an integer (tagged \(shown))"
        case (.float?, .scalar): return "a number (tagged \(shown))"
        case (.boolean?, .scalar): return "a boolean (tagged \(shown))"
        case (.null?, .scalar): return "null (tagged \(shown))"
        case (.mapping?, .mapping), (.sequence?, .sequence): return untaggedKind
        default: return "\(untaggedKind) tagged \(shown)"
        }
    }

    /// The kind as the plain spelling of the value reads.
    var untaggedKind: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, let style):
            guard style == .plain else { return "a string" }
            if text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" { return "null" }
            switch IntegerSpelling(text) {
            case .decimal: return "an integer"
            case .outOfRange: return "an integer outside the 64-bit range"
            case .otherBase(let base): return "an integer in \(base) notation"
            case nil: break
            }
            if Double(text) != nil { return "a number" }
            if ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text) { return "a boolean" }
            return "a string"
        }
    }
}

/// The YAML 1.2 core schema tags topoc understands, by their resolved names.
public enum YAMLTag: String, Sendable, CaseIterable {
    case string = "tag:yaml.org,2002:str"
    case integer = "tag:yaml.org,2002:int"
    case float = "tag:yaml.org,2002:float"
    case boolean = "tag:yaml.org,2002:bool"
    case null = "tag:yaml.org,2002:null"
    case mapping = "tag:yaml.org,2002:map"
    case sequence = "tag:yaml.org,2002:seq"

    /// A tag as it is usually written: `!!str` for the core schema, otherwise as resolved.
    public static func display(_ tag: String) -> String {
        let core = "tag:yaml.org,2002:"
        return tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : tag
    }

    /// Whether the tag can stand on a node of this content: scalar tags on scalars, `!!map` on
    /// mappings and `!!seq` on lists.
    func fits(_ content: YAMLNode.Content) -> Bool {
        switch (self, content) {
        case (.mapping, .mapping), (.sequence, .sequence): return true
        case (.string, .scalar), (.integer, .scalar), (.float, .scalar), (.boolean, .scalar), (.null, .scalar): return true
        default: return false
        }
    }
}

/// How a plain scalar spells an integer, if it does.
enum IntegerSpelling: Equatable {
    /// Decimal digits that fit in 64 bits.
    case decimal(Int)
    /// Decimal digits outside the 64-bit range.
    case outOfRange
    /// `0x`, `0o` or `0b` notation ("hexadecimal", "octal", "binary"), which topoc does not read.
    case otherBase(String)

    init?(_ text: String) {
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let lowered = digits.lowercased()
        for (prefix, name, allowed) in [("0x", "hexadecimal", "0123456789abcdef"), ("0o", "octal", "01234567"), ("0b", "binary", "01")] {
            if lowered.hasPrefix(prefix), lowered.count > 2, lowered.dropFirst(2).allSatisfy({ allowed.contains($0) }) {
                self = .otherBase(name)
                return
            }
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if let value = Int(text) { self = .decimal(value) } else { self = .outOfRange }
    }
}
