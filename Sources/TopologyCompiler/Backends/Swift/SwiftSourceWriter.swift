import TopologyRuntime

/// Builds indented Swift source line by line.
struct SwiftSourceWriter {
    /// The lines so far.
    private(set) var lines: [String] = []
    /// The current indentation depth (four spaces each).
    private var depth = 0

    /// Appends a line at the current indentation (an empty string makes an empty line).
    mutating func line(_ text: String = "") {
        lines.append(text.isEmpty ? "" : String(repeating: "    ", count: depth) + text)
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
        depth += 1
        body(&self)
        depth -= 1
        line("}")
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

    /// The source text, ending with one newline (built in one buffer of its final size: the router
    /// of 4,096 shards is 20 MB).
    var text: String {
        var text = ""
        text.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        for line in lines {
            text += line
            text += "\n"
        }
        return text
    }
}
