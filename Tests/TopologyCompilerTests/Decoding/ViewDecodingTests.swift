import Testing

@testable import TopologyCompiler

enum ViewKeyCases {
    /// A table `orders` and the given `views:` body (indent view names by two).
    static func views(_ body: String) -> String {
        DecodeFixture.document("tables:\n  orders:\n    columns: { id: bigint, total: numeric }\nviews:\n" + body)
    }

    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.view, "materialized", views("  totals:\n    materialized: true\n    query: SELECT sum(total) FROM orders\n")) {
            let view = $0.topology.views[0]
            #expect(view.name.value == "totals")
            #expect(view.materialized.value)
            #expect(view.refreshSchedule == nil)
            #expect(view.refreshConcurrently == nil)
            $0.expect(view.materialized.location, at: "true")
            $0.expect(view.name.location, at: "totals")
        },
        GrammarKeyCase(.view, "query", views("  big:\n    query: >-\n      SELECT id\n      FROM orders WHERE total > 100\n")) {
            let view = $0.topology.views[0]
            // A folded block scalar is folded into one line.
            #expect(view.query.value == "SELECT id FROM orders WHERE total > 100")
            // Not materialized unless said so; the default is located at the view's name.
            #expect(view.materialized.value == false)
            $0.expect(view.materialized.location, at: "big:")
            $0.expect(view.query.location, at: ">-")
        },
        GrammarKeyCase(
            .view, "unique_key", views("  totals:\n    materialized: true\n    query: SELECT id, total FROM orders\n    unique_key: [id]\n")
        ) {
            let key = $0.topology.views[0].uniqueKey
            #expect(key.map(\.value) == ["id"])
            $0.expect(key[0].location, at: "id]")
        },
        GrammarKeyCase(
            .view, "refresh",
            views(
                "  totals:\n    materialized: true\n    query: SELECT 1\n    refresh: { schedule: \"*/15 * * * *\", concurrently: false }\n"
            )
        ) {
            let view = $0.topology.views[0]
            #expect(view.refreshSchedule?.value.expression == "*/15 * * * *")
            #expect(view.refreshConcurrently?.value == false)
        },
        GrammarKeyCase(.view, "suppress", views("  v:\n    query: SELECT 1\n    suppress: [{ rule: TPG401, reason: tiny view }]\n")) {
            #expect($0.topology.views[0].suppressions.map(\.code.value) == ["TPG401"])
        },
        GrammarKeyCase(
            .refresh, "schedule",
            views("  v:\n    materialized: true\n    query: SELECT 1\n    refresh:\n      schedule: \"0   3 * * 1-5\"\n")
        ) {
            let schedule = try #require($0.topology.views[0].refreshSchedule)
            // Runs of spaces are normalised.
            #expect(schedule.value.expression == "0 3 * * 1-5")
            #expect(schedule.value.description == "0 3 * * 1-5")
            $0.expect(schedule.location, at: "\"0   3")
        },
        GrammarKeyCase(
            .refresh, "concurrently",
            views("  v:\n    materialized: true\n    query: SELECT 1\n    refresh: { schedule: \"@daily\", concurrently: true }\n")
        ) {
            let concurrently = try #require($0.topology.views[0].refreshConcurrently)
            #expect(concurrently.value)
            #expect($0.topology.views[0].refreshSchedule?.value.expression == "@daily")
            $0.expect(concurrently.location, at: "true }")
        },
    ]
}

@Suite("Decoding: views")
struct ViewDecodingTests {
    @Test(arguments: ViewKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func queryIsRequiredAndSafe() throws {
        try DecodeFixture.expectError(
            ViewKeyCases.views("  v:\n    materialized: true\n"), .missingKey, at: "materialized", message: "`view` needs 'query'")
        try DecodeFixture.expectError(
            ViewKeyCases.views("  v:\n    query: SELECT 1; DROP TABLE orders\n"), .unsafeSQLFragment, at: "SELECT 1;",
            message: "'query': a semicolon would end the generated statement")
        try DecodeFixture.expectError(
            ViewKeyCases.views("  v:\n    query: SELECT 1 /* x */\n"), .unsafeSQLFragment, at: "SELECT 1 /*",
            message: "'query': SQL comments ('/*') are not allowed")
        try DecodeFixture.expectError(
            ViewKeyCases.views("  v:\n    query: \"   \"\n"), .unsafeSQLFragment, at: "\"   \"",
            message: "'query': the SQL fragment is empty")
    }

    @Test func refreshAppliesOnlyToMaterializedViews() throws {
        let text = ViewKeyCases.views("  v:\n    materialized: false\n    query: SELECT 1\n    refresh: { schedule: \"@hourly\" }\n")
        try DecodeFixture.expectError(
            text, .inapplicableKey, at: "refresh", message: "'refresh' applies only to materialized views; add 'materialized: true'")
    }

    @Test func scheduleMustBeACronExpression() throws {
        for schedule in ["61 * * * *", "* * * *", "@every 5m", "*/0 * * * *"] {
            let text = ViewKeyCases.views("  v:\n    materialized: true\n    query: SELECT 1\n    refresh: { schedule: \"\(schedule)\" }\n")
            try DecodeFixture.expectError(
                text, .invalidQuantity, at: "\"\(schedule)\"",
                message: "'\(schedule)' is not a cron schedule (five fields, such as '0 * * * *', or @hourly)")
        }
    }

    @Test func unknownRefreshKeyIsReported() throws {
        try DecodeFixture.expectError(
            ViewKeyCases.views("  v:\n    materialized: true\n    query: SELECT 1\n    refresh: { schedul: \"@daily\" }\n"), .unknownKey,
            at: "schedul", message: "unknown key 'schedul' in `refresh`; did you mean 'schedule'?")
    }

    @Test func viewNamesAreSQLIdentifiers() throws {
        try DecodeFixture.expectError(
            ViewKeyCases.views("  daily-sales:\n    query: SELECT 1\n"), .invalidIdentifier, at: "daily-sales",
            message: "view name \"daily-sales\" may contain only letters, digits and underscores")
    }
}
