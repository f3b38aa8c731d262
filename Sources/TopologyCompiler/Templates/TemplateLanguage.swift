/// The language of a templated artifact, which decides how a value is checked on its way in.
///
/// Values reach a template already quoted for their place by the one quoting function of the
/// language (``IniQuoting``, ``CommentQuoting``, …) when the context is built; the renderer then
/// refuses anything that could still end its line, which every one of these line-based formats
/// would read as a new setting or instruction. Nothing is HTML-escaped.
public enum TemplateLanguage: String, Sendable, Codable {
    /// HAProxy's configuration.
    case haproxy
    /// PgBouncer's ini file.
    case ini
    /// A Dockerfile.
    case dockerfile
    /// Markdown (the deployment README).
    case markdown
    /// YAML (the Patroni overlay; strings arrive as ``YAMLQuoting/scalar(_:)`` scalars).
    case yaml

    /// `text` as it may be written, or nil when it cannot stay on its line: a value holding a
    /// line break or another control character (``CommentQuoting/line(_:)`` would have to change
    /// it) is refused.
    func escape(_ text: String) -> String? {
        CommentQuoting.line(text) == text ? text : nil
    }
}
