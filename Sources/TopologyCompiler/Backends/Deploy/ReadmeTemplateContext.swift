/// The context of the `README.md` template (docs/templates.md): the deployment guide's sections,
/// each as its Markdown lines, written by ``DeployReadme``. A section the plan does not have
/// (TLS, Debezium, backups) has no lines.
public struct ReadmeTemplateContext: Encodable, Sendable {
    /// The version of this contract; it changes when a field is renamed or removed.
    public var contextVersion = 1
    /// The topology's name.
    public var topology: String
    /// The deployment target.
    public var target: String
    /// The sections, in the order the bundled template writes them.
    public var sections: Sections

    /// The guide's sections, each a list of lines (a blank line ends each but the last).
    public struct Sections: Encodable, Sendable {
        public var header: [String]
        public var secrets: [String]
        public var files: [String]
        public var tls: [String]
        public var bringUp: [String]
        public var endpoints: [String]
        public var debezium: [String]
        public var backup: [String]
        public var failover: [String]
    }
}

extension ReadmeTemplateContext {
    /// The context of a plan.
    init(plan: Plan) {
        topology = plan.topology
        target = plan.target.rawValue
        let parts = DeployReadme.parts(plan: plan)
        // The template writes every line followed by a line break: the guide joins its parts with
        // one, so each part carries its own, but the last.
        func lines(_ part: String?, last: Bool = false) -> [String] {
            guard let part else { return [] }
            var lines = part.components(separatedBy: "\n")
            if last, lines.last == "" { lines.removeLast() }
            return lines
        }
        sections = Sections(
            header: lines(parts.header), secrets: lines(parts.secrets), files: lines(parts.files), tls: lines(parts.tls),
            bringUp: lines(parts.bringUp), endpoints: lines(parts.endpoints), debezium: lines(parts.debezium),
            backup: lines(parts.backup), failover: lines(parts.failover, last: true))
    }
}
