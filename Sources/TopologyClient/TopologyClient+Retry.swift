import PostgresNIO

extension TopologyClient {
    /// Runs `attempt` until it succeeds, fails with an error that is not retryable, or the retry
    /// policy's attempts or ``RetryPolicy/giveUpAfter`` run out.
    func withRetries<Result>(database: String, _ attempt: () async throws -> Result) async throws -> Result {
        let policy = configuration.retry
        let started = ContinuousClock.now
        var lastError = ""
        var made = 0
        for number in 1...policy.attempts {
            if number > 1 {
                guard ContinuousClock.now - started < policy.giveUpAfter else { break }
                try await Task.sleep(for: policy.pause(before: number - 1))
            }
            made = number
            do {
                return try await attempt()
            } catch {
                guard Self.isRetryable(error) else { throw error }
                lastError = String(reflecting: error)
            }
        }
        throw TopologyClientError.retriesExhausted(database: database, attempts: made, last: lastError)
    }

    /// Runs `body` on a connection leased from `client`, within ``ClientConfiguration/attemptTimeout``
    /// (or `limit`): past it the connection is closed and ``TopologyClientError/timedOut(after:)`` thrown.
    func onConnection<Result: Sendable>(
        _ client: PostgresClient, limit: Duration? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let attempt = AttemptConnection()
        return try await withDeadline(limit ?? configuration.attemptTimeout, aborting: attempt) {
            try await client.withConnection { connection in
                try attempt.hold(connection)
                defer { attempt.release() }
                return try await body(connection)
            }
        }
    }

    /// Whether `error` leaves nothing committed and another attempt may succeed: a connection
    /// that could not be made or broke outside COMMIT, an attempt past its timeout (its
    /// connection closed before COMMIT), or a server refusal listed in
    /// ``RetryPolicy/retryableStates``.
    static func isRetryable(_ error: any Error) -> Bool {
        if case TopologyClientError.timedOut = error { return true }
        guard let error = error as? PSQLError else {
            return !(error is TopologyClientError) && !(error is CancellationError)
        }
        switch error.code {
        case .server:
            return error.serverInfo?[.sqlState].map { RetryPolicy.retryableStates.contains($0) } ?? false
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return true
        default:
            return false
        }
    }
}
