/// Collects diagnostics while decoding and offers typed readers over YAML nodes.
///
/// Every reader reports a located diagnostic and returns nil on a bad value, so decoding
/// goes on and reports every problem of the file in one run.
final class DecodingContext {
    private(set) var diagnostics: [Diagnostic] = []

    func report(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation, severity: Severity? = nil,
        notes: [Diagnostic.Note] = [], fixIt: FixIt? = nil
    ) {
        diagnostics.append(Diagnostic(code, message, at: location, severity: severity, notes: notes, fixIt: fixIt))
    }

    func wrongType(_ node: YAMLNode, expected: String, key: String?) {
        let subject = key.map { "'\($0)' expects" } ?? "expected"
        report(.wrongType, "\(subject) \(expected), found \(node.kindDescription)", at: node.location)
    }

    // MARK: Scalars

    /// A string from any non-null scalar.
    func string(_ node: YAMLNode, key: String?) -> Located<String>? {
        guard case .scalar(let text, _) = node.content, !node.isNull else {
            wrongType(node, expected: "a string", key: key)
            return nil
        }
        return Located(text, at: node.location)
    }

    /// An integer in a range, written without quotes.
    func int(_ node: YAMLNode, key: String?, range: ClosedRange<Int>) -> Located<Int>? {
        guard case .scalar(let text, .plain) = node.content, node.tag == nil || node.tag == YAMLTag.integer.rawValue,
            let spelling = IntegerSpelling(text)
        else {
            wrongType(node, expected: "an integer", key: key)
            return nil
        }
        let value: Int
        switch spelling {
        case .decimal(let decimal): value = decimal
        case .outOfRange:
            report(
                .invalidValue,
                "'\(key ?? "value")' is out of range: it must be between \(range.lowerBound) and \(range.upperBound), found \(text)",
                at: node.location)
            return nil
        case .otherBase(let base):
            report(.wrongType, "'\(key ?? "value")' expects a decimal integer, found \(text) in \(base) notation", at: node.location)
            return nil
        }
        guard range.contains(value) else {
            report(
                .invalidValue, "'\(key ?? "value")' must be between \(range.lowerBound) and \(range.upperBound), found \(value)",
                at: node.location)
            return nil
        }
        return Located(value, at: node.location)
    }

    /// A boolean: `true` or `false`.
    func bool(_ node: YAMLNode, key: String?) -> Located<Bool>? {
        if case .scalar(let text, .plain) = node.content, node.tag == nil || node.tag == YAMLTag.boolean.rawValue {
            switch text {
            case "true", "True", "TRUE": return Located(true, at: node.location)
            case "false", "False", "FALSE": return Located(false, at: node.location)
            case "yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off":
                report(.wrongType, "'\(key ?? "value")' expects a boolean; write true or false, not '\(text)'", at: node.location)
                return nil
            default: break
            }
        }
        wrongType(node, expected: "a boolean (true or false)", key: key)
        return nil
    }

    /// A value of a string enum, with a suggestion for near misses.
    func choice<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, key: String?, as type: E.Type) -> Located<E>?
    where E.RawValue == String {
        guard let text = string(node, key: key) else { return nil }
        if let value = E(rawValue: text.value) { return Located(value, at: text.location) }
        let allowed = E.allCases.map(\.rawValue)
        let hint = Suggestions.hint(for: text.value, in: allowed)
        report(
            .invalidValue,
            "'\(text.value)' is not a valid \(key.map { "'\($0)'" } ?? "value")\(hint) (expected one of: \(allowed.joined(separator: ", ")))",
            at: text.location, fixIt: Suggestions.fixIt(for: text, in: allowed))
        return nil
    }

    /// A duration such as `10s`.
    func duration(_ node: YAMLNode, key: String?) -> Located<TimeSpan>? {
        guard case .scalar(let text, _) = node.content, !node.isNull else {
            wrongType(node, expected: "a duration such as 10s", key: key)
            return nil
        }
        guard let value = TimeSpan(parsing: text) else {
            let hint = Int(text) != nil ? "; add a unit, for example \(text)s" : ""
            report(.invalidQuantity, "'\(text)' is not a duration (use ms, s, m, h or d, as in 10s)\(hint)", at: node.location)
            return nil
        }
        return Located(value, at: node.location)
    }

    /// A size such as `1MB`.
    func size(_ node: YAMLNode, key: String?) -> Located<ByteSize>? {
        guard case .scalar(let text, _) = node.content, !node.isNull else {
            wrongType(node, expected: "a size such as 1MB", key: key)
            return nil
        }
        guard let value = ByteSize(parsing: text) else {
            report(.invalidQuantity, "'\(text)' is not a size (use B, kB, MB, GB or TB, as in 16MB)", at: node.location)
            return nil
        }
        return Located(value, at: node.location)
    }

    /// A date `YYYY-MM-DD`.
    func date(_ node: YAMLNode, key: String?) -> Located<CalendarDate>? {
        guard let text = string(node, key: key) else { return nil }
        guard let value = CalendarDate(parsing: text.value) else {
            report(.invalidQuantity, "'\(text.value)' is not a date; write YYYY-MM-DD", at: node.location)
            return nil
        }
        return Located(value, at: node.location)
    }

    /// A name following the naming rules of `kind`.
    func name(_ node: YAMLNode, key: String?, kind: NameRules.Kind, what: String) -> Located<String>? {
        guard let text = string(node, key: key) else { return nil }
        return checkName(text, kind: kind, what: what)
    }

    /// Checks an already read name.
    func checkName(_ text: Located<String>, kind: NameRules.Kind, what: String) -> Located<String>? {
        guard let problem = NameRules.problem(with: text.value, kind: kind) else { return text }
        let shown = String(text.value.unicodeScalars.prefix(80).map(Character.init)).debugDescription
        let code: DiagnosticCode =
            kind == .environment
            ? .invalidEnvironmentName
            : text.value.utf8.count > NameRules.maxIdentifierBytes ? .identifierTooLong : .invalidIdentifier
        report(code, "\(what) \(shown) \(problem)", at: text.location)
        return nil
    }

    /// A string in one of the strict grammars of ``ValueGrammar``: `problem` says why a value is
    /// outside it (reported as ``DiagnosticCode/unsafeValue`` at the value), or returns nil.
    func value(_ node: YAMLNode, key: String, problem: (String) -> String?) -> Located<String>? {
        guard let text = string(node, key: key) else { return nil }
        if let problem = problem(text.value) {
            report(.unsafeValue, "'\(key)' \(problem)", at: text.location)
            return nil
        }
        return text
    }

    /// A SQL fragment that cannot break out of its statement.
    func sql(_ node: YAMLNode, key: String?) -> Located<String>? {
        guard let text = string(node, key: key) else { return nil }
        if let problem = SQLFragment.problem(with: text.value) {
            report(.unsafeSQLFragment, "'\(key ?? "sql")': \(problem)", at: text.location)
            return nil
        }
        return text
    }

    // MARK: Collections

    /// A list; a single scalar is accepted as a list of one when `singleAllowed`.
    func list(_ node: YAMLNode, key: String?, singleAllowed: Bool = false) -> [YAMLNode]? {
        switch node.content {
        case .sequence(let items): return items
        case .scalar where singleAllowed && !node.isNull: return [node]
        default:
            wrongType(node, expected: "a list", key: key)
            return nil
        }
    }

    /// A list of names, reporting duplicates.
    func names(
        _ node: YAMLNode, key: String?, kind: NameRules.Kind, what: String, singleAllowed: Bool = false,
        atLeastOne: Bool = false
    ) -> [Located<String>] {
        guard let items = list(node, key: key, singleAllowed: singleAllowed) else { return [] }
        if atLeastOne && items.isEmpty {
            report(.invalidValue, "'\(key ?? "list")' needs at least one \(what)", at: node.location)
        }
        var seen: [String: SourceLocation] = [:]
        var result: [Located<String>] = []
        for item in items {
            guard let name = name(item, key: key, kind: kind, what: what) else { continue }
            if let first = seen[name.value] {
                report(
                    .duplicateName, "\(what) '\(name.value)' is listed twice", at: name.location,
                    notes: [.init("first listed here", at: first)])
                continue
            }
            seen[name.value] = name.location
            result.append(name)
        }
        return result
    }

    /// The entries of a mapping whose keys are names (tables, clusters...), in file order.
    func namedEntries(_ node: YAMLNode, key: String, kind: NameRules.Kind, what: String) -> [(Located<String>, YAMLNode)] {
        guard case .mapping(let pairs) = node.content else {
            if !node.isNull { wrongType(node, expected: "a mapping keyed by \(what)", key: key) }
            return []
        }
        var result: [(Located<String>, YAMLNode)] = []
        for pair in pairs {
            guard let name = name(pair.key, key: nil, kind: kind, what: what) else { continue }
            result.append((name, pair.value))
        }
        return result
    }

    /// Reads a mapping of a grammar section; unknown keys are reported when `body` returns.
    func mapping<T>(_ node: YAMLNode, section: GrammarSection, key: String?, _ body: (inout MappingReader) -> T?) -> T? {
        guard case .mapping(let pairs) = node.content else {
            wrongType(node, expected: "a mapping (\(section.displayName))", key: key)
            return nil
        }
        var reader = MappingReader(context: self, section: section, pairs: pairs, location: node.location)
        let result = body(&reader)
        reader.reportUnknownKeys()
        return result
    }
}

/// Reads the keys of one mapping; keys not taken are reported as unknown.
struct MappingReader {
    let context: DecodingContext
    let section: GrammarSection
    let pairs: [YAMLNode.Pair]
    /// Where the mapping starts.
    let location: SourceLocation
    private var taken: Set<String> = []

    init(context: DecodingContext, section: GrammarSection, pairs: [YAMLNode.Pair], location: SourceLocation) {
        self.context = context
        self.section = section
        self.pairs = pairs
        self.location = location
    }

    /// The value of `key`, if present (a null value counts as absent).
    mutating func value(_ key: String) -> YAMLNode? {
        precondition(section.keys.contains(key), "\(key) is not in the grammar of \(section)")
        taken.insert(key)
        guard let pair = pairs.first(where: { $0.key.scalar == key }), !pair.value.isNull else { return nil }
        return pair.value
    }

    /// The location of `key` itself, if present.
    func keyLocation(_ key: String) -> SourceLocation? {
        pairs.first { $0.key.scalar == key }?.key.location
    }

    /// The value of a required key; reports it missing at the mapping.
    mutating func required(_ key: String) -> YAMLNode? {
        if let node = value(key) { return node }
        if let present = keyLocation(key) {
            context.report(.missingKey, "'\(key)' needs a value", at: present)
        } else {
            context.report(.missingKey, "\(section.displayName) needs '\(key)'", at: location)
        }
        return nil
    }

    func reportUnknownKeys() {
        for pair in pairs {
            guard let key = pair.key.scalar, !taken.contains(key) else { continue }
            if section == .topology && key.hasPrefix("x-") {
                if key.lowercased().contains("password"), case .scalar = pair.value.content, !pair.value.isNull {
                    context.report(
                        .literalSecret, "'\(key)': passwords are never written in a topology, not even in x- blocks",
                        at: pair.key.location)
                }
                continue
            }
            if key.lowercased().contains("password") || key.lowercased() == "secret" {
                context.report(
                    .literalSecret,
                    "'\(key)': passwords are never written in a topology; declare the secret under `secrets:` as { env: VARIABLE }",
                    at: pair.key.location)
                continue
            }
            let hint = Suggestions.hint(for: key, in: section.keys)
            context.report(
                .unknownKey, "unknown key '\(key)' in \(section.displayName)\(hint)", at: pair.key.location,
                fixIt: Suggestions.fixIt(for: Located(key, at: pair.key.location), in: section.keys))
        }
    }
}
