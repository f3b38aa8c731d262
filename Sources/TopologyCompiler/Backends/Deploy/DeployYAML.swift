/// A YAML document for generated configuration files: ordered mappings, sequences and scalars.
///
/// The emitter is deliberately small and deterministic. Strings are written plain only when no
/// YAML 1.1 or 1.2 reader could take them for anything but the same string (so `on`, `no`,
/// `1:30`, `0.0.0.0:8008` and `${VAR}` are double-quoted); everything else is double-quoted with
/// escapes. Patroni reads YAML 1.1 (PyYAML), docker-compose too, so the conservative rule matters.
package indirect enum DeployYAML: Sendable {
    /// A string scalar.
    case string(String)
    /// An integer scalar.
    case int(Int64)
    /// A boolean scalar.
    case bool(Bool)
    /// A mapping, in the given key order.
    case mapping([(String, DeployYAML)])
    /// A sequence.
    case sequence([DeployYAML])

    /// An integer from `Int`.
    static func int(_ value: Int) -> DeployYAML { .int(Int64(value)) }

    /// A sequence of strings.
    static func strings(_ values: [String]) -> DeployYAML { .sequence(values.map { .string($0) }) }

    /// `prefix` (a header), then the document's text, ending with a newline: built in one buffer
    /// of its final size (the compose file of 4,096 shards is 8 MB, and joining its lines, then
    /// adding the newline and the header, held three copies of it).
    func rendered(after prefix: String = "") -> String {
        var lines: [String] = []
        switch self {
        case .mapping(let entries) where !entries.isEmpty:
            Self.emit(mapping: entries, indent: 0, into: &lines)
        case .sequence(let items) where !items.isEmpty:
            Self.emit(sequence: items, indent: 0, into: &lines)
        default:
            lines.append(inlineScalar ?? "{}")
        }
        var text = prefix
        text.reserveCapacity(lines.reduce(prefix.utf8.count) { $0 + $1.utf8.count + 1 })
        for line in lines {
            text += line
            text += "\n"
        }
        return text
    }

    /// The lines of `entries` as a mapping indented by `indent` spaces, each without its line
    /// break: the text ``rendered(after:)`` writes for them inside a document, so a large
    /// document can be written entry by entry (the compose file's services).
    static func lines(of entries: [(String, DeployYAML)], indent: Int) -> [String] {
        var lines: [String] = []
        emit(mapping: entries, indent: indent, into: &lines)
        return lines
    }

    /// The value written on one line, if it is a scalar or an empty collection.
    private var inlineScalar: String? {
        switch self {
        case .string(let text): return Self.quoted(text)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .mapping(let entries): return entries.isEmpty ? "{}" : nil
        case .sequence(let items): return items.isEmpty ? "[]" : nil
        }
    }

    private static func emit(mapping entries: [(String, DeployYAML)], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in entries {
            let renderedKey = quoted(key)
            if let scalar = value.inlineScalar {
                lines.append("\(pad)\(renderedKey): \(scalar)")
            } else if case .mapping(let nested) = value {
                lines.append("\(pad)\(renderedKey):")
                emit(mapping: nested, indent: indent + 2, into: &lines)
            } else if case .sequence(let items) = value {
                lines.append("\(pad)\(renderedKey):")
                emit(sequence: items, indent: indent + 2, into: &lines)
            }
        }
    }

    private static func emit(sequence items: [DeployYAML], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            if let scalar = item.inlineScalar {
                lines.append("\(pad)- \(scalar)")
                continue
            }
            var nested: [String] = []
            switch item {
            case .mapping(let entries): emit(mapping: entries, indent: indent + 2, into: &nested)
            case .sequence(let inner): emit(sequence: inner, indent: indent + 2, into: &nested)
            default: break
            }
            // The first nested line moves up beside the dash.
            for (index, line) in nested.enumerated() {
                lines.append(index == 0 ? "\(pad)- " + line.dropFirst(indent + 2) : line)
            }
        }
    }

    /// A scalar or key, plain when that is unambiguous, otherwise double-quoted
    /// (``YAMLQuoting/scalar(_:)``, the one YAML quoting function).
    static func quoted(_ text: String) -> String {
        YAMLQuoting.scalar(text)
    }
}
