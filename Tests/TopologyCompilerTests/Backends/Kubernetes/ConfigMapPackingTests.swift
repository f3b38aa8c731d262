import Foundation
import Testing

@testable import TopologyCompiler

/// Schema `ConfigMap`s that the API server and client-side `kubectl apply` accept: sizes counted
/// as JSON, large scripts cut into parts at line ends and joined back exactly, shared scripts
/// written once for the namespace. `scripts/check-cnpg.sh` checks the written manifests' sizes
/// independently and `scripts/test-cnpg-schema.sh` runs the Jobs that join the parts on PostgreSQL.
@Suite("kubernetes schema ConfigMaps")
struct ConfigMapPackingTests {
    /// The fixture whose shared shard script is larger than one `ConfigMap` may hold.
    private static let largeRing = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../../../scripts/fixtures/kubernetes-large-ring.yaml")
        .standardized

    private func plan(_ bytes: [UInt8], file: String) throws -> Plan {
        let compiled = CompilerDriver.compile(bytes: bytes, file: file, target: .kubernetes)
        return try #require(compiled.plan, "\(compiled.diagnostics.map(\.rendered))")
    }

    private func largeRingPlan() throws -> Plan {
        try plan(Array(try Data(contentsOf: Self.largeRing)), file: Self.largeRing.path)
    }

    /// The postgres backend's scripts and the shared scripts they include, as the kubernetes backend reads them.
    private func scripts(_ plan: Plan) -> (scripts: SchemaScripts, includes: [String: String]) {
        (SchemaScripts(PostgresBackend().artifacts(for: plan)), PostgresBackend.includes(plan))
    }

    /// The `ConfigMap`s of every shared script the scripts include, by shared script path, as
    /// the kubernetes backend makes them, with the files they hold (the backend hands each on
    /// and keeps its name only, which the test checks).
    private func sharedVolumes(_ scripts: SchemaScripts, _ includes: [String: String]) -> [String: SchemaVolumePart] {
        Dictionary(
            uniqueKeysWithValues: Set(includes.values).map { path in
                var configMaps: [SchemaConfigMap] = []
                let kept = SchemaJobManifest.sharedVolume(path: path, contents: Array((scripts[path] ?? "").utf8)) {
                    configMaps.append($0)
                }
                #expect(kept.configMaps.map(\.name) == configMaps.map(\.name), "\(path)")
                #expect(kept.configMaps.allSatisfy { $0.files.isEmpty }, "\(path)")
                return (path, SchemaVolumePart(configMaps: configMaps, joined: kept.joined))
            })
    }

    /// The bytes one scalar takes in a JSON string as Go's `encoding/json` writes it: the
    /// reference the byte-level counts are checked against.
    private static func jsonBytes(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x22, 0x5C, 0x0A, 0x0D, 0x09: 2
        case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029: 6
        default: UTF8.width(scalar)
        }
    }

    @Test func jsonBytesCountAsGoEscapes() {
        #expect(ConfigMapPacking.jsonBytes("abc") == 3)
        // " and \ and newline: 2 each; < > & and U+2028 and a control character: 6 each; é: 2 UTF-8 bytes; 🐘: 4.
        #expect(ConfigMapPacking.jsonBytes("\"\\\n") == 6)
        #expect(ConfigMapPacking.jsonBytes("<>&\u{2028}\u{1}") == 30)
        #expect(ConfigMapPacking.jsonBytes("é🐘") == 6)
        #expect(ConfigMapPacking.entryBytes(MountedFile(key: "k", path: "k", text: "v")) == 6)  // "k":"v",
        // The byte-level count of a text is the sum of its scalars' counts, also next to the
        // separators' bytes in other characters (U+00A8 is C2 A8, U+2027 is E2 80 A7).
        for text in QuotingTestSupport.hostile + ["\u{A8}\u{A9}", "\u{2027}\u{2028}\u{2029}\u{202A}", "\u{E2}\u{80}\u{A8}", "x\u{2029}"] {
            #expect(
                ConfigMapPacking.jsonBytes(text) == text.unicodeScalars.map(Self.jsonBytes).reduce(0, +),
                "\(text.debugDescription)")
        }
    }

    @Test func aSmallFileStaysWhole() {
        let file = MountedFile(key: "a.sql", path: "main/a.sql", text: "SELECT 1;\n")
        #expect(ConfigMapPacking.split(file) == [file])
        var fromBytes: [MountedFile] = []
        ConfigMapPacking.split(key: file.key, path: file.path, contents: Array(file.text.utf8)) { fromBytes.append($0) }
        #expect(fromBytes == [file])
        #expect(ConfigMapPacking.joined(file, pieces: [file]) == nil)
    }

    /// Parts end at line ends, fit alone, are numbered in order and join back to the text, with
    /// characters that JSON escapes (and one line longer than a part, cut where it must be).
    @Test func partsJoinBackExactly() throws {
        var lines: [String] = []
        for index in 0..<400 {
            lines.append("line \(index): \"quoted\" <tag> & é 🐘 \\ tab\there\u{2028}")
        }
        lines.insert(String(repeating: "x<", count: 300), at: 200)
        let text = lines.joined(separator: "\n") + "\n"
        let file = MountedFile(key: "shard.sql", path: "shared/shard.sql", text: text)
        let budget = 2_000
        let parts = ConfigMapPacking.split(file, budget: budget)
        #expect(parts.count > 10)
        #expect(parts.map(\.text).joined() == text)
        for (offset, part) in parts.enumerated() {
            #expect(part.key == "shard.sql" + ConfigMapPacking.partSuffix(offset + 1))
            #expect(part.path == "shared/shard.sql" + ConfigMapPacking.partSuffix(offset + 1))
            #expect(2 + ConfigMapPacking.entryBytes(part) <= budget)
        }
        // Every part but the last and the ones cutting the long line ends a line.
        let cut = parts.dropLast().filter { !$0.text.hasSuffix("\n") }
        #expect(cut.count <= 1)
        #expect(cut.allSatisfy { $0.text.contains("x<x<") })
        // Each part is as long as the budget allows: it could not have taken the next line (or,
        // cutting the long line, the next character) as well.
        let room = budget - 2 - ConfigMapPacking.jsonBytes("shard.sql" + ConfigMapPacking.partSuffix(99_999)) - 4
        for (part, next) in zip(parts, parts.dropFirst()) {
            let more =
                part.text.hasSuffix("\n")
                ? next.text.prefix { $0 != "\n" } + "\n" : String(next.text.unicodeScalars.prefix(1))
            #expect(ConfigMapPacking.jsonBytes(part.text) <= room)
            #expect(ConfigMapPacking.jsonBytes(part.text + more) > room, "\(part.key)")
        }
        // From the bytes, handed on one at a time: the same parts.
        var fromBytes: [MountedFile] = []
        ConfigMapPacking.split(key: file.key, path: file.path, contents: Array(text.utf8), budget: budget) { fromBytes.append($0) }
        #expect(fromBytes == parts)
        let joined = try #require(ConfigMapPacking.joined(file, pieces: parts))
        #expect(joined.path == "shared/shard.sql")
        #expect(joined.parts == parts.map(\.path))
        #expect(ConfigMapPacking.partSuffix(7) == ".part-007")
        #expect(ConfigMapPacking.partSuffix(1234) == ".part-1234")
    }

    @Test func placementKeepsOrderAndTheBudget() {
        let files = (0..<30).map { MountedFile(key: "f\($0).sql", path: "c/f\($0).sql", text: String(repeating: "y", count: 90)) }
        let maps = ConfigMapPacking.place(files, name: { KubernetesNames.configMap("c-topoc-schema", index: $0) }, budget: 1_000)
        #expect(maps.flatMap(\.files) == files)
        #expect(maps.map(\.name).prefix(3) == ["c-topoc-schema", "c-topoc-schema-part-2", "c-topoc-schema-part-3"])
        for map in maps {
            #expect(2 + map.files.map(ConfigMapPacking.entryBytes).reduce(0, +) <= 1_000)
        }
        // Each but the last is full: the next file would not have fitted.
        for (map, next) in zip(maps, maps.dropFirst()) {
            let used = 2 + map.files.map(ConfigMapPacking.entryBytes).reduce(0, +)
            #expect(used + ConfigMapPacking.entryBytes(next.files[0]) > 1_000)
        }
        // A file at a time: each ConfigMap is handed on as soon as the next file does not fit in
        // it, so no more than one is being filled.
        var placer = ConfigMapPlacer(name: { KubernetesNames.configMap("c-topoc-schema", index: $0) }, budget: 1_000)
        var handed: [SchemaConfigMap] = []
        for (index, file) in files.enumerated() {
            placer.add(file) { handed.append($0) }
            let handedFiles = handed.flatMap(\.files)
            #expect(handedFiles == Array(files.prefix(handedFiles.count)))
            let pending = files[handedFiles.count...index]
            #expect(2 + pending.map(ConfigMapPacking.entryBytes).reduce(0, +) <= 1_000, "\(file.key)")
        }
        placer.finish { handed.append($0) }
        #expect(handed.map(\.name) == maps.map(\.name))
        #expect(handed.map(\.files) == maps.map(\.files))
    }

    /// The fixture's shared shard script is written once, in parts, each `ConfigMap` within the
    /// budget; every shard cluster's Job projects the parts and joins them into the script.
    @Test func aLargeSharedScriptIsWrittenOnceInParts() throws {
        let plan = try largeRingPlan()
        let (scripts, includes) = scripts(plan)
        let shared = try #require(scripts["sql/shared/shard.sql"])
        #expect(ConfigMapPacking.jsonBytes(shared) > ConfigMapPacking.dataBudget)
        let volumes = sharedVolumes(scripts, includes)
        let part = try #require(volumes["sql/shared/shard.sql"])
        #expect(part.configMaps.count >= 2)
        #expect(part.configMaps.map(\.name).first == "topoc-shared-shard")
        #expect(part.configMaps.flatMap(\.files).map(\.text).joined() == shared)
        #expect(part.joined == [JoinedFile(path: "shared/shard.sql", parts: part.configMaps.flatMap(\.files).map(\.path))])

        let artifacts = KubernetesBackend().artifacts(for: plan)
        let configMaps = artifacts.filter { $0.path.hasPrefix("kubernetes/schema/configmap-") }
        #expect(configMaps.filter { $0.path.contains("topoc-shared-shard") }.count == part.configMaps.count)
        // No cluster's own ConfigMap carries the ring.
        for artifact in configMaps where !artifact.path.contains("topoc-shared") {
            #expect(artifact.contents.count < 20_000, "\(artifact.path)")
        }

        let namespace = KubernetesNames.namespace(topology: plan.topology)
        let clusters = plan.clusters.filter { cluster in
            SchemaJobManifest.steps(cluster, plan: plan).contains { includes[$0.path] != nil }
        }
        #expect(clusters.count == 4)
        for cluster in clusters {
            let volume = SchemaJobManifest.volume(
                cluster, plan: plan, namespace: namespace, scripts: scripts, includes: includes, shared: volumes)
            #expect(volume.shared.map(\.name) == part.configMaps.map(\.name))
            #expect(volume.joined == part.joined)
            for map in volume.own + volume.shared {
                #expect(2 + map.files.map(ConfigMapPacking.entryBytes).reduce(0, +) <= ConfigMapPacking.dataBudget)
            }
            let run = try #require(volume.own.first?.files.first { $0.key == SchemaJobManifest.runScript }?.text)
            let partPaths = part.joined[0].parts.map { "\"$dir/\"'\($0)'" }.joined(separator: " ")
            #expect(run.contains("cat \(partPaths) > \"$dir/\"'shared/shard.sql'\n"))
            #expect(run.contains("work=${TOPOC_SCHEMA_WORK:-\(SchemaJobManifest.workPath)}"))
            let job = String(
                decoding: SchemaJobManifest.job(cluster, plan: plan, namespace: namespace, volume: volume).text(
                    plan: plan, namespace: namespace
                ).utf8, as: UTF8.self)
            #expect(job.contains("- name: work\n              mountPath: \(SchemaJobManifest.workPath)"))
            #expect(job.contains("emptyDir: {}"))
            #expect(job.contains("mountPath: \(SchemaJobManifest.mountPath)/shared\n"))
            for map in volume.own + volume.shared {
                #expect(job.contains("name: \(map.name)\n"))
            }
            // Mounted without items: each ConfigMap's keys are the file names of its folder.
            for map in volume.own {
                #expect(map.files.allSatisfy { $0.path == "\(cluster.name)/\($0.key)" })
            }
            for map in volume.shared {
                #expect(map.files.allSatisfy { $0.path == "shared/\($0.key)" })
            }
        }
    }

    /// A database-per-tenant cluster of 300 tenant databases: its scripts fill several
    /// ConfigMaps (the roles script, 830 bytes a tenant, in parts), its Job names the ConfigMaps
    /// only (no item per file) and grows only by each tenant role's password variable (under 200
    /// bytes a tenant: docs/kubernetes.md), and `steps.txt` lists every database in plan order.
    @Test func manyDatabasesKeepTheJobSmall() throws {
        let (job150, _) = try tenantJob(tenants: 150)
        let (job, volume) = try tenantJob(tenants: 300)
        #expect(volume.own.count > 2)
        #expect(volume.joined.map(\.path) == ["main/post-bootstrap.sh"])
        for map in volume.own {
            #expect(2 + map.files.map(ConfigMapPacking.entryBytes).reduce(0, +) <= ConfigMapPacking.dataBudget)
        }
        #expect(!job.contains("items:"))
        #expect(!job.contains("clinic_t7.sql"))
        let perTenant = (job.utf8.count - job150.utf8.count) / 150
        #expect(perTenant < 200, "\(perTenant) bytes a tenant")
        let steps = try #require(volume.own.flatMap(\.files).first { $0.key == SchemaJobManifest.stepsFile }?.text)
        let listed = steps.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(listed.count == 301)
        #expect(listed.first == "clinics main/clinics.sql")
        #expect(listed.last == "clinic_t299 main/clinic_t299.sql")
    }

    private func tenantJob(tenants: Int) throws -> (job: String, volume: SchemaVolume) {
        let plan = try tenantPlan(tenants: tenants)
        let (scripts, includes) = scripts(plan)
        let namespace = KubernetesNames.namespace(topology: plan.topology)
        let cluster = try #require(plan.clusters.first)
        let volume = SchemaJobManifest.volume(
            cluster, plan: plan, namespace: namespace, scripts: scripts, includes: includes, shared: [:])
        return (
            SchemaJobManifest.job(cluster, plan: plan, namespace: namespace, volume: volume).text(plan: plan, namespace: namespace), volume
        )
    }

    private func tenantPlan(tenants count: Int) throws -> Plan {
        try TenantTopology.plan(tenants: count, target: .kubernetes)
    }

    /// Every example's ConfigMaps fit whole: no parts, no work folder, and a shared script's
    /// ConfigMap (global-composite's capturing shards) is written once and mounted by each.
    @Test func examplesNeedNoParts() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../examples").standardized
        var sharedSeen = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() where name.hasSuffix(".yaml") {
            let url = examples.appendingPathComponent(name)
            let compiled = CompilerDriver.compile(bytes: Array(try Data(contentsOf: url)), file: url.path, target: .kubernetes)
            guard let plan = compiled.plan else { continue }  // refused for this target (check-cnpg.sh lists them)
            let (scripts, includes) = scripts(plan)
            let volumes = sharedVolumes(scripts, includes)
            #expect(volumes.values.allSatisfy { $0.configMaps.count == 1 && $0.joined.isEmpty }, "\(name)")
            sharedSeen += volumes.count
            let namespace = KubernetesNames.namespace(topology: plan.topology)
            for cluster in plan.clusters {
                let volume = SchemaJobManifest.volume(
                    cluster, plan: plan, namespace: namespace, scripts: scripts, includes: includes, shared: volumes)
                #expect(volume.joined.isEmpty, "\(name): \(cluster.name)")
                #expect(volume.own.count == 1, "\(name): \(cluster.name)")
                // Each key is its file's name in the folder its volume is mounted at.
                let own = volume.own.flatMap(\.files)
                #expect(own.allSatisfy { $0.path == "\(cluster.name)/\($0.key)" }, "\(name): \(cluster.name)")
                #expect(Set(own.map(\.key)).count == own.count, "\(name): \(cluster.name)")
                #expect(volume.shared.flatMap(\.files).allSatisfy { $0.path == "shared/\($0.key)" }, "\(name)")
                let job = SchemaJobManifest.job(cluster, plan: plan, namespace: namespace, volume: volume).text(
                    plan: plan, namespace: namespace)
                #expect(!job.contains("emptyDir"), "\(name): \(cluster.name)")
            }
        }
        #expect(sharedSeen >= 1)
    }
}
