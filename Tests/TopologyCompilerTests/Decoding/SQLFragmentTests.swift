import Testing

@testable import TopologyCompiler

@Suite("SQL fragments")
struct SQLFragmentTests {
    @Test(arguments: [
        "now()", "0", "lower(email)", "'pending'", "status <> 'delivered'", "'it''s'", "'a;b'", "\"weird;col\" = 1",
        "'--'", "'/*'", "'$$'", "a - -1", "2/3*4", "coalesce(a, (b + (c)))", "x */ y", "'E'", "a\n AND b", "\ta\r\n",
        "date_trunc('day', created_at)", "status IN ('a', 'b')", "\"Quoted\"\"Ident\" IS NOT NULL", "'unicode ✓'",
        "price * 1.2", "U&'d\\0061t'",
    ])
    func acceptedFragments(_ fragment: String) {
        #expect(SQLFragment.problem(with: fragment) == nil)
    }

    @Test(arguments: [
        ("", "the SQL fragment is empty"),
        ("  \n\t", "the SQL fragment is empty"),
        ("1; DROP TABLE x", "a semicolon would end the generated statement"),
        ("1;", "a semicolon would end the generated statement"),
        ("1 -- comment", "SQL comments ('--') are not allowed"),
        ("a--b", "SQL comments ('--') are not allowed"),
        ("1 /* c */", "SQL comments ('/*') are not allowed"),
        ("$$x$$", "dollar quoting and parameters are not allowed"),
        ("$tag$x$tag$", "dollar quoting and parameters are not allowed"),
        ("id = $1", "dollar quoting and parameters are not allowed"),
        ("E'\\x27'", "escape strings (E'...') are not allowed"),
        ("e'x'", "escape strings (E'...') are not allowed"),
        ("lower(email", "unbalanced '('"),
        ("((a)", "unbalanced '('"),
        ("lower(email))", "unbalanced ')'"),
        (")(", "unbalanced ')'"),
        ("'open", "unterminated quoted string"),
        ("\"open", "unterminated quoted string"),
        ("'it''s", "unterminated quoted string"),
        ("a\u{0}b", "control character U+0 in SQL"),
        ("a\u{1}b", "control character U+1 in SQL"),
        ("a\u{1B}b", "control character U+1B in SQL"),
        ("a\u{7F}b", "control character U+7F in SQL"),
        ("'a\u{1}b'", "control character U+1 in SQL"),
    ])
    func rejectedFragments(_ fragment: String, _ problem: String) {
        #expect(SQLFragment.problem(with: fragment) == problem)
    }

    @Test func theFirstProblemWins() {
        #expect(SQLFragment.problem(with: "a; b -- c") == "a semicolon would end the generated statement")
        #expect(SQLFragment.problem(with: "(a -- b") == "SQL comments ('--') are not allowed")
    }

    @Test func everySQLFragmentKeyIsChecked() throws {
        let base = "tables:\n  t:\n    columns:\n      id: bigint\n"
        try DecodeFixture.expectError(
            DecodeFixture.document(base + "      s: { type: text, default: \"$$x$$\" }\n"), .unsafeSQLFragment, at: "\"$$",
            message: "'default': dollar quoting and parameters are not allowed")
        try DecodeFixture.expectError(
            DecodeFixture.document(base + "    indexes: [{ columns: [{ expression: \"lower(id))\" }] }]\n"), .unsafeSQLFragment,
            at: "\"lower", message: "'expression': unbalanced ')'")
        try DecodeFixture.expectError(
            DecodeFixture.document(base + "    indexes: [{ columns: [id], where: \"id > 0; x\" }]\n"), .unsafeSQLFragment,
            at: "\"id > 0", message: "'where': a semicolon would end the generated statement")
        try DecodeFixture.expectError(
            DecodeFixture.document(base + "views:\n  v: { query: \"SELECT 'x\" }\n"), .unsafeSQLFragment, at: "\"SELECT",
            message: "'query': unterminated quoted string")
    }
}
