/// What each bundled template renders: its artifact, its language and its context contract.
public enum TemplateCatalog {
    /// One bundled template.
    public struct Entry: Sendable {
        /// The template's name (`Templates/<name>.mustache`).
        public var name: String
        /// The artifact it writes, relative to the output folder.
        public var artifact: String
        /// The artifact's language.
        public var language: TemplateLanguage
        /// The Swift type of its context (documented in docs/templates.md).
        public var contextType: String
        /// The context's `contextVersion`.
        public var contextVersion: Int
        /// The context's JSON for a plan.
        let context: @Sendable (Plan) -> String
    }

    /// Every bundled template, by name.
    public static let all: [Entry] = [
        Entry(
            name: "haproxy.cfg", artifact: ClusterLayout.haproxyPath, language: .haproxy, contextType: "HAProxyTemplateContext",
            contextVersion: 1
        ) { TemplateContextJSON.text(HAProxyTemplateContext(plan: $0)) },
        Entry(
            name: "pgbouncer.ini", artifact: ClusterLayout.pgbouncerPath, language: .ini, contextType: "PgBouncerTemplateContext",
            contextVersion: 1
        ) { TemplateContextJSON.text(PgBouncerTemplateContext(plan: $0)) },
        Entry(
            name: "Dockerfile", artifact: ClusterLayout.dockerfilePath, language: .dockerfile, contextType: "DockerfileTemplateContext",
            contextVersion: 1
        ) { TemplateContextJSON.text(DockerfileTemplateContext(plan: $0)) },
        Entry(
            name: "README.md", artifact: ClusterLayout.readmePath, language: .markdown, contextType: "ReadmeTemplateContext",
            contextVersion: 1
        ) { TemplateContextJSON.text(ReadmeTemplateContext(plan: $0)) },
        Entry(
            name: "patroni.yml", artifact: "cluster/patroni/<cluster>/<member>.yml (overlay)", language: .yaml,
            contextType: "PatroniTemplateContext", contextVersion: 1
        ) { plan in
            // One context per member: the first member's stands for the shape.
            guard let cluster = plan.clusters.first, let member = cluster.members.first else { return "{}\n" }
            return TemplateContextJSON.text(PatroniTemplateContext(member: member, cluster: cluster, plan: plan))
        },
    ]

    /// The entry of a template name.
    public static func entry(_ name: String) -> Entry? { all.first { $0.name == name } }

    /// The JSON context template `name` renders for `plan` (`topoc templates context`), or nil
    /// for an unknown name.
    public static func contextJSON(_ name: String, plan: Plan) -> String? { entry(name)?.context(plan) }

    /// The bundled text of a template (`topoc templates cat`).
    public static func text(_ name: String) -> String? { BundledTemplates.sources[name] }
}
