import Foundation
import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

/// The pieces that read generated configuration and connection strings.
@Suite("live check: configuration and connection strings")
struct LiveConfigParsingTests {
    @Test("the [pgbouncer] section of the generated ini, comments and other sections left out")
    func pgbouncerSettings() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml", target: .local))
        let settings = LivePgBouncerCheck.settings(PgBouncerConfig.text(plan: plan))
        let keys = settings.map(\.0)
        #expect(keys.contains("pool_mode") && keys.contains("auth_query") && keys.contains("unix_socket_dir"))
        #expect(!keys.contains { $0.hasPrefix(";") || $0.hasPrefix("shop") })
        #expect(settings.first { $0.0 == "pool_mode" }?.1 == "transaction")
        #expect(settings.first { $0.0 == "unix_socket_dir" }?.1 == "")
    }

    @Test("the pools of the [databases] section, quoted values unquoted as SHOW DATABASES shows them")
    func pgbouncerPools() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml", target: .local))
        let pools = LivePgBouncerCheck.pools(PgBouncerConfig.text(plan: plan))
        #expect(!pools.isEmpty)
        #expect(pools.allSatisfy { !$0.1.contains("'") && $0.1.contains("pool_size=") && !$0.1.contains("pool_size= ") })
        #expect(
            LivePgBouncerCheck.connectionFields("host='127.0.0.1' port=6000 dbname='o\\'brien db' pool_size=5")
                == ["host": "127.0.0.1", "port": "6000", "dbname": "o'brien db", "pool_size": "5"])
    }

    @Test("a permanent slot is one fact in the plan and in /config")
    func slots() {
        var planned: [(String, DeployYAML)] = []
        LivePatroniCheck.flatten(
            .mapping([
                ("ttl", .int(10)),
                ("slots", .mapping([("s1", .mapping([("type", .string("logical")), ("plugin", .string("pgoutput"))]))])),
            ]),
            path: "", into: &planned)
        #expect(planned.map(\.0) == ["ttl", "slots.s1"])
        var running: [(String, Any)] = []
        LivePatroniCheck.flatten(
            ["ttl": NSNumber(value: 10), "slots": ["s1": ["plugin": "pgoutput", "type": "logical"]]], path: "", into: &running)
        #expect(running.map(\.0) == ["slots.s1", "ttl"])
        #expect(LivePatroniCheck.matches(planned[1].1, running[0].1))
        #expect(LivePatroniCheck.matches(.int(10), NSNumber(value: 10)))
        #expect(LivePatroniCheck.matches(.bool(true), NSNumber(value: true)))
        #expect(!LivePatroniCheck.matches(.int(10), "11"))
    }

    @Test("--dsn strings that name a database are recognised")
    func namesDatabase() {
        #expect(!LiveConnection.namesDatabase("host=db1 port=5432 user=monitor"))
        #expect(LiveConnection.namesDatabase("host=db1 dbname=shop"))
        #expect(LiveConnection.namesDatabase("host=db1  dbname = shop"))
        #expect(!LiveConnection.namesDatabase("postgresql://monitor@db1:5432"))
        #expect(!LiveConnection.namesDatabase("postgresql://monitor@db1:5432/"))
        #expect(!LiveConnection.namesDatabase("postgresql://monitor@db1:5432?sslmode=require"))
        #expect(LiveConnection.namesDatabase("postgresql://monitor@db1:5432/shop"))
        #expect(LiveConnection.namesDatabase("postgres://db1?dbname=shop"))
    }

    @Test("every live code is in the catalog and explained")
    func catalog() {
        for code in DiagnosticCode.liveCodes {
            #expect(DiagnosticCatalog.lookup(code.code) == code)
            #expect(DiagnosticCatalog.lookup(code.slug) == code)
        }
        #expect(Set(LiveFactKind.allCases.map(\.code)).isSubset(of: Set(DiagnosticCode.liveCodes)))
    }
}
