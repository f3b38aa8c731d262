import Foundation
import PostgresNIO
import TopologyRuntime
import XCTest

@testable import TopologyClient

/// Attempts past ``ClientConfiguration/attemptTimeout`` on a real PostgreSQL 15 (the DDL tests'
/// server, `TOPOC_PG_PORT`, trust authentication): the call ends at the bound, the attempt's
/// connection is closed, and a write that timed out before COMMIT never commits.
final class AttemptTimeoutTests: XCTestCase {
    private var runner: Task<Void, Never>?

    override func tearDown() {
        runner?.cancel()
        super.tearDown()
    }

    private func client(attemptTimeout: Duration, giveUpAfter: Duration) throws -> TopologyClient {
        let (client, runner) = try TestServerClient.make(attemptTimeout: attemptTimeout, giveUpAfter: giveUpAfter)
        self.runner = runner
        return client
    }

    func count(_ client: TopologyClient, _ table: String) async throws -> Int {
        try await client.read(database: "postgres", consistency: .strong, session: ClientSession()) { connection in
            var value = -1
            for try await count in try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"), logger: connection.logger
            )
            .decode(Int.self) {
                value = count
            }
            return value
        }.0
    }

    func testAWriteThatCommitsRaisesTheSessionsToken() async throws {
        let client = try client(attemptTimeout: .seconds(5), giveUpAfter: .seconds(10))
        let table = "topoc_client_ok_\(UInt32.random(in: 0...UInt32.max))"
        let session = ClientSession()
        try await client.write(database: "postgres", session: session) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (x int)"), logger: connection.logger)
            try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1)"), logger: connection.logger)
        }
        XCTAssertFalse(session.token(on: "c").isEmpty, "the commit's position is the session's token")
        let rows = try await count(client, table)
        XCTAssertEqual(rows, 1)
        _ = try await client.write(database: "postgres", session: session) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"), logger: connection.logger)
        }
    }

    func testAWriteThatTimesOutBeforeCommitNeverCommits() async throws {
        let client = try client(attemptTimeout: .milliseconds(500), giveUpAfter: .seconds(2))
        let table = "topoc_client_timeout_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await client.write(database: "postgres", session: ClientSession()) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (x int)"), logger: connection.logger)
        }
        let started = ContinuousClock.now
        do {
            // Each attempt inserts, then sleeps past its timeout: COMMIT is never reached.
            try await client.write(database: "postgres", session: ClientSession()) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1)"), logger: connection.logger)
                try await connection.query("SELECT pg_sleep(3)", logger: connection.logger)
            }
            XCTFail("every attempt times out")
        } catch TopologyClientError.retriesExhausted(_, let attempts, let last) {
            XCTAssertGreaterThanOrEqual(attempts, 2, "timed-out attempts are retried")
            XCTAssertTrue(last.contains("no answer within"), last)
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertLessThan(elapsed, .seconds(5), "bounded by giveUpAfter plus one attempt, not by the server")
        // The closed connections' backends wake from pg_sleep, find the client gone and roll back.
        try await Task.sleep(for: .seconds(4))
        let rows = try await count(client, table)
        XCTAssertEqual(rows, 0, "no timed-out attempt committed")
        _ = try await client.write(database: "postgres", session: ClientSession()) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"), logger: connection.logger)
        }
    }

    func testAStrongReadThatHangsEndsAtTheRetryBudget() async throws {
        let client = try client(attemptTimeout: .milliseconds(300), giveUpAfter: .seconds(1))
        let started = ContinuousClock.now
        do {
            _ = try await client.read(database: "postgres", consistency: .strong, session: ClientSession()) { connection in
                try await connection.query("SELECT pg_sleep(5)", logger: connection.logger)
            }
            XCTFail("every attempt times out")
        } catch TopologyClientError.retriesExhausted(_, _, let last) {
            XCTAssertTrue(last.contains("no answer within"), last)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
    }
}
