import Foundation
import Testing

@testable import TopologyCompiler

enum TopologyKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.topology, "version", "version: 1\n" + DecodeFixture.document()) {
            #expect($0.topology.name.value == "shop")
            // The version is checked, not stored: any other version is refused at its value.
            let other = $0.text.replacingOccurrences(of: "version: 1", with: "version: 3")
            try DecodeFixture.expectError(
                other, .invalidValue, at: "3", message: "reads versions 1 and 2 of the topology language, not 3")
        },
        GrammarKeyCase(.topology, "topology", DecodeFixture.document()) {
            #expect($0.topology.name.value == "shop")
            #expect($0.topology.file == DecodeFixture.file)
            $0.expect($0.topology.name.location, at: "shop")
        },
        GrammarKeyCase(.topology, "postgres", DecodeFixture.document("postgres: 16\n")) {
            #expect($0.topology.postgresVersion.value == 16)
            $0.expect($0.topology.postgresVersion.location, at: "16")
        },
        GrammarKeyCase(
            .topology, "regions",
            DecodeFixture.document("regions: [eu-west, us-east]\n")
        ) {
            #expect($0.topology.regions.map(\.name.value) == ["eu-west", "us-east"])
            #expect($0.topology.regions.allSatisfy { $0.roundTrips.isEmpty })
            $0.expect($0.topology.regions[1].name.location, at: "us-east")
        },
        GrammarKeyCase(.topology, "guarantees", DecodeFixture.document("guarantees: { consistency: eventual }\n")) {
            #expect($0.topology.guarantees.consistency?.value == .eventual)
            $0.expect($0.topology.guarantees.location, at: "{ consistency")
        },
        GrammarKeyCase(.topology, "secrets", DecodeFixture.document("secrets: { app: { env: SHOP_APP } }\n")) {
            #expect($0.topology.secrets.application.environmentVariable.value == "SHOP_APP")
        },
        GrammarKeyCase(.topology, "roles", DecodeFixture.document("roles: { owner: shop_owner }\n")) {
            #expect($0.topology.roles.names[.owner]?.value == "shop_owner")
        },
        GrammarKeyCase(.topology, "clusters", DecodeFixture.document()) {
            #expect($0.topology.clusters.map(\.name.value) == ["main"])
            #expect($0.topology.clusters[0].memberCount == 1)
            $0.expect($0.topology.clusters[0].name.location, at: "main")
        },
        GrammarKeyCase(
            .topology, "multi_primary",
            DecodeFixture.document(
                "multi_primary:\n  writers: { clusters: [east, west] }\n",
                clusters: "  east: { members: 1 }\n  west: { members: 1 }\n")
        ) {
            #expect($0.topology.multiPrimaryGroups.map(\.name.value) == ["writers"])
            #expect($0.topology.multiPrimaryGroups[0].clusters.map(\.value) == ["east", "west"])
        },
        GrammarKeyCase(
            .topology, "sharding",
            DecodeFixture.document("sharding: { key: id, key_type: bigint, strategy: jump-hash, shards: 2, cluster: main }\n")
        ) {
            let sharding = try #require($0.topology.sharding)
            #expect(sharding.strategy.value == .jumpHash)
            $0.expect(sharding.location, at: "{ key")
        },
        GrammarKeyCase(.topology, "pooling", DecodeFixture.document("pooling: { mode: session }\n")) {
            #expect($0.topology.pooling.mode.value == .session)
            $0.expect($0.topology.pooling.location, at: "{ mode")
        },
        GrammarKeyCase(.topology, "tenancy", DecodeFixture.document("tenancy: { mode: database-per-tenant }\n")) {
            #expect($0.topology.tenancy?.mode.value == .databasePerTenant)
        },
        GrammarKeyCase(.topology, "tables", DecodeFixture.document("tables:\n  users: { columns: { id: bigint } }\n")) {
            #expect($0.topology.tables.map(\.name.value) == ["users"])
            #expect($0.topology.table(named: "users")?.columns.count == 1)
            #expect($0.topology.table(named: "nope") == nil)
        },
        GrammarKeyCase(
            .topology, "views",
            DecodeFixture.document("tables:\n  t: { columns: { id: bigint } }\nviews:\n  v: { query: SELECT id FROM t }\n")
        ) {
            #expect($0.topology.views.map(\.name.value) == ["v"])
        },
        GrammarKeyCase(
            .topology, "cdc",
            DecodeFixture.document("tables:\n  t: { columns: { id: bigint } }\ncdc:\n  tables: { t: trigger }\n")
        ) {
            #expect($0.topology.cdc?.tables.map(\.table.value) == ["t"])
        },
        GrammarKeyCase(.topology, "tls", DecodeFixture.document("tls: { mode: require }\n")) {
            #expect($0.topology.tls?.mode.value == .require)
        },
        GrammarKeyCase(.topology, "deployment", DecodeFixture.document("deployment: { local: { base_port: 30000 } }\n")) {
            #expect($0.topology.deployment.localBasePort.value == 30000)
        },
        GrammarKeyCase(.topology, "rules", DecodeFixture.document("rules:\n  TPG101: warning\n  ABC999: off\n")) {
            let rules = $0.topology.ruleSeverities
            #expect(rules.map(\.code.value) == ["TPG101", "ABC999"])
            #expect(rules.map(\.level.value) == [.warning, .off])
            $0.expect(rules[0].code.location, at: "TPG101")
            $0.expect(rules[0].level.location, at: "warning")
        },
        GrammarKeyCase(
            .region, "rtt",
            DecodeFixture.document("regions:\n  eu:\n    rtt: { us: 80ms }\n  us:\n    rtt: { eu: 1s }\n")
        ) {
            let regions = $0.topology.regions
            #expect(regions.map(\.name.value) == ["eu", "us"])
            #expect(regions[0].roundTrips.map(\.region.value) == ["us"])
            #expect(regions[0].roundTrips.map(\.time.value.milliseconds) == [80])
            #expect(regions[1].roundTrips.map(\.time.value) == [.seconds(1)])
            $0.expect(regions[0].roundTrips[0].region.location, at: "us:", occurrence: 1)
            $0.expect(regions[0].roundTrips[0].time.location, at: "80ms")
        },
        GrammarKeyCase(
            .suppression, "rule",
            DecodeFixture.document(
                "", clusters: "  main:\n    members: 1\n    suppress:\n      - { rule: TPG120, reason: single node lab }\n")
        ) {
            let suppression = try #require($0.topology.clusters[0].suppressions.first)
            #expect(suppression.code.value == "TPG120")
            $0.expect(suppression.code.location, at: "TPG120")
        },
        GrammarKeyCase(
            .suppression, "reason",
            DecodeFixture.document(
                "", clusters: "  main:\n    members: 1\n    suppress:\n      - rule: TPG120\n        reason: single node lab\n")
        ) {
            let suppression = try #require($0.topology.clusters[0].suppressions.first)
            #expect(suppression.reason.value == "single node lab")
            $0.expect(suppression.reason.location, at: "single node lab")
        },
    ]
}

@Suite("Decoding: topology, regions, rules, suppressions")
struct TopologyDecodingTests {
    @Test(arguments: TopologyKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func defaultsWhenOnlyTheRequiredKeysAreWritten() throws {
        let topology = try DecodeFixture.decode(extra: "")
        #expect(topology.postgresVersion.value == 15)
        #expect(topology.regions.isEmpty)
        #expect(topology.multiPrimaryGroups.isEmpty)
        #expect(topology.sharding == nil)
        #expect(topology.tenancy == nil)
        #expect(topology.tables.isEmpty)
        #expect(topology.views.isEmpty)
        #expect(topology.cdc == nil)
        #expect(topology.ruleSeverities.isEmpty)
        #expect(topology.cluster(named: "main")?.name.value == "main")
    }

    @Test func theExampleTopologyDecodesWithoutDiagnostics() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/ecommerce.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let topology = try DecodeFixture.decode(text)
        #expect(topology.name.value == "shop")
        #expect(!topology.tables.isEmpty)
        #expect(!topology.clusters.isEmpty)
    }

    @Test func topLevelKeysStartingWithXAreIgnored() throws {
        let topology = try DecodeFixture.decode(extra: "x-notes: { anything: [goes, here] }\nx-more: 1\n")
        #expect(topology.name.value == "shop")
    }

    @Test func xKeysAreOnlyIgnoredAtTheTopLevel() throws {
        let text = DecodeFixture.document("guarantees:\n  x-note: hi\n")
        try DecodeFixture.expectError(text, .unknownKey, at: "x-note", message: "unknown key 'x-note' in `guarantees`")
    }

    @Test func missingTopologyNameIsReportedAtTheRoot() throws {
        let text = "# comment\nclusters:\n  main: { members: 1 }\n"
        try DecodeFixture.expectError(text, .missingKey, at: "clusters", message: "the topology needs 'topology'")
    }

    @Test func missingClustersIsReported() throws {
        try DecodeFixture.expectError(
            "topology: shop\n", .missingKey, at: "topology", message: "a topology needs at least one cluster under 'clusters'")
        try DecodeFixture.expectError(
            "topology: shop\nclusters:\n", .missingKey, at: "clusters", message: "at least one cluster")
    }

    @Test func topologyNameMustBeALowercaseSQLIdentifier() throws {
        try DecodeFixture.expectError(
            "topology: Shop\nclusters: { main: { members: 1 } }\n", .invalidIdentifier, at: "Shop",
            message: "write it in lowercase ('shop')")
        try DecodeFixture.expectError(
            "topology: my-shop\nclusters: { main: { members: 1 } }\n", .invalidIdentifier, at: "my-shop",
            message: "topology name \"my-shop\" may contain only letters, digits and underscores")
        try DecodeFixture.expectError(
            "topology: 3shop\nclusters: { main: { members: 1 } }\n", .invalidIdentifier, at: "3shop",
            message: "must start with a letter or an underscore")
    }

    @Test func versionAndPostgresAreRangeChecked() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("postgres: 18\n"), .invalidValue, at: "18", message: "'postgres' must be between 13 and 17, found 18")
        try DecodeFixture.expectError(
            DecodeFixture.document("version: 0\n"), .invalidValue, at: "0\n", message: "'version' must be between 1 and 1000, found 0")
        try DecodeFixture.expectError(
            DecodeFixture.document("postgres: \"15\"\n"), .wrongType, at: "\"15\"", message: "'postgres' expects an integer, found a string"
        )
    }

    @Test func regionsAsAMappingWithoutRoundTrips() throws {
        let topology = try DecodeFixture.decode(extra: "regions:\n  eu:\n  us: {}\n")
        #expect(topology.regions.map(\.name.value) == ["eu", "us"])
        #expect(topology.regions.allSatisfy { $0.roundTrips.isEmpty })
    }

    @Test func regionNamesAreServiceNames() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("regions: [eu_west]\n"), .invalidIdentifier, at: "eu_west",
            message: "region \"eu_west\" may contain only lowercase letters, digits and hyphens")
    }

    @Test func roundTripToAnUndeclaredRegionIsAnUnknownReference() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("regions:\n  eu: { rtt: { uss: 80ms } }\n  us:\n"), .unknownReference, at: "uss",
            message: "unknown region 'uss'; did you mean 'us'?")
    }

    @Test func rulesMustNameACodeAndALevel() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("rules: { tpg101: off }\n"), .invalidValue, at: "tpg101",
            message: "'tpg101' is not a rule code (such as TPG101)")
        try DecodeFixture.expectError(
            DecodeFixture.document("rules: { TPG101: silent }\n"), .invalidValue, at: "silent",
            message: "'silent' is not a valid 'TPG101' (expected one of: error, warning, note, off)")
        try DecodeFixture.expectError(
            DecodeFixture.document("rules: [TPG101]\n"), .wrongType, at: "[TPG101]",
            message: "'rules' expects a mapping of rule codes to levels")
    }

    @Test func suppressionNeedsAValidRuleAndANonBlankReason() throws {
        let clusters = "  main:\n    members: 1\n    suppress:\n"
        try DecodeFixture.expectError(
            DecodeFixture.document("", clusters: clusters + "      - { rule: TPG120 }\n"), .missingKey, at: "{ rule",
            message: "`suppression` needs 'reason'")
        try DecodeFixture.expectError(
            DecodeFixture.document("", clusters: clusters + "      - { rule: TPG120, reason: \"  \" }\n"), .missingKey,
            at: "\"  \"", message: "a suppression needs a reason")
        try DecodeFixture.expectError(
            DecodeFixture.document("", clusters: clusters + "      - { rule: tpg-120, reason: why }\n"), .invalidValue,
            at: "tpg-120", message: "'tpg-120' is not a rule code")
        try DecodeFixture.expectError(
            DecodeFixture.document("", clusters: clusters + "      - TPG120\n"), .wrongType, at: "TPG120",
            message: "'suppress' expects a mapping (`suppression`), found a string")
    }
}
