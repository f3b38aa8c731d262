import Foundation
import XCTest

@testable import TopologyClient

/// A TopologyClient on the DDL tests' PostgreSQL 15 (`TOPOC_PG_PORT`, trust authentication):
/// one cluster `c` whose database `postgres` is the server itself, no replicas.
enum TestServerClient {
    /// A client whose one cluster is the test server itself (no replicas).
    static func make(attemptTimeout: Duration, giveUpAfter: Duration) throws -> (TopologyClient, Task<Void, Never>) {
        let port = try serverPort()
        let json = """
            {"topology": "t", "pooler": {"host": "127.0.0.1", "port": \(port)},
             "clusters": [{"name": "c", "databases": [{"name": "postgres", "pool": "postgres", "readOnlyPool": "postgres"}]}]}
            """
        return try make(json, attemptTimeout: attemptTimeout, giveUpAfter: giveUpAfter)
    }

    /// The test server's port; a skip without it (a failure under `CI`).
    static func serverPort() throws -> Int {
        let environment = ProcessInfo.processInfo.environment
        guard let port = environment["TOPOC_PG_PORT"].flatMap({ Int($0) }) else {
            if environment["CI"] != nil { XCTFail("CI requires TOPOC_PG_PORT (scripts/pg-server.sh start)") }
            throw XCTSkip("TOPOC_PG_PORT is not set: run `eval \"$(scripts/pg-server.sh start)\"` first")
        }
        return port
    }

    /// A client of the deployment `routing` describes (as the trusted superuser `postgres`).
    static func make(_ routing: String, attemptTimeout: Duration, giveUpAfter: Duration) throws -> (TopologyClient, Task<Void, Never>) {
        let json = routing
        let topology = try JSONDecoder().decode(ClientTopology.self, from: Data(json.utf8))
        var configuration = ClientConfiguration(username: "postgres", password: "unused")
        configuration.attemptTimeout = attemptTimeout
        configuration.retry = RetryPolicy(
            attempts: 50, backoff: .milliseconds(50), maxBackoff: .milliseconds(100), giveUpAfter: giveUpAfter)
        let client = try TopologyClient(topology: topology, configuration: configuration)
        return (client, Task { await client.run() })
    }
}
