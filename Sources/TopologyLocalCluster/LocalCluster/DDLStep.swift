import Foundation
import TopologyCompiler

/// One script of the postgres backend to apply: which cluster, which database, which file.
struct DDLStep: Sendable, Equatable {
    var cluster: String
    var database: String
    var script: String
    var order: Int

    /// The steps of `sql/placement.json` in order, or else `sql/<cluster>/<db>.sql` per database.
    static func steps(in output: URL, plan: Plan) -> [DDLStep] {
        let manifest = output.appendingPathComponent(PostgresBackend.placementPath)
        if let data = FileManager.default.contents(atPath: manifest.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let steps = object["steps"] as? [[String: Any]]
        {
            return steps.compactMap { step -> DDLStep? in
                guard let cluster = step["cluster"] as? String, let database = step["database"] as? String,
                    let script = step["script"] as? String, !script.hasPrefix("/"), !script.contains("..")
                else { return nil }
                return DDLStep(cluster: cluster, database: database, script: script, order: (step["order"] as? NSNumber)?.intValue ?? 0)
            }.sorted { $0.order < $1.order }
        }
        return plan.databases.enumerated().compactMap { index, database in
            let script = DatabaseScript.path(database)
            guard FileManager.default.fileExists(atPath: output.appendingPathComponent(script).path) else { return nil }
            return DDLStep(cluster: database.cluster, database: database.name, script: script, order: index)
        }
    }
}
