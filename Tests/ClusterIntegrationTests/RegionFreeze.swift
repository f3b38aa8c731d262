import Foundation
import TopologyCompiler
import TopologyLocalCluster

#if canImport(Glibc)
    import Glibc
#endif

/// Cuts a region off on loopback without touching the network: every process of the region (its
/// etcd members, its Patroni members and their PostgreSQL servers with every child) is stopped
/// with SIGSTOP, and continued with SIGCONT. To the rest of the deployment a stopped region looks
/// like a region behind a partition: connections to it are accepted by the kernel or already
/// open, and nothing ever answers on them.
struct RegionFreeze {
    /// The process ids stopped, in stop order.
    private(set) var pids: [Int32] = []

    /// The processes of `region` in a deployment: `etcd` true includes its etcd members, `servers`
    /// true its Patroni members and PostgreSQL servers.
    static func processes(of region: String, in deployment: ClusterHarness.Deployment, etcd: Bool, servers: Bool) -> [Int32] {
        var pids: [Int32] = []
        if servers {
            let clusters = Set(deployment.plan.clusters.filter { $0.members.first?.region == region }.map(\.name))
            // A member killed earlier is skipped: its pid may belong to another process by now.
            for member in deployment.state.members where clusters.contains(member.cluster ?? "") && ProcessSpawner.isRunning(member.process)
            {
                pids.append(member.process.pid)
                pids += descendants(of: member.process.pid)
                if let postmaster = ProcessSpawner.postmaster(of: member.dataDirectory ?? "") {
                    pids.append(postmaster.pid)
                    pids += descendants(of: postmaster.pid)
                }
            }
        }
        if etcd {
            let names = Set(deployment.plan.etcd.filter { $0.region == region }.map(\.name))
            pids += deployment.state.processes.filter {
                $0.kind == "etcd" && names.contains($0.name) && ProcessSpawner.isRunning($0.process)
            }
            .map(\.process.pid)
        }
        var seen = Set<Int32>()
        return pids.filter { seen.insert($0).inserted }
    }

    /// Every process whose parent chain leads to `pid`.
    static func descendants(of pid: Int32) -> [Int32] {
        var parents: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[parent, default: []].append(child) }
        }
        var result: [Int32] = []
        var queue = [pid]
        while let next = queue.popLast() {
            for child in parents[next] ?? [] {
                result.append(child)
                queue.append(child)
            }
        }
        return result
    }

    /// Stops the processes.
    mutating func stop(_ processes: [Int32]) {
        for pid in processes where kill(pid, SIGSTOP) == 0 { pids.append(pid) }
    }

    /// Continues every stopped process, last stopped first.
    mutating func resume() {
        for pid in pids.reversed() { kill(pid, SIGCONT) }
        pids = []
    }
}
