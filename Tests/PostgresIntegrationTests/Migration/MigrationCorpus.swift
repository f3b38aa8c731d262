import Foundation
import Testing

/// One OLD/NEW pair of the migration corpus: an example (OLD) and the same file with textual
/// edits (NEW). Each edit's anchor must occur in the file, so a mutation never silently does nothing.
struct MigrationCase: Sendable, CustomTestStringConvertible {
    /// A short name for the test report.
    let name: String
    /// The example file (OLD).
    let example: String
    /// Pairs of (text found in OLD, its replacement in NEW).
    let edits: [(String, String)]
    /// The pair the other way round: OLD is the edited example and NEW the example, so an edit
    /// that adds something makes a pair that removes it.
    var reversed = false
    /// Edits made to the example on both sides first (OLD then holds something the example lacks).
    var base: [(String, String)] = []

    var testDescription: String { "\(example): \(name)" }

    /// OLD's text (nil after recording an issue when an anchor of a reversed pair is missing).
    func oldText(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String? {
        reversed ? try editedText(sourceLocation: sourceLocation) : try exampleText()
    }

    /// NEW's text, or nil (after recording an issue) when an anchor is missing.
    func newText(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String? {
        reversed ? try exampleText() : try editedText(sourceLocation: sourceLocation)
    }

    /// The example's text, with the ``base`` edits.
    func exampleText() throws -> String {
        var text = try String(contentsOf: TestPlans.repository.appendingPathComponent("examples/\(example)"), encoding: .utf8)
        for (anchor, replacement) in base {
            guard text.contains(anchor) else { throw MissingAnchor(anchor: anchor) }
            text = text.replacingOccurrences(of: anchor, with: replacement)
        }
        return text
    }

    /// A ``base`` edit whose anchor the example lacks.
    struct MissingAnchor: Error {
        var anchor: String
    }

    /// The example with the edits, or nil (after recording an issue) when an anchor is missing.
    func editedText(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String? {
        var text = try exampleText()
        for (anchor, replacement) in edits {
            guard text.contains(anchor) else {
                Issue.record("\(name): anchor not found: \(anchor)", sourceLocation: sourceLocation)
                return nil
            }
            text = text.replacingOccurrences(of: anchor, with: replacement)
        }
        return text
    }
}

/// The corpus: every kind of change the migration handles, on the examples.
enum MigrationCorpus {
    static let notes = "single-node.yaml"
    static let shared = "saas-shared-schema.yaml"
    static let schemas = "saas-schema-per-tenant.yaml"
    static let databases = "saas-database-per-tenant.yaml"
    static let series = "timeseries-range.yaml"

    static let usersTail = "      created_at: { type: timestamptz, nullable: false, default: now() }\n    primary_key: user_id\n"
    static let sessionsIndexes = "      - { name: sessions_expiry, columns: expires_at }\n"
    static let notesTable = "  notes:\n    columns:\n"

    /// A new column on users (appended).
    static func usersColumn(_ line: String) -> [(String, String)] {
        [(usersTail, usersTail.replacingOccurrences(of: "    primary_key: user_id\n", with: line + "    primary_key: user_id\n"))]
    }

    /// A new index of sessions.
    static func sessionsIndex(_ line: String) -> [(String, String)] {
        [(sessionsIndexes, sessionsIndexes + line)]
    }

    static let all: [MigrationCase] = notesCases + sharedCases + schemaCases + seriesCases + shardCases

    /// Shard databases whose scripts include their group's shared script: the converge step of
    /// each includes it too (`\ir ../shared/shard.sql`, written once into the migration).
    static let shardCases: [MigrationCase] = [
        MigrationCase(
            name: "add nullable column to a sharded table", example: "global-geo.yaml",
            edits: [("      phone: varchar(20)\n", "      phone: varchar(20)\n      nickname: text\n")])
    ]

    static let notesCases: [MigrationCase] = [
        MigrationCase(name: "add nullable column", example: notes, edits: usersColumn("      phone: text\n")),
        MigrationCase(
            name: "add NOT NULL column with a default", example: notes,
            edits: usersColumn("      locale: { type: text, nullable: false, default: \"'en'\" }\n")),
        MigrationCase(
            name: "add column with a volatile default", example: notes,
            edits: usersColumn("      ref: { type: uuid, nullable: false, default: gen_random_uuid() }\n")),
        MigrationCase(name: "drop column", example: notes, edits: [("      display_name: varchar(80)\n", "")]),
        MigrationCase(
            name: "rename column", example: notes,
            edits: [("      display_name: varchar(80)\n", "      screen_name: { type: varchar(80), renamed_from: display_name }\n")]),
        MigrationCase(
            name: "rename serial column", example: notes,
            edits: [
                ("      note_id: bigserial\n", "      memo_id: { type: bigserial, renamed_from: note_id }\n"),
                ("    primary_key: note_id\n", "    primary_key: memo_id\n"),
            ]),
        MigrationCase(name: "widen varchar", example: notes, edits: [("display_name: varchar(80)", "display_name: varchar(200)")]),
        MigrationCase(
            name: "change type (rewrite)", example: notes,
            edits: [("      token: { type: char(64), nullable: false }", "      token: { type: text, nullable: false }")]),
        MigrationCase(
            name: "set NOT NULL", example: notes,
            edits: [("      display_name: varchar(80)\n", "      display_name: { type: varchar(80), nullable: false }\n")]),
        MigrationCase(
            name: "drop NOT NULL", example: notes, edits: [("      title: { type: text, nullable: false }\n", "      title: text\n")]),
        MigrationCase(
            name: "change default", example: notes,
            edits: [("body: { type: text, nullable: false, default: \"''\" }", "body: { type: text, nullable: false, default: \"'-'\" }")]),
        MigrationCase(name: "add btree index", example: notes, edits: sessionsIndex("      - { columns: [user_id, expires_at] }\n")),
        MigrationCase(
            name: "add hash index", example: notes,
            edits: sessionsIndex("      - { name: sessions_user_hash, method: hash, columns: user_id }\n")),
        MigrationCase(
            name: "add brin index", example: notes,
            edits: sessionsIndex("      - { name: sessions_expiry_brin, method: brin, columns: expires_at }\n")),
        MigrationCase(
            name: "add gin index", example: notes,
            edits: [
                (
                    "      - { name: notes_tags, method: gin, columns: tags }\n",
                    "      - { name: notes_tags, method: gin, columns: tags }\n      - { name: notes_tags_title, method: gin, columns: [{ expression: \"to_tsvector('simple', title)\" }] }\n"
                )
            ]),
        MigrationCase(
            name: "add partial covering index", example: notes,
            edits: sessionsIndex("      - { name: sessions_live, columns: user_id, include: [expires_at], where: \"token <> ''\" }\n")),
        MigrationCase(
            name: "add unique index", example: notes,
            edits: sessionsIndex("      - { name: sessions_token_unique, unique: true, columns: token }\n")),
        MigrationCase(name: "drop index", example: notes, edits: [(sessionsIndexes, "")]),
        MigrationCase(
            name: "rename index", example: notes,
            edits: [(sessionsIndexes, "      - { name: sessions_expiry_at, columns: expires_at, renamed_from: sessions_expiry }\n")]),
        MigrationCase(
            name: "change index definition", example: notes,
            edits: [("where: NOT archived }", "where: NOT archived AND title <> '' }")]),
        MigrationCase(
            name: "add unique constraint", example: notes,
            edits: [("    primary_key: session_id\n", "    primary_key: session_id\n    unique: [token]\n")]),
        MigrationCase(
            name: "drop unique constraint", example: notes, edits: [("    unique: [email] # one column, written as a plain name\n", "")]),
        MigrationCase(
            name: "add foreign key", example: notes,
            edits: [
                (
                    "      updated_at: { type: timestamptz, nullable: false, default: now() }\n    primary_key: note_id\n",
                    "      updated_at: { type: timestamptz, nullable: false, default: now() }\n      parent_id: bigint\n    primary_key: note_id\n"
                ),
                (
                    "      - { name: notes_owner,",
                    "      - { columns: parent_id, references: { table: notes } }\n      - { name: notes_owner,"
                ),
            ]),
        MigrationCase(
            name: "drop foreign key", example: notes,
            edits: [("    foreign_keys:\n      - { columns: user_id, references: { table: users }, on_delete: cascade }\n", "")]),
        MigrationCase(
            name: "add table", example: notes,
            edits: [
                (
                    notesTable,
                    "  tags:\n    columns:\n      tag_id: bigserial\n      user_id: { type: bigint, nullable: false }\n      name: { type: text, nullable: false }\n    primary_key: tag_id\n    unique: [[user_id, name]]\n    foreign_keys:\n      - { columns: user_id, references: { table: users }, on_delete: cascade }\n    indexes:\n      - { columns: name }\n\n"
                        + notesTable
                )
            ]),
        MigrationCase(
            name: "rename table", example: notes,
            edits: [("  sessions:\n    columns:\n", "  logins:\n    renamed_from: sessions\n    columns:\n")]),
        MigrationCase(
            name: "add counter", example: notes,
            edits: [
                (
                    "    unique: [email] # one column, written as a plain name\n",
                    "    unique: [email] # one column, written as a plain name\n    counters:\n      note_count: { counts: notes, via: user_id }\n"
                )
            ]),
        MigrationCase(
            name: "drop counter", example: notes,
            edits: [
                (
                    "    unique: [email] # one column, written as a plain name\n",
                    "    unique: [email] # one column, written as a plain name\n    counters:\n      note_count: { counts: notes, via: user_id }\n"
                )
            ], reversed: true),
        MigrationCase(
            name: "rename counted table", example: notes,
            edits: [
                ("  notes:\n    columns:\n", "  memos:\n    renamed_from: notes\n    columns:\n"),
                ("note_count: { counts: notes, via: user_id }", "note_count: { counts: memos, via: user_id }"),
            ],
            base: [
                (
                    "    unique: [email] # one column, written as a plain name\n",
                    "    unique: [email] # one column, written as a plain name\n    counters:\n      note_count: { counts: notes, via: user_id }\n"
                )
            ]),
        MigrationCase(
            name: "rename counter-holding table", example: notes,
            edits: [
                ("  users:\n    columns:\n", "  accounts:\n    renamed_from: users\n    columns:\n"),
                ("references: { table: users }", "references: { table: accounts }"),
                ("references: { table: users, columns: [user_id] }", "references: { table: accounts, columns: [user_id] }"),
            ],
            base: [
                (
                    "    unique: [email] # one column, written as a plain name\n",
                    "    unique: [email] # one column, written as a plain name\n    counters:\n      note_count: { counts: notes, via: user_id }\n"
                )
            ]),
        MigrationCase(
            name: "rename snapshot source table", example: notes,
            edits: [
                ("  users:\n    columns:\n", "  accounts:\n    renamed_from: users\n    columns:\n"),
                ("references: { table: users }", "references: { table: accounts }"),
                ("references: { table: users, columns: [user_id] }", "references: { table: accounts, columns: [user_id] }"),
                ("author_email: { from: users.email", "author_email: { from: accounts.email"),
            ],
            base: [
                (
                    "    primary_key: note_id\n",
                    "    primary_key: note_id\n    snapshots:\n      author_email: { from: users.email, via: user_id }\n"
                )
            ]),
        MigrationCase(
            name: "rename snapshot-holding table", example: notes,
            edits: [("  notes:\n    columns:\n", "  memos:\n    renamed_from: notes\n    columns:\n")],
            base: [
                (
                    "    primary_key: note_id\n",
                    "    primary_key: note_id\n    snapshots:\n      author_email: { from: users.email, via: user_id }\n"
                )
            ]),
        MigrationCase(
            name: "drop snapshot", example: notes,
            edits: [
                (
                    "    primary_key: note_id\n",
                    "    primary_key: note_id\n    snapshots:\n      author_email: { from: users.email, via: user_id }\n"
                )
            ], reversed: true),
        MigrationCase(name: "pool size", example: notes, edits: [("pool_size: 15, reserve: 2", "pool_size: 12, reserve: 2")]),
        MigrationCase(name: "restart parameter", example: notes, edits: [("max_connections: 100", "max_connections: 150")]),
        MigrationCase(
            name: "reload parameter", example: notes,
            edits: [("      shared_buffers: 1GB\n", "      shared_buffers: 1GB\n      max_slot_wal_keep_size: 2GB\n")]),
    ]

    static let sharedCases: [MigrationCase] = [
        MigrationCase(
            name: "add tenant", example: shared, edits: [("tenants: [acme, globex, initech]", "tenants: [acme, globex, initech, hooli]")]),
        MigrationCase(
            name: "add column to a tenant table", example: shared,
            edits: [("      due_on: date\n", "      due_on: date\n      priority: { type: smallint, nullable: false, default: 3 }\n")]),
        MigrationCase(
            name: "add tenant table", example: shared,
            edits: [
                (
                    "\ncdc:\n",
                    "\n  labels:\n    columns:\n      label_id: { type: uuid, default: gen_random_uuid() }\n      tenant_id: { type: uuid, nullable: false }\n      name: { type: text, nullable: false }\n    primary_key: [tenant_id, label_id]\n\ncdc:\n"
                )
            ]),
        MigrationCase(
            name: "add CDC table", example: shared,
            edits: [
                (
                    "    subscriptions: trigger # every change to a subscription, with the old and new row\n",
                    "    subscriptions: trigger # every change to a subscription, with the old and new row\n    projects: trigger\n"
                )
            ]),
        MigrationCase(
            name: "add unique constraint to a tenant table", example: shared,
            edits: [
                (
                    "    primary_key: [tenant_id, task_id]\n",
                    "    primary_key: [tenant_id, task_id]\n    unique:\n      - [tenant_id, title]\n"
                )
            ]),
    ]

    static let schemaCases: [MigrationCase] = [
        MigrationCase(
            name: "add column in every tenant schema", example: schemas,
            edits: [("      vat_number: varchar(20)\n", "      vat_number: varchar(20)\n      phone: text\n")]),
        MigrationCase(
            name: "add tenant schema", example: schemas,
            edits: [("tenants: [acme, globex, umbrella]", "tenants: [acme, globex, umbrella, initech]")]),
        MigrationCase(
            name: "drop tenant schema", example: schemas,
            edits: [("tenants: [acme, globex, umbrella]", "tenants: [acme, umbrella]")]),
        MigrationCase(
            name: "drop tenant database", example: databases,
            edits: [("tenants: [northside, riverside, lakeview]", "tenants: [northside, lakeview]")]),
        MigrationCase(
            name: "add tenant database", example: databases,
            edits: [("tenants: [northside, riverside, lakeview]", "tenants: [northside, riverside, lakeview, hillcrest]")]),
        MigrationCase(
            name: "add list partition", example: schemas,
            edits: [
                (
                    "        quotes: quote # a single value needs no list\n",
                    "        quotes: quote # a single value needs no list\n        receipts: receipt\n"
                )
            ]),
        MigrationCase(
            name: "add index on a partitioned table", example: schemas,
            edits: [
                (
                    "      - { columns: [customer_id, issued_on] }\n",
                    "      - { columns: [customer_id, issued_on] }\n      - { columns: [number] }\n"
                )
            ]),
        MigrationCase(
            name: "change view", example: schemas,
            edits: [
                (
                    "WHERE d.doc_type = 'invoice' AND d.issued_on > CURRENT_DATE - 90",
                    "WHERE d.doc_type = 'invoice' AND d.issued_on > CURRENT_DATE - 30"
                )
            ]),
    ]

    static let seriesCases: [MigrationCase] = [
        MigrationCase(
            name: "add range partition", example: series,
            edits: [
                (
                    "        - { name: y2025, from: \"2025-01-01\", to: \"2026-01-01\" }\n",
                    "        - { name: y2025, from: \"2025-01-01\", to: \"2026-01-01\" }\n        - { name: y2026, from: \"2026-01-01\", to: \"2027-01-01\" }\n"
                )
            ]),
        MigrationCase(
            name: "drop range partition", example: series,
            edits: [("        - { name: before_2024, to: \"2024-01-01\" } # from MINVALUE\n", "")]),
        MigrationCase(
            name: "extend a partition series", example: series,
            edits: [("      from: 2025-12-29\n      to: 2027-01-04\n", "      from: 2025-12-29\n      to: 2027-02-01\n")]),
        MigrationCase(
            name: "add index on a range-partitioned table", example: series,
            edits: [
                (
                    "    primary_key: [device_id, day, metric_id]\n",
                    "    primary_key: [device_id, day, metric_id]\n    indexes:\n      - { columns: [metric_id, day] }\n"
                )
            ]),
        MigrationCase(
            name: "drop materialized view", example: series,
            edits: [("views:\n  device_last_day:\n", "views:\n  device_last_day_old:\n")]),
        // The materialized view is kept (its rows are not computed again); the job changes.
        MigrationCase(
            name: "change a materialized view's refresh schedule", example: series,
            edits: [("    refresh: { schedule: \"@hourly\" }\n", "    refresh: { schedule: \"*/10 * * * *\" }\n")]),
    ]
}
