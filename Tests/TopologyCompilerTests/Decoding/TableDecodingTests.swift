import Testing

@testable import TopologyCompiler

enum TableKeyCases {
    /// `tables:` followed by `body` (indent table names by two).
    static func tables(_ body: String, extra: String = "") -> String {
        DecodeFixture.document("tables:\n" + body + extra)
    }

    static let users = "  users:\n    columns: { id: bigint, email: text }\n    primary_key: [id]\n"

    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.table, "columns", tables("  users:\n    columns:\n      id: bigint\n      email: text\n")) {
            let table = $0.topology.tables[0]
            #expect(table.name.value == "users")
            #expect(table.columns.map(\.name.value) == ["id", "email"])
            #expect(table.columns.map(\.type.value.description) == ["bigint", "text"])
            #expect(table.columns.allSatisfy { $0.nullable && $0.defaultExpression == nil })
            #expect(table.primaryKey.isEmpty)
            #expect(table.primaryKeyLocation == nil)
            $0.expect(table.name.location, at: "users")
            $0.expect(table.columns[1].name.location, at: "email")
            $0.expect(table.columns[1].type.location, at: "text")
        },
        GrammarKeyCase(
            .table, "primary_key", tables("  users:\n    columns: { id: bigint, region: text }\n    primary_key: [region, id]\n")
        ) {
            let table = $0.topology.tables[0]
            #expect(table.primaryKey.map(\.value) == ["region", "id"])
            // Primary key columns are NOT NULL.
            #expect(table.columns.map(\.nullable) == [false, false])
            $0.expect(table.primaryKeyLocation, at: "[region, id]")
            $0.expect(table.primaryKey[1].location, at: "id]")
        },
        GrammarKeyCase(
            .table, "unique",
            tables(
                "  users:\n    columns: { id: bigint, email: text, org: bigint }\n    unique: [email, [org, email], { name: users_org_key, columns: org }]\n"
            )
        ) {
            let unique = $0.topology.tables[0].uniqueConstraints
            #expect(unique.map { $0.columns.map(\.value) } == [["email"], ["org", "email"], ["org"]])
            #expect(unique.map { $0.name?.value } == [nil, nil, "users_org_key"])
            $0.expect(unique[1].location, at: "[org, email]")
        },
        GrammarKeyCase(
            .table, "foreign_keys",
            tables(
                users
                    + "  orders:\n    columns: { id: bigint, user_id: bigint }\n    foreign_keys:\n      - { columns: [user_id], references: { table: users } }\n"
            )
        ) {
            let key = try #require($0.topology.table(named: "orders")?.foreignKeys.first)
            #expect(key.columns.map(\.value) == ["user_id"])
            #expect(key.referencedTable.value == "users")
            #expect(key.referencedColumns.isEmpty)
            #expect(key.name == nil)
            #expect(key.onDelete == nil)
            $0.expect(key.location, at: "{ columns: [user_id]")
            $0.expect(key.referencedTable.location, at: "users }")
        },
        GrammarKeyCase(
            .table, "indexes", tables("  users:\n    columns: { id: bigint, email: text }\n    indexes:\n      - columns: [email]\n")
        ) {
            let index = try #require($0.topology.tables[0].indexes.first)
            guard case .column(let column) = index.keys.first else {
                Issue.record("expected a column key")
                return
            }
            #expect(column.value == "email")
            #expect(index.method.value == .btree)
        },
        GrammarKeyCase(
            .table, "partitioning",
            tables("  events:\n    columns: { id: bigint, kind: text }\n    partitioning: { by: hash, key: id, modulus: 4 }\n")
        ) {
            let partitioning = try #require($0.topology.tables[0].partitioning)
            #expect(partitioning.method.value == .hash)
            #expect(partitioning.modulus?.value == 4)
        },
        GrammarKeyCase(
            .table, "shard_key",
            tables(
                "  events:\n    columns: { id: bigint, owner_id: bigint }\n    shard_key: owner_id\n",
                extra: "sharding: { key: user_id, key_type: bigint, strategy: hash-modulo, shards: 2, cluster: main }\n")
        ) {
            let key = try #require($0.topology.tables[0].shardKey)
            #expect(key.value == "owner_id")
            $0.expect(key.location, at: "owner_id\n")
        },
        GrammarKeyCase(
            .table, "vertical",
            tables(
                "  users:\n    columns: { id: bigint, bio: text, avatar: bytea }\n    primary_key: [id]\n    vertical:\n      media: { columns: [bio, avatar], database: users_media }\n"
            )
        ) {
            let group = try #require($0.topology.tables[0].verticalGroups.first)
            #expect(group.name.value == "media")
            #expect(group.columns.map(\.value) == ["bio", "avatar"])
            #expect(group.database.value == "users_media")
            #expect(group.cluster == nil)
        },
        GrammarKeyCase(
            .table, "counters",
            tables(
                users
                    + "    counters:\n      order_count: { counts: orders, via: user_id }\n  orders:\n    columns: { id: bigint, user_id: bigint }\n"
            )
        ) {
            let counter = try #require($0.topology.table(named: "users")?.counters.first)
            #expect(counter.name.value == "order_count")
            #expect(counter.countedTable.value == "orders")
            #expect(counter.via.value == "user_id")
            // Counter columns are derived: they are not among the declared columns.
            #expect($0.topology.table(named: "users")?.column(named: "order_count") == nil)
        },
        GrammarKeyCase(
            .table, "snapshots",
            tables(
                users
                    + "  orders:\n    columns: { id: bigint, user_id: bigint }\n    snapshots:\n      user_email: { from: users.email, via: user_id }\n"
            )
        ) {
            let snapshot = try #require($0.topology.table(named: "orders")?.snapshots.first)
            #expect(snapshot.name.value == "user_email")
            #expect(snapshot.sourceTable.value == "users")
            #expect(snapshot.sourceColumn.value == "email")
            #expect(snapshot.via.value == "user_id")
        },
        GrammarKeyCase(.table, "writes_per_second", tables("  hits:\n    columns: { id: bigint }\n    writes_per_second: 12000\n")) {
            let rate = try #require($0.topology.tables[0].writesPerSecond)
            #expect(rate.value == 12000)
            $0.expect(rate.location, at: "12000")
        },
        GrammarKeyCase(.table, "renamed_from", tables("  accounts:\n    renamed_from: users\n    columns: { id: bigint }\n")) {
            let previous = try #require($0.topology.tables[0].renamedFrom)
            #expect(previous.value == "users")
            $0.expect(previous.location, at: "users\n")
        },
        GrammarKeyCase(
            .column, "renamed_from", tables("  t:\n    columns:\n      screen_name: { type: text, renamed_from: display_name }\n")
        ) {
            let previous = try #require($0.topology.tables[0].columns[0].renamedFrom)
            #expect(previous.value == "display_name")
            $0.expect(previous.location, at: "display_name }")
        },
        GrammarKeyCase(
            .table, "suppress",
            tables("  hits:\n    columns: { id: bigint }\n    suppress:\n      - { rule: TPG301, reason: append-only log }\n")
        ) {
            let suppressions = $0.topology.tables[0].suppressions
            #expect(suppressions.map(\.code.value) == ["TPG301"])
            #expect(suppressions.map(\.reason.value) == ["append-only log"])
        },
        GrammarKeyCase(.column, "type", tables("  t:\n    columns:\n      price: { type: \"numeric(12, 2)\" }\n")) {
            let column = $0.topology.tables[0].columns[0]
            #expect(column.type.value == ColumnType(base: "numeric", modifiers: [12, 2]))
            #expect(column.type.value.description == "numeric(12,2)")
            #expect(column.nullable)
            $0.expect(column.type.location, at: "\"numeric")
        },
        GrammarKeyCase(.column, "nullable", tables("  t:\n    columns:\n      email: { type: text, nullable: false }\n")) {
            #expect($0.topology.tables[0].columns[0].nullable == false)
        },
        GrammarKeyCase(
            .column, "default",
            tables(
                "  t:\n    columns:\n      status: { type: text, default: \"'new'\" }\n      n: { type: int, default: -1 }\n      at: { type: timestamptz, default: now() }\n"
            )
        ) {
            let columns = $0.topology.tables[0].columns
            #expect(columns.map { $0.defaultExpression?.value } == ["'new'", "-1", "now()"])
            $0.expect(columns[0].defaultExpression?.location, at: "\"'new'\"")
            $0.expect(columns[2].defaultExpression?.location, at: "now()")
        },
        GrammarKeyCase(
            .unique, "name", tables("  t:\n    columns: { a: int, b: int }\n    unique:\n      - { name: t_a_b_key, columns: [a, b] }\n")
        ) {
            let unique = try #require($0.topology.tables[0].uniqueConstraints.first)
            #expect(unique.name?.value == "t_a_b_key")
            $0.expect(unique.name?.location, at: "t_a_b_key")
            $0.expect(unique.location, at: "{ name")
        },
        GrammarKeyCase(.unique, "columns", tables("  t:\n    columns: { a: int, b: int }\n    unique:\n      - columns: [b, a]\n")) {
            let unique = try #require($0.topology.tables[0].uniqueConstraints.first)
            #expect(unique.name == nil)
            #expect(unique.columns.map(\.value) == ["b", "a"])
        },
        GrammarKeyCase(
            .foreignKey, "name",
            tables(
                users
                    + "  orders:\n    columns: { user_id: bigint }\n    foreign_keys:\n      - { name: orders_user_fk, columns: user_id, references: { table: users } }\n"
            )
        ) {
            let key = try #require($0.topology.tables[1].foreignKeys.first)
            #expect(key.name?.value == "orders_user_fk")
            $0.expect(key.name?.location, at: "orders_user_fk")
        },
        GrammarKeyCase(
            .foreignKey, "columns",
            tables(
                "  a:\n    columns: { x: int, y: int }\n    primary_key: [x, y]\n  b:\n    columns: { ax: int, ay: int }\n    foreign_keys:\n      - columns: [ax, ay]\n        references: { table: a }\n"
            )
        ) {
            let key = try #require($0.topology.tables[1].foreignKeys.first)
            #expect(key.columns.map(\.value) == ["ax", "ay"])
            $0.expect(key.columns[1].location, at: "ay]")
        },
        GrammarKeyCase(
            .foreignKey, "references",
            tables(
                users
                    + "  orders:\n    columns: { uid: bigint }\n    foreign_keys:\n      - columns: [uid]\n        references:\n          table: users\n"
            )
        ) {
            let key = try #require($0.topology.tables[1].foreignKeys.first)
            #expect(key.referencedTable.value == "users")
            $0.expect(key.referencedTable.location, at: "users\n", occurrence: 1)
        },
        GrammarKeyCase(
            .foreignKey, "on_delete",
            tables(
                users
                    + "  orders:\n    columns: { uid: bigint }\n    foreign_keys:\n      - { columns: [uid], references: { table: users }, on_delete: set-null }\n"
            )
        ) {
            let action = try #require($0.topology.tables[1].foreignKeys.first?.onDelete)
            #expect(action.value == .setNull)
            #expect(action.value.sql == "SET NULL")
            $0.expect(action.location, at: "set-null")
        },
        GrammarKeyCase(
            .reference, "table",
            tables(users + "  orders:\n    columns: { uid: bigint }\n    foreign_keys: [{ columns: uid, references: { table: users } }]\n")
        ) {
            let key = try #require($0.topology.tables[1].foreignKeys.first)
            #expect(key.referencedTable.value == "users")
        },
        GrammarKeyCase(
            .reference, "columns",
            tables(
                users
                    + "  orders:\n    columns: { mail: text }\n    foreign_keys: [{ columns: mail, references: { table: users, columns: email } }]\n"
            )
        ) {
            let key = try #require($0.topology.tables[1].foreignKeys.first)
            #expect(key.referencedColumns.map(\.value) == ["email"])
            $0.expect(key.referencedColumns[0].location, at: "email }")
        },
        GrammarKeyCase(
            .verticalGroup, "columns",
            tables(
                "  u:\n    columns: { id: int, a: text, b: text }\n    primary_key: id\n    vertical:\n      cold: { columns: [b, a], database: u_cold }\n"
            )
        ) {
            let group = try #require($0.topology.tables[0].verticalGroups.first)
            #expect(group.columns.map(\.value) == ["b", "a"])
            $0.expect(group.columns[0].location, at: "b, a")
        },
        GrammarKeyCase(
            .verticalGroup, "database",
            tables(
                "  u:\n    columns: { id: int, a: text }\n    primary_key: id\n    vertical:\n      cold:\n        columns: [a]\n        database: u_cold\n"
            )
        ) {
            let group = try #require($0.topology.tables[0].verticalGroups.first)
            #expect(group.database.value == "u_cold")
            $0.expect(group.database.location, at: "u_cold")
        },
        GrammarKeyCase(
            .verticalGroup, "cluster",
            DecodeFixture.document(
                "tables:\n  u:\n    columns: { id: int, a: text }\n    primary_key: id\n    vertical:\n      cold: { columns: [a], database: u_cold, cluster: archive }\n",
                clusters: "  main: { members: 1 }\n  archive: { members: 1 }\n")
        ) {
            let group = try #require($0.topology.tables[0].verticalGroups.first)
            #expect(group.cluster?.value == "archive")
            $0.expect(group.cluster?.location, at: "archive }")
        },
        GrammarKeyCase(
            .counter, "counts",
            tables(
                "  posts:\n    columns: { id: bigint }\n    primary_key: [id]\n    counters:\n      likes: { counts: likes, via: post_id }\n  likes:\n    columns: { post_id: bigint }\n"
            )
        ) {
            let counter = try #require($0.topology.tables[0].counters.first)
            #expect(counter.countedTable.value == "likes")
            $0.expect(counter.name.location, at: "likes:")
            $0.expect(counter.countedTable.location, at: "likes, via")
        },
        GrammarKeyCase(
            .counter, "via",
            tables(
                "  posts:\n    columns: { id: bigint }\n    primary_key: [id]\n    counters:\n      likes:\n        counts: likes\n        via: post_id\n  likes:\n    columns: { post_id: bigint }\n"
            )
        ) {
            let counter = try #require($0.topology.tables[0].counters.first)
            #expect(counter.via.value == "post_id")
            $0.expect(counter.via.location, at: "post_id\n")
        },
        GrammarKeyCase(
            .snapshot, "from",
            tables(users + "  orders:\n    columns: { uid: bigint }\n    snapshots:\n      email_then: { from: users.email, via: uid }\n")
        ) {
            let snapshot = try #require($0.topology.tables[1].snapshots.first)
            #expect(snapshot.sourceTable.value == "users")
            #expect(snapshot.sourceColumn.value == "email")
            // Both halves are located at the 'from' value.
            $0.expect(snapshot.sourceTable.location, at: "users.email")
            $0.expect(snapshot.sourceColumn.location, at: "users.email")
        },
        GrammarKeyCase(
            .snapshot, "via",
            tables(
                users
                    + "  orders:\n    columns: { uid: bigint }\n    snapshots:\n      email_then:\n        from: users.email\n        via: uid\n"
            )
        ) {
            let snapshot = try #require($0.topology.tables[1].snapshots.first)
            #expect(snapshot.via.value == "uid")
            $0.expect(snapshot.via.location, at: "uid\n")
        },
    ]
}

@Suite("Decoding: tables and columns")
struct TableDecodingTests {
    @Test(arguments: TableKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func tablesAndColumnsKeepFileOrder() throws {
        let topology = try DecodeFixture.decode(
            TableKeyCases.tables("  zeta:\n    columns: { c: int, a: int, b: int }\n  alpha:\n    columns: { x: int }\n"))
        #expect(topology.tables.map(\.name.value) == ["zeta", "alpha"])
        #expect(topology.tables[0].columns.map(\.name.value) == ["c", "a", "b"])
    }

    @Test func plainScalarDefaultsAreKeptVerbatimAndNullMeansNoDefault() throws {
        let topology = try DecodeFixture.decode(
            TableKeyCases.tables(
                "  t:\n    columns:\n      b: { type: boolean, default: false }\n      n: { type: int, default: 42 }\n      x: { type: text, default: null }\n"
            ))
        #expect(topology.tables[0].columns.map { $0.defaultExpression?.value } == ["false", "42", nil])
    }

    @Test func primaryKeyAcceptsASingleName() throws {
        let table = try DecodeFixture.decode(TableKeyCases.tables("  t:\n    columns: { id: int, x: int }\n    primary_key: id\n")).tables[
            0]
        #expect(table.primaryKey.map(\.value) == ["id"])
        #expect(table.columns.map(\.nullable) == [false, true])
    }

    @Test func foreignKeyWithExplicitReferencedColumns() throws {
        let table = try DecodeFixture.decode(
            TableKeyCases.tables(
                TableKeyCases.users
                    + "  orders:\n    columns: { uid: bigint, mail: text }\n    foreign_keys:\n      - { columns: [uid, mail], references: { table: users, columns: [id, email] }, on_delete: cascade }\n"
            )
        ).tables[1]
        let key = try #require(table.foreignKeys.first)
        #expect(key.referencedColumns.map(\.value) == ["id", "email"])
        #expect(key.onDelete?.value == .cascade)
    }

    @Test(arguments: ReferentialAction.allCases)
    func everyReferentialAction(_ action: ReferentialAction) throws {
        let table = try DecodeFixture.decode(
            TableKeyCases.tables(
                TableKeyCases.users
                    + "  o:\n    columns: { uid: bigint }\n    foreign_keys: [{ columns: uid, references: { table: users }, on_delete: \(action.rawValue) }]\n"
            )
        ).tables[1]
        #expect(table.foreignKeys.first?.onDelete?.value == action)
        #expect(table.foreignKeys.first?.onDelete?.value.sql == action.rawValue.replacingOccurrences(of: "-", with: " ").uppercased())
    }

    @Test func columnsAreRequiredAndNotEmpty() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    primary_key: [id]\n"), .missingKey, at: "primary_key", message: "`table` needs 'columns'")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: {}\n"), .invalidValue, at: "{}", message: "a table needs at least one column")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n"), .missingKey, at: "columns", message: "'columns' needs a value")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n"), .wrongType, at: "\n", occurrence: 5, message: "'t' expects a mapping (`table`), found null")
    }

    @Test func columnTypeIsRequiredAndKnown() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n      a: { nullable: false }\n"), .missingKey, at: "{ nullable",
            message: "`column` needs 'type'")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n      a: integr\n"), .unknownColumnType, at: "integr",
            message: "unknown column type 'integr'; did you mean 'integer'?")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n      a: \"text; DROP TABLE t\"\n"), .unknownColumnType, at: "\"text;",
            message: "unknown column type 'text; DROP TABLE t'")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n      a: [text]\n"), .wrongType, at: "[text]",
            message: "'a' expects a mapping (`column`), found a list")
    }

    @Test func columnKeysAreChecked() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n      a: { type: text, nullabel: false }\n"), .unknownKey, at: "nullabel",
            message: "unknown key 'nullabel' in `column`; did you mean 'nullable'?")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n      a: { type: text, nullable: no }\n"), .wrongType, at: "no }",
            message: "write true or false, not 'no'")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns:\n      a: { type: text, default: \"1; DROP TABLE t\" }\n"), .unsafeSQLFragment,
            at: "\"1;", message: "'default': a semicolon would end the generated statement")
    }

    @Test func namesAreSQLIdentifiers() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  \"users; DROP TABLE x\":\n    columns: { id: int }\n"), .invalidIdentifier, at: "\"users;",
            message: "table name \"users; DROP TABLE x\" may contain only letters, digits and underscores")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { \"a b\": int }\n"), .invalidIdentifier, at: "\"a b\"",
            message: "column name \"a b\" may contain only letters, digits and underscores")
        let long = String(repeating: "c", count: 64)
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { \(long): int }\n"), .identifierTooLong, at: long,
            message: "is 64 bytes long; PostgreSQL keeps only 63")
    }

    @Test func duplicateColumnsInAListAreReported() throws {
        let text = TableKeyCases.tables("  t:\n    columns: { a: int }\n    primary_key: [a, a]\n")
        let diagnostic = try DecodeFixture.expectError(text, .duplicateName, at: "a]", message: "column 'a' is listed twice")
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "a, a]", in: text)
    }

    @Test func referencedColumnsMustExist() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { a: int }\n    primary_key: [b]\n"), .unknownReference, at: "b]",
            message: "unknown column of 't' 'b'")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { a: int, b: int }\n    unique: [[a, c]]\n"), .unknownReference, at: "c]",
            message: "unknown column of 't' 'c'")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users
                    + "  o:\n    columns: { uid: bigint }\n    foreign_keys: [{ columns: uid, references: { table: users, columns: mail } }]\n"
            ),
            .unknownReference, at: "mail }", message: "unknown column of 'users' 'mail'")
    }

    @Test func foreignKeyArityMustMatch() throws {
        let text = TableKeyCases.tables(
            TableKeyCases.users
                + "  o:\n    columns: { uid: bigint, x: int }\n    foreign_keys: [{ columns: [uid, x], references: { table: users } }]\n")
        try DecodeFixture.expectError(
            text, .invalidValue, at: "{ columns: [uid, x]", message: "the foreign key has 2 column(s) but references 1")
    }

    @Test func foreignKeyToATableWithoutPrimaryKeyMustNameColumns() throws {
        let text = TableKeyCases.tables(
            "  p:\n    columns: { id: int }\n  c:\n    columns: { pid: int }\n    foreign_keys: [{ columns: pid, references: { table: p } }]\n"
        )
        let diagnostic = try DecodeFixture.expectError(
            text, .missingKey, at: "{ columns: pid", message: "'p' has no primary key; name the referenced columns")
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "p:", in: text)
    }

    @Test func foreignKeyNeedsColumnsAndReferences() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users + "  o:\n    columns: { uid: bigint }\n    foreign_keys: [{ references: { table: users } }]\n"),
            .missingKey, at: "{ references", message: "a foreign key needs 'columns'")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users
                    + "  o:\n    columns: { uid: bigint }\n    foreign_keys: [{ columns: uid, references: { columns: id } }]\n"),
            .missingKey, at: "{ columns: id", message: "a foreign key's references needs 'table'")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users + "  o:\n    columns: { uid: bigint }\n    foreign_keys: [{ columns: uid, references: users }]\n"),
            .wrongType, at: "users }", message: "'references' expects a mapping (a foreign key's references), found a string")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users
                    + "  o:\n    columns: { uid: bigint }\n    foreign_keys: [{ columns: uid, references: { table: users }, on_delete: nullify }]\n"
            ),
            .invalidValue, at: "nullify", message: "expected one of: no-action, restrict, cascade, set-null, set-default")
    }

    @Test func foreignKeyToAMissingTableSuggestsTheClosest() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users
                    + "  o:\n    columns: { uid: bigint }\n    foreign_keys: [{ columns: uid, references: { table: user } }]\n"),
            .unknownReference, at: "user }", message: "unknown table 'user'; did you mean 'users'?")
    }

    @Test func uniqueEntriesMustBeNamesListsOrMappings() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { a: int }\n    unique: [{ name: k }]\n"), .missingKey, at: "{ name",
            message: "a unique constraint needs 'columns'")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { a: int }\n    unique: a\n"), .wrongType, at: "a\n",
            message: "'unique' expects a list, found a string")
    }

    @Test func derivedColumnsMustNotClashWithDeclaredOnes() throws {
        let text = TableKeyCases.tables(
            "  posts:\n    columns: { id: bigint, likes: int }\n    primary_key: [id]\n    counters:\n      likes: { counts: l, via: post_id }\n  l:\n    columns: { post_id: bigint }\n"
        )
        let diagnostic = try DecodeFixture.expectError(
            text, .duplicateName, at: "likes: { counts", message: "'likes' is declared as a column and as a derived column")
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "likes: int", in: text)
    }

    @Test func countersNeedASingleColumnPrimaryKeyAndAKnownViaColumn() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                "  posts:\n    columns: { id: bigint }\n    counters:\n      n: { counts: l, via: post_id }\n  l:\n    columns: { post_id: bigint }\n"
            ),
            .invalidValue, at: "n: { counts", message: "a counter needs 'posts' to have a single-column primary key")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                "  posts:\n    columns: { id: bigint }\n    primary_key: id\n    counters:\n      n: { counts: l, via: pid }\n  l:\n    columns: { post_id: bigint }\n"
            ),
            .unknownReference, at: "pid", message: "unknown column of 'l' 'pid'")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  posts:\n    columns: { id: bigint }\n    primary_key: id\n    counters:\n      n: { counts: l }\n"),
            .missingKey, at: "{ counts", message: "`counter` needs 'via'")
    }

    @Test func snapshotSourceIsTableDotColumn() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users + "  o:\n    columns: { uid: bigint }\n    snapshots:\n      e: { from: email, via: uid }\n"),
            .invalidValue, at: "email,", message: "'from' takes TABLE.COLUMN, found 'email'")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users + "  o:\n    columns: { uid: bigint }\n    snapshots:\n      e: { from: users.mail, via: uid }\n"),
            .unknownReference, at: "users.mail", message: "unknown column of 'users' 'mail'")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                TableKeyCases.users + "  o:\n    columns: { uid: bigint }\n    snapshots:\n      e: { from: \"users.e-mail\", via: uid }\n"),
            .invalidIdentifier, at: "\"users.e-mail\"", message: "column \"e-mail\" may contain only letters, digits and underscores")
    }

    @Test func verticalGroupsAreChecked() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                "  u:\n    columns: { id: int, a: text }\n    vertical:\n      cold: { columns: [a], database: u_cold }\n"),
            .missingKey, at: "cold:", message: "a table with vertical groups needs a primary key to join them")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                "  u:\n    columns: { id: int, a: text }\n    primary_key: id\n    vertical:\n      cold: { columns: [id, a], database: u_cold }\n"
            ),
            .invalidValue, at: "id, a]", message: "primary key column 'id' is repeated in every vertical group automatically")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                "  u:\n    columns: { id: int, a: text }\n    primary_key: id\n    vertical:\n      cold: { columns: [a] }\n"),
            .missingKey, at: "{ columns: [a]", message: "a vertical group needs 'database'")
        try DecodeFixture.expectError(
            TableKeyCases.tables(
                "  u:\n    columns: { id: int, a: text }\n    primary_key: id\n    vertical:\n      cold: { columns: [a], database: d, cluster: archive }\n"
            ),
            .unknownReference, at: "archive", message: "unknown cluster 'archive'")
    }

    @Test func writesPerSecondIsANonNegativeInteger() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { id: int }\n    writes_per_second: -1\n"), .invalidValue, at: "-1",
            message: "'writes_per_second' must be between 0 and 100000000, found -1")
    }

    @Test func unknownTableKeysAreReportedWithSuggestion() throws {
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { id: int }\n    primary_keys: [id]\n"), .unknownKey, at: "primary_keys",
            message: "unknown key 'primary_keys' in `table`; did you mean 'primary_key'?")
        try DecodeFixture.expectError(
            TableKeyCases.tables("  t:\n    columns: { id: int }\n    password: hunter2\n"), .literalSecret, at: "password",
            message: "'password': passwords are never written in a topology")
    }
}
