/// An optional context value that encodes `nil` as JSON `null` (a synthesized `Encodable` leaves
/// an absent optional out, which the strict renderer would report as a missing value): a template
/// tests it with a section, `{{#name}}{{.}}{{/name}}`.
public struct Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    /// The value, if any.
    public var value: Wrapped?

    /// Wraps a value.
    public init(_ value: Wrapped?) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
