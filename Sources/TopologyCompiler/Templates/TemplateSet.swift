import Foundation

/// The artifact templates a build renders with: the bundled ones (`Templates/`, embedded in the
/// binary), each optionally replaced by a user's file from `topoc build --templates DIR`.
///
/// A user's file usually starts with `{{<NAME}}` and overrides only some blocks of the bundled
/// template, so every line the bundled template adds later still reaches it; a file without a
/// parent replaces the whole template.
public struct TemplateSet: Sendable {
    /// The bundled templates, by name.
    let bundled: [String: MustacheTemplate]
    /// The user's overrides, by name.
    let overrides: [String: MustacheTemplate]

    /// The templates embedded in the binary (``BundledTemplates``).
    public static let bundled: TemplateSet = {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in BundledTemplates.sources {
            // A test parses every bundled template; one that failed would render as an error.
            if let template = try? MustacheTemplate(text: text, file: "Templates/\(name).mustache") {
                templates[name] = template
            }
        }
        return TemplateSet(bundled: templates, overrides: [:])
    }()

    /// The templates a build renders with (bundled unless a build installs overrides).
    @TaskLocal public static var current: TemplateSet = .bundled

    /// The errors of the renders in a build (``TemplateSet/collectingErrors(_:)``).
    @TaskLocal static var errors: TemplateErrorLog?

    /// The names of the bundled templates, sorted.
    public static var names: [String] { BundledTemplates.sources.keys.sorted() }

    /// The bundled set with the `.mustache` files of `directory` as overrides. Every file is parsed
    /// and must be named after a bundled template.
    public static func loading(directory: String) throws -> TemplateSet {
        var overrides: [String: MustacheTemplate] = [:]
        var errors: [TemplateError] = []
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw IOFailure(message: "\(directory): cannot be read as a folder")
        }
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            guard file.hasSuffix(".mustache"), BundledTemplates.sources[String(file.dropLast(9))] != nil else {
                errors.append(
                    TemplateError(
                        .templateUnknown,
                        "'\(file)' overrides no bundled template (topoc templates list names them, with the extension .mustache)",
                        file: path, line: 1, column: 1))
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw IOFailure(message: "\(path): cannot be read")
            }
            let name = String(file.dropLast(9))
            do {
                let template = try MustacheTemplate(text: String(decoding: data, as: UTF8.self), file: path)
                errors += misspeltBlocks(of: template)
                overrides[name] = template
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw TemplateErrors(errors: errors) }
        return TemplateSet(bundled: TemplateSet.bundled.bundled, overrides: overrides)
    }

    /// The blocks an override file names that its parent does not define (a misspelt block would
    /// otherwise be ignored), and a parent that is not bundled.
    private static func misspeltBlocks(of template: MustacheTemplate) -> [TemplateError] {
        guard let parent = template.parentOverride else { return [] }
        guard let bundled = TemplateSet.bundled.bundled[parent.name] else {
            return [
                TemplateError(
                    .templateUnknown, "no bundled template is named '\(parent.name)'", file: template.file,
                    line: parent.position.line, column: parent.position.column)
            ]
        }
        let known = bundled.blockNames
        return parent.blocks.filter { !known.contains($0.name) }.map { block in
            TemplateError(
                .templateUnknown,
                "'\(parent.name)' has no block '\(block.name)'; its blocks: \(known.sorted().joined(separator: ", "))",
                file: template.file, line: block.position.line, column: block.position.column)
        }
    }

    /// The text of template `name` over `context`.
    public func render(_ name: String, context: some Encodable, language: TemplateLanguage) throws -> String {
        guard let template = overrides[name] ?? bundled[name] else {
            throw TemplateError(.templateUnknown, "no bundled template is named '\(name)'", file: "Templates", line: 1, column: 1)
        }
        return try TemplateRenderer(library: bundled, language: language).render(template, context: TemplateValue.of(context))
    }

    /// Renders with the current set; an error is logged for the build (``collectingErrors(_:)``)
    /// and the artifact left empty.
    static func renderCurrent(_ name: String, context: some Encodable, language: TemplateLanguage) -> String {
        do {
            return try current.render(name, context: context, language: language)
        } catch let error as TemplateError {
            errors?.append(error)
        } catch {
            errors?.append(TemplateError(.templateUnknown, "\(error)", file: "Templates/\(name).mustache", line: 1, column: 1))
        }
        return ""
    }

    /// Logs an error for the build (found after rendering, such as an overlay's owned key).
    static func log(_ error: TemplateError) { errors?.append(error) }

    /// The file a template is read from: the override's path, or its bundled name.
    func file(of name: String) -> String { overrides[name]?.file ?? "Templates/\(name).mustache" }

    /// Runs `body` with this set as the current one, returning its result and every template error
    /// its renders met.
    public func collectingErrors<Result>(_ body: () throws -> Result) rethrows -> (Result, [TemplateError]) {
        let log = TemplateErrorLog()
        let result = try TemplateSet.$current.withValue(self) {
            try TemplateSet.$errors.withValue(log) { try body() }
        }
        return (result, log.all)
    }
}

/// Several template errors, one diagnostic each.
public struct TemplateErrors: Error, Sendable, CustomStringConvertible {
    /// The errors.
    public var errors: [TemplateError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The template errors of one build (renders may run on any thread).
final class TemplateErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [TemplateError] = []

    func append(_ error: TemplateError) { lock.withLock { errors.append(error) } }

    var all: [TemplateError] { lock.withLock { errors } }
}
