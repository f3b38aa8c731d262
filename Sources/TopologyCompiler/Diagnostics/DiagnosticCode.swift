/// A stable diagnostic code with its slug, default severity and explanation.
///
/// Codes never change meaning once released. `TPC` codes belong to the language
/// (parsing and decoding); the rule catalog adds its own families.
public struct DiagnosticCode: Sendable, Hashable, CustomStringConvertible {
    /// The code, such as `TPC010`.
    public var code: String
    /// A short kebab-case name, such as `unknown-key`.
    public var slug: String
    /// The severity used unless the project overrides it.
    public var defaultSeverity: Severity
    /// One line saying what the code means.
    public var summary: String
    /// A paragraph: why it matters and how to fix it.
    public var explanation: String
    /// The document that states the underlying fact, if any.
    public var source: String?

    /// Creates a code.
    public init(
        code: String,
        slug: String,
        defaultSeverity: Severity,
        summary: String,
        explanation: String,
        source: String? = nil
    ) {
        self.code = code
        self.slug = slug
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.explanation = explanation
        self.source = source
    }

    /// `CODE slug`.
    public var description: String { "\(code) \(slug)" }

    public static func == (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
