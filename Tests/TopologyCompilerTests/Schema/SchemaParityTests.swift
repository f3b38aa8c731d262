import Foundation
import Testing

@testable import TopologyCompiler

/// The JSON Schema in schema/topology.schema.json, loaded once, with helpers to reach into it.
enum SchemaParityFixture {
    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Schema
        .deletingLastPathComponent()  // TopologyCompilerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let schemaURL = repository.appendingPathComponent("schema/topology.schema.json")

    /// The schema as parsed by JSONSerialization, or nil when it is missing or malformed.
    nonisolated(unsafe) static let schema: [String: Any]? = {
        guard let data = try? Data(contentsOf: schemaURL) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }()

    /// `$defs`.
    static var definitions: [String: Any] { schema?["$defs"] as? [String: Any] ?? [:] }

    /// The definitions that are not grammar sections, each with why it exists. Helpers are
    /// reusable value types (names, quantities, SQL fragments); none of them is a mapping.
    static let helperDefinitions: Set<String> = [
        "sqlName", "serviceName", "envName", "ruleCode", "duration", "size", "date", "columnType", "sqlFragment",
        "scalar",
    ]

    /// `$defs[name]` as a dictionary.
    static func definition(_ name: String) -> [String: Any]? { definitions[name] as? [String: Any] }

    /// The node at a path of keys (array positions written as numbers), from the schema's root.
    static func node(_ path: [String]) -> Any? {
        var current: Any? = schema
        for component in path {
            if let dictionary = current as? [String: Any] {
                current = dictionary[component]
            } else if let array = current as? [Any], let index = Int(component), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    /// The `properties` of a definition.
    static func properties(of name: String) -> [String: Any] {
        definition(name)?["properties"] as? [String: Any] ?? [:]
    }

    /// The `enum` of a property (of its `items` for arrays).
    static func enumeration(_ path: [String]) -> [String]? {
        guard let node = node(path) as? [String: Any] else { return nil }
        if let values = node["enum"] as? [String] { return values }
        if let items = node["items"] as? [String: Any] { return items["enum"] as? [String] }
        return nil
    }

    /// The pattern at a path (a `pattern` key's value).
    static func pattern(_ path: [String]) -> String? { node(path + ["pattern"]) as? String }

    /// Every `$ref` in the schema, with where it is.
    static func references() -> [(ref: String, at: String)] {
        var found: [(String, String)] = []
        func walk(_ value: Any, _ path: String) {
            if let dictionary = value as? [String: Any] {
                for (key, child) in dictionary {
                    if key == "$ref", let text = child as? String { found.append((text, path)) }
                    walk(child, path + "/" + key)
                }
            } else if let array = value as? [Any] {
                for (index, child) in array.enumerated() { walk(child, "\(path)/\(index)") }
            }
        }
        if let schema { walk(schema, "#") }
        return found
    }

    /// Whether `pattern` matches the whole of `text` (ICU regular expressions; the schema's patterns
    /// keep to the subset ECMA-262 and ICU share).
    static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
            Issue.record("the schema pattern does not compile: \(pattern)")
            return false
        }
        let whole = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: whole) else { return false }
        return match.range == whole
    }
}

@Suite("SchemaParity: JSON Schema sections match the grammar")
struct SchemaParityTests {
    @Test("the schema is a draft 2020-12 document whose root is the topology section")
    func schemaShape() throws {
        let schema = try #require(SchemaParityFixture.schema, "schema/topology.schema.json is missing or not JSON")
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["$ref"] as? String == "#/$defs/topology")
        let topology = try #require(SchemaParityFixture.definition("topology"))
        let patterns = try #require(topology["patternProperties"] as? [String: Any])
        #expect(Array(patterns.keys) == ["^x-"], "the topology allows exactly the x- anchor holders beyond its keys")
        #expect(topology["additionalProperties"] as? Bool == false)
    }

    @Test("each grammar section is a closed object with exactly the section's keys", arguments: GrammarSection.allCases)
    func sectionKeys(_ section: GrammarSection) throws {
        let definition = try #require(SchemaParityFixture.definition(section.rawValue), "no $defs/\(section.rawValue)")
        #expect(definition["type"] as? String == "object")
        #expect(definition["additionalProperties"] as? Bool == false, "\(section.rawValue) must reject unknown keys")
        let properties = try #require(definition["properties"] as? [String: Any])
        let schemaKeys = Set(properties.keys)
        let grammarKeys = Set(section.keys)
        #expect(
            schemaKeys == grammarKeys,
            "\(section.rawValue): only in the schema \(schemaKeys.subtracting(grammarKeys).sorted()), only in the grammar \(grammarKeys.subtracting(schemaKeys).sorted())"
        )
        // Editors show descriptions on hover: every key has one, and so does the section.
        #expect((definition["description"] as? String)?.isEmpty == false)
        for (key, value) in properties {
            let property = try #require(value as? [String: Any], "\(section.rawValue).\(key) is not a schema object")
            #expect((property["description"] as? String)?.isEmpty == false, "\(section.rawValue).\(key) has no description")
        }
        let required = definition["required"] as? [String] ?? []
        #expect(Set(required).isSubset(of: grammarKeys), "\(section.rawValue) requires keys it does not define")
    }

    @Test("no object definition exists without a grammar section; helpers are value types")
    func noStrayObjectDefinitions() {
        let sections = Set(GrammarSection.allCases.map(\.rawValue))
        let extra = Set(SchemaParityFixture.definitions.keys).subtracting(sections)
        #expect(extra == SchemaParityFixture.helperDefinitions, "unexpected helper definitions: \(extra.sorted())")
        for name in extra {
            let definition = SchemaParityFixture.definition(name) ?? [:]
            let isObject = (definition["type"] as? String) == "object" || definition["properties"] != nil
            #expect(!isObject, "$defs/\(name) describes a mapping but matches no GrammarSection")
        }
    }

    @Test("every $ref resolves, and every definition is used")
    func referencesResolve() {
        let references = SchemaParityFixture.references()
        #expect(!references.isEmpty)
        var used: Set<String> = []
        for (reference, path) in references {
            let prefix = "#/$defs/"
            #expect(reference.hasPrefix(prefix), "\(path): \(reference) is not a local definition")
            let name = String(reference.dropFirst(prefix.count))
            #expect(SchemaParityFixture.definition(name) != nil, "\(path): \(reference) does not resolve")
            used.insert(name)
        }
        #expect(
            used == Set(SchemaParityFixture.definitions.keys),
            "unused: \(Set(SchemaParityFixture.definitions.keys).subtracting(used).sorted())")
    }

    /// Enumerated values: the schema lists exactly the model's cases.
    static let enumerations: [(path: [String], values: [String])] = {
        func p(_ section: String, _ key: String) -> [String] { ["$defs", section, "properties", key] }
        return [
            (p("guarantees", "consistency"), ConsistencyLevel.allCases.map(\.rawValue)),
            (p("guarantees", "partition"), PartitionChoice.allCases.map(\.rawValue)),
            (p("replication", "mode"), ReplicationMode.allCases.map(\.rawValue)),
            (p("failover", "watchdog"), WatchdogMode.allCases.map(\.rawValue)),
            (p("multiPrimaryGroup", "conflict"), ConflictPolicy.allCases.map(\.rawValue)),
            (p("sharding", "key_type"), ShardKeyType.allCases.map(\.rawValue)),
            (p("sharding", "strategy"), ShardingStrategy.allCases.map(\.rawValue)),
            (p("sharding", "within"), ShardingStrategy.allCases.filter(\.hashes).map(\.rawValue)),
            (p("pooling", "mode"), PoolMode.allCases.map(\.rawValue)),
            (p("pooling", "session_features"), SessionFeature.allCases.map(\.rawValue)),
            (p("tenancy", "mode"), TenancyMode.allCases.map(\.rawValue)),
            (p("foreignKey", "on_delete"), ReferentialAction.allCases.map(\.rawValue)),
            (p("index", "method"), IndexMethod.allCases.map(\.rawValue)),
            (p("partitioning", "by"), PartitionMethod.allCases.map(\.rawValue)),
            (p("partitioning", "interval"), PartitionInterval.allCases.map(\.rawValue)),
            (p("cdc", "plugin"), DecodingPlugin.allCases.map(\.rawValue)),
            (p("capturedTable", "method"), CaptureMethod.allCases.map(\.rawValue)),
            (p("capturedTable", "replica_identity"), ReplicaIdentity.allCases.map(\.rawValue)),
            (p("sink", "snapshot_mode"), SnapshotMode.allCases.map(\.rawValue)),
            (p("topology", "rules") + ["additionalProperties"], RuleLevel.allCases.map(\.rawValue)),
            (p("cdc", "tables") + ["additionalProperties", "oneOf", "0"], CaptureMethod.allCases.map(\.rawValue)),
        ]
    }()

    @Test("enumerated values are exactly the model's cases")
    func enumerations() {
        for (path, values) in Self.enumerations {
            let schemaValues = SchemaParityFixture.enumeration(path)
            #expect(schemaValues == values, "\(path.joined(separator: "/")): schema \(schemaValues ?? []) vs model \(values)")
        }
    }

    /// Defaults the schema announces, checked against what the decoder fills in for an absent key.
    @Test("announced defaults are the decoder's defaults")
    func defaults() throws {
        let result = TopologyLoader.load(
            text: "topology: t\nclusters: { main: { members: 1 } }\ncdc: { tables: {} }\ntenancy: { mode: schema-per-tenant }\n",
            file: "defaults.yaml")
        let topology = try #require(result.topology, "\(result.diagnostics.map(\.message))")
        func schemaDefault(_ section: String, _ key: String) -> Any? {
            SchemaParityFixture.node(["$defs", section, "properties", key, "default"])
        }
        #expect(schemaDefault("topology", "postgres") as? Int == topology.postgresVersion.value)
        #expect(schemaDefault("failover", "ttl") as? String == topology.clusters[0].failover.ttl.value.description)
        #expect(schemaDefault("failover", "loop_wait") as? String == topology.clusters[0].failover.loopWait.value.description)
        #expect(schemaDefault("failover", "retry_timeout") as? String == topology.clusters[0].failover.retryTimeout.value.description)
        #expect(schemaDefault("failover", "watchdog") as? String == topology.clusters[0].failover.watchdog.value.rawValue)
        #expect(schemaDefault("pooling", "mode") as? String == topology.pooling.mode.value.rawValue)
        #expect(schemaDefault("pooling", "max_client_conn") as? Int == topology.pooling.maxClientConnections.value)
        #expect(schemaDefault("pool", "reserve") as? Int == topology.pooling.readWrite.reserve.value)
        #expect(schemaDefault("tenancy", "app_role") as? String == topology.tenancy?.applicationRole.value)
        #expect(schemaDefault("tenancy", "prefix") as? String == topology.tenancy?.namePrefix.value)
        #expect(schemaDefault("cdc", "publication") as? String == topology.cdc?.publication.value)
        #expect(schemaDefault("cdc", "slot") as? String == topology.cdc?.slot.value)
        #expect(schemaDefault("cdc", "plugin") as? String == topology.cdc?.plugin.value.rawValue)
        #expect(schemaDefault("cdc", "audit_table") as? String == topology.cdc?.auditTable.value)
        #expect(schemaDefault("local", "base_port") as? Int == topology.deployment.localBasePort.value)
        #expect(schemaDefault("local", "run_dir") as? String == topology.deployment.localRunDirectory.value)
        #expect(schemaDefault("view", "materialized") as? Bool == false)
        #expect(schemaDefault("index", "method") as? String == IndexMethod.btree.rawValue)
        #expect(schemaDefault("partman", "premake") as? Int == 4)
    }

    /// Integer keys: the schema's minimum and maximum are the decoder's range. Each case is a
    /// document with `#` where the value goes, and the schema path of the key.
    static let integerRanges: [(path: [String], document: String)] = [
        (["$defs", "topology", "properties", "postgres"], "topology: t\npostgres: #\nclusters: { main: { members: 1 } }\n"),
        (["$defs", "cluster", "properties", "members", "oneOf", "0"], "topology: t\nclusters: { main: { members: # } }\n"),
        (
            ["$defs", "replication", "properties", "sync_count"],
            "topology: t\nclusters: { main: { members: 3, replication: { mode: synchronous, sync_count: # } } }\n"
        ),
        (
            ["$defs", "settings", "properties", "max_connections"],
            "topology: t\nclusters: { main: { members: 1, settings: { max_connections: # } } }\n"
        ),
        (
            ["$defs", "settings", "properties", "max_wal_senders"],
            "topology: t\nclusters: { main: { members: 1, settings: { max_wal_senders: # } } }\n"
        ),
        (
            ["$defs", "settings", "properties", "max_replication_slots"],
            "topology: t\nclusters: { main: { members: 1, settings: { max_replication_slots: # } } }\n"
        ),
        (
            ["$defs", "sharding", "properties", "shards"],
            "topology: t\nclusters: { main: { members: 1 } }\nsharding: { key: id, key_type: bigint, strategy: consistent-hash, shards: #, cluster: main }\n"
        ),
        (
            ["$defs", "sharding", "properties", "virtual_nodes"],
            "topology: t\nclusters: { main: { members: 1 } }\nsharding: { key: id, key_type: bigint, strategy: consistent-hash, shards: 2, virtual_nodes: #, cluster: main }\n"
        ),
        (
            ["$defs", "sharding", "properties", "regions", "oneOf", "1", "additionalProperties"],
            "topology: t\nregions: [us]\nclusters: { main: { members: 1 } }\nsharding: { key: id, key_type: bigint, strategy: composite, region_key: r, regions: { us: # }, within: jump-hash, cluster: main }\n"
        ),
        (
            ["$defs", "pooling", "properties", "max_client_conn"],
            "topology: t\nclusters: { main: { members: 1 } }\npooling: { max_client_conn: # }\n"
        ),
        (
            ["$defs", "pool", "properties", "pool_size"],
            "topology: t\nclusters: { main: { members: 1 } }\npooling: { read_write: { pool_size: # } }\n"
        ),
        (
            ["$defs", "pool", "properties", "reserve"],
            "topology: t\nclusters: { main: { members: 1 } }\npooling: { read_only: { pool_size: 5, reserve: # } }\n"
        ),
        (
            ["$defs", "table", "properties", "writes_per_second"],
            "topology: t\nclusters: { main: { members: 1 } }\ntables: { t: { columns: { id: int }, writes_per_second: # } }\n"
        ),
        (
            ["$defs", "partitioning", "properties", "modulus"],
            "topology: t\nclusters: { main: { members: 1 } }\ntables: { t: { columns: { id: int }, partitioning: { by: hash, key: id, modulus: # } } }\n"
        ),
        (
            ["$defs", "partman", "properties", "premake"],
            "topology: t\nclusters: { main: { members: 1 } }\ntables: { t: { columns: { d: date }, partitioning: { by: range, key: d, interval: monthly, from: 2025-01-01, to: 2026-01-01, partman: { premake: # } } } }\n"
        ),
        (
            ["$defs", "local", "properties", "base_port"],
            "topology: t\nclusters: { main: { members: 1 } }\ndeployment: { local: { base_port: # } }\n"
        ),
    ]

    @Test("integer minimum and maximum are the decoder's range")
    func integerRanges() throws {
        for (path, document) in Self.integerRanges {
            let node = try #require(SchemaParityFixture.node(path) as? [String: Any], "\(path)")
            let minimum = try #require(node["minimum"] as? Int, "\(path) has no minimum")
            let maximum = try #require(node["maximum"] as? Int, "\(path) has no maximum")
            #expect(node["type"] as? String == "integer")
            for (value, accepted) in [(minimum, true), (maximum, true), (minimum - 1, false), (maximum + 1, false)] {
                let text = document.replacingOccurrences(of: "#", with: String(value))
                let result = TopologyLoader.load(text: text, file: "range.yaml")
                if accepted {
                    #expect(
                        !result.diagnostics.hasErrors, "\(path.last!) = \(value) should be accepted: \(result.diagnostics.map(\.message))")
                } else {
                    #expect(
                        result.diagnostics.contains { $0.code == .invalidValue && $0.message.contains("between") },
                        "\(path.last!) = \(value) should be out of range: \(result.diagnostics.map(\.message))")
                }
            }
        }
    }

    /// Documents holding every section that has required keys, using only required keys (plus
    /// what is needed to reach them). Each required key sits on its own line, marked
    /// `# required: section.key`; removing that line must make the decoder report it missing.
    static let requiredKeyFixtures: [String] = [
        """
        topology: shop
        clusters: { main: { members: 1 } }
        backup:
          retention:
            full: 2 # required: backupRetention.full
        """,
        """
        topology: shop # required: topology.topology
        clusters: { main: { members: 1 } } # required: topology.clusters
        """,
        """
        topology: shop
        clusters: { main: { members: 1 } }
        sharding:
          key: id # required: sharding.key
          key_type: bigint # required: sharding.key_type
          strategy: hash-modulo # required: sharding.strategy
          shards: 2
          cluster: main # required: sharding.cluster
        """,
        """
        topology: shop
        secrets:
          app: {
            env: SHOP_APP_PASSWORD # required: secret.env
          }
        clusters:
          main:
            members: 2 # required: cluster.members
            replication:
              mode: synchronous # required: replication.mode
              sync_count: 1
            suppress:
              -
                rule: TPG101 # required: suppression.rule
                reason: lab # required: suppression.reason
          peer: { members: 1 }
        multi_primary:
          pair:
            clusters: [main, peer] # required: multiPrimaryGroup.clusters
            conflict: crdt
        pooling:
          read_write:
            pool_size: 10 # required: pool.pool_size
            reserve: 1
        tenancy:
          mode: schema-per-tenant # required: tenancy.mode
          app_role: shop_app
        tables:
          users:
            columns: { user_id: bigint, name: text } # required: table.columns
            primary_key: user_id
            counters:
              order_count:
                counts: orders # required: counter.counts
                via: user_id # required: counter.via
          orders:
            columns:
              order_id: bigint
              user_id:
                type: bigint # required: column.type
                nullable: false
              status: text
              note: text
            primary_key: order_id
            unique:
              -
                name: orders_status_key
                columns: [status] # required: unique.columns
            foreign_keys:
              -
                columns: user_id # required: foreignKey.columns
                references: { table: users } # required: foreignKey.references
                on_delete: cascade
              -
                columns: user_id
                references:
                  table: users # required: reference.table
                  columns: [user_id]
            indexes:
              -
                name: orders_status
                columns: status # required: index.columns
              -
                columns:
                  - {
                    expression: lower(status) # required: indexExpression.expression
                  }
            partitioning:
              by: list # required: partitioning.by
              key: status # required: partitioning.key
              lists: { open: open }
            vertical:
              detail:
                columns: [note] # required: verticalGroup.columns
                database: shop_detail # required: verticalGroup.database
                cluster: main
            snapshots:
              user_name:
                from: users.name # required: snapshot.from
                via: user_id # required: snapshot.via
          events:
            columns: { at: bigint }
            partitioning:
              by: range
              key: at
              ranges:
                -
                  name: p1 # required: rangePartition.name
                  to: 100
        views:
          recent:
            materialized: false
            query: SELECT 1 # required: view.query
        cdc:
          plugin: pgoutput
          tables: { users: trigger } # required: cdc.tables
          sink:
            topic_prefix: shop # required: sink.topic_prefix
            snapshot_mode: initial
        """,
        """
        topology: shop
        clusters: { main: { members: 1 } }
        tables:
          orders:
            columns: { order_id: bigint }
        cdc:
          tables:
            orders:
              method: logical # required: capturedTable.method
              replica_identity: full
        """,
        """
        topology: shop
        clusters: { main: { members: 1 } }
        deployment:
          kubernetes:
            backup_repository:
              kind: s3 # required: objectStore.kind
              destination: s3://shop-backups # required: objectStore.destination
        """,
    ]

    @Test("required keys in the schema are exactly the keys the decoder reports missing")
    func requiredKeys() throws {
        var marked: Set<String> = []
        for fixture in Self.requiredKeyFixtures {
            let complete = TopologyLoader.load(text: fixture, file: "required.yaml")
            #expect(!complete.diagnostics.hasErrors, "fixture should be valid: \(complete.diagnostics.map(\.message))\n\(fixture)")
            let lines = fixture.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                guard let range = line.range(of: "# required: ") else { continue }
                let label = String(line[range.upperBound...])
                marked.insert(label)
                let key = String(label.split(separator: ".")[1])
                var without = lines
                without.remove(at: index)
                let result = TopologyLoader.load(text: without.joined(separator: "\n"), file: "required.yaml")
                #expect(
                    result.diagnostics.contains { $0.code == .missingKey && $0.message.contains("'\(key)'") },
                    "removing \(label) should report it missing: \(result.diagnostics.map(\.message))")
            }
        }
        var required: Set<String> = []
        for section in GrammarSection.allCases {
            for key in SchemaParityFixture.definition(section.rawValue)?["required"] as? [String] ?? [] {
                required.insert("\(section.rawValue).\(key)")
            }
        }
        #expect(
            required == marked,
            "schema-only: \(required.subtracting(marked).sorted()), decoder-only: \(marked.subtracting(required).sorted())")
    }
}
