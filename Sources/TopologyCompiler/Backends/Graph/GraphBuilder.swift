/// Builds a ``Graph`` node by node, giving every node and group an identifier of its own.
struct GraphBuilder {
    private var graph: Graph
    private var nextNode = 0
    private var nextGroup = 0
    /// The groups being filled, innermost last.
    private var open: [GraphGroup] = []

    /// Starts a graph.
    init(title: String, direction: GraphDirection) {
        graph = Graph(title: title, direction: direction, nodes: [], groups: [], edges: [])
    }

    /// Adds a node to the innermost open group (or the graph) and returns its identifier.
    @discardableResult
    mutating func node(_ lines: [String], kind: GraphNodeKind) -> String {
        let id = "n\(nextNode)"
        nextNode += 1
        let node = GraphNode(id: id, lines: lines.isEmpty ? [""] : lines, kind: kind)
        if open.isEmpty {
            graph.nodes.append(node)
        } else {
            open[open.count - 1].nodes.append(node)
        }
        return id
    }

    /// Adds the nodes `body` adds inside a group with a title.
    mutating func group(_ title: String, _ body: (inout GraphBuilder) -> Void) {
        open.append(GraphGroup(id: "g\(nextGroup)", title: title, nodes: [], groups: []))
        nextGroup += 1
        body(&self)
        let finished = open.removeLast()
        guard !finished.allNodes.isEmpty else { return }
        if open.isEmpty {
            graph.groups.append(finished)
        } else {
            open[open.count - 1].groups.append(finished)
        }
    }

    /// Adds an edge.
    mutating func edge(_ from: String, _ to: String, _ label: String? = nil, style: GraphEdgeStyle = .flow) {
        graph.edges.append(GraphEdge(from: from, to: to, label: label, style: style))
    }

    /// The graph built.
    func build() -> Graph { graph }
}
