import Foundation

/// The engine behind ``DeterministicJSON``: an `Encoder` that writes JSON bytes as each value is
/// encoded, with the bytes of Foundation's `JSONEncoder` (sorted keys, slashes unescaped,
/// optionally pretty-printed with two spaces and `" : "`).
///
/// Foundation's encoder first builds a tree of every value and serializes it at the end; for a
/// plan with a ring of 614,400 tokens that tree cost about 400 MB more than the 56 MB of text it
/// becomes. Here an array's elements are serialized as they are encoded, and an object's members
/// when its layout, in the order of the sorted keys, reaches them (the member values are kept,
/// not their text), so what is held at any time is the text laid out so far and the open
/// containers on the way to the current value; a streamed text (``encode(_:to:)``) hands the text
/// on as it goes, so it holds about a megabyte of it. Keys are sorted by their UTF-8 bytes, as
/// Foundation sorts them.
/// `DeterministicJSONEncoderTests` compare the two encoders' bytes.
struct DeterministicJSONEncoder {
    /// Whether to indent (two spaces per level) and put each value on its own line.
    var pretty: Bool

    /// The JSON text of `value`.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, as
    ///   Foundation's encoder does.
    func encode(_ value: some Encodable) throws -> [UInt8] {
        try JSONValueWriter(pretty: pretty, depth: 0).text(of: value).joined()
    }

    /// Writes the JSON text of `value` to `sink` in pieces of about ``drainSize`` bytes, handed on
    /// between members and elements at any depth as they are laid out, so the text is never held
    /// whole.
    ///
    /// - Throws: ``JSONStreamFailure/encoding(_:)`` with what ``encode(_:)`` would throw (`sink`
    ///   may then hold the start of the text), or ``JSONStreamFailure/sink(_:)`` with what `sink`
    ///   threw.
    func encode<Sink: JSONSink>(_ value: some Encodable, to sink: inout Sink) throws(JSONStreamFailure<Sink.Failure>) {
        var out = JSONText()
        var sinkFailure: Sink.Failure?
        let writer = JSONValueWriter(pretty: pretty, depth: 0)
        func handOn(_ text: inout JSONText) throws {
            try text.handOn { piece in
                do throws(Sink.Failure) {
                    try sink.write(&piece)
                } catch {
                    sinkFailure = error
                    throw CancellationError()
                }
            }
        }
        do {
            try withoutActuallyEscaping(handOn) { drain in
                try writer.write(value, into: &out, drain: drain)
            }
            try handOn(&out)
        } catch {
            if let sinkFailure { throw .sink(sinkFailure) }
            throw .encoding(error)
        }
    }

    /// The size at which a streamed text's buffer is handed to its sink.
    static let drainSize = 1 << 20
}

/// Why ``DeterministicJSONEncoder/encode(_:to:)`` stopped.
enum JSONStreamFailure<SinkFailure: Error>: Error {
    /// The value could not be encoded (a non-finite number, or its `encode(to:)` threw).
    case encoding(any Error)
    /// The sink failed.
    case sink(SinkFailure)
}

/// Where ``DeterministicJSONEncoder/encode(_:to:)`` hands the text, piece by piece: a file being
/// staged, or bytes in memory.
protocol JSONSink {
    /// What the sink throws (`Never` in memory).
    associatedtype Failure: Error
    /// Takes the bytes of `piece`, leaving it empty.
    mutating func write(_ piece: inout [UInt8]) throws(Failure)
    /// Drops everything taken so far (the value could not be encoded, and other text is written
    /// instead).
    mutating func restart() throws(Failure)
}

/// Text taken in memory: the first piece is kept as it is, without a copy.
struct JSONBytesSink: JSONSink {
    /// Everything taken.
    var bytes: [UInt8] = []

    mutating func write(_ piece: inout [UInt8]) {
        if bytes.isEmpty {
            swap(&bytes, &piece)
        } else {
            bytes.append(contentsOf: piece)
            piece.removeAll(keepingCapacity: true)
        }
    }

    mutating func restart() { bytes = [] }
}

/// Hands a streamed text on once it reaches ``DeterministicJSONEncoder/drainSize`` bytes (the
/// closure empties the text). Everything laid out is final text in order, so it may be handed on
/// between any two members or elements.
private typealias JSONDrain = (inout JSONText) throws -> Void

/// A list of ``JSONFlatObject``s (a ring's tokens), laid out straight into the text, with the
/// text handed on as it grows when streamed.
private protocol JSONFlatList {
    func writeJSON(into out: inout JSONText, depth: Int, pretty: Bool, drain: JSONDrain?) throws
}

extension Array: JSONFlatList where Element: JSONFlatObject {
    fileprivate func writeJSON(into out: inout JSONText, depth: Int, pretty: Bool, drain: JSONDrain?) throws {
        try JSONLayout.container(
            open: UInt8(ascii: "["), close: UInt8(ascii: "]"), count: count, into: &out, depth: depth, pretty: pretty
        ) { index, out in
            JSONLayout.flatObject(self[index], into: &out.tail, depth: depth + 1, pretty: pretty)
            if let drain, out.count >= DeterministicJSONEncoder.drainSize { try drain(&out) }
        }
    }
}

/// One value being encoded: what its `encode(to:)` asked for, serialized once it returns.
private final class JSONValueWriter: Encoder {
    let pretty: Bool
    /// How deep the value sits (the top-level value is at 0): its closing bracket's indentation.
    let depth: Int
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What the value encoded into; nil until it asks for a container.
    var content: JSONContent?

    init(pretty: Bool, depth: Int, codingPath: [any CodingKey] = []) {
        self.pretty = pretty
        self.depth = depth
        self.codingPath = codingPath
    }

    /// The text of `value`, encoded at this writer's depth.
    func text(of value: some Encodable) throws -> JSONText {
        var out = JSONText()
        try write(value, into: &out)
        return out
    }

    /// Appends the text of `value`, encoded at this writer's depth; with `drain` (a streamed
    /// text), the text is handed on between members and elements at any depth.
    func write<Value: Encodable>(_ value: Value, into out: inout JSONText, drain: JSONDrain? = nil) throws {
        if let scalar = try JSONScalar.special(value) {
            out.append(contentsOf: scalar)
            return
        }
        if let list = value as? any JSONFlatList {
            try list.writeJSON(into: &out, depth: depth, pretty: pretty, drain: drain)
            return
        }
        if Value.self == [String].self, let strings = value as? [String] {
            // A plan lists each table's databases and each database's tables (shards x tables
            // names at 256 shards): written straight, not through an encoder per array.
            JSONLayout.container(
                open: UInt8(ascii: "["), close: UInt8(ascii: "]"), count: strings.count, into: &out, depth: depth, pretty: pretty
            ) { index, out in JSONScalar.string(strings[index], into: &out.tail) }
            return
        }
        try value.encode(to: self)
        try (content ?? .object(JSONObject())).write(into: &out, depth: depth, pretty: pretty, drain: drain)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONObject
        if case .object(let existing) = content {
            object = existing
        } else {
            object = JSONObject()
            content = .object(object)
        }
        return KeyedEncodingContainer(
            JSONKeyedContainer<Key>(level: JSONLevel(pretty: pretty, depth: depth), object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONArray
        if case .array(let existing) = content {
            array = existing
        } else {
            array = JSONArray(level: JSONLevel(pretty: pretty, depth: depth))
            content = .array(array)
        }
        return JSONUnkeyedContainer(level: array.level, array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(writer: self, codingPath: codingPath)
    }

}

/// Where a container sits: its closing bracket's indentation.
private struct JSONLevel {
    var pretty: Bool
    var depth: Int

    /// The level of a container inside this one.
    var inner: JSONLevel { JSONLevel(pretty: pretty, depth: depth + 1) }

    /// An encoder for an element of this container, serialized with it.
    func elementEncoder(at path: [any CodingKey]) -> JSONValueWriter {
        JSONValueWriter(pretty: pretty, depth: depth + 1, codingPath: path)
    }
}

/// What a value or a container slot holds: finished text, a member still to be encoded, or a
/// container still open (nested containers and super-encoders, serialized with their parent).
private enum JSONContent {
    case text(JSONText)
    /// A member of an object, encoded when the object's sorted layout reaches it: what a
    /// streamed text holds at once is then one member's text, not every member's.
    case deferred(any Encodable, path: [any CodingKey])
    case object(JSONObject)
    case array(JSONArray)
    case writer(JSONValueWriter)

    /// Appends the JSON text; `depth` is the indentation of the closing bracket. With `drain` (a
    /// streamed text), the text is handed on between members and elements.
    func write(into out: inout JSONText, depth: Int, pretty: Bool, drain: JSONDrain? = nil) throws {
        switch self {
        case .text(let text):
            out.append(text)
        case .object(let object):
            try object.write(into: &out, depth: depth, pretty: pretty, drain: drain)
        case .array(let array):
            try array.write(into: &out, depth: depth, pretty: pretty, drain: drain)
        case .writer(let writer):
            try (writer.content ?? .object(JSONObject())).write(into: &out, depth: depth, pretty: pretty, drain: drain)
        case .deferred(let value, let path):
            try JSONValueWriter(pretty: pretty, depth: depth, codingPath: path).write(value, into: &out, drain: drain)
        }
    }
}

private final class JSONObject {
    var entries: [(key: String, value: JSONContent)] = []
    /// Each key's entry, once the object is too large to search (a dictionary of thousands of
    /// shards); a key encoded again replaces its value, as in Foundation's encoder.
    private var positions: [String: Int]?

    /// Objects up to this many entries are searched; larger ones are indexed.
    private static let searchedEntries = 16

    func set(_ key: String, _ value: JSONContent) {
        if positions == nil, entries.count < Self.searchedEntries {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                entries[index].value = value
            } else {
                entries.append((key, value))
            }
            return
        }
        var index = positions ?? Dictionary(entries.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        if let existing = index[key] {
            entries[existing].value = value
        } else {
            index[key] = entries.count
            entries.append((key, value))
        }
        positions = index
    }

    /// Appends the object's text, its entries in the order of their keys (a deferred member is
    /// encoded here). Written once: each entry is released as soon as it is written; with `drain`,
    /// the text is handed on between entries once it reaches ``DeterministicJSONEncoder/drainSize``.
    func write(into out: inout JSONText, depth: Int, pretty: Bool, drain: JSONDrain? = nil) throws {
        var sorted = entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        entries = []
        positions = nil
        try JSONLayout.container(
            open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), count: sorted.count, into: &out, depth: depth, pretty: pretty
        ) {
            index, out in
            JSONScalar.string(sorted[index].key, into: &out.tail)
            if pretty {
                out.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
            } else {
                out.append(UInt8(ascii: ":"))
            }
            let value = sorted[index].value
            sorted[index].value = .text(JSONText())  // released once written
            try value.write(into: &out, depth: depth + 1, pretty: pretty, drain: drain)
            if let drain, out.count >= DeterministicJSONEncoder.drainSize { try drain(&out) }
        }
    }
}

/// An array's elements in order. Finished elements are written straight into one text with
/// their separators, cut into pieces as it grows (an array of a million small values holds no
/// value of its own per element); nested containers and super-encoders stay open until the array
/// is written.
private final class JSONArray {
    /// A run of finished elements, or one element still open (with its index).
    private enum Segment {
        case finished(JSONText)
        case open(JSONContent, index: Int)
    }

    let level: JSONLevel
    private var segments: [Segment] = []
    private(set) var count = 0

    init(level: JSONLevel) { self.level = level }

    /// Appends a finished element that `body` writes.
    func appendFinished(_ body: (inout JSONText) throws -> Void) rethrows {
        var text = JSONText()
        if case .finished(let last)? = segments.last {
            text = last
            segments[segments.count - 1] = .finished(JSONText())  // `text` is now the only reference
        } else {
            segments.append(.finished(JSONText()))
        }
        separator(before: count, into: &text.tail)
        try body(&text)
        text.cut()
        segments[segments.count - 1] = .finished(text)
        count += 1
    }

    /// Appends an element serialized when the array is.
    func appendOpen(_ content: JSONContent) {
        segments.append(.open(content, index: count))
        count += 1
    }

    /// What precedes element `index`: a comma after the first, and in pretty mode a new line.
    private func separator(before index: Int, into out: inout [UInt8]) {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        if level.pretty {
            out.append(UInt8(ascii: "\n"))
            JSONLayout.indent(level.depth + 1, into: &out)
        }
    }

    /// Appends the array's text. Written once: each run of elements is released as soon as it is
    /// written (its pieces pass to `out` without a copy); with `drain`, the text is handed on
    /// between runs once it reaches ``DeterministicJSONEncoder/drainSize``.
    func write(into out: inout JSONText, depth: Int, pretty: Bool, drain: JSONDrain? = nil) throws {
        out.append(UInt8(ascii: "["))
        for index in segments.indices {
            let segment = segments[index]
            segments[index] = .finished(JSONText())  // released once written
            switch segment {
            case .finished(let text):
                out.append(text)
            case .open(let content, let element):
                separator(before: element, into: &out.tail)
                try content.write(into: &out, depth: level.depth + 1, pretty: level.pretty, drain: drain)
            }
            if let drain, out.count >= DeterministicJSONEncoder.drainSize { try drain(&out) }
        }
        if level.pretty {
            out.append(UInt8(ascii: "\n"))
            if count == 0 { out.append(UInt8(ascii: "\n")) }
            JSONLayout.indent(level.depth, into: &out.tail)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// Brackets, commas, newlines and indentation as Foundation lays them out.
private enum JSONLayout {
    static func container(
        open: UInt8, close: UInt8, count: Int, into out: inout JSONText, depth: Int, pretty: Bool,
        element: (Int, inout JSONText) throws -> Void
    ) rethrows {
        out.append(open)
        guard pretty else {
            for index in 0..<count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try element(index, &out)
                out.cut()
            }
            out.append(close)
            return
        }
        out.append(UInt8(ascii: "\n"))
        if count == 0 { out.append(UInt8(ascii: "\n")) }
        for index in 0..<count {
            indent(depth + 1, into: &out.tail)
            try element(index, &out)
            if index < count - 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\n"))
            out.cut()
        }
        indent(depth, into: &out.tail)
        out.append(close)
    }

    /// A ``JSONFlatObject`` laid out as ``container(open:close:count:into:depth:pretty:element:)``
    /// lays out an object; `depth` is the indentation of its closing brace.
    static func flatObject(_ object: some JSONFlatObject, into out: inout [UInt8], depth: Int, pretty: Bool) {
        out.append(UInt8(ascii: "{"))
        var count = 0
        object.forEachJSONMember { key, value in
            if count > 0 { out.append(UInt8(ascii: ",")) }
            if pretty {
                out.append(UInt8(ascii: "\n"))
                indent(depth + 1, into: &out)
            }
            count += 1
            out.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            if pretty {
                out.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
            } else {
                out.append(UInt8(ascii: ":"))
            }
            switch value {
            case .integer(let number): JSONScalar.integer(number, into: &out)
            case .string(let text): JSONScalar.string(text, into: &out)
            }
        }
        if pretty {
            out.append(UInt8(ascii: "\n"))
            if count == 0 { out.append(UInt8(ascii: "\n")) }
            indent(depth, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func indent(_ depth: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }
}

/// Scalars as Foundation writes them.
private enum JSONScalar {
    /// The types Foundation's encoder writes its own way rather than by their `encode(to:)`.
    /// Asked of every value: the type is compared first (a cast tried on every value cost
    /// more than the comparison).
    static func special<Value: Encodable>(_ value: Value) throws -> [UInt8]? {
        if Value.self == Data.self, let data = value as? Data {
            var out: [UInt8] = []
            string(data.base64EncodedString(), into: &out)
            return out
        }
        if Value.self == URL.self, let url = value as? URL {
            var out: [UInt8] = []
            string(url.absoluteString, into: &out)
            return out
        }
        if Value.self == Decimal.self, let decimal = value as? Decimal {
            return Array(decimal.description.utf8)
        }
        return nil
    }

    /// Appends `text` as a JSON string: quotes, backslashes and control bytes escaped, every other
    /// byte (UTF-8 included) as it is.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs of bytes that need no escape are copied whole: most strings have none.
            var runStart = 0
            for index in bytes.indices where bytes[index] < 0x20 || bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\")
            {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                escape(bytes[index], into: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the escape of a quote, a backslash or a control byte.
    private static func escape(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: Array("\\u00".utf8))
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
    }

    static func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, path: [any CodingKey]) throws -> [UInt8] {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: path, debugDescription: "Unable to encode \(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return Array(text.utf8)
    }

    static func integer(_ value: some BinaryInteger) -> [UInt8] { Array(value.description.utf8) }

    /// Appends the decimal digits of `value` (as ``integer(_:)`` writes them), without
    /// allocating.
    static func integer(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}

private struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONValueWriter
    var codingPath: [any CodingKey]

    private func set(_ bytes: [UInt8]) { writer.content = .text(JSONText(bytes)) }

    mutating func encodeNil() throws { set(Array("null".utf8)) }
    mutating func encode(_ value: Bool) throws { set(Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String) throws {
        var out: [UInt8] = []
        JSONScalar.string(value, into: &out)
        set(out)
    }
    mutating func encode(_ value: Double) throws { set(try JSONScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Float) throws { set(try JSONScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Int) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int8) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int16) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int32) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int64) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt8) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt16) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt32) throws { set(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt64) throws { set(JSONScalar.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        // The value's own containers, at this writer's depth.
        let inner = JSONValueWriter(pretty: writer.pretty, depth: writer.depth, codingPath: codingPath)
        writer.content = .text(try inner.text(of: value))
    }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let level: JSONLevel
    let object: JSONObject
    var codingPath: [any CodingKey]

    private func set(_ key: Key, _ bytes: [UInt8]) { object.set(key.stringValue, .text(JSONText(bytes))) }

    mutating func encodeNil(forKey key: Key) throws { set(key, Array("null".utf8)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        var out: [UInt8] = []
        JSONScalar.string(value, into: &out)
        set(key, out)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(key, try JSONScalar.floatingPoint(value, path: codingPath + [key]))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(key, try JSONScalar.floatingPoint(value, path: codingPath + [key]))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(key, JSONScalar.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, .deferred(value, path: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = JSONObject()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(
            JSONKeyedContainer<NestedKey>(level: level.inner, object: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArray(level: level.inner)
        object.set(key.stringValue, .array(nested))
        return JSONUnkeyedContainer(level: nested.level, array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let encoder = level.elementEncoder(at: codingPath)
        object.set(name, .writer(encoder))
        return encoder
    }
}

private struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let level: JSONLevel
    let array: JSONArray
    var codingPath: [any CodingKey]
    var count: Int { array.count }

    private func append(_ bytes: [UInt8]) { array.appendFinished { $0.append(contentsOf: bytes) } }

    mutating func encodeNil() throws { append(Array("null".utf8)) }
    mutating func encode(_ value: Bool) throws { append(Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String) throws { array.appendFinished { JSONScalar.string(value, into: &$0.tail) } }
    mutating func encode(_ value: Double) throws { append(try JSONScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Float) throws { append(try JSONScalar.floatingPoint(value, path: codingPath)) }
    mutating func encode(_ value: Int) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int8) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int16) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int32) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: Int64) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt8) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt16) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt32) throws { append(JSONScalar.integer(value)) }
    mutating func encode(_ value: UInt64) throws { append(JSONScalar.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        if let flat = value as? any JSONFlatObject {
            let level = level
            array.appendFinished { JSONLayout.flatObject(flat, into: &$0.tail, depth: level.depth + 1, pretty: level.pretty) }
            return
        }
        let element = level.elementEncoder(at: codingPath + [JSONIndexKey(count)])
        try array.appendFinished { try element.write(value, into: &$0) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObject()
        let path = codingPath + [JSONIndexKey(count)]
        array.appendOpen(.object(nested))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(level: level.inner, object: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArray(level: level.inner)
        let path = codingPath + [JSONIndexKey(count)]
        array.appendOpen(.array(nested))
        return JSONUnkeyedContainer(level: nested.level, array: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = level.elementEncoder(at: codingPath)
        array.appendOpen(.writer(encoder))
        return encoder
    }
}

/// An array index in a coding path.
private struct JSONIndexKey: CodingKey {
    var stringValue: String { "Index \(intValue ?? 0)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
