import Foundation
import PostgresNIO
import ShopRouting
import TopologyClient
import TopologyRuntime

// A small e-commerce flow through TopologyClient against a running deployment of
// Sources/ShopRouting/topology.yaml (`topoc up`): a product written to every shard (a reference
// table), an order placed on its user's shard (the generated router picks the shard), read back
// at read-your-writes, the product read at eventual on that shard, and the order absent from
// every other shard.
//
//   SHOP_PG_APP_PASSWORD=... swift run ShopFlow RUN/generated/routing.json [--user app] [--ca-file CA]

struct FlowError: Error, CustomStringConvertible {
    let description: String
}

/// The value after `name` on the command line.
func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    return arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}

func runFlow() async throws {
    guard CommandLine.arguments.count >= 2, !CommandLine.arguments[1].hasPrefix("-") else {
        throw FlowError(description: "usage: ShopFlow ROUTING_JSON [--user ROLE] [--ca-file CA] (password: SHOP_PG_APP_PASSWORD)")
    }
    guard let password = ProcessInfo.processInfo.environment["SHOP_PG_APP_PASSWORD"], !password.isEmpty else {
        throw FlowError(description: "SHOP_PG_APP_PASSWORD is not set (topoc up writes it to RUN/secrets.env)")
    }
    let topology = try ClientTopology.load(from: URL(fileURLWithPath: CommandLine.arguments[1]))
    var configuration = ClientConfiguration(username: option("--user") ?? "app", password: password)
    configuration.caFile = option("--ca-file")
    let client = try TopologyClient(topology: topology, configuration: configuration)
    let runner = Task { await client.run() }
    defer { runner.cancel() }

    // Wait until the monitor has seen every shard's leader.
    let clusters = topology.clusters.filter { $0.replicaReads != nil }.map(\.name)
    for attempt in 0... {
        await client.refreshHealth()
        if clusters.allSatisfy({ client.memberRoles(cluster: $0).contains { $0.role == .leader } }) { break }
        guard attempt < 150 else { throw FlowError(description: "no leader seen in every shard within 30 s") }
        try await Task.sleep(for: .milliseconds(200))
    }

    // The catalogue: a reference table, written on every shard.
    let productID: Int64 = 7
    for shard in Shop.products.shards {
        try await client.write(database: shard.database, session: ClientSession()) { connection in
            try await connection.query(
                "INSERT INTO products (product_id, name) VALUES (\(productID), 'desk lamp') ON CONFLICT (product_id) DO NOTHING",
                logger: connection.logger)
        }
    }

    // An order, on the shard that holds its user (orders are co-located with users).
    let userID: Int64 = 42
    let shard = Shop.users.shard(for: userID)
    let session = ClientSession()
    let orderID = Int64(Date().timeIntervalSince1970 * 1000)
    try await client.write(database: shard.database, session: session) { connection in
        try await connection.query(
            "INSERT INTO users (user_id, email) VALUES (\(userID), 'user42@example.com') ON CONFLICT (user_id) DO NOTHING",
            logger: connection.logger)
        try await connection.query(
            "INSERT INTO orders (order_id, user_id, product_id) VALUES (\(orderID), \(userID), \(productID))",
            logger: connection.logger)
    }

    // Read it back at read-your-writes: a replica only if it has replayed this session's commit.
    let (orders, orderRead) = try await client.read(database: shard.database, consistency: .readYourWrites, session: session) {
        connection in
        try await count(connection, userID: userID, orderID: orderID)
    }
    guard orders == 1 else { throw FlowError(description: "read-your-writes read of order \(orderID) found \(orders) rows") }
    print(
        "order \(orderID) of user \(userID) placed on shard \(shard.name) (\(shard.database)); "
            + "read back at read-your-writes on \(describe(orderRead.server))")

    // The product at eventual: any member within max_staleness, so a fresh write may not show yet.
    let deadline = ContinuousClock.now + client.maxStaleness * 2
    var product: (name: String?, server: ReadReport.Server)
    repeat {
        let (name, report) = try await client.read(database: shard.database, consistency: .eventual, session: ClientSession()) {
            connection in
            var name: String?
            for try await value in try await connection.query(
                "SELECT name FROM products WHERE product_id = \(productID)", logger: connection.logger
            ).decode(String.self) {
                name = value
            }
            return name
        }
        product = (name, report.server)
    } while product.name == nil && ContinuousClock.now < deadline
    guard let name = product.name else {
        throw FlowError(description: "product \(productID) not seen at eventual within twice max_staleness")
    }
    print("product \(productID) '\(name)' read at eventual on \(describe(product.server))")

    // The router placed the order on one shard only.
    for other in Shop.Shard.allCases where other != shard {
        let (elsewhere, _) = try await client.read(database: other.database, consistency: .strong, session: ClientSession()) {
            connection in
            try await count(connection, userID: userID, orderID: orderID)
        }
        guard elsewhere == 0 else { throw FlowError(description: "order \(orderID) is also on shard \(other.name)") }
    }
    print("order \(orderID) is on no other shard (\(Shop.Shard.allCases.count - 1) checked at strong)")
}

/// Where a read was served, for the log.
func describe(_ server: ReadReport.Server) -> String {
    switch server {
    case .leader: "the leader"
    case .replica(let member): "replica \(member)"
    case .readOnlyPool: "the read-only pool"
    case .checkedPool(let server): "replica \(server) (checked, through the read-only pool)"
    }
}

/// The number of rows of the order.
func count(_ connection: PostgresConnection, userID: Int64, orderID: Int64) async throws -> Int {
    var value = -1
    for try await count in try await connection.query(
        "SELECT count(*)::int FROM orders WHERE user_id = \(userID) AND order_id = \(orderID)", logger: connection.logger
    ).decode(Int.self) {
        value = count
    }
    return value
}

do {
    try await runFlow()
    print("shop flow: ok")
} catch {
    FileHandle.standardError.write(Data("shop flow: error: \(error)\n".utf8))
    exit(1)
}
