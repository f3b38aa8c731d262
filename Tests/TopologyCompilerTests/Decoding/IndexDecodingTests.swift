import Testing

@testable import TopologyCompiler

enum IndexKeyCases {
    /// A table `t` with columns id, email, status, attributes and the given index list items (indent by six).
    static func indexes(_ items: String, extra: String = "") -> String {
        DecodeFixture.document(
            "tables:\n  t:\n    columns: { id: bigint, email: text, status: text, attributes: jsonb }\n    indexes:\n" + items + extra)
    }

    static func columnNames(_ index: Index) -> [String] {
        index.keys.compactMap {
            if case .column(let name) = $0 { return name.value }
            return nil
        }
    }

    static func expressions(_ index: Index) -> [String] {
        index.keys.compactMap {
            if case .expression(let text) = $0 { return text.value }
            return nil
        }
    }

    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.index, "name", indexes("      - { name: t_email_idx, columns: [email] }\n")) {
            let index = try #require($0.topology.tables[0].indexes.first)
            #expect(index.name?.value == "t_email_idx")
            $0.expect(index.name?.location, at: "t_email_idx")
            $0.expect(index.location, at: "{ name")
        },
        GrammarKeyCase(.index, "method", indexes("      - { method: gin, columns: [attributes] }\n")) {
            let index = try #require($0.topology.tables[0].indexes.first)
            #expect(index.method.value == .gin)
            $0.expect(index.method.location, at: "gin,")
        },
        GrammarKeyCase(.index, "columns", indexes("      - columns: [status, email]\n")) {
            let index = try #require($0.topology.tables[0].indexes.first)
            #expect(IndexKeyCases.columnNames(index) == ["status", "email"])
            #expect(index.name == nil)
            #expect(index.unique == nil)
            #expect(index.include.isEmpty)
            #expect(index.predicate == nil)
            #expect(index.suppressions.isEmpty)
            // Without 'method', the index is a btree located at the index entry.
            #expect(index.method.value == .btree)
            $0.expect(index.method.location, at: "columns: [status")
            $0.expect(index.keys[1].location, at: "email]")
        },
        GrammarKeyCase(.index, "unique", indexes("      - { columns: [email], unique: true }\n")) {
            let unique = try #require($0.topology.tables[0].indexes.first?.unique)
            #expect(unique.value)
            $0.expect(unique.location, at: "true")
        },
        GrammarKeyCase(.index, "include", indexes("      - { columns: [id], include: [status, email] }\n")) {
            let index = try #require($0.topology.tables[0].indexes.first)
            #expect(index.include.map(\.value) == ["status", "email"])
            $0.expect(index.include[0].location, at: "status, email]")
        },
        GrammarKeyCase(.index, "where", indexes("      - columns: [status]\n        where: \"status <> 'done'\"\n")) {
            let predicate = try #require($0.topology.tables[0].indexes.first?.predicate)
            #expect(predicate.value == "status <> 'done'")
            $0.expect(predicate.location, at: "\"status")
        },
        GrammarKeyCase(.index, "renamed_from", indexes("      - { name: t_mail_idx, columns: [email], renamed_from: t_email_idx }\n")) {
            let previous = try #require($0.topology.tables[0].indexes.first?.renamedFrom)
            #expect(previous.value == "t_email_idx")
            $0.expect(previous.location, at: "t_email_idx }")
        },
        GrammarKeyCase(
            .index, "suppress",
            indexes("      - columns: [status]\n        suppress: [{ rule: TPG210, reason: low cardinality is fine }]\n")
        ) {
            let suppressions = try #require($0.topology.tables[0].indexes.first).suppressions
            #expect(suppressions.map(\.code.value) == ["TPG210"])
            #expect(suppressions.map(\.reason.value) == ["low cardinality is fine"])
        },
        GrammarKeyCase(
            .indexExpression, "expression",
            indexes("      - columns: [{ expression: \"lower(email)\" }, id]\n")
        ) {
            let index = try #require($0.topology.tables[0].indexes.first)
            #expect(IndexKeyCases.expressions(index) == ["lower(email)"])
            #expect(IndexKeyCases.columnNames(index) == ["id"])
            $0.expect(index.keys[0].location, at: "\"lower")
        },
    ]
}

@Suite("Decoding: indexes")
struct IndexDecodingTests {
    @Test(arguments: IndexKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test(arguments: IndexMethod.allCases)
    func everyMethod(_ method: IndexMethod) throws {
        let topology = try DecodeFixture.decode(IndexKeyCases.indexes("      - { method: \(method.rawValue), columns: [id] }\n"))
        #expect(topology.tables[0].indexes.first?.method.value == method)
    }

    @Test func aSingleColumnNameIsAccepted() throws {
        let index = try #require(
            try DecodeFixture.decode(IndexKeyCases.indexes("      - { columns: email, include: status }\n")).tables[0].indexes.first)
        #expect(IndexKeyCases.columnNames(index) == ["email"])
        #expect(index.include.map(\.value) == ["status"])
    }

    @Test func indexesKeepFileOrder() throws {
        let indexes = try DecodeFixture.decode(
            IndexKeyCases.indexes("      - { name: b_idx, columns: [email] }\n      - { name: a_idx, columns: [status] }\n")
        ).tables[0].indexes
        #expect(indexes.map { $0.name?.value } == ["b_idx", "a_idx"])
    }

    @Test func misspeltKeyAndMethodSuggestTheClosest() throws {
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - { columns: [attributes], metod: gin }\n"), .unknownKey, at: "metod",
            message: "unknown key 'metod' in `index`; did you mean 'method'?")
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - { columns: [attributes], method: gim }\n"), .invalidValue, at: "gim",
            message: "'gim' is not a valid 'method'; did you mean 'gin'? (expected one of: btree, hash, gin, gist, brin, spgist)")
    }

    @Test func columnsAreRequiredAndNotEmpty() throws {
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - { name: t_idx }\n"), .missingKey, at: "{ name", message: "`index` needs 'columns'")
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - { columns: [] }\n"), .invalidValue, at: "[] }",
            message: "an index needs at least one column or expression")
    }

    @Test func indexedColumnsMustExist() throws {
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - { columns: [emial] }\n"), .unknownReference, at: "emial",
            message: "unknown column of 't' 'emial'")
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - { columns: [id], include: [totl] }\n"), .unknownReference, at: "totl",
            message: "unknown column of 't' 'totl'")
    }

    @Test func expressionsAndPredicatesAreSafeSQL() throws {
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - columns: [{ expression: \"lower(email\" }]\n"), .unsafeSQLFragment, at: "\"lower",
            message: "'expression': unbalanced '('")
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - columns: [status]\n        where: \"status = 'x' -- y\"\n"), .unsafeSQLFragment,
            at: "\"status", message: "'where': SQL comments ('--') are not allowed")
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - columns: [{ expr: \"lower(email)\" }]\n"), .unknownKey, at: "expr:",
            message: "unknown key 'expr' in an index key")
    }

    @Test func uniqueIsABoolean() throws {
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - { columns: [id], unique: yes }\n"), .wrongType, at: "yes",
            message: "'unique' expects a boolean; write true or false, not 'yes'")
    }

    @Test func indexNamesAreUniqueAcrossTables() throws {
        let text = DecodeFixture.document(
            "tables:\n  a:\n    columns: { id: int }\n    indexes: [{ name: shared_idx, columns: id }]\n  b:\n    columns: { id: int }\n    indexes: [{ name: shared_idx, columns: id }]\n"
        )
        let diagnostic = try DecodeFixture.expectError(
            text, .duplicateName, at: "shared_idx", occurrence: 2, message: "index name 'shared_idx' is used twice")
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "shared_idx", in: text)
    }

    @Test func indexesMustBeAListOfMappings() throws {
        try DecodeFixture.expectError(
            IndexKeyCases.indexes("      - email\n"), .wrongType, at: "email\n",
            message: "'indexes' expects a mapping (`index`), found a string")
        try DecodeFixture.expectError(
            DecodeFixture.document("tables:\n  t:\n    columns: { id: int }\n    indexes: { columns: [id] }\n"), .wrongType,
            at: "{ columns: [id]", message: "'indexes' expects a list, found a mapping")
    }
}
