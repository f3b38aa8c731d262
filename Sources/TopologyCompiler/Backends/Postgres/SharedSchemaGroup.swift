/// A set of databases whose scripts are identical but for their identity: the shard databases
/// of a sharded plan (one per shard cluster) hold the same tables, functions and privileges and
/// differ only in `topoc_this_shard()` and their headers. Their common body is written once, to
/// ``path`` (`sql/shared/<kind>.sql`, `<kind>-2.sql`... for further groups), and each database's own script includes it with
/// psql's `\ir` (``DatabaseScript/includingScript(_:shared:)``), so a schema change is reviewed
/// once and a 256-shard build writes the body once, not 256 times.
///
/// Only databases whose body cannot depend on their name or cluster are grouped: shard
/// databases without a multi-primary group, a tenant or tenant schemas, grouped by the tables
/// and views they hold and by what change data capture adds to them (publication, connector
/// heartbeat, audit log: the same text in every shard database that captures the same tables,
/// so a ring of 614,400 tokens is not written into each of them). Everything else keeps a
/// self-contained script. `SharedSchemaGroupTests` renders every member's body and checks it is
/// the group's.
struct SharedSchemaGroup: Sendable {
    /// The shared script's path.
    let path: String
    /// The databases including it, in plan order (at least two).
    let members: [DatabaseScope]

    /// The folder of shared scripts.
    static let folder = "sql/shared"

    /// The groups of `databases` with at least two members, in order of their first member.
    static func groups(_ databases: [DatabaseScope]) -> [SharedSchemaGroup] {
        var order: [Signature] = []
        var members: [Signature: [DatabaseScope]] = [:]
        for database in databases {
            guard let signature = signature(database) else { continue }
            if members[signature] == nil { order.append(signature) }
            members[signature, default: []].append(database)
        }
        var used = Set<String>()
        var groups: [SharedSchemaGroup] = []
        for signature in order {
            guard let held = members[signature], held.count > 1, let first = held.first else { continue }
            // Only the kind (a fixed word) in the name: the `\ir` line stays a plain word whatever
            // the databases are called.
            let stem = first.database.kind.rawValue
            var name = stem
            var suffix = 2
            while !used.insert(name).inserted {
                name = "\(stem)-\(suffix)"
                suffix += 1
            }
            groups.append(SharedSchemaGroup(path: "\(folder)/\(name).sql", members: held))
        }
        return groups
    }

    /// What the body of a groupable database depends on; `nil` for a database that keeps its
    /// own script.
    private static func signature(_ database: DatabaseScope) -> Signature? {
        let db = database.database
        guard db.kind == .shard, db.shard != nil, db.tenant == nil, !database.hasTenantSchemas,
            MultiPrimaryDDL.group(of: database) == nil
        else { return nil }
        // Change data capture names no database or cluster in the body: the publication, its
        // tables and the audit table are the same words in every shard database that captures
        // the same tables, and the slot (named after the database) is Patroni's, not the DDL's;
        // only whether a connector reads the database changes the body (its heartbeat table).
        let capture = Capture(
            publication: database.publication.map { [$0.name] + $0.tables + [$0.publishViaPartitionRoot ? "root" : "leaves"] },
            connector: database.connectorSlot != nil,
            audit: database.auditTable.map { [$0.name] + $0.tables })
        return Signature(kind: db.kind.rawValue, tables: db.tables, views: database.views.map(\.name), capture: capture)
    }

    /// The inputs a groupable database's body is rendered from besides the plan.
    private struct Signature: Hashable {
        let kind: String
        let tables: [String]
        let views: [String]
        let capture: Capture
    }

    /// What change data capture puts in a database's body.
    private struct Capture: Hashable {
        let publication: [String]?
        let connector: Bool
        let audit: [String]?
    }

    /// The shared script's UTF-8 bytes: a header naming who includes it, then the body of its
    /// first member.
    func contents() -> [UInt8] {
        guard let first = members.first else { return [] }
        return DatabaseScript.body(first).bytes(after: header(first))
    }

    /// Writes ``contents()`` to `file` without holding them whole (the ring function of 4,096
    /// shards is 16 MB).
    ///
    /// - Parameter file: The file to write.
    /// - Throws: The first failure to write to it.
    func write(to file: OutputFileWriter) throws(OutputSystemError) {
        guard let first = members.first else { return }
        try DatabaseScript.body(first).write(after: header(first), to: file)
    }

    /// The lines before the body: who wrote the script and who includes it.
    private func header(_ first: DatabaseScope) -> String {
        let plan = first.plan
        let names = members.map { "\($0.database.cluster)/\($0.database.name)" }
        let listed =
            names.count <= 4 ? names.joined(separator: ", ") : "\(names.prefix(3).joined(separator: ", ")), ... \(names.last ?? "")"
        return """
            -- Generated by topoc \(TopocVersion.current) from topology "\(SQLQuoting.comment(plan.topology))". Do not edit.
            -- PostgreSQL \(plan.postgresVersion) DDL shared by the \(members.count) \(first.database.kind.rawValue) databases \(SQLQuoting.comment(listed)).
            -- Not applied alone: each database's script (sql/<cluster>/<database>.sql) includes it with psql's \\ir
            -- inside its transaction, then adds what is its own (topoc_this_shard()).

            """
    }
}
