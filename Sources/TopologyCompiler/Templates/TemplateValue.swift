import Foundation

/// A template context as the renderer reads it: the JSON shape of an `Encodable` context.
public indirect enum TemplateValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case list([TemplateValue])
    case object([String: TemplateValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int64.self) {
            self = .number(String(int))
        } else if let double = try? container.decode(Double.self) {
            self = .number(String(double))
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let list = try? container.decode([TemplateValue].self) {
            self = .list(list)
        } else {
            self = .object(try container.decode([String: TemplateValue].self))
        }
    }

    /// The value of an `Encodable` context: what decoding its JSON text gives, built without the
    /// text (``TemplateValueEncoder``).
    public static func of(_ context: some Encodable) throws -> TemplateValue {
        try TemplateValueEncoder.value(of: context)
    }

    /// Whether a section over the value renders (Mustache's truthiness: false, null and the empty
    /// list do not).
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .list(let items): !items.isEmpty
        default: true
        }
    }

    /// The member `name` of an object.
    func member(_ name: String) -> TemplateValue? {
        if case .object(let members) = self { return members[name] }
        return nil
    }
}

/// The context dump `topoc templates context` prints and the golden files hold: sorted keys,
/// pretty-printed, a trailing line break.
public enum TemplateContextJSON {
    /// The JSON text of a context.
    public static func text(_ context: some Encodable) -> String {
        DeterministicJSON.text(context)
    }
}
