/// A diagram as the graph views build it and the Mermaid and DOT renderers draw it.
///
/// Node and group identifiers are made by ``GraphBuilder`` (`n0`, `n1`, `g0`, ...), never taken
/// from the topology, so no topology name can break a statement; every text taken from the
/// topology is a label, quoted by ``MermaidQuoting`` or ``DotQuoting`` when rendered.
public struct Graph: Sendable, Equatable {
    /// The diagram's title (a comment in Mermaid, the graph label in DOT).
    public var title: String
    /// The direction edges mostly run in.
    public var direction: GraphDirection
    /// Nodes outside every group, in drawing order.
    public var nodes: [GraphNode]
    /// Groups (Mermaid subgraphs, DOT clusters), in drawing order.
    public var groups: [GraphGroup]
    /// Edges, in drawing order.
    public var edges: [GraphEdge]

    /// Every node, in groups or not.
    public var allNodes: [GraphNode] {
        nodes + groups.flatMap(\.allNodes)
    }
}

/// The direction a graph is laid out in.
public enum GraphDirection: String, Sendable, Equatable {
    case leftToRight = "LR"
    case topToBottom = "TB"
}

/// A node: a box with one or more lines of text.
public struct GraphNode: Sendable, Equatable {
    /// The identifier the builder gave it.
    public var id: String
    /// The lines of its label, first line the name.
    public var lines: [String]
    /// What it stands for, which sets its shape and colour.
    public var kind: GraphNodeKind
}

/// What a node stands for.
public enum GraphNodeKind: String, Sendable, Equatable {
    /// The application (or a client).
    case client
    /// PgBouncer, HAProxy, Debezium, etcd: a process between the application and PostgreSQL.
    case component
    /// A member that starts as leader.
    case leader
    /// A member that starts as replica.
    case replica
    /// A database or table.
    case storage
    /// Settings, decisions, summaries: text to read.
    case note
    /// Several things drawn as one (`shard-s0 .. shard-s15`).
    case summary
}

/// A group of nodes drawn in one frame.
public struct GraphGroup: Sendable, Equatable {
    /// The identifier the builder gave it.
    public var id: String
    /// Its title.
    public var title: String
    /// Its nodes.
    public var nodes: [GraphNode]
    /// Groups inside it.
    public var groups: [GraphGroup]

    /// Its nodes and those of the groups inside it.
    public var allNodes: [GraphNode] {
        nodes + groups.flatMap(\.allNodes)
    }
}

/// An edge between two nodes.
public struct GraphEdge: Sendable, Equatable {
    public var from: String
    public var to: String
    /// Its label, or nil.
    public var label: String?
    /// How it is drawn.
    public var style: GraphEdgeStyle
}

/// How an edge is drawn, after what it means.
public enum GraphEdgeStyle: String, Sendable, Equatable {
    /// A request path or a plain relation: a solid arrow.
    case flow
    /// Synchronous replication: a thick arrow.
    case synchronous
    /// Asynchronous replication or an optional path: a dashed arrow.
    case asynchronous
    /// Asynchronous replication both ways (multi-primary): a dashed arrow with two heads.
    case asynchronousBothWays
    /// Bookkeeping (leader lock in etcd, reference): a dotted line.
    case control
}
