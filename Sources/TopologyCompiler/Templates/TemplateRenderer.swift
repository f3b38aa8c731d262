/// Renders a ``MustacheTemplate`` strictly: a name the context lacks is an error, not an empty
/// string, and every value passes the artifact language's check before it is written.
struct TemplateRenderer {
    /// A block body and the file it was written in.
    typealias Block = (nodes: [MustacheTemplate.Node], file: String)

    /// The templates partials and parents name.
    var library: [String: MustacheTemplate]
    /// The artifact's language.
    var language: TemplateLanguage

    /// The text of `template` over `context`.
    func render(_ template: MustacheTemplate, context: TemplateValue) throws(TemplateError) -> String {
        var out = ""
        try render(template.nodes, file: template.file, stack: [context], blocks: [:], depth: 0, into: &out)
        return out
    }

    private func render(
        _ nodes: [MustacheTemplate.Node], file: String, stack: [TemplateValue], blocks: [String: Block], depth: Int,
        into out: inout String
    ) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .variable(let name, let at):
                let value = try lookup(name, in: stack, file: file, at: at)
                out += try written(value, name: name, file: file, at: at)
            case .section(let name, let inverted, let body, let at):
                let value = try lookup(name, in: stack, file: file, at: at)
                if inverted {
                    if !value.isTruthy { try render(body, file: file, stack: stack, blocks: blocks, depth: depth, into: &out) }
                    continue
                }
                switch value {
                case .list(let items):
                    for item in items {
                        try render(body, file: file, stack: stack + [item], blocks: blocks, depth: depth, into: &out)
                    }
                case .bool(true):
                    try render(body, file: file, stack: stack, blocks: blocks, depth: depth, into: &out)
                case _ where value.isTruthy:
                    try render(body, file: file, stack: stack + [value], blocks: blocks, depth: depth, into: &out)
                default:
                    continue
                }
            case .block(let name, let body, _):
                if let override = blocks[name] {
                    try render(override.nodes, file: override.file, stack: stack, blocks: blocks, depth: depth, into: &out)
                } else {
                    try render(body, file: file, stack: stack, blocks: blocks, depth: depth, into: &out)
                }
            case .partial(let name, let at):
                let partial = try template(name, file: file, at: at, depth: depth)
                try render(partial.nodes, file: partial.file, stack: stack, blocks: blocks, depth: depth + 1, into: &out)
            case .parent(let name, let ownBlocks, let at):
                let parent = try template(name, file: file, at: at, depth: depth)
                // An outer override wins over an inner one (Mustache inheritance).
                var merged = blocks
                for block in ownBlocks where merged[block.name] == nil { merged[block.name] = (block.nodes, file) }
                try render(parent.nodes, file: parent.file, stack: stack, blocks: merged, depth: depth + 1, into: &out)
            }
        }
    }

    private func template(_ name: String, file: String, at: MustacheTemplate.TagPosition, depth: Int) throws(TemplateError)
        -> MustacheTemplate
    {
        guard depth < 16 else {
            throw TemplateError(.templateSyntax, "partials and parents nest deeper than 16", file: file, line: at.line, column: at.column)
        }
        guard let template = library[name] else {
            throw TemplateError(
                .templateUnknown, "no bundled template is named '\(name)'", file: file, line: at.line, column: at.column)
        }
        return template
    }

    /// `name` looked up as Mustache does: its first part in the innermost object that has it, the
    /// other parts inside that value.
    private func lookup(_ name: String, in stack: [TemplateValue], file: String, at: MustacheTemplate.TagPosition)
        throws(TemplateError) -> TemplateValue
    {
        if name == ".", let top = stack.last { return top }
        let parts = name.split(separator: ".").map(String.init)
        guard let first = parts.first, var value = stack.reversed().lazy.compactMap({ $0.member(first) }).first else {
            throw TemplateError(
                .templateMissingValue, "the context has no value '\(name)'", file: file, line: at.line, column: at.column)
        }
        for part in parts.dropFirst() {
            guard let member = value.member(part) else {
                throw TemplateError(
                    .templateMissingValue, "the context has no value '\(name)'", file: file, line: at.line, column: at.column)
            }
            value = member
        }
        return value
    }

    /// A scalar as the artifact's text.
    private func written(_ value: TemplateValue, name: String, file: String, at: MustacheTemplate.TagPosition)
        throws(TemplateError) -> String
    {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number
        case .bool(let bool): text = bool ? "true" : "false"
        case .null, .list, .object:
            throw TemplateError(
                .templateUnsafeValue, "'\(name)' is not a single value; use a section", file: file, line: at.line,
                column: at.column)
        }
        guard let safe = language.escape(text) else {
            throw TemplateError(
                .templateUnsafeValue, "the value of '\(name)' cannot be written safely into \(language.rawValue) text",
                file: file, line: at.line, column: at.column)
        }
        return safe
    }
}
