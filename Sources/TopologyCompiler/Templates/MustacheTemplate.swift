/// A parsed template: the Mustache subset topoc renders (docs/templates.md).
///
/// Variables `{{name}}` (dotted names reach into objects), sections `{{#name}}` and inverted
/// sections `{{^name}}`, comments `{{! ... }}`, partials `{{>name}}`, and inheritance: a parent
/// `{{<name}} ... {{/name}}` whose blocks `{{$block}} ... {{/block}}` replace the parent's blocks
/// of the same name. Unescaped tags and delimiter changes are refused. A tag other than a variable
/// that stands alone on its line takes the whole line with it (Mustache's standalone rule).
public struct MustacheTemplate: Sendable {
    /// One piece of a template.
    indirect enum Node: Sendable {
        case text(String)
        case variable(String, TagPosition)
        case section(String, inverted: Bool, [Node], TagPosition)
        case partial(String, TagPosition)
        case parent(String, blocks: [Block], TagPosition)
        case block(String, [Node], TagPosition)
    }

    /// A block a parent tag overrides.
    struct Block: Sendable {
        var name: String
        var nodes: [Node]
        var position: TagPosition
    }

    /// Where a tag starts.
    struct TagPosition: Sendable {
        var line: Int
        var column: Int
    }

    /// The file name diagnostics name (a bundled `Templates/NAME.mustache` or a user's file).
    public var file: String
    /// The parsed nodes.
    var nodes: [Node]

    /// The names of the blocks the template defines, at any depth.
    var blockNames: Set<String> {
        func names(_ nodes: [Node]) -> Set<String> {
            nodes.reduce(into: Set<String>()) { result, node in
                switch node {
                case .block(let name, let body, _):
                    result.insert(name)
                    result.formUnion(names(body))
                case .section(_, _, let body, _): result.formUnion(names(body))
                case .parent(_, let blocks, _): for block in blocks { result.formUnion(names(block.nodes)) }
                default: break
                }
            }
        }
        return names(nodes)
    }

    /// The parent a template overrides, with its blocks, when the template is only a parent tag
    /// (an override file: `{{<NAME}} {{$block}}...{{/block}} {{/NAME}}`).
    var parentOverride: (name: String, blocks: [Block], position: TagPosition)? {
        let significant = nodes.filter { node in
            if case .text(let text) = node { return !text.allSatisfy(\.isWhitespace) }
            return true
        }
        guard significant.count == 1, case .parent(let name, let blocks, let position) = significant[0] else { return nil }
        return (name, blocks, position)
    }

    /// Parses a template's text.
    public init(text: String, file: String) throws(TemplateError) {
        self.file = file
        nodes = try MustacheParser(file: file).parse(text)
    }
}

/// The parser behind ``MustacheTemplate``.
struct MustacheParser {
    var file: String

    /// A tag as written: its sigil (nil for a variable) and name.
    private struct Tag {
        var sigil: Character?
        var name: String
        var position: MustacheTemplate.TagPosition
    }

    private enum Piece {
        case text(String)
        case tag(Tag)
    }

    func parse(_ text: String) throws(TemplateError) -> [MustacheTemplate.Node] {
        var pieces: [Piece] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithBreak = lines.last == ""
        if endsWithBreak { lines.removeLast() }
        for (offset, line) in lines.enumerated() {
            let hasBreak = endsWithBreak || offset < lines.count - 1
            pieces += try scan(line: line, number: offset + 1, hasBreak: hasBreak)
        }
        var index = 0
        let nodes = try build(pieces, &index, closing: nil)
        return nodes
    }

    /// The pieces of one line (with its line break), applying the standalone rule.
    private func scan(line: String, number: Int, hasBreak: Bool) throws(TemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(line)
        var column = 1
        while let open = rest.range(of: "{{") {
            let before = rest[..<open.lowerBound]
            if !before.isEmpty { pieces.append(.text(String(before))) }
            column += before.count
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError(.templateSyntax, "the tag is not closed on its line", file: file, line: number, column: column)
            }
            let inner = String(rest[open.upperBound..<close.lowerBound])
            pieces.append(.tag(try tag(inner, line: number, column: column)))
            column += inner.count + 4
            rest = rest[close.upperBound...]
        }
        let tags = pieces.compactMap { piece -> Tag? in
            if case .tag(let tag) = piece { return tag }
            return nil
        }
        let onlySpace = pieces.allSatisfy { piece in
            if case .text(let text) = piece { return text.allSatisfy { $0 == " " || $0 == "\t" } }
            return true
        }
        if tags.count == 1, tags[0].sigil != nil, onlySpace, rest.allSatisfy({ $0 == " " || $0 == "\t" }) {
            return [.tag(tags[0])]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        if hasBreak { pieces.append(.text("\n")) }
        return pieces
    }

    private func tag(_ inner: String, line: Int, column: Int) throws(TemplateError) -> Tag {
        let position = MustacheTemplate.TagPosition(line: line, column: column)
        guard let first = inner.first else {
            throw TemplateError(.templateSyntax, "an empty tag", file: file, line: line, column: column)
        }
        if "{&=".contains(first) {
            throw TemplateError(
                .templateSyntax, "'{{\(first)' is not supported: every value passes the artifact's quoting", file: file,
                line: line, column: column)
        }
        let sigil: Character? = "#^/!><$".contains(first) ? first : nil
        let name = String(sigil == nil ? Substring(inner) : inner.dropFirst()).trimmingCharacters(in: " ")
        if sigil != "!" {
            let valid = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
            guard valid else {
                throw TemplateError(.templateSyntax, "'\(name)' is not a valid name", file: file, line: line, column: column)
            }
        }
        return Tag(sigil: sigil, name: name, position: position)
    }

    /// The nodes up to the tag closing `closing` (or the end).
    private func build(_ pieces: [Piece], _ index: inout Int, closing: Tag?) throws(TemplateError) -> [MustacheTemplate.Node] {
        var nodes: [MustacheTemplate.Node] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            switch piece {
            case .text(let text):
                if case .text(let previous) = nodes.last {
                    nodes[nodes.count - 1] = .text(previous + text)
                } else {
                    nodes.append(.text(text))
                }
            case .tag(let tag):
                switch tag.sigil {
                case nil: nodes.append(.variable(tag.name, tag.position))
                case "!": continue
                case ">": nodes.append(.partial(tag.name, tag.position))
                case "/":
                    guard let closing, closing.name == tag.name else {
                        throw TemplateError(
                            .templateSyntax,
                            closing.map { "'{{/\(tag.name)}}' closes '\($0.name)' opened at line \($0.position.line)" }
                                ?? "'{{/\(tag.name)}}' closes nothing",
                            file: file, line: tag.position.line, column: tag.position.column)
                    }
                    return nodes
                case "<":
                    let children = try build(pieces, &index, closing: tag)
                    var blocks: [MustacheTemplate.Block] = []
                    for child in children {
                        if case .block(let name, let body, let position) = child {
                            blocks.append(MustacheTemplate.Block(name: name, nodes: body, position: position))
                        }
                    }
                    nodes.append(.parent(tag.name, blocks: blocks, tag.position))
                case "$": nodes.append(.block(tag.name, try build(pieces, &index, closing: tag), tag.position))
                default:
                    let children = try build(pieces, &index, closing: tag)
                    nodes.append(.section(tag.name, inverted: tag.sigil == "^", children, tag.position))
                }
            }
        }
        if let closing {
            throw TemplateError(
                .templateSyntax, "'\(closing.name)' is never closed", file: file, line: closing.position.line,
                column: closing.position.column)
        }
        return nodes
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
