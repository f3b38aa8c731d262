/// Draws a ``Graph`` as a Mermaid flowchart (the syntax GitHub renders in Markdown).
///
/// Identifiers come from ``GraphBuilder``; every label goes through ``MermaidQuoting``. The
/// output depends only on the graph, so the same plan gives the same bytes.
public enum MermaidRenderer {
    /// The flowchart's text, ending in a line break.
    public static func render(_ graph: Graph) -> String {
        var lines = ["%% " + CommentQuoting.line(graph.title), "flowchart \(graph.direction.rawValue)"]
        for node in graph.nodes { lines.append("    " + statement(node)) }
        for group in graph.groups { append(group, indent: "    ", to: &lines) }
        for edge in graph.edges { lines.append("    " + statement(edge)) }
        for kind in kinds {
            let ids = graph.allNodes.filter { $0.kind == kind }.map(\.id)
            guard !ids.isEmpty else { continue }
            lines.append("    classDef \(kind.rawValue) \(style(kind))")
            lines.append("    class \(ids.joined(separator: ",")) \(kind.rawValue)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The node kinds in the order their classes are written.
    static let kinds: [GraphNodeKind] = [.client, .component, .leader, .replica, .storage, .note, .summary]

    static func append(_ group: GraphGroup, indent: String, to lines: inout [String]) {
        lines.append(indent + "subgraph \(group.id)[\"\(MermaidQuoting.label(group.title))\"]")
        for node in group.nodes { lines.append(indent + "    " + statement(node)) }
        for inner in group.groups { append(inner, indent: indent + "    ", to: &lines) }
        lines.append(indent + "end")
    }

    static func statement(_ node: GraphNode) -> String {
        let label = "\"" + node.lines.map(MermaidQuoting.label).joined(separator: "<br/>") + "\""
        switch node.kind {
        case .client: return "\(node.id)([\(label)])"
        case .storage: return "\(node.id)[(\(label))]"
        case .summary: return "\(node.id)[[\(label)]]"
        case .note: return "\(node.id)>\(label)]"
        case .component, .leader, .replica: return "\(node.id)[\(label)]"
        }
    }

    static func statement(_ edge: GraphEdge) -> String {
        let arrow: String
        switch edge.style {
        case .flow: arrow = "-->"
        case .synchronous: arrow = "==>"
        case .asynchronous: arrow = "-.->"
        case .asynchronousBothWays: arrow = "<-.->"
        case .control: arrow = "-.-"
        }
        guard let label = edge.label else { return "\(edge.from) \(arrow) \(edge.to)" }
        return "\(edge.from) \(arrow)|\"\(MermaidQuoting.label(label))\"| \(edge.to)"
    }

    static func style(_ kind: GraphNodeKind) -> String {
        switch kind {
        case .client: "fill:#f1f5f9,stroke:#334155,color:#0f172a"
        case .component: "fill:#fef3c7,stroke:#b45309,color:#0f172a"
        case .leader: "fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px,color:#0f172a"
        case .replica: "fill:#eff6ff,stroke:#60a5fa,color:#0f172a"
        case .storage: "fill:#dcfce7,stroke:#15803d,color:#0f172a"
        case .note: "fill:#fafafa,stroke:#a3a3a3,color:#262626"
        case .summary: "fill:#ede9fe,stroke:#6d28d9,color:#0f172a"
        }
    }
}
