import Foundation

/// One operation of a consistency check's load.
public struct HistoryOperation: Sendable, Codable, Hashable {
    /// What it did.
    public enum Kind: String, Sendable, Codable {
        case write
        case read
    }

    /// How it ended.
    public enum Outcome: String, Sendable, Codable {
        /// Acknowledged (a write committed, a read answered).
        case ok
        /// Failed with nothing committed.
        case failed
        /// A write whose COMMIT outcome is unknown.
        case unknown
    }

    public var kind: Kind
    /// The session that ran it.
    public var session: Int
    /// The database.
    public var database: String
    /// A read's level (`strong`, `read-your-writes`, `causal`, `eventual`).
    public var level: String?
    /// The session whose rows a read looks at (its own for read-your-writes).
    public var target: Int
    /// A write's sequence number; a read's highest sequence seen of `target`.
    public var seq: Int
    /// For a causal read: when the reader adopted the target's token (seconds since 1970).
    public var adoptedAt: Double?
    /// When it started and ended (seconds since 1970).
    public var startedAt: Double
    public var endedAt: Double
    public var outcome: Outcome
    /// What served a read (`leader`, a member, `ro-pool`).
    public var server: String?
    /// How long a read waited for replay, in milliseconds.
    public var waitedMilliseconds: Double?
    /// Why a failed operation failed (the error as the client saw it).
    public var error: String?

    public init(
        kind: Kind, session: Int, database: String, level: String? = nil, target: Int, seq: Int, adoptedAt: Double? = nil,
        startedAt: Double, endedAt: Double, outcome: Outcome, server: String? = nil, waitedMilliseconds: Double? = nil,
        error: String? = nil
    ) {
        self.kind = kind
        self.session = session
        self.database = database
        self.level = level
        self.target = target
        self.seq = seq
        self.adoptedAt = adoptedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.server = server
        self.waitedMilliseconds = waitedMilliseconds
        self.error = error
    }
}

/// A violation the checker found.
public struct HistoryViolation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case readYourWrites = "read-your-writes"
        case causal
        case staleness
        case lostWrite = "lost-write"
    }

    public var kind: Kind
    public var detail: String

    public var description: String { "\(kind.rawValue): \(detail)" }
}

/// Checks a recorded history: read-your-writes, causal, eventual staleness and (at `rpo: 0`)
/// that every acknowledged write survived.
public struct ConsistencyHistory: Sendable {
    /// The operations, in any order.
    public var operations: [HistoryOperation]

    public init(operations: [HistoryOperation]) {
        self.operations = operations
    }

    /// The acknowledged writes of each session, as (sequence, acknowledged at), by session.
    private var acknowledged: [Int: [(seq: Int, at: Double)]] {
        var result: [Int: [(seq: Int, at: Double)]] = [:]
        for operation in operations where operation.kind == .write && operation.outcome == .ok {
            result[operation.session, default: []].append((operation.seq, operation.endedAt))
        }
        return result
    }

    /// The staleness of every acknowledged eventual read, in seconds: from the acknowledgement
    /// of the first write of its target it did not see (among those acknowledged before it
    /// started) to its start; 0 if it saw all of them.
    public func eventualStaleness() -> [Double] {
        let writes = acknowledged
        return operations.filter { $0.kind == .read && $0.outcome == .ok && $0.level == "eventual" }.map { read in
            let missed = (writes[read.target] ?? []).filter { $0.seq > read.seq && $0.at <= read.startedAt }
            return missed.map { read.startedAt - $0.at }.max() ?? 0
        }
    }

    /// The violations.
    ///
    /// - Parameters:
    ///   - maxStaleness: The bound on eventual reads, in seconds.
    ///   - survivors: The sequences present at the end, by session (for the lost-write check),
    ///     or `nil` to skip it.
    public func violations(maxStaleness: Double, survivors: [Int: Set<Int>]?) -> [HistoryViolation] {
        let writes = acknowledged
        var found: [HistoryViolation] = []
        for read in operations where read.kind == .read && read.outcome == .ok {
            let cutoff: Double
            let kind: HistoryViolation.Kind
            switch read.level {
            case "read-your-writes":
                (cutoff, kind) = (read.startedAt, .readYourWrites)
            case "causal":
                (cutoff, kind) = (read.adoptedAt ?? read.startedAt, .causal)
            default:
                continue
            }
            let required = (writes[read.target] ?? []).filter { $0.at <= cutoff }.map(\.seq).max() ?? 0
            if read.seq < required {
                found.append(
                    HistoryViolation(
                        kind: kind,
                        detail:
                            "session \(read.session) on \(read.database) read seq \(read.seq) of session \(read.target) at \(read.server ?? "?"), needed \(required)"
                    ))
            }
        }
        let staleness = eventualStaleness()
        let eventual = operations.filter { $0.kind == .read && $0.outcome == .ok && $0.level == "eventual" }
        for (read, stale) in zip(eventual, staleness) where stale > maxStaleness {
            found.append(
                HistoryViolation(
                    kind: .staleness,
                    detail:
                        "session \(read.session) on \(read.database) read at \(read.server ?? "?") was \(String(format: "%.3f", stale)) s stale"
                ))
        }
        if let survivors {
            for (session, acks) in writes.sorted(by: { $0.key < $1.key }) {
                let present = survivors[session] ?? []
                for ack in acks where !present.contains(ack.seq) {
                    found.append(HistoryViolation(kind: .lostWrite, detail: "session \(session) seq \(ack.seq) acknowledged, then gone"))
                }
            }
        }
        return found
    }
}
