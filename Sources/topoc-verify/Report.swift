import Foundation
import TopologyClient

/// Prints what the run did and found.
struct Report {
    let operations: [HistoryOperation]
    let history: ConsistencyHistory
    let violations: [HistoryViolation]
    let maxStaleness: Double
    let rpoZero: Bool
    let killedDatabases: Set<String>

    func print(faults: Faults) {
        let writes = operations.filter { $0.kind == .write }
        let reads = operations.filter { $0.kind == .read }
        func count(_ ops: [HistoryOperation], _ outcome: HistoryOperation.Outcome) -> Int { ops.filter { $0.outcome == outcome }.count }
        Swift.print(
            "operations: \(operations.count) (\(writes.count) writes: \(count(writes, .ok)) acknowledged, \(count(writes, .failed)) failed, \(count(writes, .unknown)) outcome unknown; \(reads.count) reads: \(count(reads, .ok)) answered, \(count(reads, .failed)) failed)"
        )
        var failures: [String: Int] = [:]
        for operation in operations where operation.outcome == .failed {
            failures["\(operation.kind.rawValue): \(operation.error ?? "?")", default: 0] += 1
        }
        if !failures.isEmpty {
            Swift.print("failures (most frequent first):")
            for (message, count) in failures.sorted(by: { $0.value > $1.value }).prefix(5) {
                Swift.print("  \(count) x \(message.prefix(300))")
            }
        }
        Swift.print("reads per level and server:")
        for level in ["read-your-writes", "causal", "eventual"] {
            let served = reads.filter { $0.level == level && $0.outcome == .ok }
            guard !served.isEmpty else { continue }
            var byServer: [String: Int] = [:]
            for read in served { byServer[read.server ?? "?", default: 0] += 1 }
            let replicas = served.filter { $0.server != "leader" }.count
            let list = byServer.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            Swift.print(
                "  \(level): \(served.count) reads, \(String(format: "%.0f", 100 * Double(replicas) / Double(served.count))) % off the leader (\(list))"
            )
        }
        let waits = reads.compactMap(\.waitedMilliseconds).filter { $0 > 0 }.sorted()
        if !waits.isEmpty {
            Swift.print(
                "replica reads (incl. replay check): p50 \(format(percentile(waits, 0.5))) ms, p99 \(format(percentile(waits, 0.99))) ms, max \(format(waits.last ?? 0)) ms"
            )
        }
        let staleness = history.eventualStaleness().sorted()
        if !staleness.isEmpty {
            Swift.print(
                "eventual staleness: p50 \(format(percentile(staleness, 0.5) * 1000)) ms, p90 \(format(percentile(staleness, 0.9) * 1000)) ms, p99 \(format(percentile(staleness, 0.99) * 1000)) ms, max \(format((staleness.last ?? 0) * 1000)) ms (bound \(format(maxStaleness * 1000)) ms)"
            )
        }
        if let kill = faults.killedAt {
            // The longest time without an acknowledged write on the killed cluster's databases,
            // from the kill on: the failover as the client saw it.
            let acks = writes.filter { $0.outcome == .ok && killedDatabases.contains($0.database) && $0.endedAt > kill.at }
                .map(\.endedAt).sorted()
            var previous = kill.at
            var stall = 0.0
            for ack in acks {
                stall = max(stall, ack - previous)
                previous = ack
            }
            Swift.print(
                "leader kill: \(kill.member) of \(kill.cluster); failover as the client saw it (longest time without an acknowledged write there): \(acks.isEmpty ? "no write acknowledged after the kill" : format(stall * 1000) + " ms")"
            )
        }
        Swift.print(rpoZero ? "lost-write check: on (rpo 0)" : "lost-write check: off (rpo is not 0)")
        Swift.print("\(violations.count) violations")
        for violation in violations.prefix(20) { Swift.print("  \(violation)") }
        if violations.count > 20 { Swift.print("  ... and \(violations.count - 20) more") }
    }

    private func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
