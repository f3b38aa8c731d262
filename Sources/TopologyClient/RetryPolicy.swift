/// How the client retries across a failover.
///
/// Reads are retried on connection errors and on a server that is shutting down or recovering.
/// A write transaction is retried (its body run again) only when it is known not to have
/// committed: the connection failed before COMMIT was sent, or the server refused a statement
/// (a demoted leader's `read_only_sql_transaction`, a shutdown, a serialization failure). A
/// connection that breaks while COMMIT is in flight throws
/// ``TopologyClientError/commitOutcomeUnknown(database:underlying:)`` and is never retried.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per call, the first included.
    public var attempts: Int
    /// The pause before the first retry; doubled each time up to `maxBackoff`.
    public var backoff: Duration
    /// The longest pause.
    public var maxBackoff: Duration
    /// No attempt starts after this much time since the call began (a failover that takes longer
    /// is reported as ``TopologyClientError/retriesExhausted(database:attempts:last:)``).
    public var giveUpAfter: Duration

    /// Creates a policy.
    public init(
        attempts: Int = 20, backoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(1),
        giveUpAfter: Duration = .seconds(40)
    ) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.giveUpAfter = giveUpAfter
    }

    /// The pause before retry number `retry` (1-based).
    func pause(before retry: Int) -> Duration {
        var pause = backoff
        for _ in 1..<max(1, retry) where pause < maxBackoff { pause = pause * 2 }
        return min(pause, maxBackoff)
    }

    /// SQLSTATEs after which the statement did not take effect and another attempt may succeed:
    /// read-only transaction (a demoted leader), admin/crash shutdown, cannot connect now
    /// (starting or recovering), serialization failure and deadlock, the connection classes, and
    /// PgBouncer's `server conn crashed?` (08P01, the leader behind it died). On COMMIT these
    /// count only as an `ERROR`; a `FATAL` there leaves the outcome unknown (never retried).
    static let retryableStates: Set<String> = [
        "25006", "57P01", "57P02", "57P03", "40001", "40P01", "08006", "08003", "08001", "08P01",
    ]
}
