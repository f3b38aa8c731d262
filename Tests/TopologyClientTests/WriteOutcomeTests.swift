import Foundation
import PostgresNIO
import XCTest

@testable import TopologyClient

/// How a write's failure at COMMIT is reported, on PostgreSQL 15 (`TOPOC_PG_PORT`).
final class WriteOutcomeTests: XCTestCase {
    func testACommitAnsweredWithAnErrorIsAKnownRollbackNotAnUnknownOutcome() async throws {
        let (client, runner) = try TestServerClient.make(attemptTimeout: .seconds(5), giveUpAfter: .seconds(5))
        defer { runner.cancel() }
        let table = "topoc_client_deferred_\(UInt32.random(in: 0...UInt32.max))"
        try await client.write(database: "postgres", session: ClientSession()) { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (x int UNIQUE DEFERRABLE INITIALLY DEFERRED)"),
                logger: connection.logger)
        }
        let session = ClientSession()
        do {
            // Both inserts succeed; the deferred unique check fails at COMMIT with an ERROR (23505).
            try await client.write(database: "postgres", session: session) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) VALUES (1), (1)"), logger: connection.logger)
            }
            XCTFail("COMMIT fails")
        } catch let error as PSQLError {
            XCTAssertEqual(error.serverInfo?[.sqlState], "23505")
            XCTAssertTrue(TopologyClient.rolledBack(error), "an ERROR at COMMIT is a rollback")
        } catch {
            XCTFail("the server's error is rethrown as is (not commitOutcomeUnknown): \(error)")
        }
        XCTAssertTrue(session.token(on: "c").isEmpty, "nothing committed, the token stays empty")
        let rows = try await client.read(database: "postgres", consistency: .strong, session: session) { connection in
            var value = -1
            let result = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(table)"), logger: connection.logger)
            for try await count in result.decode(Int.self) { value = count }
            return value
        }.0
        XCTAssertEqual(rows, 0)
        try await client.write(database: "postgres", session: ClientSession()) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"), logger: connection.logger)
        }
    }
}
