import CYaml

/// Builds a ``YAMLNode`` tree from libyaml's event stream.
///
/// topoc composes the tree itself, from the same libyaml events Yams uses, rather than through
/// `Yams.compose`, because it needs three things Yams does not give: a bound on alias expansion
/// checked before any node is hashed or walked (Yams hashes whole nodes to detect duplicate keys,
/// which never finishes for an alias bomb used as a key), duplicate keys reported at the
/// duplicate with a note at the first, and merge keys applied with the location of each merged
/// value kept. See docs/architecture.md.
struct YAMLComposer {
    private let file: String
    private let limits: ParseLimits

    init(file: String, limits: ParseLimits) {
        self.file = file
        self.limits = limits
    }

    /// Composes the single document of `bytes`; problems are appended to `diagnostics`.
    /// Returns nil when the document cannot be composed.
    func compose(_ bytes: [UInt8], diagnostics: inout [Diagnostic]) -> YAMLNode? {
        if bytes.count > limits.maxBytes {
            diagnostics.append(
                Diagnostic(
                    .inputTooComplex,
                    "the file is \(bytes.count) bytes; topoc reads at most \(limits.maxBytes) bytes",
                    at: SourceLocation(file: file, line: 1, column: 1)))
            return nil
        }
        return bytes.withUnsafeBufferPointer { buffer -> YAMLNode? in
            let session = ComposeSession(file: file, limits: limits, buffer: buffer)
            defer { session.close() }
            let root = session.composeDocument()
            diagnostics.append(contentsOf: session.diagnostics)
            return root
        }
    }
}

/// Thrown inside a compose session to stop at the first fatal problem.
private struct ComposeStop: Error {}

/// The mutable state of one composition: the libyaml parser, the anchors and the diagnostics.
private final class ComposeSession {
    let file: String
    let limits: ParseLimits
    var parser = yaml_parser_t()
    var diagnostics: [Diagnostic] = []
    var anchors: [String: (node: YAMLNode, weight: Int)] = [:]
    var expanded = 0

    let buffer: UnsafeBufferPointer<UInt8>

    init(file: String, limits: ParseLimits, buffer: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.limits = limits
        self.buffer = buffer
        yaml_parser_initialize(&parser)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
    }

    func close() {
        yaml_parser_delete(&parser)
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// Reports a tag that topoc does not read or that does not fit the node (TPC006); composing goes on.
    func checkTag(_ node: YAMLNode) {
        guard let tag = node.tag else { return }
        if let known = YAMLTag(rawValue: tag), known.fits(node.content) { return }
        diagnostics.append(
            Diagnostic(
                .unsupportedTag, "YAML tag \(YAMLTag.display(tag)) is not supported on \(node.untaggedKind); remove it",
                at: node.location))
    }

    func fail(_ code: DiagnosticCode, _ message: String, at location: SourceLocation) -> ComposeStop {
        diagnostics.append(Diagnostic(code, message, at: location))
        return ComposeStop()
    }

    /// One libyaml event, copied out of the C struct so that it can be released at once.
    struct Event {
        var type: yaml_event_type_t
        var start: SourceLocation
        var anchor: String?
        var tag: String?
        var value: String
        var style: YAMLNode.ScalarStyle
    }

    func next() throws(ComposeStop) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
            throw syntaxError()
        }
        defer { yaml_event_delete(&event) }
        var result = Event(
            type: event.type, start: location(event.start_mark), anchor: nil, tag: nil, value: "",
            style: .plain)
        switch event.type {
        case YAML_ALIAS_EVENT:
            result.anchor = string(event.data.alias.anchor)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            result.anchor = string(scalar.anchor)
            result.tag = string(scalar.tag)
            let bytes = UnsafeBufferPointer(start: scalar.value, count: scalar.length)
            result.value = String(decoding: bytes, as: UTF8.self)
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: result.style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: result.style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: result.style = .literal
            case YAML_FOLDED_SCALAR_STYLE: result.style = .folded
            default: result.style = .plain
            }
        case YAML_SEQUENCE_START_EVENT:
            result.anchor = string(event.data.sequence_start.anchor)
            result.tag = string(event.data.sequence_start.tag)
        case YAML_MAPPING_START_EVENT:
            result.anchor = string(event.data.mapping_start.anchor)
            result.tag = string(event.data.mapping_start.tag)
        default:
            break
        }
        return result
    }

    /// The line and column (in Unicode scalars) of a byte offset into the input.
    func location(ofByte offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in buffer.prefix(max(0, min(offset, buffer.count))) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    func syntaxError() -> ComposeStop {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) (\(context))"
        }
        if parser.error == YAML_READER_ERROR {
            return fail(.encoding, message, at: location(ofByte: Int(parser.problem_offset)))
        }
        if problem.contains("nesting level") {
            return fail(.inputTooComplex, "nesting deeper than libyaml's limit", at: location(parser.problem_mark))
        }
        return fail(.yamlSyntax, message, at: location(parser.problem_mark))
    }

    func composeDocument() -> YAMLNode? {
        do {
            var event = try next()  // stream start
            event = try next()
            if event.type == YAML_STREAM_END_EVENT {
                throw fail(.documentShape, "the file is empty; a topology needs at least `topology: NAME`", at: event.start)
            }
            let root = try node(from: try next(), depth: 0).node
            _ = try next()  // document end
            let after = try next()
            if after.type != YAML_STREAM_END_EVENT {
                throw fail(
                    .documentShape, "a topology file holds one YAML document; found another one here",
                    at: after.start)
            }
            return root
        } catch {
            return nil
        }
    }

    func count(_ weight: Int, at location: SourceLocation) throws(ComposeStop) {
        let (sum, overflow) = expanded.addingReportingOverflow(weight)
        expanded = overflow ? Int.max : sum
        if expanded > limits.maxExpandedNodes {
            throw fail(
                .inputTooComplex,
                "the document expands to more than \(limits.maxExpandedNodes) nodes through aliases; "
                    + "refusing to read it (alias bomb?)",
                at: location)
        }
    }

    func node(from event: Event, depth: Int) throws(ComposeStop) -> (node: YAMLNode, weight: Int) {
        switch event.type {
        case YAML_ALIAS_EVENT:
            guard let name = event.anchor, let target = anchors[name] else {
                throw fail(.yamlSyntax, "alias *\(event.anchor ?? "") refers to no anchor defined before it", at: event.start)
            }
            try count(target.weight, at: event.start)
            return target
        case YAML_SCALAR_EVENT:
            try count(1, at: event.start)
            let node = YAMLNode(content: .scalar(event.value, event.style), location: event.start, tag: event.tag)
            checkTag(node)
            register(event.anchor, node, weight: 1)
            return (node, 1)
        case YAML_SEQUENCE_START_EVENT:
            try checkDepth(depth, at: event.start)
            try count(1, at: event.start)
            var items: [YAMLNode] = []
            var weight = 1
            while true {
                let child = try next()
                if child.type == YAML_SEQUENCE_END_EVENT { break }
                let (item, itemWeight) = try node(from: child, depth: depth + 1)
                items.append(item)
                weight = weight.addingReportingOverflow(itemWeight).overflow ? Int.max : weight + itemWeight
            }
            let node = YAMLNode(content: .sequence(items), location: event.start, tag: event.tag)
            checkTag(node)
            register(event.anchor, node, weight: weight)
            return (node, weight)
        case YAML_MAPPING_START_EVENT:
            try checkDepth(depth, at: event.start)
            try count(1, at: event.start)
            let (node, weight) = try mapping(from: event, depth: depth)
            checkTag(node)
            register(event.anchor, node, weight: weight)
            return (node, weight)
        default:
            throw fail(.yamlSyntax, "unexpected YAML event", at: event.start)
        }
    }

    func checkDepth(_ depth: Int, at location: SourceLocation) throws(ComposeStop) {
        if depth >= limits.maxDepth {
            throw fail(.inputTooComplex, "nesting deeper than \(limits.maxDepth) levels", at: location)
        }
    }

    func register(_ anchor: String?, _ node: YAMLNode, weight: Int) {
        if let anchor { anchors[anchor] = (node, weight) }
    }

    func mapping(from start: Event, depth: Int) throws(ComposeStop) -> (YAMLNode, Int) {
        var explicit: [YAMLNode.Pair] = []
        var firstSeen: [String: SourceLocation] = [:]
        var merged: [[YAMLNode.Pair]] = []
        var weight = 1
        while true {
            let keyEvent = try next()
            if keyEvent.type == YAML_MAPPING_END_EVENT { break }
            let (key, keyWeight) = try node(from: keyEvent, depth: depth + 1)
            let (value, valueWeight) = try node(from: try next(), depth: depth + 1)
            let added = keyWeight.addingReportingOverflow(valueWeight)
            weight =
                added.overflow || weight.addingReportingOverflow(added.partialValue).overflow
                ? Int.max : weight + added.partialValue
            guard case .scalar(let text, let style) = key.content else {
                diagnostics.append(
                    Diagnostic(.wrongType, "mapping keys must be strings, found \(key.kindDescription)", at: key.location))
                continue
            }
            if text == "<<" && style == .plain && key.tag == nil {
                merged.append(try mergeSources(value))
                continue
            }
            if let first = firstSeen[text] {
                diagnostics.append(
                    Diagnostic(
                        .duplicateKey, "duplicate key '\(text)'", at: key.location,
                        notes: [.init("'\(text)' first defined here", at: first)]))
                continue
            }
            firstSeen[text] = key.location
            explicit.append(YAMLNode.Pair(key: key, value: value))
        }
        var pairs = explicit
        for source in merged {
            for pair in source {
                guard let text = pair.key.scalar, firstSeen[text] == nil else { continue }
                firstSeen[text] = pair.key.location
                pairs.append(pair)
            }
        }
        return (YAMLNode(content: .mapping(pairs), location: start.start, tag: start.tag), weight)
    }

    /// The pairs a merge key brings in: a mapping, or a list of mappings where earlier ones win.
    func mergeSources(_ value: YAMLNode) throws(ComposeStop) -> [YAMLNode.Pair] {
        switch value.content {
        case .mapping(let pairs):
            return pairs
        case .sequence(let items):
            var result: [YAMLNode.Pair] = []
            for item in items {
                guard case .mapping(let pairs) = item.content else {
                    throw fail(
                        .wrongType, "a merge key (<<) takes a mapping or a list of mappings, found \(item.kindDescription)",
                        at: item.location)
                }
                result.append(contentsOf: pairs)
            }
            return result
        case .scalar:
            throw fail(
                .wrongType, "a merge key (<<) takes a mapping or a list of mappings, found \(value.kindDescription)", at: value.location)
        }
    }
}
