/// Why a `TopologyClient` call failed.
public enum TopologyClientError: Error, Sendable, CustomStringConvertible {
    /// The deployment has no such database.
    case unknownDatabase(String)
    /// The connection broke while COMMIT was in flight: the transaction may or may not have
    /// committed. The client never retries such a write; the caller must find out (for example
    /// by reading back an idempotency key at `strong`) before writing again.
    case commitOutcomeUnknown(database: String, underlying: String)
    /// Every attempt failed with a retryable error (nothing was committed), or the policy's
    /// ``RetryPolicy/giveUpAfter`` passed.
    case retriesExhausted(database: String, attempts: Int, last: String)
    /// One attempt took longer than ``ClientConfiguration/attemptTimeout``; its connection was
    /// closed (a write that had not sent COMMIT did not commit and is retried).
    case timedOut(after: Duration)
    /// `routing.json` names the endpoint `verify-full` and ``ClientConfiguration/caFile`` is unset.
    case missingCertificateAuthority(String)
    /// A server answered a query of the client's own with nothing it could read.
    case unexpectedAnswer(String)

    public var description: String {
        switch self {
        case .unknownDatabase(let name):
            "no database '\(name)' in the deployment"
        case .commitOutcomeUnknown(let database, let underlying):
            "write to '\(database)': the connection broke during COMMIT, outcome unknown (\(underlying))"
        case .retriesExhausted(let database, let attempts, let last):
            "'\(database)': \(attempts) attempts failed, nothing committed (last: \(last))"
        case .timedOut(let limit):
            "no answer within \(limit); the connection was closed"
        case .missingCertificateAuthority(let endpoint):
            "routing.json verifies the \(endpoint) endpoints (tls verify-full) and the configuration names no CA file (caFile)"
        case .unexpectedAnswer(let what):
            "unexpected answer: \(what)"
        }
    }
}
