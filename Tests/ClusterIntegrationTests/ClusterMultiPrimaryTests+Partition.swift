import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// A partition between the regions of a multi-primary group (issue 12 item 9), on loopback.
///
/// Each region has its own etcd (the multi-primary plan has one etcd cluster per region), so a
/// cluster depends on nothing in the other region but its peer's subscription. The partition is
/// made by stopping every process of one region (``RegionFreeze``: its etcd, Patroni members and
/// PostgreSQL servers) for 2 x ttl; to the other region that is what a partition looks like.
/// The other region's primary must stay the primary (same member, same timeline, Patroni's
/// `GET /primary` answering 200 throughout) and take a write through PgBouncer every second,
/// none failing. Then the same with the regions swapped, and after both, every row written
/// during the partitions reaches the other side. Last, a region's own etcd alone is stopped:
/// with `failsafe_mode` the primary stays while it reaches its replica through the REST API.
extension ClusterMultiPrimaryTests {
    struct Side {
        var cluster: PlanCluster
        var region: String
    }

    /// The timeline a primary writes on: the first eight hexadecimal digits of its current WAL
    /// file's name.
    static let currentTimelineQuery = "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int"

    func checkPartitionKeepsBothPrimaries(
        _ deployment: ClusterHarness.Deployment, group: PlanMultiPrimaryGroup, write: (String, String) throws -> Void,
        read: (String, String) -> String?
    ) throws {
        let plan = deployment.plan
        let sides = try group.clusters.map { name -> Side in
            let cluster = try XCTUnwrap(plan.clusters.first { $0.name == name })
            return Side(cluster: cluster, region: try XCTUnwrap(cluster.members.first?.region))
        }
        XCTAssertEqual(Set(sides.map(\.region)).count, 2, "the group's clusters lead from two regions")
        // Each cluster's keys live in its own region's etcd, and only there.
        for side in sides {
            for member in plan.etcd {
                let keys = etcdKeys(port: member.clientPort, prefix: "/topoc/\(plan.topology)/\(side.cluster.name)/")
                XCTAssertEqual(
                    keys.contains { $0.hasSuffix("/leader") }, member.region == side.region,
                    "\(side.cluster.name)'s leader key is in \(member.name) (\(member.region ?? "-")) iff that is its region's etcd: \(keys)"
                )
            }
        }
        let ttl = Double(sides[0].cluster.failover.ttl)
        let window = 2 * ttl
        var nextID = 1000
        var written = 0
        for (frozen, live) in [(sides[1], sides[0]), (sides[0], sides[1])] {
            // Patroni reports a member's timeline from what the member last wrote to etcd, one HA
            // loop behind a promotion: east's failover just before can still show as timeline 1,
            // and then as 2 during the round, which would read as a promotion in it (seen in a
            // run on a loaded machine). So the round starts once Patroni reports the timeline
            // PostgreSQL is on.
            let leader = try XCTUnwrap(
                ClusterHarness.poll(seconds: 30) { () -> PatroniClusterView.Member? in
                    guard let leader = deployment.view(live.cluster)?.leader, let timeline = leader.timeline,
                        read(live.cluster.name, Self.currentTimelineQuery) == String(timeline)
                    else { return nil }
                    return leader
                }, "\(live.cluster.name) has a leader, reported on PostgreSQL's current timeline")
            let timelineBefore = read(live.cluster.name, Self.currentTimelineQuery)
            var freeze = RegionFreeze()
            freeze.stop(RegionFreeze.processes(of: frozen.region, in: deployment, etcd: true, servers: true))
            XCTAssertGreaterThan(freeze.pids.count, 4, "\(frozen.region)'s etcd, Patroni members and servers are stopped")
            var failures: [String] = []
            var primaryLost = 0
            let firstID = nextID + 1
            var writtenHere = 0
            let started = Date()
            while Date().timeIntervalSince(started) < window {
                nextID += 1
                do {
                    try write(live.cluster.name, "INSERT INTO notes (note_id, body) VALUES (\(nextID), 'during partition')")
                    written += 1
                    writtenHere += 1
                } catch { failures.append("\(error)") }
                if LoopbackHTTP.get(port: restPort(leader.name, in: live.cluster), path: "/primary", timeout: 2)?.status != 200 {
                    primaryLost += 1
                }
                usleep(1_000_000)
            }
            let after = deployment.view(live.cluster)?.leader
            // Every acknowledged write is on the live side at once; the frozen side gets it only
            // after the partition (checked below, once both rounds are done).
            let heldHere = read(
                live.cluster.name,
                "SELECT count(*) FROM notes WHERE body = 'during partition' AND note_id BETWEEN \(firstID) AND \(nextID)")
            freeze.resume()
            XCTAssertEqual(heldHere, String(writtenHere), "\(live.cluster.name) holds every write it acknowledged")
            XCTAssertEqual(failures, [], "\(live.cluster.name) takes every write while \(frozen.region) is cut off")
            XCTAssertEqual(primaryLost, 0, "\(leader.name) answers GET /primary throughout")
            XCTAssertEqual(after?.name, leader.name, "\(live.cluster.name) keeps its primary")
            XCTAssertEqual(after?.timeline, leader.timeline, "no promotion in \(live.cluster.name)")
            XCTAssertEqual(
                read(live.cluster.name, Self.currentTimelineQuery), timelineBefore, "\(live.cluster.name) is on the same timeline")
            print(
                "CLUSTER-RESULT partition: \(frozen.region) stopped \(String(format: "%.0f", window))s (ttl \(Int(ttl))s): \(live.cluster.name) kept \(leader.name) as primary, \(Int(window)) writes attempted, \(failures.count) failed"
            )
            // The stopped region comes back with a writable primary before the next round.
            let back = ClusterHarness.poll(seconds: 60) { (try? write(frozen.cluster.name, "SELECT 1")).map { true } }
            XCTAssertNotNil(back, "\(frozen.cluster.name) takes writes again after the partition")
        }
        // PostgreSQL 16's logical replication launcher may sleep its full cycle (three minutes,
        // DEFAULT_NAPTIME_PER_CYCLE in launcher.c) before it restarts an apply worker that failed
        // while the peer was unreachable; seen here in two runs out of four, hence 200 s.
        let healed = Date()
        let converged = ClusterHarness.poll(seconds: 200, interval: 1) {
            sides.allSatisfy { read($0.cluster.name, "SELECT count(*) FROM notes WHERE body = 'during partition'") == String(written) }
                ? true : nil
        }
        XCTAssertNotNil(converged, "after the partition both sides hold the \(written) rows written during it")
        if converged == nil { diagnose(deployment, sides: sides) }
        print(
            "CLUSTER-RESULT partition: both sides hold the \(written) rows written during the partitions \(String(format: "%.0f", Date().timeIntervalSince(healed)))s after the second one ended"
        )

        // The region's own etcd fails as a whole: failsafe_mode keeps the primary.
        let side = sides[1]
        let leader = try XCTUnwrap(deployment.view(side.cluster)?.leader)
        var freeze = RegionFreeze()
        freeze.stop(RegionFreeze.processes(of: side.region, in: deployment, etcd: true, servers: false))
        XCTAssertEqual(freeze.pids.count, plan.etcd.filter { $0.region == side.region }.count)
        var failures: [String] = []
        var failsafeSeen = false
        var primaryLost = 0
        let started = Date()
        while Date().timeIntervalSince(started) < window {
            nextID += 1
            do {
                try write(side.cluster.name, "INSERT INTO notes (note_id, body) VALUES (\(nextID), 'etcd down')")
            } catch { failures.append("\(error)") }
            let port = restPort(leader.name, in: side.cluster)
            if LoopbackHTTP.get(port: port, path: "/primary", timeout: 2)?.status != 200 { primaryLost += 1 }
            if let body = LoopbackHTTP.get(port: port, path: "/patroni", timeout: 2)?.body,
                let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                object["failsafe_mode_is_active"] as? Bool == true
            {
                failsafeSeen = true
            }
            usleep(1_000_000)
        }
        freeze.resume()
        XCTAssertEqual(failures, [], "\(side.cluster.name) takes every write while its etcd is stopped")
        XCTAssertEqual(primaryLost, 0, "\(leader.name) answers GET /primary throughout")
        XCTAssertTrue(failsafeSeen, "Patroni reports failsafe_mode_is_active while its etcd is stopped")
        print(
            "CLUSTER-RESULT failsafe: \(side.region)'s etcd stopped \(String(format: "%.0f", window))s: \(leader.name) stayed primary (failsafe active), \(failures.count) writes failed"
        )
    }

    /// Prints what each leader's replication looks like (after a failure).
    private func diagnose(_ deployment: ClusterHarness.Deployment, sides: [Side]) {
        for side in sides {
            guard let leader = deployment.view(side.cluster)?.leader,
                let member = side.cluster.members.first(where: { $0.name == leader.name })
            else {
                print("DIAGNOSE \(side.cluster.name): no leader")
                continue
            }
            let conninfo = deployment.direct(port: member.port, database: deployment.plan.multiPrimaryGroups[0].database)
            for query in [
                "SELECT subname, pid, received_lsn, latest_end_lsn, last_msg_receipt_time FROM pg_stat_subscription",
                "SELECT slot_name, active, active_pid, restart_lsn, confirmed_flush_lsn FROM pg_replication_slots",
                "SELECT application_name, state, sent_lsn, replay_lsn, backend_start FROM pg_stat_replication",
                "SELECT pg_current_wal_lsn(), pg_is_in_recovery()",
                "SELECT pid, backend_type, wait_event_type, wait_event, state FROM pg_stat_activity WHERE backend_type <> 'client backend'",
            ] {
                print("DIAGNOSE \(leader.name): \(query)\n\((try? ClusterHarness.rows(conninfo, query)) ?? [["error"]])")
            }
            if let postmaster = ProcessSpawner.postmaster(
                of: deployment.state.members.first { $0.name == leader.name }?.dataDirectory ?? "")
            {
                for pid in RegionFreeze.descendants(of: postmaster.pid) {
                    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                    let command =
                        (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ")
                        ?? ""
                    print("DIAGNOSE \(leader.name) process \(pid): \(stat.split(separator: " ").dropFirst(2).first ?? "?") \(command)")
                }
            }
        }
    }

    private func restPort(_ member: String, in cluster: PlanCluster) -> Int {
        cluster.members.first { $0.name == member }?.restPort ?? 0
    }

    /// The keys under `prefix` in the etcd on `port`, through etcd's JSON gateway.
    private func etcdKeys(port: Int, prefix: String) -> [String] {
        var end = Array(prefix.utf8)
        end[end.count - 1] += 1
        let body = """
            {"key":"\(Data(prefix.utf8).base64EncodedString())","range_end":"\(Data(end).base64EncodedString())","keys_only":true}
            """
        let result = Subprocess.run(
            ["/usr/bin/curl", "-sS", "--max-time", "5", "-X", "POST", "http://127.0.0.1:\(port)/v3/kv/range", "-d", body],
            environment: ["PATH": "/usr/bin:/bin"], timeout: 10)
        guard let object = try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any] else { return [] }
        let kvs = object["kvs"] as? [[String: Any]] ?? []
        return kvs.compactMap { ($0["key"] as? String).flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } }
    }
}
