import Testing

@testable import TopologyCompiler

@Suite("SQL quoting")
struct SQLQuotingTests {
    @Test("identifiers are always double-quoted, inner quotes doubled")
    func identifiers() {
        #expect(SQLQuoting.identifier("users") == "\"users\"")
        #expect(SQLQuoting.identifier("order") == "\"order\"")
        #expect(SQLQuoting.identifier("Users") == "\"Users\"")
        #expect(SQLQuoting.identifier("a\"b") == "\"a\"\"b\"")
        #expect(SQLQuoting.identifier("x\"; DROP TABLE y; --") == "\"x\"\"; DROP TABLE y; --\"")
        #expect(SQLQuoting.qualified("public", "user") == "\"public\".\"user\"")
        #expect(SQLQuoting.identifierList(["a", "B"]) == "\"a\", \"B\"")
    }

    @Test("literals are single-quoted, inner quotes doubled, backslashes kept")
    func literals() {
        #expect(SQLQuoting.literal("it's") == "'it''s'")
        #expect(SQLQuoting.literal("a\\b") == "'a\\b'")
        #expect(SQLQuoting.literal("'; DROP TABLE x; --") == "'''; DROP TABLE x; --'")
        #expect(SQLQuoting.literal("") == "''")
    }

    @Test("dollar quoting picks a tag the body does not contain")
    func dollarQuoting() {
        #expect(SQLQuoting.dollarQuoted("SELECT 1") == "$topoc$SELECT 1$topoc$")
        #expect(SQLQuoting.dollarQuoted("SELECT '$topoc$'") == "$topoc1$SELECT '$topoc$'$topoc1$")
        #expect(SQLQuoting.dollarQuoted("$topoc$ $topoc1$") == "$topoc2$$topoc$ $topoc1$$topoc2$")
    }

    /// A ring function's body is quoted as pieces (its array literals are not copied): the tag must
    /// not occur in the joined text, also where it would span pieces.
    @Test("dollar quoting of pieces picks the tag the joined body needs, also across the pieces' boundaries")
    func dollarQuotingPieces() {
        let bodies: [[String]] = [
            ["SELECT 1"], ["SELECT '", "$topoc$", "'"], ["SELECT '$to", "poc$'"], ["$", "t", "o", "p", "o", "c", "$"],
            ["$topoc", "$ $to", "poc1$"], ["x$topo", "", "c$y"], ["ünï$top", "oc$çødé"], [], [""],
        ]
        let ring = SQLPiece.ringArrays(RingArrayText(tokens: [-1, 2], owners: [0, 1]))
        for texts in bodies {
            let pieces = texts.map(SQLPiece.text)
            let quoted = SQLQuoting.dollarQuoted(pieces: pieces, after: "AS ")
            #expect(quoted.map(\.string).joined() == "AS " + SQLQuoting.dollarQuoted(texts.joined()), "\(texts)")
            #expect(Array(quoted.dropFirst().dropLast()) == pieces, "the pieces, in order, between the delimiters")
            // A ring's literals among the pieces: kept as they are, and the tag still absent from the whole.
            let withRing = pieces + [ring] + pieces
            let quotedWithRing = SQLQuoting.dollarQuoted(pieces: withRing, after: "AS ")
            #expect(
                quotedWithRing.map(\.string).joined() == "AS " + SQLQuoting.dollarQuoted(withRing.map(\.string).joined()),
                "\(texts)")
            #expect(Array(quotedWithRing.dropFirst().dropLast()) == withRing)
        }
        #expect(SQLQuoting.occurs("$topoc$", inPieces: [.text("a$top"), .text("oc"), .text("$b")]))
        #expect(!SQLQuoting.occurs("$topoc$", inPieces: [.text("a$top"), .text("oc"), .text("b$")]))
    }

    @Test("comments cannot break out of their line")
    func comments() {
        #expect(SQLQuoting.comment("a\nDROP TABLE x") == "a DROP TABLE x")
    }

    @Test("tenant templates escape % and turn the schema sentinels into format() placeholders")
    func formatTemplates() {
        let schema = SchemaTarget.tenantTemplate
        let statement = "CREATE INDEX ON \(schema.qualify("t")) ((x % 2)) WHERE y LIKE 'a%' AND s = \(schema.literal)"
        #expect(
            SchemaTarget.formatTemplate(statement)
                == "CREATE INDEX ON %1$I.\"t\" ((x %% 2)) WHERE y LIKE 'a%%' AND s = %1$L")
        #expect(SchemaTarget.publicSchema.qualify("t") == "\"public\".\"t\"")
        #expect(SchemaTarget.publicSchema.dottedNameLiteral("readings") == "'public.readings'")
        #expect(SchemaTarget.publicSchema.regclass("Users") == "'\"public\".\"Users\"'::regclass")
    }

    @Test("column types: precision moves before 'with time zone'; serials become integers")
    func columnTypes() {
        #expect(ColumnTypeSQL.spelling("timestamp with time zone(3)") == "timestamp(3) with time zone")
        #expect(ColumnTypeSQL.spelling("time with time zone(2)[]") == "time(2) with time zone[]")
        #expect(ColumnTypeSQL.spelling("character varying(80)") == "character varying(80)")
        #expect(ColumnTypeSQL.withoutSerial("bigserial") == "bigint")
        #expect(ColumnTypeSQL.needsCitext("citext[]"))
        #expect(ColumnTypeSQL.gistNeedsBtreeGist("smallint"))
        #expect(!ColumnTypeSQL.gistNeedsBtreeGist("tstzrange"))
        #expect(!ColumnTypeSQL.ginNeedsBtreeGin("text[]"))
        #expect(ColumnTypeSQL.ginNeedsBtreeGin("bigint"))
    }

    @Test("view queries: referenced names, unquoted folded, strings skipped")
    func referencedNames() {
        let names = ViewDDL.referencedNames("SELECT a.x FROM Orders a JOIN \"Users\" u ON u.id = a.uid WHERE a.s = 'customers'")
        #expect(names.contains("orders"))
        #expect(names.contains("Users"))
        #expect(!names.contains("customers"))
    }
}
