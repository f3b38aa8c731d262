/// Which picture of a topology to draw.
public enum GraphView: Sendable, Equatable {
    /// The request path: application, PgBouncer, HAProxy, clusters, etcd, Debezium.
    case overview
    /// One cluster: members, replication, slots and their consumers, Patroni timing, decisions.
    case cluster(String)
    /// One table: where its rows live, partitions, indexes, counters, views, CDC.
    case table(String)
    /// The shard map: ring share or range per shard, regions.
    case routing

    /// The view's name as `--view` spells it.
    public var name: String {
        switch self {
        case .overview: "overview"
        case .cluster: "cluster"
        case .table: "table"
        case .routing: "routing"
        }
    }
}

/// The language a graph is written in.
public enum GraphFormat: String, Sendable, CaseIterable {
    /// Mermaid flowchart, for Markdown pages (GitHub renders it).
    case mermaid
    /// Graphviz DOT, for `dot -Tsvg` and large graphs.
    case dot

    /// The file extension of a graph in this language.
    public var fileExtension: String {
        switch self {
        case .mermaid: "mmd"
        case .dot: "dot"
        }
    }

    /// `graph` in this language.
    public func render(_ graph: Graph) -> String {
        switch self {
        case .mermaid: MermaidRenderer.render(graph)
        case .dot: DotRenderer.render(graph)
        }
    }
}

/// A view that names something the plan does not hold.
public struct GraphViewError: Error, Equatable, CustomStringConvertible {
    /// What was asked for and what exists, as one sentence.
    public var message: String

    public var description: String { message }

    static func unknown(_ kind: String, _ name: String, known: [String]) -> GraphViewError {
        let listed = known.count > 12 ? known.prefix(12).joined(separator: ", ") + ", ..." : known.joined(separator: ", ")
        let hint = Suggestions.hint(for: name, in: known)
        return GraphViewError(
            message: known.isEmpty
                ? "unknown \(kind) '\(CommentQuoting.line(name))': the topology has no \(kind)s"
                : "unknown \(kind) '\(CommentQuoting.line(name))'\(hint) (\(kind)s: \(listed))")
    }
}

/// Draws the views of a plan.
public enum GraphViews {
    /// The graph of one view of a plan, or an error naming what the view asks for and what exists.
    public static func graph(_ view: GraphView, plan: Plan) throws(GraphViewError) -> Graph {
        switch view {
        case .overview: return OverviewGraph.build(plan)
        case .routing: return RoutingGraph.build(plan)
        case .cluster(let name): return try ClusterGraph.build(plan, name: name)
        case .table(let name): return try TableGraph.build(plan, name: name)
        }
    }

    /// One view of a plan in one language.
    public static func render(_ view: GraphView, plan: Plan, format: GraphFormat) throws(GraphViewError) -> String {
        format.render(try graph(view, plan: plan))
    }
}
