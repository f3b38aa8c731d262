import Foundation
import PostgresNIO
import TopologyRuntime
import XCTest

@testable import TopologyClient

/// A cluster's own pooler (`routing.json`'s `clusters[].pooler`, each cluster's Pooler on
/// Kubernetes) serves its databases, not the top-level `pooler` (there the first cluster's):
/// on PostgreSQL 15, with the top-level pooler a port nobody listens on.
final class ClusterPoolerTests: XCTestCase {
    func testEachClustersDatabasesGoThroughItsOwnPooler() async throws {
        let port = try TestServerClient.serverPort()
        let routing = """
            {"topology": "t", "pooler": {"host": "127.0.0.1", "port": 1},
             "clusters": [
               {"name": "first", "pooler": {"host": "127.0.0.1", "port": 1}, "databases": [{"name": "nowhere", "pool": "nowhere", "readOnlyPool": "nowhere"}]},
               {"name": "second", "pooler": {"host": "127.0.0.1", "port": \(port)}, "readOnlyPooler": {"host": "127.0.0.1", "port": \(port)},
                "databases": [{"name": "postgres", "pool": "postgres", "readOnlyPool": "postgres"}]}]}
            """
        let (client, runner) = try TestServerClient.make(routing, attemptTimeout: .seconds(3), giveUpAfter: .seconds(3))
        defer { runner.cancel() }
        let session = ClientSession()
        let written = try await client.write(database: "postgres", session: session) { connection in
            try await connection.query("SELECT 1", logger: connection.logger)
            return true
        }
        XCTAssertTrue(written)
        for consistency in [ConsistencyLevel.strong, .eventual] {
            let (port, report) = try await client.read(database: "postgres", consistency: consistency, session: session) { connection in
                var value = 0
                for try await port in try await connection.query("SELECT inet_server_port()", logger: connection.logger).decode(Int.self) {
                    value = port
                }
                return value
            }
            XCTAssertEqual(port, try TestServerClient.serverPort(), "\(consistency) read on \(report.server)")
        }
    }
}
