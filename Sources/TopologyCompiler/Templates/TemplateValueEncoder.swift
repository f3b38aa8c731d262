import Foundation

/// Builds a ``TemplateValue`` straight from an `Encodable` context: the value that encoding the
/// context with Foundation's `JSONEncoder` and decoding the text as a ``TemplateValue`` gives,
/// without the text in between (a 4,096-shard build renders a Patroni overlay per member; the
/// round trip through JSON text was a tenth of its CPU).
///
/// Numbers take the text they would have after that round trip: a number whose JSON text stands
/// for a whole number that fits in 64 bits as its decimal digits, any other as Swift's shortest
/// description of the `Double` the text stands for. `TemplateValueEncoderTests` compare the two ways on every
/// bundled template's context of every example, and on edge values.
enum TemplateValueEncoder {
    /// The template value of `context`.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, or a
    ///   top-level value that encodes nothing, as `JSONEncoder` does.
    static func value(of context: some Encodable) throws -> TemplateValue {
        if let scalar = try TemplateScalar.special(context) { return scalar }
        let encoder = TemplateValueBuilder(codingPath: [])
        try context.encode(to: encoder)
        guard let slot = encoder.slot else {
            throw EncodingError.invalidValue(
                context, EncodingError.Context(codingPath: [], debugDescription: "Top-level value did not encode any values."))
        }
        return slot.value
    }
}

/// What a value or a member holds: a finished value, or a container still being filled.
private enum TemplateSlot {
    case finished(TemplateValue)
    case object(TemplateObjectBox)
    case list(TemplateListBox)
    case encoder(TemplateValueBuilder)

    /// The value, with every container read as it is now.
    var value: TemplateValue {
        switch self {
        case .finished(let value): value
        case .object(let box): .object(box.members.mapValues(\.value))
        case .list(let box): .list(box.items.map(\.value))
        case .encoder(let builder): builder.slot?.value ?? .object([:])
        }
    }
}

private final class TemplateObjectBox {
    var members: [String: TemplateSlot] = [:]
}

private final class TemplateListBox {
    var items: [TemplateSlot] = []
}

/// The encoder of one value.
private final class TemplateValueBuilder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What the value encoded into; nil until it asks for a container.
    var slot: TemplateSlot?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    /// The slot of a value encoded at `path`: finished, since its `encode(to:)` has returned.
    static func slot(of value: some Encodable, at path: [any CodingKey]) throws -> TemplateSlot {
        if let scalar = try TemplateScalar.special(value) { return .finished(scalar) }
        let builder = TemplateValueBuilder(codingPath: path)
        try value.encode(to: builder)
        return .finished(builder.slot?.value ?? .object([:]))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: TemplateObjectBox
        if case .object(let existing)? = slot {
            box = existing
        } else {
            box = TemplateObjectBox()
            slot = .object(box)
        }
        return KeyedEncodingContainer(TemplateKeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: TemplateListBox
        if case .list(let existing)? = slot {
            box = existing
        } else {
            box = TemplateListBox()
            slot = .list(box)
        }
        return TemplateUnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        TemplateSingleValueContainer(builder: self, codingPath: codingPath)
    }
}

/// Scalars as they come back from the JSON round trip.
enum TemplateScalar {
    /// The types `JSONEncoder` writes its own way rather than by their `encode(to:)`.
    static func special(_ value: some Encodable) throws -> TemplateValue? {
        switch value {
        case let data as Data: .string(data.base64EncodedString())
        case let url as URL: .string(url.absoluteString)
        case let decimal as Decimal: number(text: decimal.description)
        default: nil
        }
    }

    static func integer<Integer: BinaryInteger>(_ value: Integer) -> TemplateValue {
        if let exact = Int64(exactly: value) { return .number(String(exact)) }
        return .number(String(Double(value)))
    }

    static func floatingPoint<Float: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: Float, path: [any CodingKey]
    ) throws -> TemplateValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: path, debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        return number(text: value.description)
    }

    /// A number read back from its JSON text: as a 64-bit integer if the text stands for one,
    /// else as a `Double`.
    private static func number(text: String) -> TemplateValue {
        if let whole = wholeInteger(text) { return .number(String(whole)) }
        guard let double = Double(text) else { return .number(text) }
        return .number(String(double))
    }

    /// The integer a JSON number's text stands for, if it is whole and fits in 64 bits. Read as
    /// `JSONDecoder` reads an `Int64`: by the text's decimal digits, not through a `Double`
    /// (`9.223372036854775e+18` is 9223372036854775000; `-9.223372036854776e+18` does not fit).
    static func wholeInteger(_ text: String) -> Int64? {
        var rest = Substring(text)
        let negative = rest.hasPrefix("-")
        if negative { rest = rest.dropFirst() }
        var exponent = 0
        if let marker = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(rest[rest.index(after: marker)...]) else { return nil }
            exponent = value
            rest = rest[..<marker]
        }
        var digits = String(rest)
        if let dot = rest.firstIndex(of: ".") {
            let fraction = rest[rest.index(after: dot)...]
            digits = String(rest[..<dot]) + fraction
            exponent -= fraction.count
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        while exponent < 0, digits.hasSuffix("0") {
            digits.removeLast()
            exponent += 1
        }
        guard exponent >= 0 else { return nil }
        if digits.utf8.allSatisfy({ $0 == 0x30 }) { return 0 }
        guard exponent <= 19 else { return nil }
        digits += String(repeating: "0", count: exponent)
        return Int64(negative ? "-" + digits : digits)
    }
}

private struct TemplateSingleValueContainer: SingleValueEncodingContainer {
    let builder: TemplateValueBuilder
    var codingPath: [any CodingKey]

    private func set(_ value: TemplateValue) { builder.slot = .finished(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try TemplateScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Float) throws { set(try TemplateScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Int) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int8) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int16) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int32) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int64) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt8) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt16) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt32) throws { set(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt64) throws { set(TemplateScalar.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        builder.slot = try TemplateValueBuilder.slot(of: value, at: codingPath)
    }
}

private struct TemplateKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: TemplateObjectBox
    var codingPath: [any CodingKey]

    private func set(_ key: Key, _ value: TemplateValue) { box.members[key.stringValue] = .finished(value) }

    mutating func encodeNil(forKey key: Key) throws { set(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(key, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(key, try TemplateScalar.floatingPoint(value, path: codingPath + [key]))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(key, try TemplateScalar.floatingPoint(value, path: codingPath + [key]))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(key, TemplateScalar.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.members[key.stringValue] = try TemplateValueBuilder.slot(of: value, at: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = TemplateObjectBox()
        box.members[key.stringValue] = .object(nested)
        return KeyedEncodingContainer(TemplateKeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = TemplateListBox()
        box.members[key.stringValue] = .list(nested)
        return TemplateUnkeyedContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let builder = TemplateValueBuilder(codingPath: codingPath)
        box.members[name] = .encoder(builder)
        return builder
    }
}

private struct TemplateUnkeyedContainer: UnkeyedEncodingContainer {
    let box: TemplateListBox
    var codingPath: [any CodingKey]
    var count: Int { box.items.count }

    private func append(_ value: TemplateValue) { box.items.append(.finished(value)) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try TemplateScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Float) throws { append(try TemplateScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Int) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int8) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int16) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int32) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: Int64) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt8) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt16) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt32) throws { append(TemplateScalar.integer(value)) }
    mutating func encode(_ value: UInt64) throws { append(TemplateScalar.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try TemplateValueBuilder.slot(of: value, at: codingPath + [TemplateIndexKey(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = TemplateObjectBox()
        let path = codingPath + [TemplateIndexKey(count)]
        box.items.append(.object(nested))
        return KeyedEncodingContainer(TemplateKeyedContainer<NestedKey>(box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = TemplateListBox()
        let path = codingPath + [TemplateIndexKey(count)]
        box.items.append(.list(nested))
        return TemplateUnkeyedContainer(box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let builder = TemplateValueBuilder(codingPath: codingPath)
        box.items.append(.encoder(builder))
        return builder
    }
}

/// An array index in a coding path.
private struct TemplateIndexKey: CodingKey {
    var stringValue: String { "Index \(intValue ?? 0)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
