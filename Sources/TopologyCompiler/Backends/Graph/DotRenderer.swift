/// Draws a ``Graph`` in Graphviz DOT, for `dot -Tsvg` or `dot -Tpng` and for graphs too large
/// for a Markdown page.
///
/// Identifiers come from ``GraphBuilder``; every label goes through ``DotQuoting``. The output
/// depends only on the graph, so the same plan gives the same bytes.
public enum DotRenderer {
    /// The DOT text, ending in a line break.
    public static func render(_ graph: Graph) -> String {
        var lines = [
            "digraph topoc {",
            "    graph [label=\(DotQuoting.string(graph.title)), labelloc=t, fontname=\"Helvetica\", fontsize=14, "
                + "rankdir=\(graph.direction.rawValue), nodesep=0.3, ranksep=0.5];",
            "    node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"];",
            "    edge [fontname=\"Helvetica\", fontsize=9, color=\"#475569\"];",
        ]
        for node in graph.nodes { lines.append("    " + statement(node)) }
        for group in graph.groups { append(group, indent: "    ", to: &lines) }
        for edge in graph.edges { lines.append("    " + statement(edge)) }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func append(_ group: GraphGroup, indent: String, to lines: inout [String]) {
        lines.append(indent + "subgraph cluster_\(group.id) {")
        lines.append(
            indent + "    graph [label=\(DotQuoting.string(group.title)), style=\"rounded\", color=\"#94a3b8\", fontsize=11];")
        for node in group.nodes { lines.append(indent + "    " + statement(node)) }
        for inner in group.groups { append(inner, indent: indent + "    ", to: &lines) }
        lines.append(indent + "}")
    }

    static func statement(_ node: GraphNode) -> String {
        "\(node.id) [label=\(DotQuoting.label(lines: node.lines)), \(attributes(node.kind))];"
    }

    static func attributes(_ kind: GraphNodeKind) -> String {
        switch kind {
        case .client: "shape=oval, fillcolor=\"#f1f5f9\", color=\"#334155\""
        case .component: "fillcolor=\"#fef3c7\", color=\"#b45309\""
        case .leader: "fillcolor=\"#dbeafe\", color=\"#1d4ed8\", penwidth=2"
        case .replica: "fillcolor=\"#eff6ff\", color=\"#60a5fa\""
        case .storage: "shape=cylinder, style=filled, fillcolor=\"#dcfce7\", color=\"#15803d\""
        case .note: "shape=note, style=filled, fillcolor=\"#fafafa\", color=\"#a3a3a3\""
        case .summary: "shape=box3d, style=filled, fillcolor=\"#ede9fe\", color=\"#6d28d9\""
        }
    }

    static func statement(_ edge: GraphEdge) -> String {
        var attributes: [String] = []
        if let label = edge.label { attributes.append("label=\(DotQuoting.string(label))") }
        switch edge.style {
        case .flow: break
        case .synchronous: attributes += ["penwidth=2.5", "color=\"#1d4ed8\""]
        case .asynchronous: attributes += ["style=dashed", "color=\"#60a5fa\""]
        case .asynchronousBothWays: attributes += ["style=dashed", "color=\"#60a5fa\"", "dir=both"]
        case .control: attributes += ["style=dotted", "arrowhead=none"]
        }
        let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
        return "\(edge.from) -> \(edge.to)\(suffix);"
    }
}
