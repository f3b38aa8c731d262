/// The diagnostic codes of artifact templates (`Templates/`, `topoc build --templates DIR`).
extension DiagnosticCode {
    /// A template is not well-formed Mustache, or uses what topoc's renderer does not support.
    public static let templateSyntax = DiagnosticCode(
        code: "TTP001", slug: "template-syntax", defaultSeverity: .error,
        summary: "A template is not well-formed Mustache, or uses a tag topoc does not render.",
        explanation: """
            topoc renders the Mustache subset documented in docs/templates.md: variables `{{name}}`, \
            sections `{{#name}}`/`{{^name}}`, comments, partials `{{>name}}`, parents `{{<name}}` and \
            blocks `{{$name}}`. Unescaped tags (`{{{name}}}`, `{{&name}}`) and delimiter changes are \
            refused, so that every value passes the artifact's quoting; a tag must open and close on \
            one line, and every section or block must be closed with its own name.
            """,
        source: "https://mustache.github.io/mustache.5.html")

    /// A template names a value its context does not have.
    public static let templateMissingValue = DiagnosticCode(
        code: "TTP002", slug: "template-missing-value", defaultSeverity: .error,
        summary: "A template names a value that its context does not hold.",
        explanation: """
            Plain Mustache renders an unknown name as nothing, which would silently drop a setting \
            from a configuration file. topoc refuses it instead. `topoc templates context NAME FILE` \
            prints a template's context for a topology, and docs/templates.md documents every field.
            """)

    /// A value cannot be written safely into the artifact's language.
    public static let templateUnsafeValue = DiagnosticCode(
        code: "TTP003", slug: "template-unsafe-value", defaultSeverity: .error,
        summary: "A value cannot be written safely where the template puts it.",
        explanation: """
            Values reach a template already quoted for the artifact's language by topoc's quoting \
            functions; the renderer refuses any value that would still end its line (a line break \
            or another control character), and a list or mapping written as a plain variable. Use \
            a section for lists and mappings.
            """)

    /// A template, partial or parent that does not exist.
    public static let templateUnknown = DiagnosticCode(
        code: "TTP004", slug: "template-unknown", defaultSeverity: .error,
        summary: "A template, partial or parent name that topoc does not bundle.",
        explanation: """
            An override folder holds files named after the bundled templates (`topoc templates list`) \
            with the `.mustache` extension; a partial or a parent names a bundled template. Any other \
            file name is a mistake (a misspelt override would otherwise be ignored silently).
            """)

    /// The Patroni overlay sets a key topoc owns.
    public static let templateOwnedKey = DiagnosticCode(
        code: "TTP005", slug: "template-owned-key", defaultSeverity: .error,
        summary: "The Patroni overlay sets a key that topoc derives from the topology.",
        explanation: """
            The `patroni.yml` template is an overlay merged into each member's configuration. The keys \
            that carry the topology's decisions (scope, namespace, name, the DCS hosts and timing, \
            synchronous mode and its count, permanent slots, addresses, credentials, pg_hba, the \
            nofailover and nosync tags, the watchdog) cannot be set there, nor can a mapping holding \
            them be replaced: change the topology instead. The location is in the overlay as rendered \
            for the member the message names.
            """)

    /// Every template code, in code order.
    public static let templateCodes: [DiagnosticCode] = [
        .templateSyntax, .templateMissingValue, .templateUnsafeValue, .templateUnknown, .templateOwnedKey,
    ]
}
