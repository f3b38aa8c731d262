/// Renders docs/rules.md from the catalog, so the document cannot drift from the code
/// (a test compares them; `topoc explain --all --markdown` prints it).
public enum RulesDocument {
    /// The families of codes, by prefix, in document order.
    static let families: [(prefix: String, title: String)] = [
        ("TPC", "Language (parsing and decoding)"),
        ("TPG", "PostgreSQL"),
        ("TCD", "Change data capture"),
        ("THA", "High availability and CAP"),
        ("TSH", "Sharding"),
        ("TPB", "Pooling"),
        ("TTN", "Tenancy"),
        ("TKS", "Kubernetes target (CloudNativePG)"),
        ("TLS", "Transport security (TLS)"),
        ("TLV", "Live checks of a running deployment (`topoc check --live`)"),
        ("TBK", "Backups"),
        ("TTP", "Artifact templates (`topoc build --templates`, docs/templates.md)"),
    ]

    /// The Markdown document.
    public static func markdown() -> String {
        var lines = [
            "# Diagnostic codes and rules",
            "",
            "Generated from the catalog in the source (`topoc explain --all --markdown`); a test keeps this file in sync.",
            "Every code can be explained with `topoc explain CODE`. Rules can be silenced for one object with",
            "`suppress: [{ rule: CODE, reason: \"why\" }]` and re-levelled for the project under `rules:`",
            "(`error`, `warning`, `note` or `off`); language codes (TPC) cannot be lowered.",
            "",
        ]
        let all = DiagnosticCatalog.all
        for family in families {
            let codes = all.filter { $0.code.hasPrefix(family.prefix) }
            guard !codes.isEmpty else { continue }
            lines.append("## \(family.title)")
            lines.append("")
            lines.append("| code | slug | default | summary |")
            lines.append("|---|---|---|---|")
            for code in codes {
                lines.append(
                    "| [\(code.code)](#\(code.code.lowercased())) | `\(code.slug)` | \(code.defaultSeverity.rawValue) | \(code.summary) |")
            }
            lines.append("")
            for code in codes {
                lines.append("### \(code.code)")
                lines.append("")
                lines.append("`\(code.slug)` (default: \(code.defaultSeverity.rawValue)). \(code.summary)")
                lines.append("")
                lines.append(code.explanation)
                if let source = code.source {
                    lines.append("")
                    lines.append("Source: <\(source)>")
                }
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }
}
