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

    /// Appends a `private static let` table that a function the optimizer skips fills once, at first use:
    ///
    /// ```swift
    /// private static let names: [String] = makeNames()
    /// @_optimize(none)
    /// private static func makeNames() -> [String] {
    ///     ["shard-s0", "shard-s1"]
    /// }
    /// ```
    ///
    /// For the tables no lookup reads on its way to a shard (names, databases, endpoints). The
    /// compiler's optimizer turns a literal `static let` table into constant data, and doing so
    /// for the XL router's 256-entry tables of strings and endpoints cost about 6 of its 18 s of
    /// release compile (docs/performance.md, "The generated router's tables filled once"); filling one
    /// takes microseconds, once per process. The elements must be literals (strings, numbers,
    /// `nil`, enum cases): the type checker solves an array literal as one expression, and a
    /// literal of 4,096 initializer calls took it minutes and 22 GB
    /// (``endpointTableFilledOnce(_:optional:_:)``).
    ///
    /// - Parameters:
    ///   - name: The table's name (`names`); its function is `make` + the name capitalized.
    ///   - type: The table's Swift type (`[String]`).
    ///   - elements: The elements' literals.
    mutating func tableFilledOnce(_ name: String, type: String, _ elements: [String]) {
        line("private static let \(name): \(type) = \(Self.maker(name))()")
        literalMaker(name, type: type, elements)
    }

    /// Appends a `private static let` table of endpoints (`[Endpoint]`, or `[Endpoint?]`) made
    /// once, at first use, from a table of hosts and one of ports, each filled like
    /// ``tableFilledOnce(_:type:_:)``:
    ///
    /// ```swift
    /// private static let composePooler: [Endpoint] = zip(makeComposePoolerHosts(), makeComposePoolerPorts()).map {
    ///     Endpoint(host: $0, port: $1)
    /// }
    /// ```
    ///
    /// Not one literal of `Endpoint(host:port:)` calls: the type checker solves an array literal
    /// as one expression, and such a literal of 4,096 clusters took it 163 s and 22 GB where the
    /// two literal tables take 1.3 s and 172 MB (docs/performance.md, "The generated router at
    /// 4,096 shards").
    ///
    /// - Parameters:
    ///   - name: The table's name (`composePooler`).
    ///   - optional: Whether the table is `[Endpoint?]`; it must be if an entry is `nil`.
    ///   - endpoints: Each entry's host and port, or `nil`.
    mutating func endpointTableFilledOnce(_ name: String, optional: Bool, _ endpoints: [(host: String, port: Int)?]) {
        precondition(optional || !endpoints.contains { $0 == nil }, "a nil endpoint in a table of non-optional endpoints")
        let hosts = name + "Hosts"
        let ports = name + "Ports"
        let type = optional ? "[Endpoint?]" : "[Endpoint]"
        line("private static let \(name): \(type) = zip(\(Self.maker(hosts))(), \(Self.maker(ports))()).map {")
        line(optional ? "    host, port in host.map { Endpoint(host: $0, port: port) }" : "    Endpoint(host: $0, port: $1)")
        line("}")
        literalMaker(
            hosts, type: optional ? "[String?]" : "[String]",
            endpoints.map { $0.map { SwiftIdentifier.stringLiteral($0.host) } ?? "nil" })
        literalMaker(ports, type: "[Int]", endpoints.map { String($0?.port ?? 0) })
    }

    /// The name of the function that fills the table `name`: `make` + the name capitalized.
    static func maker(_ name: String) -> String {
        "make" + name.prefix(1).uppercased() + name.dropFirst()
    }

    /// Appends the `@_optimize(none)` function that returns the literal table `name`, named
    /// ``maker(_:)`` of it.
    mutating func literalMaker(_ name: String, type: String, _ elements: [String]) {
        line("@_optimize(none)")
        block("private static func \(Self.maker(name))() -> \(type)") { out in
            out.arrayLiteral("", elements)
        }
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
