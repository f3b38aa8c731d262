/// Writes the graph views as Mermaid and DOT files: `graph/overview`, `graph/routing`, one
/// `graph/clusters/<cluster>` per cluster template (its first cluster, as `topoc graph --view
/// cluster TEMPLATE` draws it) and one `graph/tables/<table>` per table, each as `.mmd` and `.dot`
/// (a table whose name differs from an earlier table's only in case gets `<table>-2`).
public struct GraphBackend: Backend {
    public init() {}

    public var name: String { "graph" }
    public var summary: String {
        "graph/*.mmd and *.dot: overview, routing, one per cluster template and per table (Mermaid and Graphviz)"
    }

    /// The views the backend writes, each with its path without extension.
    public static func views(of plan: Plan) -> [(view: GraphView, path: String)] {
        var views: [(GraphView, String)] = [(.overview, "graph/overview"), (.routing, "graph/routing")]
        var templates: [String] = []
        for cluster in plan.clusters where !templates.contains(cluster.template) { templates.append(cluster.template) }
        views += templates.map { (.cluster($0), "graph/clusters/\($0)") }
        // Table names keep their case (`order` and `Order` are two tables); their files must not
        // collide where the file system ignores case.
        let files = ArtifactPath.caseDistinctNames(plan.tables.map(\.name))
        views += zip(plan.tables, files).map { (.table($0.name), "graph/tables/\($1)") }
        return views
    }

    public func artifacts(for plan: Plan) -> [Artifact] {
        // Each table's graph is drawn from the table itself (a lookup by name per table would
        // make the backend quadratic in the table count), and each graph once for both languages.
        let tables = Dictionary(plan.tables.map { ($0.name, $0) }) { first, _ in first }
        var homes = TableGraph.HomeLines(plan)
        return Self.views(of: plan).flatMap { entry -> [Artifact] in
            let graph: Graph?
            if case .table(let table) = entry.view, let planTable = tables[table] {
                graph = TableGraph.build(plan, table: planTable, homes: &homes)
            } else {
                graph = try? GraphViews.graph(entry.view, plan: plan)
            }
            guard let graph else { return [] }
            return GraphFormat.allCases.map { format in
                Artifact(path: "\(entry.path).\(format.fileExtension)", contents: format.render(graph), producer: name)
            }
        }
    }
}
