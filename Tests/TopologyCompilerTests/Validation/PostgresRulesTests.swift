import Testing

@testable import TopologyCompiler

@Suite("PostgreSQL rules")
struct PostgresRulesTests {
    typealias F = RuleFixture

    // MARK: TPG101 unique-includes-partition-key

    static func partitioned(primaryKey: String, unique: String, indexUnique: String, suppress: String = "") -> String {
        """
        tables:
          events:
            columns:
              event_id: bigint
              created_at: timestamptz
              code: text
            primary_key: \(primaryKey)
            unique: \(unique)
            partitioning:
              { by: range, key: created_at, interval: monthly, from: 2025-01-01, to: 2025-03-01, default: true }
            indexes:
              - { columns: \(indexUnique), unique: true }

        """ + suppress
    }

    @Test func uniqueKeysOfAPartitionedTableMustContainThePartitionKey() throws {
        let body = Self.partitioned(primaryKey: "[event_id]", unique: "[[code]]", indexUnique: "[code]")
        let primary = try F.expectReport(
            "TPG101", in: body, at: "[event_id]",
            message: "primary key of partitioned table 'events' must include its partition key: add 'created_at'")
        F.expectNote(primary, in: body, at: "created_at, interval")
        try F.expectReport(
            "TPG101", in: body, at: "[code]]", message: "unique constraint of partitioned table 'events'")
        try F.expectReport(
            "TPG101", in: body, at: "true }", occurrence: 2, message: "unique index of partitioned table 'events'")
        #expect(try F.diagnostics("TPG101", body).count == 3)
    }

    @Test func uniqueKeysWithThePartitionKeyPassAndSuppressionsSilence() throws {
        try F.expectClean(
            "TPG101",
            Self.partitioned(
                primaryKey: "[event_id, created_at]", unique: "[[code, created_at]]", indexUnique: "[created_at, code]")
        )
        try F.expectClean(
            "TPG101",
            Self.partitioned(
                primaryKey: "[event_id]", unique: "[[code]]", indexUnique: "[code]", suppress: F.suppress("TPG101")))
    }

    // MARK: TPG102 unique-index-not-btree, TPG103 multicolumn-index-method, TPG104 include-unsupported-method

    static func sessions(index: String) -> String {
        """
        tables:
          sessions:
            columns:
              session_id: bigint
              token: text
              user_id: bigint
              data: jsonb
            primary_key: session_id
            indexes:
        \(index)
        """
    }

    static let hashUnique =
        "      - name: sessions_token\n        method: hash\n        columns: token\n        unique: true\n"
    static let indexSuppression = "        suppress:\n          - { rule: CODE, reason: \"accepted in this test\" }\n"

    @Test func onlyBtreeIndexesAreUnique() throws {
        let body = Self.sessions(index: Self.hashUnique)
        let found = try F.expectReport("TPG102", in: body, at: "true", message: "a hash index cannot be unique")
        F.expectNote(found, in: body, at: "hash")
        try F.expectClean("TPG102", Self.sessions(index: "      - { columns: token, unique: true }\n"))
        try F.expectClean(
            "TPG102",
            Self.sessions(
                index: Self.hashUnique + Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG102")))
    }

    @Test func hashAndSpgistIndexesTakeOneKeyColumn() throws {
        let hash = Self.sessions(index: "      - { method: hash, columns: [token, user_id] }\n")
        try F.expectReport(
            "TPG103", in: hash, at: "user_id]", message: "a hash index takes a single key column, this one has 2")
        let spgist = Self.sessions(index: "      - { method: spgist, columns: [token, user_id] }\n")
        try F.expectReport("TPG103", in: spgist, at: "user_id]", message: "a spgist index takes a single key column")
        try F.expectClean(
            "TPG103",
            Self.sessions(
                index: "      - { method: gin, columns: [data, data] }\n      - { method: hash, columns: token }\n"))
        try F.expectClean(
            "TPG103",
            Self.sessions(
                index: "      - method: hash\n        columns: [token, user_id]\n"
                    + Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG103")))
    }

    @Test func includeNeedsBtreeGistOrSpgist() throws {
        let body = Self.sessions(index: "      - { method: gin, columns: data, include: [token] }\n")
        let found = try F.expectReport(
            "TPG104", in: body, at: "token]", message: "a gin index cannot have INCLUDE columns")
        F.expectNote(found, in: body, at: "gin, columns")
        try F.expectClean(
            "TPG104",
            Self.sessions(
                index: "      - { columns: user_id, include: [token] }\n      - { method: gist, columns: data }\n"))
        try F.expectClean(
            "TPG104",
            Self.sessions(
                index: "      - method: brin\n        columns: user_id\n        include: [token]\n"
                    + Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG104")))
    }

    // MARK: TPG105 too-many-key-columns

    static func wide(keyCount: Int, suppress: Bool = false) -> String {
        let columns = (0..<33).map { "      c\($0): text\n" }.joined()
        let keys = (0..<keyCount).map { "c\($0)" }.joined(separator: ", ")
        var body = "tables:\n  wide:\n    columns:\n" + columns + "    indexes:\n      - columns: [\(keys)]\n"
        if suppress { body += Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG105") }
        return body
    }

    @Test func indexesHoldAtMost32Columns() throws {
        try F.expectReport(
            "TPG105", in: Self.wide(keyCount: 33), at: "columns: [c0", message: "this index has 33 columns")
        try F.expectClean("TPG105", Self.wide(keyCount: 32))
        try F.expectClean("TPG105", Self.wide(keyCount: 33, suppress: true))
    }

    // MARK: TPG106 no-default-operator-class

    static func shapes(unique: String, index: String, suppress: String = "") -> String {
        """
        tables:
          shapes:
            columns:
              shape_id: bigint
              area: box
              doc: json
              flag: boolean
              body: jsonb
            primary_key: [shape_id]
            unique: \(unique)
            indexes:
        \(index)
        """ + suppress
    }

    @Test func keyColumnsNeedADefaultOperatorClass() throws {
        let body = Self.shapes(
            unique: "[[doc]]", index: "      - { columns: [area] }\n      - { method: brin, columns: flag }\n")
        let json = try F.expectReport(
            "TPG106", in: body, at: "doc]]", message: "json has no default btree operator class; use jsonb")
        F.expectNote(json, in: body, at: "json")
        try F.expectReport(
            "TPG106", in: body, at: "area]", message: "cannot be a key of a btree index: box has no default btree")
        try F.expectReport("TPG106", in: body, at: "flag }", message: "boolean has no default brin operator class")
        try F.expectClean(
            "TPG106", Self.shapes(unique: "[[body]]", index: "      - { method: gist, columns: [area] }\n"))
        try F.expectClean(
            "TPG106",
            Self.shapes(unique: "[[doc]]", index: "      - { columns: [body] }\n", suppress: F.suppress("TPG106")))
    }

    @Test func partitionKeysNeedAnOperatorClassOfTheirMethod() throws {
        let body = """
            tables:
              places:
                columns:
                  spot: point
                  name: text
                partitioning: { by: hash, key: spot, modulus: 4 }

            """
        try F.expectReport(
            "TPG106", in: body, at: "spot, modulus", message: "cannot be a partition key: point has no default hash")
    }

    // MARK: TPG107 gin-unsupported-type, TPG108 gist-unsupported-type, TPG109 brin-unordered-column

    static func notes(index: String) -> String {
        """
        tables:
          notes:
            columns:
              note_id: uuid
              room: smallint
              title: text
              tags: "text[]"
              during: tstzrange
              written_at: timestamptz
            primary_key: note_id
            indexes:
        \(index)
        """
    }

    @Test func ginIndexesJsonbTsvectorAndArraysOnly() throws {
        let body = Self.notes(index: "      - { name: notes_title, method: gin, columns: title }\n")
        let found = try F.expectReport(
            "TPG107", in: body, at: "title }", message: "GIN cannot index column 'title' of type text")
        #expect(found.message.contains("to_tsvector") && found.message.contains("pg_trgm"))
        let scalar = Self.notes(index: "      - { method: gin, columns: room }\n")
        try F.expectReport("TPG107", in: scalar, at: "room }", message: "install btree_gin")
        try F.expectClean(
            "TPG107",
            Self.notes(
                index: "      - { method: gin, columns: tags }\n"
                    + "      - { method: gin, columns: [{ expression: \"to_tsvector('english', title)\" }] }\n"))
        try F.expectClean(
            "TPG107",
            Self.notes(
                index: "      - method: gin\n        columns: title\n"
                    + Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG107")))
    }

    @Test func gistScalarColumnsNeedBtreeGist() throws {
        let body = Self.notes(index: "      - { method: gist, columns: [room, during] }\n")
        let found = try F.expectReport(
            "TPG108", in: body, at: "room, during", message: "needs the btree_gist extension")
        #expect(found.severity == .warning)
        try F.expectClean("TPG108", Self.notes(index: "      - { method: gist, columns: during }\n"))
        try F.expectClean(
            "TPG108",
            Self.notes(
                index: "      - method: gist\n        columns: [room, during]\n"
                    + Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG108")))
    }

    @Test func brinOnRandomValuesIsUseless() throws {
        let body = Self.notes(index: "      - { method: brin, columns: note_id }\n")
        let found = try F.expectReport(
            "TPG109", in: body, at: "note_id }", message: "BRIN column 'note_id' holds uuid values")
        #expect(found.severity == .warning)
        try F.expectClean("TPG109", Self.notes(index: "      - { method: brin, columns: written_at }\n"))
        try F.expectClean(
            "TPG109",
            Self.notes(
                index: "      - method: brin\n        columns: note_id\n"
                    + Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG109")))
    }

    // MARK: TPG110 foreign-key-target-not-unique

    static func customers(extra: String, suppress: String = "") -> String {
        """
        tables:
          customers:
            columns:
              customer_id: bigint
              email: text
            primary_key: customer_id
        \(extra)
          orders:
            columns:
              order_id: bigint
              customer_email: text
            primary_key: order_id
            foreign_keys:
              - { columns: customer_email, references: { table: customers, columns: email } }

        """ + suppress
    }

    @Test func foreignKeysReferenceAUniqueKey() throws {
        let body = Self.customers(extra: "")
        let found = try F.expectReport(
            "TPG110", in: body, at: "email } }",
            message: "(email) is not the primary key or a unique key of 'customers'")
        F.expectNote(found, in: body, at: "customers:")
        try F.expectClean("TPG110", Self.customers(extra: "    unique: [email]"))
        try F.expectClean("TPG110", Self.customers(extra: "    indexes:\n      - { columns: email, unique: true }"))
        try F.expectClean("TPG110", Self.customers(extra: "", suppress: F.suppress("TPG110")))
    }

    @Test func aPartialUniqueIndexIsNoForeignKeyTarget() throws {
        let body = Self.customers(
            extra: "    indexes:\n      - { columns: email, unique: true, where: email IS NOT NULL }")
        try F.expectReport("TPG110", in: body, at: "email } }", message: "is not the primary key or a unique key")
    }

    // MARK: TPG122 name-collision with objects topoc creates without a name in the topology

    @Test func aTableNamedLikeASerialSequenceCollides() throws {
        let body = """
            tables:
              t:
                columns:
                  id: bigserial
                primary_key: id
              t_id_seq:
                columns:
                  x: bigint
                primary_key: x

            """
        let found = try F.expectReport(
            "TPG122", in: body, at: "id: bigserial", message: "'t_id_seq', the name of this sequence, is already the name of a table")
        F.expectNote(found, in: body, at: "t_id_seq:")
        try F.expectClean("TPG122", body.replacingOccurrences(of: "t_id_seq:", with: "t_ids:"))
    }

    @Test func aTableNamedLikeAViewsUniqueIndexCollides() throws {
        let body = """
            tables:
              sales:
                columns:
                  sale_id: bigint
                  day: date
                primary_key: sale_id
              daily_day_key:
                columns:
                  x: bigint
                primary_key: x
            views:
              daily:
                materialized: true
                query: SELECT day, count(*) AS n FROM sales GROUP BY day
                unique_key: day

            """
        try F.expectReport(
            "TPG122", in: body, at: "daily:", message: "'daily_day_key', the name of this materialized view's unique index")
    }

    @Test func aTableNamedLikeTheAuditTableCollides() throws {
        let body = """
            tables:
              events:
                columns:
                  event_id: bigint
                primary_key: event_id
              audit_log:
                columns:
                  x: bigint
                primary_key: x
            cdc:
              audit_table: audit_log
              tables: { events: trigger }

            """
        try F.expectReport(
            "TPG122", in: body, at: "audit_log\n", message: "the name of this CDC audit table, is already the name of a table")
    }

    // MARK: TPG111 key-type-mismatch, TPG112 key-type-differs

    static func posts(author: String, suppress: String = "") -> String {
        """
        tables:
          users:
            columns:
              user_id: bigserial
            primary_key: user_id
          posts:
            columns:
              post_id: bigint
              author: \(author)
            primary_key: post_id
            foreign_keys:
              - { columns: author, references: { table: users } }

        """ + suppress
    }

    @Test func foreignKeyTypesMustBeComparable() throws {
        let body = Self.posts(author: "uuid")
        let found = try F.expectReport(
            "TPG111", in: body, at: "author, references",
            message: "'author' (uuid) cannot reference 'users.user_id' (bigserial)")
        F.expectNote(found, in: body, at: "bigserial")
        try F.expectClean("TPG111", Self.posts(author: "bigint"))
        try F.expectClean("TPG111", Self.posts(author: "integer"))
        try F.expectClean("TPG111", Self.posts(author: "uuid", suppress: F.suppress("TPG111")))
    }

    /// The fix-it of TPG111 and TPG112, applied, validates clean: a serial key is referenced by the
    /// integer type it creates, not by another serial.
    @Test func keyTypeSuggestionsApplyCleanly() throws {
        for (author, code) in [("uuid", "TPG111"), ("integer", "TPG112")] {
            let found = try F.expectReport(code, in: Self.posts(author: author), at: "author, references", message: "declare it bigint")
            #expect(!found.message.contains("declare it bigserial"))
            let fixed = Self.posts(author: "bigint")
            try F.expectClean("TPG111", fixed)
            try F.expectClean("TPG112", fixed)
        }
    }

    @Test func counterAndSnapshotViaTypesMustBeComparable() throws {
        let body = """
            tables:
              users:
                columns:
                  user_id: bigint
                  handle: text
                primary_key: user_id
                counters:
                  post_count: { counts: posts, via: author }
              posts:
                columns:
                  post_id: bigint
                  author: text
                  writer: uuid
                primary_key: post_id
                snapshots:
                  writer_handle: { from: users.handle, via: writer }

            """
        try F.expectReport(
            "TPG111", in: body, at: "author }", message: "'author' (text) cannot reference 'users.user_id' (bigint)")
        try F.expectReport(
            "TPG111", in: body, at: "writer }", message: "'writer' (uuid) cannot reference 'users.user_id'")
    }

    @Test func foreignKeyTypesShouldBeEqual() throws {
        let body = Self.posts(author: "integer")
        let found = try F.expectReport(
            "TPG112", in: body, at: "author, references",
            message: "'author' is integer but references 'users.user_id' of type bigserial")
        #expect(found.severity == .warning)
        try F.expectClean("TPG112", Self.posts(author: "bigint"))
        try F.expectClean("TPG112", Self.posts(author: "uuid"))
        try F.expectClean("TPG112", Self.posts(author: "integer", suppress: F.suppress("TPG112")))
    }

    // MARK: TPG113 fk-action-violates-not-null

    static func comments(column: String, action: String, suppress: String = "") -> String {
        """
        tables:
          users:
            columns:
              user_id: bigint
            primary_key: user_id
          comments:
            columns:
              comment_id: bigint
              author: \(column)
            primary_key: comment_id
            foreign_keys:
              - { columns: author, references: { table: users }, on_delete: \(action) }

        """ + suppress
    }

    @Test func setNullNeedsANullableColumn() throws {
        let body = Self.comments(column: "{ type: bigint, nullable: false }", action: "set-null")
        let found = try F.expectReport(
            "TPG113", in: body, at: "set-null", message: "ON DELETE SET NULL sets it to NULL, but 'author' is NOT NULL")
        F.expectNote(found, in: body, at: "author:")
        let noDefault = Self.comments(column: "{ type: bigint, nullable: false }", action: "set-default")
        try F.expectReport(
            "TPG113", in: noDefault, at: "set-default", message: "ON DELETE SET DEFAULT sets it to its default")
        try F.expectClean("TPG113", Self.comments(column: "bigint", action: "set-null"))
        try F.expectClean(
            "TPG113", Self.comments(column: "{ type: bigint, nullable: false, default: 0 }", action: "set-default"))
        try F.expectClean(
            "TPG113",
            Self.comments(
                column: "{ type: bigint, nullable: false }", action: "set-null", suppress: F.suppress("TPG113")))
    }

    // MARK: TPG114 derived-column-without-foreign-key

    static func lines(foreignKey: Bool, suppress: String = "") -> String {
        """
        tables:
          products:
            columns:
              product_id: bigint
              name: text
            primary_key: product_id
            counters:
              line_count: { counts: lines, via: product_id }
          lines:
            columns:
              line_id: bigint
              product_id: bigint
            primary_key: line_id
            snapshots:
              product_name: { from: products.name, via: product_id }
        \(foreignKey ? "    foreign_keys:\n      - { columns: product_id, references: { table: products } }\n" : "")
        """ + suppress
    }

    @Test func countersAndSnapshotsFollowAForeignKey() throws {
        let body = Self.lines(foreignKey: false)
        let counter = try F.expectReport(
            "TPG114", in: body, at: "product_id }", message: "counter 'line_count' follows 'lines.product_id'")
        #expect(counter.severity == .warning)
        try F.expectReport(
            "TPG114", in: body, at: "product_id }", occurrence: 2,
            message: "snapshot 'product_name' follows 'product_id'")
        try F.expectClean("TPG114", Self.lines(foreignKey: true))
        let suppressed = Self.lines(foreignKey: false).replacingOccurrences(
            of: "    primary_key: line_id\n", with: "    primary_key: line_id\n" + F.suppress("TPG114")
        )
        .replacingOccurrences(
            of: "    primary_key: product_id\n", with: "    primary_key: product_id\n" + F.suppress("TPG114"))
        try F.expectClean("TPG114", suppressed)
    }

    // MARK: TPG115 partition-bounds-overlap

    static func ranged(type: String, ranges: String, extra: String = "", suppress: String = "") -> String {
        """
        tables:
          archive:
            columns:
              id: bigint
              at: \(type)
            primary_key: [id, at]
            partitioning:
              by: range
              key: at
        \(extra)      ranges:
        \(ranges)
        """ + suppress
    }

    @Test func rangePartitionsMustNotOverlap() throws {
        let body = Self.ranged(
            type: "date",
            ranges: """
                        - { name: y2024, from: "2024-01-01", to: "2025-01-01" }
                        - { name: mid, from: "2024-06-01", to: "2025-06-01" }
                        - { name: empty, from: "2026-01-01", to: "2025-12-01" }
                """, extra: "      default: true\n")
        let overlap = try F.expectReport(
            "TPG115", in: body, at: "\"2024-06-01\"",
            message: "range 'mid' ['2024-06-01', '2025-06-01') overlaps range 'y2024'")
        F.expectNote(overlap, in: body, at: "y2024")
        try F.expectReport(
            "TPG115", in: body, at: "\"2025-12-01\"", message: "range 'empty' ['2026-01-01', '2025-12-01') is empty")
    }

    @Test func integerBoundsCompareAsNumbers() throws {
        let body = Self.ranged(
            type: "bigint",
            ranges:
                "        - { name: low, to: 9 }\n        - { name: mid, from: 9, to: 10 }\n"
                + "        - { name: high, from: 10 }\n"
        )
        try F.expectClean("TPG115", body)
        try F.expectClean("TPG116", body)
        let overlapping = Self.ranged(
            type: "bigint", ranges: "        - { name: low, to: 100 }\n        - { name: high, from: 20 }\n",
            suppress: F.suppress("TPG115"))
        try F.expectClean("TPG115", overlapping)
    }

    @Test func aSeriesAndExplicitRangesMustNotOverlap() throws {
        let body = Self.ranged(
            type: "timestamptz", ranges: "        - { name: old, from: \"2024-12-01 00:00\", to: \"2025-01-15\" }\n",
            extra: "      interval: monthly\n      from: 2025-01-01\n      to: 2025-03-01\n      default: true\n")
        try F.expectReport("TPG115", in: body, at: "\"2024-12-01 00:00\"", message: "overlaps the generated series")
    }

    @Test func listValuesBelongToOnePartition() throws {
        let body = """
            tables:
              documents:
                columns:
                  id: bigint
                  kind: text
                primary_key: [id, kind]
                partitioning:
                  by: list
                  key: kind
                  lists:
                    invoices: [invoice, bill]
                    bills: [bill]

            """
        let found = try F.expectReport(
            "TPG115", in: body, at: "bill]", occurrence: 2, message: "value 'bill' is already in partition 'invoices'")
        F.expectNote(found, in: body, at: "bill]")
        try F.expectClean("TPG115", body.replacingOccurrences(of: "bills: [bill]", with: "bills: [receipt]"))
        try F.expectClean("TPG115", body + F.suppress("TPG115"))
    }

    // MARK: TPG116 partition-bounds-gap

    @Test func rangesWithoutDefaultLeaveRowsWithoutAPartition() throws {
        let ranges = """
                    - { name: y2024, from: "2024-01-01", to: "2025-01-01" }
                    - { name: y2026, from: "2026-01-01", to: "2027-01-01" }

            """
        let body = Self.ranged(type: "date", ranges: ranges)
        let below = try F.expectReport(
            "TPG116", in: body, at: "\"2024-01-01\"", message: "no partition holds rows with 'at' below '2024-01-01'")
        #expect(below.severity == .warning)
        try F.expectReport("TPG116", in: body, at: "\"2026-01-01\"", message: "from '2025-01-01' up to '2026-01-01'")
        try F.expectReport("TPG116", in: body, at: "\"2027-01-01\"", message: "at or above '2027-01-01'")
        try F.expectClean("TPG116", Self.ranged(type: "date", ranges: ranges, extra: "      default: true\n"))
        try F.expectClean("TPG116", Self.ranged(type: "date", ranges: ranges, suppress: F.suppress("TPG116")))
    }

    @Test func aSeriesWithoutDefaultIsBounded() throws {
        let body = """
            tables:
              readings:
                columns:
                  id: bigint
                  at: timestamptz
                primary_key: [id, at]
                partitioning: { by: range, key: at, interval: monthly, from: 2025-01-15, to: 2025-03-01 }

            """
        try F.expectReport("TPG116", in: body, at: "2025-01-15", message: "below '2025-01-01'")
        try F.expectReport("TPG116", in: body, at: "2025-03-01", message: "at or above '2025-03-01'")
        try F.expectClean(
            "TPG116", body.replacingOccurrences(of: "to: 2025-03-01", with: "to: 2025-03-01, default: true"))
    }

    // MARK: TPG117 partition-key-shape, TPG118 partition-bound-type

    static func regional(by: String, key: String, bounds: String, suppress: String = "") -> String {
        """
        tables:
          sales:
            columns:
              id: bigint
              region: text
              amount: integer
              sold_on: date
            primary_key: [id, region, amount, sold_on]
            partitioning:
              by: \(by)
              key: \(key)
        \(bounds)
        """ + suppress
    }

    @Test func listPartitioningTakesOneColumn() throws {
        let body = Self.regional(by: "list", key: "[region, amount]", bounds: "      lists: { eu: [eu] }\n")
        let found = try F.expectReport(
            "TPG117", in: body, at: "amount]", message: "list partitioning takes a single key column")
        F.expectNote(found, in: body, at: "list")
        let range = Self.regional(by: "range", key: "[sold_on, region]", bounds: "      ranges: [{ name: all }]\n")
        try F.expectReport("TPG117", in: range, at: "region]", message: "range partitioning takes a single key column")
        try F.expectClean("TPG117", Self.regional(by: "hash", key: "[region, amount]", bounds: "      modulus: 4\n"))
        try F.expectClean(
            "TPG117",
            Self.regional(
                by: "list", key: "[region, amount]", bounds: "      lists: { eu: [eu] }\n",
                suppress: F.suppress("TPG117")))
    }

    @Test func boundsAreValuesOfTheKeyType() throws {
        let series = Self.regional(
            by: "range", key: "amount",
            bounds: "      interval: monthly\n      from: 2025-01-01\n      to: 2025-02-01\n")
        let found = try F.expectReport(
            "TPG118", in: series, at: "monthly",
            message: "a generated series makes date bounds, but partition key 'amount' is integer")
        F.expectNote(found, in: series, at: "integer")
        let ranges = Self.regional(
            by: "range", key: "amount", bounds: "      ranges: [{ name: small, from: 0, to: \"ten\" }]\n")
        try F.expectReport(
            "TPG118", in: ranges, at: "\"ten\"",
            message: "'ten' is not a value of partition key 'amount' (integer): write an integer")
        let lists = Self.regional(
            by: "list", key: "sold_on", bounds: "      lists: { first: [\"2025-01-01\", someday] }\n")
        try F.expectReport("TPG118", in: lists, at: "someday", message: "write a date or timestamp")
        try F.expectClean(
            "TPG118",
            Self.regional(
                by: "range", key: "sold_on",
                bounds: "      interval: monthly\n      from: 2025-01-01\n      to: 2025-02-01\n"))
        try F.expectClean(
            "TPG118",
            Self.regional(by: "range", key: "amount", bounds: "      ranges: [{ name: small, from: -5, to: 10 }]\n"))
        try F.expectClean(
            "TPG118",
            Self.regional(
                by: "range", key: "amount", bounds: "      ranges: [{ name: small, from: 0, to: \"ten\" }]\n",
                suppress: F.suppress("TPG118")))
    }

    // MARK: TPG119 concurrent-refresh-needs-unique-key, TPG120 unique-key-on-plain-view

    static func view(_ lines: String) -> String {
        "views:\n  daily:\n    query: SELECT 1 AS one\n" + lines
    }

    static let viewSuppression = "    suppress:\n      - { rule: CODE, reason: \"accepted in this test\" }\n"

    @Test func concurrentRefreshNeedsAUniqueKey() throws {
        let lines = "    materialized: true\n    refresh: { schedule: \"@hourly\", concurrently: true }\n"
        let body = Self.view(lines)
        let found = try F.expectReport(
            "TPG119", in: body, at: "true }", message: "materialized view 'daily' is refreshed CONCURRENTLY")
        F.expectNote(found, in: body, at: "daily")
        try F.expectClean("TPG119", Self.view(lines + "    unique_key: [one]\n"))
        try F.expectClean(
            "TPG119", Self.view(lines.replacingOccurrences(of: "concurrently: true", with: "concurrently: false")))
        try F.expectClean(
            "TPG119", Self.view(lines + Self.viewSuppression.replacingOccurrences(of: "CODE", with: "TPG119")))
    }

    @Test func plainViewsHaveNoUniqueKey() throws {
        let body = Self.view("    unique_key: [one]\n")
        try F.expectReport("TPG120", in: body, at: "one]", message: "view 'daily' is not materialized")
        try F.expectClean("TPG120", Self.view("    materialized: true\n    unique_key: [one]\n"))
        try F.expectClean(
            "TPG120",
            Self.view("    unique_key: [one]\n" + Self.viewSuppression.replacingOccurrences(of: "CODE", with: "TPG120"))
        )
    }

    // MARK: TPG121 derived-name-too-long, TPG122 name-collision

    static let longTable = "a_very_long_table_name_for_testing_the_names"
    static let longColumn = "and_a_rather_long_column_name"

    static func longNames(index: String, suppress: String = "") -> String {
        """
        tables:
          \(longTable):
            columns:
              id: bigint
              \(longColumn): text
            primary_key: id
            indexes:
        \(index)
        """ + suppress
    }

    @Test func derivedNamesFitIn63Bytes() throws {
        let body = Self.longNames(index: "      - { columns: [\(Self.longColumn)] }\n")
        let name = "\(Self.longTable)_\(Self.longColumn)_idx"
        try F.expectReport(
            "TPG121", in: body, at: "{ columns: [and",
            message: "the index name topoc derives, '\(name)', is \(name.utf8.count) bytes")
        try F.expectClean(
            "TPG121", Self.longNames(index: "      - { name: short_idx, columns: [\(Self.longColumn)] }\n"))
        try F.expectClean(
            "TPG121",
            Self.longNames(
                index: "      - columns: [\(Self.longColumn)]\n"
                    + Self.indexSuppression.replacingOccurrences(of: "CODE", with: "TPG121")))
    }

    @Test func derivedConstraintAndTriggerNamesFitIn63Bytes() throws {
        let table = String(repeating: "t", count: 60)
        let body = """
            tables:
              \(table):
                columns:
                  id: bigint
                  parent: bigint
                primary_key: [id]
                foreign_keys:
                  - { columns: parent, references: { table: \(table) } }
                counters:
                  children: { counts: \(table), via: parent }

            """
        try F.expectReport(
            "TPG121", in: body, at: "[id]", message: "the primary key name topoc derives, '\(table)_pkey', is 65 bytes")
        try F.expectReport("TPG121", in: body, at: "{ columns: parent", message: "give the foreign key a 'name:'")
        try F.expectReport(
            "TPG121", in: body, at: "children",
            message: "counter trigger name topoc derives, '\(table)_children_counter'")
    }

    @Test func derivedNamesFollowPlanNames() {
        let keys: [IndexKey] = [
            .column(Located("tenant_id", at: SourceLocation(file: "x", line: 1, column: 1))),
            .expression(Located("lower(title)", at: SourceLocation(file: "x", line: 1, column: 1))),
        ]
        #expect(DerivedNames.index(table: "tasks", keys: keys, unique: false) == "tasks_tenant_id_expr_idx")
        #expect(DerivedNames.index(table: "tasks", keys: keys, unique: true) == "tasks_tenant_id_expr_key")
        #expect(DerivedNames.primaryKey(table: "tasks") == "tasks_pkey")
        #expect(DerivedNames.counterTrigger(table: "users", column: "post_count") == "users_post_count_counter")
        #expect(DerivedNames.snapshotTrigger(table: "lines", column: "name") == "lines_name_snapshot")
    }

    static func collision(suppress: String = "") -> String {
        """
        tables:
          a:
            columns:
              id: bigint
              b_c: text
            primary_key: id
            indexes:
              - { columns: [b_c] }
          a_b:
            columns:
              id: bigint
              c: text
            primary_key: id
            indexes:
              - { columns: [c] }

        """ + suppress
    }

    @Test func derivedNamesMustNotCollide() throws {
        let body = Self.collision()
        let found = try F.expectReport(
            "TPG122", in: body, at: "{ columns: [c]",
            message: "'a_b_c_idx', the name of this index, is already the name of an index")
        F.expectNote(found, in: body, at: "{ columns: [b_c]")
        try F.expectClean(
            "TPG122", body.replacingOccurrences(of: "{ columns: [c] }", with: "{ name: a_b_on_c, columns: [c] }"))
        try F.expectClean("TPG122", Self.collision(suppress: F.suppress("TPG122")))
    }

    @Test func viewsAndForeignKeysShareNamespaces() throws {
        let body = """
            tables:
              users:
                columns:
                  id: bigint
                primary_key: id
              admins:
                columns:
                  id: bigint
                primary_key: id
              audit:
                columns:
                  id: bigint
                  actor: bigint
                primary_key: id
                foreign_keys:
                  - { columns: actor, references: { table: users } }
                  - { columns: actor, references: { table: admins } }
            views:
              users:
                query: SELECT 1

            """
        try F.expectReport(
            "TPG122", in: body, at: "{ columns: actor, references: { table: admins",
            message: "'audit_actor_fkey', the name of this foreign key, is already the name of a foreign key")
        try F.expectReport(
            "TPG122", in: body, at: "users:", occurrence: 2,
            message: "'users', the name of this view, is already the name of a table")
    }

    // MARK: TPG123 app-role-bypasses-rls, TPG124 reserved-role-name

    static func tenancy(role: String, mode: String = "shared-schema") -> String {
        let column = mode == "shared-schema" ? "  column: tenant_id\n" : ""
        return "tenancy:\n  mode: \(mode)\n\(column)  app_role: \(role)\n  tenants: [acme]\n"
    }

    @Test func theApplicationRoleIsNotTheSuperuser() throws {
        let body = Self.tenancy(role: "postgres")
        try F.expectReport("TPG123", in: body, at: "postgres", message: "a superuser bypasses row-level security")
        let perSchema = Self.tenancy(role: "postgres", mode: "schema-per-tenant")
        try F.expectReport(
            "TPG123", in: perSchema, at: "postgres",
            message: "bypasses the grants that keep each tenant to its own schema")
        try F.expectClean("TPG123", Self.tenancy(role: "shop_app"))
    }

    @Test func roleRulesAreSilencedForTheProject() throws {
        let body = Self.tenancy(role: "postgres") + "rules:\n  TPG123: off\n"
        #expect(try F.diagnostics("TPG123", body).count == 1)
        #expect(try F.projectDiagnostics("TPG123", body).isEmpty)
        let lowered = try F.projectDiagnostics("TPG124", Self.tenancy(role: "pg_app") + "rules:\n  TPG124: warning\n")
        #expect(lowered.map(\.severity) == [.warning])
    }

    @Test func theApplicationRoleNameIsNotReserved() throws {
        try F.expectReport(
            "TPG124", in: Self.tenancy(role: "pg_app"), at: "pg_app",
            message: "reserved for PostgreSQL's predefined roles")
        try F.expectReport(
            "TPG124", in: Self.tenancy(role: "public"), at: "public", message: "reserved word of role specifications")
        try F.expectClean("TPG124", Self.tenancy(role: "shop_app"))
    }

    @Test func roleNamesAreNotKeywordsOfTheHBAFiles() throws {
        for keyword in ["all", "ALL", "sameuser", "samerole", "samegroup", "replication"] {
            try F.expectReport(
                "TPG124", in: "roles:\n  pooler_auth: \(keyword)\n", at: keyword,
                message: "is a keyword of the user field of pg_hba.conf and of PgBouncer's HBA file")
        }
        try F.expectClean("TPG124", "roles:\n  pooler_auth: all_pooler\n")
    }

    // MARK: TPG127 reserved-database-name

    @Test func databasesAreNotTheClustersOwn() throws {
        for name in ["postgres", "template0", "template1"] {
            let text = "topology: \(name)\nclusters:\n  main: { members: 1 }\n"
            try ClusterRuleFixture.expect(
                .reservedDatabaseName, in: text, at: name, message: "'\(name)' would be the main database, named after the topology")
        }
        let vertical = """
            tables:
              users:
                columns: { id: bigint, bio: text }
                primary_key: id
                vertical: { profile: { columns: [bio], database: template1 } }

            """
        try F.expectReport(
            "TPG127", in: vertical, at: "template1",
            message: "'template1' would be the database of vertical group 'profile' of 'users'")
        // topoc quotes database names: 'Postgres' is a database of its own.
        try F.expectClean("TPG127", vertical.replacingOccurrences(of: "template1", with: "Postgres"))
        try F.expectClean("TPG127", vertical.replacingOccurrences(of: "template1", with: "profiles"))
    }

    @Test func theApplicationRoleIsNotTheSuperuserWithoutTenancyEither() throws {
        try F.expectReport(
            "TPG123", in: "roles:\n  app: postgres\n", at: "postgres", message: "PgBouncer never serves the superuser")
        try F.expectClean("TPG123", "roles:\n  app: shop\n")
    }

    @Test func everyRoleNameIsChecked() throws {
        try F.expectReport(
            "TPG124", in: "roles:\n  cdc: pg_stream\n", at: "pg_stream", message: "the cdc role 'pg_stream' cannot be created")
        try F.expectClean("TPG124", "roles:\n  cdc: shop_stream\n")
    }

    // MARK: TPG125 role-name-collision

    @Test func twoRolesSharingANameAreRefused() throws {
        try F.expectReport(
            "TPG125", in: "roles:\n  app: storefront\n  cdc: storefront\n", at: "storefront", occurrence: 2,
            message:
                "the cdc role and the app role are both named 'storefront': one role would hold both sets of privileges (REPLICATION among them)"
        )
        // A declared name that meets another kind's default.
        try F.expectReport(
            "TPG125", in: "roles:\n  read_only: app_owner\n", at: "app_owner",
            message: "both named 'app_owner'")
        try F.expectClean("TPG125", "roles:\n  app: shop\n  cdc: shop_stream\n")
        try F.expectClean("TPG125", "")
    }

    @Test func aRoleNamedLikePatronisRolesIsRefused() throws {
        try F.expectReport(
            "TPG125", in: "roles:\n  rewind: replicator\n", at: "replicator", message: "is one of Patroni's roles")
        try F.expectReport("TPG125", in: "roles:\n  owner: postgres\n", at: "postgres", message: "is one of Patroni's roles")
    }

    // MARK: Catalog and examples

    @Test func everyRuleIsInTheCatalogWithARealSource() {
        let codes = RuleCatalog.postgresRules.map(\.code)
        #expect(codes.map(\.code) == (101...127).map { "TPG\($0)" })
        for code in codes {
            #expect(RuleCatalog.rule(code.code)?.code == code)
            #expect(code.source?.hasPrefix("https://www.postgresql.org/docs/15/") == true, "\(code.code)")
        }
    }

    @Test func examplesHaveNoPostgresOrTenancyErrors() throws {
        let rules = RuleCatalog.postgresRules + RuleCatalog.tenancyRules
        for example in try F.examples() {
            let loaded = TopologyLoader.load(text: example.text, file: example.name)
            let topology = try #require(loaded.topology, "\(example.name) does not decode")
            let findings = SeverityPolicy(topology: topology).apply(
                to: Validator(topology: topology, rules: rules).run())
            let errors = findings.filter {
                $0.severity == .error && ($0.code.code.hasPrefix("TPG") || $0.code.code.hasPrefix("TTN"))
            }
            #expect(errors.isEmpty, "\(example.name):\n\(errors.map(\.rendered).joined(separator: "\n"))")
        }
    }
}
