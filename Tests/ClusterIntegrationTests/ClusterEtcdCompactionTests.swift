import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 12 item 5, "etcd never compacts": the generated etcd configuration, run by a real etcd
/// 3.4 as the server user, compacts the history of a key rewritten 200 times, the way Patroni
/// rewrites its leader key. The retention is shortened to 2 s (the production hour would not fit
/// in a test); everything else is the file topoc writes for a local deployment. A control etcd
/// runs the same file without its `auto-compaction-*` lines (the configuration before the fix)
/// and keeps every revision, so the compaction observed is the setting's doing.
final class ClusterEtcdCompactionTests: XCTestCase {
    override func setUpWithError() throws {
        try ClusterHarness.require()
        guard FileManager.default.isExecutableFile(atPath: EtcdUnderTest.curl) else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                XCTFail("cluster suite under CI: missing \(EtcdUnderTest.curl) (scripts/install-deps.sh installs it)")
            }
            throw XCTSkip("missing \(EtcdUnderTest.curl)")
        }
    }

    func testGeneratedConfigurationCompactsHistoryOnARealEtcd() throws {
        let retention = 2.0
        // The quota is half the production one: production's 2 GiB is also etcd's default, and
        // only another value shows in etcd's metrics that the file's quota is the one etcd runs with.
        let history = EtcdBackend.History(
            compactionRetention: "\(Int(retention))s", quotaBackendBytes: EtcdBackend.History.patroni.quotaBackendBytes / 2)
        let compacting = try EtcdUnderTest.start(name: "compacting", basePort: 31960, history: history, compaction: true)
        defer { compacting.stop() }
        let control = try EtcdUnderTest.start(name: "control", basePort: 31970, history: history, compaction: false)
        defer { control.stop() }
        XCTAssertTrue(compacting.configuration.contains("\nauto-compaction-mode: periodic\n"), compacting.configuration)
        XCTAssertFalse(control.configuration.contains("auto-compaction"), control.configuration)
        for etcd in [compacting, control] {
            if ProcessSpawner.isRoot {
                XCTAssertEqual(etcd.userID(), getpwnam(ProcessSpawner.serverUser)?.pointee.pw_uid, "etcd runs as the server user")
            }
            XCTAssertEqual(
                etcd.metric("etcd_server_quota_backend_bytes"), Double(history.quotaBackendBytes),
                "\(etcd.name) runs with the generated quota")
        }

        let key = "/service/etcdcompact/leader"
        let written = try compacting.writeHistory(key: key, revisions: 200)
        let controlWritten = try control.writeHistory(key: key, revisions: 200)

        // Periodic compaction with retention R samples the revision every R/10 and compacts to the
        // revision of R before, every R: the whole history should be gone within about 2 R of the last write.
        let compacted = ClusterHarness.poll(seconds: 20, interval: 0.1) {
            compacting.range(key: key, revision: written.last - 1) == .compacted ? Date() : nil
        }
        let seconds = compacted.map { $0.timeIntervalSince(written.finished) }
        XCTAssertNotNil(seconds, "revision \(written.last - 1) still readable 20 s after the last write:\n\(compacting.log())")
        XCTAssertEqual(compacting.range(key: key, revision: written.first), .compacted, "the first revision")
        XCTAssertEqual(compacting.range(key: key, revision: nil), .value("v200"), "compaction keeps the current value")
        let removed = compacting.metric("etcd_debugging_mvcc_db_compaction_keys_total") ?? 0
        XCTAssertGreaterThanOrEqual(removed, 199, "etcd_debugging_mvcc_db_compaction_keys_total")
        let compactRevision = compacting.compactRevision(key: key)
        XCTAssertGreaterThanOrEqual(compactRevision ?? 0, written.last, "the compact revision a watch from revision 1 reports")

        // The control had at least three retention periods since its last write and compacted nothing.
        let quiet = controlWritten.finished.addingTimeInterval(3 * retention).timeIntervalSinceNow
        if quiet > 0 { usleep(UInt32(quiet * 1_000_000)) }
        let controlSeconds = Date().timeIntervalSince(controlWritten.finished)
        XCTAssertEqual(
            control.range(key: key, revision: controlWritten.first), .value("v1"), "without auto-compaction-* nothing is compacted")
        XCTAssertEqual(control.range(key: key, revision: controlWritten.last - 1), .value("v199"))
        let controlRemoved = control.metric("etcd_debugging_mvcc_db_compaction_keys_total")
        XCTAssertEqual(controlRemoved, 0)
        XCTAssertNil(control.compactRevision(key: key), "the control's watch from revision 1 is not cancelled")

        // What an operator runs after compaction (EtcdBackend's doc comment): defragment one member.
        let before = compacting.status()
        let started = Date()
        let defragment = compacting.post("/v3/maintenance/defragment", "{}")
        let defragmentSeconds = Date().timeIntervalSince(started)
        XCTAssertEqual(defragment.status, 200, defragment.body)
        let after = compacting.status()

        print(
            "CLUSTER-RESULT etcd compaction: 200 revisions of one key (revisions \(written.first)-\(written.last)); "
                + "retention \(history.compactionRetention) (production \(EtcdBackend.History.patroni.compactionRetention)): revision \(written.last - 1) compacted "
                + (seconds.map { String(format: "%.1fs", $0) } ?? "never") + " after the last write, compact revision "
                + (compactRevision.map(String.init) ?? "none") + ", \(Int(removed)) revisions removed, \(compacting.finishedCompactions()) "
                + "compactions logged; control without auto-compaction-*: revision \(controlWritten.first) readable "
                + String(format: "%.1f", controlSeconds) + "s after its last write, \(Int(controlRemoved ?? -1)) removed, "
                + "\(control.finishedCompactions()) logged; "
                + "quota \(history.quotaBackendBytes) bytes read back from etcd_server_quota_backend_bytes; defragment "
                + String(format: "%.0f", defragmentSeconds * 1000) + " ms, dbSize \(before.size) -> \(after.size) bytes "
                + "(in use \(before.inUse) -> \(after.inUse))")
    }
}

/// One etcd started from a generated configuration file, as the server user, spoken to through its
/// v3 JSON gateway (the API Patroni's etcd3 client uses) with curl; stopped by PID.
struct EtcdUnderTest {
    static let curl = "/usr/bin/curl"

    var name: String
    var folder: URL
    var clientPort: Int
    var configuration: String
    var process: ProcessSpawner.Started

    /// What a range read at a revision returned.
    enum Read: Equatable {
        case value(String)
        case compacted
        case failed(String)
    }

    /// Plans a local deployment at `basePort` in a fresh folder under /tmp, writes its etcd file with
    /// `history` (without the `auto-compaction-*` lines unless `compaction`) and starts etcd on it.
    static func start(name: String, basePort: Int, history: EtcdBackend.History, compaction: Bool) throws -> EtcdUnderTest {
        let folder = URL(fileURLWithPath: "/tmp/topoc-etcd-\(name)-\(UUID().uuidString.prefix(8))")
        let run = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        if ProcessSpawner.isRoot {
            let owned = Subprocess.run(
                ["/bin/chown", "-R", "\(ProcessSpawner.serverUser):\(ProcessSpawner.serverUser)", folder.path], environment: [:])
            guard owned.status == 0 else { throw HarnessError("chown \(folder.path): \(owned.error)") }
        }
        let yaml = TestTopologies.topology(name: "etcdcompact", basePort: basePort, synchronous: false)
        let compiled = CompilerDriver.compile(bytes: Array(yaml.utf8), file: "etcdcompact.yaml", target: .local)
        guard let planned = compiled.plan else { throw HarnessError("the test topology does not compile") }
        let plan = LocalRunLayout(root: run.path).localize(planned)
        guard let member = plan.etcd.first, plan.etcd.count == 1,
            let artifact = EtcdBackend(history: history).artifacts(for: plan).first
        else { throw HarnessError("no etcd member in the local plan") }
        var configuration = String(decoding: artifact.contents, as: UTF8.self)
        if !compaction {
            configuration = configuration.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("auto-compaction-") }.joined(separator: "\n")
        }
        let file = folder.appendingPathComponent("\(member.name).yml")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let process = try ProcessSpawner.spawn(
            ProcessSpawner.asServerUser(["/usr/bin/etcd", "--config-file", file.path]), environment: LocalTools.serverEnvironment(),
            directory: folder, log: folder.appendingPathComponent("etcd.log"))
        let etcd = EtcdUnderTest(name: name, folder: folder, clientPort: member.clientPort, configuration: configuration, process: process)
        let healthy = ClusterHarness.poll(seconds: 20) {
            LoopbackHTTP.get(port: member.clientPort, path: "/health", timeout: 1)?.status == 200 ? true : nil
        }
        guard healthy != nil else {
            let log = etcd.log()
            etcd.stop()
            throw HarnessError("etcd \(name) not healthy within 20 s:\n\(log)")
        }
        return etcd
    }

    /// Stops etcd by its PID and removes its folder.
    func stop() {
        ProcessSpawner.stop([process], grace: 5)
        try? FileManager.default.removeItem(at: folder)
    }

    /// The real user ID etcd runs as (from /proc).
    func userID() -> uid_t? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst()
            .first.flatMap { uid_t($0) }
    }

    /// etcd's output.
    func log() -> String {
        (try? String(contentsOf: folder.appendingPathComponent("etcd.log"), encoding: .utf8)) ?? ""
    }

    /// How many compactions etcd's log reports as finished (supporting evidence; the log is not an API).
    func finishedCompactions() -> Int {
        log().split(separator: "\n").filter { $0.contains("Finished auto-compaction") }.count
    }

    private var url: String { "http://127.0.0.1:\(clientPort)" }

    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    private static func json(_ text: some StringProtocol) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    private static func revision(_ object: [String: Any]?) -> Int? {
        ((object?["header"] as? [String: Any])?["revision"] as? String).flatMap { Int($0) }
    }

    /// POSTs a JSON body to the gateway; the status is 0 when curl got no answer.
    func post(_ path: String, _ body: String, maxTime: Int = 10) -> (status: Int, body: String) {
        let result = Subprocess.run(
            [Self.curl, "-s", "--max-time", String(maxTime), "-w", "\\n%{http_code}", "-d", body, url + path],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], timeout: Double(maxTime + 5))
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = lines.popLast().flatMap { Int($0) } ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// Writes `revisions` values v1, v2, ... of one key (one curl, one connection) and checks that the
    /// first revision reads back before any compaction could have run.
    func writeHistory(key: String, revisions: Int) throws -> (first: Int, last: Int, finished: Date) {
        let first = post("/v3/kv/put", #"{"key":"\#(Self.base64(key))","value":"\#(Self.base64("v1"))"}"#)
        guard first.status == 200, let firstRevision = Self.revision(Self.json(first.body)) else {
            throw HarnessError("put on \(name): \(first.status) \(first.body)")
        }
        guard range(key: key, revision: firstRevision) == .value("v1") else { throw HarnessError("revision \(firstRevision) unreadable") }
        var arguments = [Self.curl]
        for index in 2...revisions {
            if index > 2 { arguments.append("--next") }
            let value = Self.base64("v\(index)")
            arguments += [
                "-s", "--max-time", "10", "-w", "\\n", "-d", #"{"key":"\#(Self.base64(key))","value":"\#(value)"}"#, url + "/v3/kv/put",
            ]
        }
        let result = Subprocess.run(arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], timeout: 60)
        let written = result.output.split(separator: "\n").compactMap { Self.revision(Self.json($0)) }
        guard result.status == 0, written.count == revisions - 1, let last = written.last else {
            throw HarnessError("puts on \(name): \(result.status), \(written.count) answers\n\(result.error)")
        }
        return (firstRevision, last, Date())
    }

    /// Reads the key at a revision (the current one when nil).
    func range(key: String, revision: Int?) -> Read {
        let at = revision.map { #","revision":"\#($0)""# } ?? ""
        let response = post("/v3/kv/range", #"{"key":"\#(Self.base64(key))"\#(at)}"#)
        let object = Self.json(response.body)
        if response.status == 200 {
            guard let kvs = object?["kvs"] as? [[String: Any]], let value = kvs.first?["value"] as? String,
                let data = Data(base64Encoded: value)
            else { return .failed("no value: \(response.body)") }
            return .value(String(decoding: data, as: UTF8.self))
        }
        if (object?["error"] as? String)?.contains("required revision has been compacted") == true { return .compacted }
        return .failed("\(response.status) \(response.body)")
    }

    /// A value of etcd's Prometheus metrics.
    func metric(_ metric: String) -> Double? {
        guard let text = LoopbackHTTP.get(port: clientPort, path: "/metrics", timeout: 5)?.text else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix(metric + " ") }.flatMap { Double($0.dropFirst(metric.count + 1)) }
    }

    /// The compact revision etcd reports when a watch asks for history from revision 1 (nil when the
    /// watch is accepted, as it is while revision 1 still exists).
    func compactRevision(key: String) -> Int? {
        let response = post("/v3/watch", #"{"create_request":{"key":"\#(Self.base64(key))","start_revision":"1"}}"#, maxTime: 2)
        for line in response.body.split(separator: "\n") {
            if let result = Self.json(line)?["result"] as? [String: Any], let revision = result["compact_revision"] as? String {
                return Int(revision)
            }
        }
        return nil
    }

    /// The database file size and the part of it in use (`/v3/maintenance/status`).
    func status() -> (size: Int, inUse: Int) {
        let object = Self.json(post("/v3/maintenance/status", "{}").body)
        let number = { (key: String) in (object?[key] as? String).flatMap { Int($0) } ?? -1 }
        return (number("dbSize"), number("dbSizeInUse"))
    }
}
