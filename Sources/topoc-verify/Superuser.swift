import Foundation
import Logging
import PostgresNIO
import TopologyClient
import TopologyRuntime

/// One superuser connection, for setup and fault injection only (the load runs as the application role).
enum Superuser {
    static func run(
        _ spec: VerifySpec, tls: EndpointTLS, host: String, port: Int, database: String,
        _ body: (PostgresConnection) async throws -> Void
    ) async throws {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: "postgres", password: spec.superuserPassword, database: database,
            tls: tls.connection(.members))
        configuration.options.connectTimeout = .seconds(3)  // NIO TimeAmount
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: 1, logger: Logger(label: "topoc.verify"))
        do {
            try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
