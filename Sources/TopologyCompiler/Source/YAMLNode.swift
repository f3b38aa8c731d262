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

    /// The name of the node's kind, for messages: "a mapping", "a list", "a string"...
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, let style):
            if isNull { return "null" }
            guard style == .plain else { return "a string" }
            if Int(text) != nil { return "an integer" }
            if Double(text) != nil { return "a number" }
            if ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text) { return "a boolean" }
            return "a string"
        }
    }
}
