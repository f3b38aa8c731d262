import TopologyRuntime

/// Builds indented Swift source line by line, as UTF-8 bytes.
///
/// In memory (``init()``) it keeps the whole text for ``text``. Given a file (``init(streamingTo:)``)
/// it hands the bytes on whenever a quarter of a megabyte has gathered, so rendering the router of
/// 4,096 shards (16 MB, most of it the ring's 614,400 tokens) holds a buffer, not the file.
struct SwiftSourceWriter {
    /// The bytes not yet handed to the file (all of them in memory).
    private var bytes: [UInt8] = []
    /// Where the bytes go as they gather, or `nil` to keep them.
    private let file: OutputFileWriter?
    /// The first failure to write to `file`; nothing is written after it.
    private var failure: OutputSystemError?
    /// The current indentation depth (four spaces each).
    private var depth = 0

    /// How many bytes gather before they are handed to the file.
    static let flushSize = 1 << 18

    /// A writer that keeps the text in memory.
    init() {
        file = nil
    }

    /// A writer that writes the text to `file` as it gathers; ``finish()`` writes the rest.
    init(streamingTo file: OutputFileWriter) {
        self.file = file
        bytes.reserveCapacity(Self.flushSize + 4096)
    }

    /// Appends a line at the current indentation (an empty string makes an empty line).
    mutating func line(_ text: String = "") {
        if !text.isEmpty { indent() }
        bytes.append(contentsOf: text.utf8)
        endLine()
    }

    /// Appends a line at the current indentation whose text is `utf8`.
    mutating func line(utf8: UnsafeBufferPointer<UInt8>) {
        if !utf8.isEmpty { indent() }
        bytes.append(contentsOf: utf8)
        endLine()
    }

    /// The current indentation.
    private mutating func indent() {
        for _ in 0..<(depth * 4) { bytes.append(UInt8(ascii: " ")) }
    }

    /// Ends the line and hands the bytes to the file when enough have gathered.
    private mutating func endLine() {
        bytes.append(UInt8(ascii: "\n"))
        if file != nil, bytes.count >= Self.flushSize { flush() }
    }

    /// Hands the gathered bytes to the file (after a failure, drops them).
    private mutating func flush() {
        guard let file else { return }
        if failure == nil {
            do throws(OutputSystemError) {
                try file.write(&bytes)
            } catch {
                failure = error
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes what is left to the file.
    ///
    /// - Throws: The first failure to write to the file.
    mutating func finish() throws(OutputSystemError) {
        flush()
        if let failure { throw failure }
    }

    /// Appends `///` documentation lines.
    mutating func doc(_ text: String...) {
        for paragraph in text {
            for piece in paragraph.split(separator: "\n", omittingEmptySubsequences: false) {
                line(piece.isEmpty ? "///" : "/// " + piece)
            }
        }
    }

    /// Appends `header {`, runs `body` one level deeper, then `}`.
    mutating func block(_ header: String, _ body: (inout SwiftSourceWriter) -> Void) {
        line(header + " {")
        indented(body)
        line("}")
    }

    /// Runs `body` one level deeper.
    mutating func indented(_ body: (inout SwiftSourceWriter) -> Void) {
        depth += 1
        body(&self)
        depth -= 1
    }

    /// A decimal integer literal with `_` every three digits from seven digits on, as
    /// swift-format's GroupNumericLiterals asks (`-9_214_007_647_315_311_708`).
    static func integer<Value: BinaryInteger>(_ value: Value) -> String {
        let digits = Array(String(value.magnitude))
        guard digits.count >= 7 else { return String(value) }
        var grouped: [Character] = []
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append("_") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + String(grouped)
    }

    /// Appends an array literal, wrapping `elements` so lines stay near 110 columns.
    mutating func arrayLiteral(_ head: String, _ elements: [String], tail: String = "") {
        let single = head + "[" + elements.joined(separator: ", ") + "]" + tail
        // One element stays on its line up to swift-format's 140 columns, as swift-format keeps it.
        guard !elements.isEmpty, depth * 4 + single.count > (elements.count == 1 ? 140 : 110) else {
            // Fits on one line: written as swift-format would, without a trailing comma.
            line(single)
            return
        }
        line(head + "[")
        depth += 1
        var current = ""
        let width = 110 - depth * 4
        for element in elements {
            let piece = element + ","
            if !current.isEmpty && current.count + 1 + piece.count > width {
                line(current)
                current = piece
            } else {
                current = current.isEmpty ? piece : current + " " + piece
            }
        }
        if !current.isEmpty {
            line(current)
        }
        depth -= 1
        line("]" + tail)
    }

    /// Appends a `private static let` table read at first use from packed text (``PackedTable``):
    ///
    /// ```swift
    /// private static let names: [String] = PackedTable.strings(
    ///     count: 2,
    ///     """
    ///     shard-s0 shard-s1
    ///     """)
    /// ```
    ///
    /// For the tables no lookup reads on its way to a shard (names, databases, clusters,
    /// endpoints, members). Not an array literal: the type checker solves an array literal as one
    /// expression and the compiler emits code for each element, and the router of 4,096 shards'
    /// 43 literal tables cost most of its 13-15 s debug compile, where string literals cost a
    /// fraction of a second (docs/performance.md, "The generated router's tables as text").
    /// Reading a table takes microseconds to milliseconds, once per process.
    ///
    /// - Parameters:
    ///   - name: The table's name (`names`).
    ///   - values: The entries.
    mutating func packedTable(_ name: String, _ values: PackedTableValues) {
        line("private static let \(name): \(values.swiftType) = \(values.reader)(")
        packedArguments(values)
    }

    /// Appends a `private static let` table of endpoints (`[Endpoint]`, or `[Endpoint?]`) made
    /// once, at first use, from a table of hosts and one of ports, each returned by a function
    /// that reads it from packed text (``packedMaker(_:_:)``):
    ///
    /// ```swift
    /// private static let composePooler: [Endpoint] = zip(makeComposePoolerHosts(), makeComposePoolerPorts()).map {
    ///     Endpoint(host: $0, port: $1)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - name: The table's name (`composePooler`).
    ///   - optional: Whether the table is `[Endpoint?]`; it must be if an entry is `nil`.
    ///   - endpoints: Each entry's host and port, or `nil`.
    mutating func endpointTable(_ name: String, optional: Bool, _ endpoints: [(host: String, port: Int)?]) {
        precondition(optional || !endpoints.contains { $0 == nil }, "a nil endpoint in a table of non-optional endpoints")
        let hosts = name + "Hosts"
        let ports = name + "Ports"
        let type = optional ? "[Endpoint?]" : "[Endpoint]"
        line("private static let \(name): \(type) = zip(\(Self.maker(hosts))(), \(Self.maker(ports))()).map {")
        line(optional ? "    host, port in host.map { Endpoint(host: $0, port: port) }" : "    Endpoint(host: $0, port: $1)")
        line("}")
        packedMaker(hosts, optional ? .optionalStrings(endpoints.map { $0?.host }) : .strings(endpoints.compactMap { $0?.host }))
        packedMaker(ports, .integers(endpoints.map { $0?.port ?? 0 }))
    }

    /// The name of the function that returns the table `name`: `make` + the name capitalized.
    static func maker(_ name: String) -> String {
        "make" + name.prefix(1).uppercased() + name.dropFirst()
    }

    /// Appends the function named ``maker(_:)`` of `name` that reads the table `name` from packed
    /// text: for the parts of a table put together at first use (endpoints, members), which need
    /// not stay in memory once it is.
    ///
    /// - Parameters:
    ///   - name: The table's name (`composePoolerHosts`).
    ///   - values: The entries.
    mutating func packedMaker(_ name: String, _ values: PackedTableValues) {
        block("private static func \(Self.maker(name))() -> \(values.swiftType)") { out in
            out.line(values.reader + "(")
            out.packedArguments(values)
        }
    }

    /// Appends a packed reader's arguments, from `count:` to the closing parenthesis: the count,
    /// then the tokens as a multi-line string literal wrapped near 110 columns.
    private mutating func packedArguments(_ values: PackedTableValues) {
        depth += 1
        line(values.leadingArguments + ",")
        line("\"\"\"")
        for text in PackedTable.lines(values.tokens, width: 110 - depth * 4) {
            line(text)
        }
        line("\"\"\")")
        depth -= 1
    }

    /// The source text, ending with one newline (of a writer that keeps it in memory).
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
