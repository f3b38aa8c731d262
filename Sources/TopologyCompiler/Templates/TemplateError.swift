/// A template that cannot be parsed or rendered, located at the tag that causes it.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The diagnostic: `template:line:col: error: message [CODE]`.
    public var diagnostic: Diagnostic

    /// Creates an error at a template position.
    init(_ code: DiagnosticCode, _ message: String, file: String, line: Int, column: Int) {
        diagnostic = Diagnostic(code, message, at: SourceLocation(file: file, line: line, column: column))
    }

    public var description: String { diagnostic.rendered }
}
