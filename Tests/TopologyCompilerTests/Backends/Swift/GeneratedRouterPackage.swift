import Foundation
import TopologyRuntime

@testable import TopologyCompiler

/// Builds generated router files in a throwaway SwiftPM package together with a copy of
/// `TopologyRuntime`, with warnings as errors, and runs a main that routes 100,000 keys.
struct GeneratedRouterPackage {
    /// The number of keys each main routes.
    static let keyCount = 100_000

    /// One example compiled into the package.
    struct Member {
        /// The example's file name.
        let example: String
        /// The plans for every target (compose first).
        let plans: [Plan]
        /// The executable target's name.
        let target: String
    }

    /// The package's folder.
    let directory: URL
    /// The examples in it.
    let members: [Member]

    /// The key of index `i` in the Swift type of `keyType`, as Swift source and as a value.
    static func keySource(_ keyType: ShardKeyType) -> String {
        switch keyType {
        case .smallint: "Int16(truncatingIfNeeded: i &* 10 &- 100)"
        case .integer: "Int32(i) &* 10 &- 100"
        case .text: "\"k\\(i)\""
        case .bigint: "Int64(i) &* 10 &- 100"
        }
    }

    /// The key of index `i` as a `ShardKeyValue`, matching `keySource(_:)`.
    static func key(_ i: Int, keyType: ShardKeyType) -> ShardKeyValue {
        switch keyType {
        case .smallint: .int2(Int16(truncatingIfNeeded: i &* 10 &- 100))
        case .integer: .int4(Int32(i) &* 10 &- 100)
        case .text: .text("k\(i)")
        case .bigint: .int8(Int64(i) &* 10 &- 100)
        }
    }

    /// Writes the package for `examples` under a new temporary folder.
    static func make(examples: [String]) throws -> GeneratedRouterPackage {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("topoc-swiftgen-\(UUID().uuidString)", isDirectory: true)
        let runtime = PlanTestSupport.repository.appendingPathComponent("Sources/TopologyRuntime")
        let sources = directory.appendingPathComponent("Sources")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: runtime, to: sources.appendingPathComponent("TopologyRuntime"))
        var members: [Member] = []
        for (index, example) in examples.enumerated() {
            let plans = try DeploymentTarget.allCases.compactMap { try plan(example, target: $0) }
            guard let plan = plans.first, let artifact = SwiftRouterBackend().artifacts(for: plans).first else {
                throw GenerationFailure(message: "\(example) does not plan")
            }
            let target = "Router\(index)"
            let folder = sources.appendingPathComponent(target)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(artifact.contents).write(
                to: folder.appendingPathComponent(artifact.path.split(separator: "/").last.map(String.init) ?? "Gen.swift"))
            try Data(mainSource(plan: plan).utf8).write(to: folder.appendingPathComponent("main.swift"))
            members.append(Member(example: example, plans: plans, target: target))
        }
        let tables = sources.appendingPathComponent(packedTablesTarget)
        try FileManager.default.createDirectory(at: tables, withIntermediateDirectories: true)
        try Data(packedTablesSource().utf8).write(to: tables.appendingPathComponent("main.swift"))
        let products = (members.map(\.target) + [packedTablesTarget]).map {
            "        .executableTarget(name: \"\($0)\", dependencies: [\"TopologyRuntime\"]),"
        }
        let manifest = """
            // swift-tools-version: 6.1
            import PackageDescription

            let package = Package(
                name: "GeneratedRouters",
                platforms: [.macOS(.v14)],
                targets: [
                    .target(name: "TopologyRuntime"),
            \(products.joined(separator: "\n"))
                ]
            )

            """
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("Package.swift"))
        return GeneratedRouterPackage(directory: directory, members: members)
    }

    /// Plans an example; `NAME.yaml#ring` is the example with its within-region strategy
    /// switched to consistent hashing, `NAME.yaml#no-frontend` the example with no frontend for
    /// its last cluster in the compose plan (the router's endpoints are then optional),
    /// `saas-schema-per-tenant.yaml#member-names` the example with its tenants named after every
    /// member of the generated enums (`by_index`, `make_names`).
    static func plan(_ example: String, target: DeploymentTarget) throws -> Plan? {
        let parts = example.split(separator: "#").map(String.init)
        var text = try String(contentsOf: PlanTestSupport.exampleURL(parts[0]), encoding: .utf8)
        if parts.dropFirst().contains("ring") {
            text = text.replacingOccurrences(of: "within: jump-hash", with: "within: consistent-hash")
        }
        if parts.dropFirst().contains("member-names") {
            // Tenants named after every member of the generated enums: each case must get a number.
            // Each tenant's login role has pools of its own, hence the larger max_connections.
            let names = SwiftRouterRenderer.enumMemberNames.sorted().map(snakeCase)
            text = text.replacingOccurrences(of: "tenants: [acme, globex, umbrella]", with: "tenants: [\(names.joined(separator: ", "))]")
                .replacingOccurrences(of: "max_connections: 500 ", with: "max_connections: 5000 ")
        }
        if parts.dropFirst().contains("no-frontend"), target == .compose {
            var plan = PlanTestSupport.plan(text, target: target, file: "examples/\(parts[0])")
            plan?.pooler.frontends.removeLast()
            return plan
        }
        // The kubernetes target may refuse an example (TKS); the router then leaves that target out.
        if target == .kubernetes {
            return CompilerDriver.compile(bytes: Array(text.utf8), file: "examples/\(parts[0])", target: target).plan
        }
        return PlanTestSupport.plan(text, target: target, file: "examples/\(parts[0])")
    }

    /// A main that prints one line per key: the shard's index (or -1), then one per cluster (its
    /// name, member counts, poolers, read-write and read-only endpoints per target), shard (name,
    /// database, cluster) and tenant (name).
    static func mainSource(plan: Plan) -> String {
        let namespace = SwiftIdentifier.upperCamel(plan.topology)
        var lines = ["import TopologyRuntime", ""]
        if let sharding = plan.sharding, let table = plan.tables.first(where: { $0.placement == .sharded }) {
            let entry = SwiftIdentifier.lowerCamel(table.name)
            let key = keySource(sharding.keyType)
            let regions = "\(namespace).Region.allCases"
            let call: String
            switch sharding.strategy {
            case .geographic:
                call = "\(namespace).\(entry).shard(for: \(key), in: \(regions)[i % \(regions).count])"
            case .composite:
                call = "\(namespace).\(entry).shard(for: \(key), in: \(regions)[i % \(regions).count])"
            case .hashModulo, .consistentHash, .jumpHash, .range:
                call = "\(namespace).\(entry).shard(for: \(key))"
            }
            lines += [
                "var output = \"\"",
                "output.reserveCapacity(\(keyCount * 4))",
                "for i in 0..<\(keyCount) {",
                "    let shard: \(namespace).Shard? = \(call)",
                "    output += String(shard?.rawValue ?? -1)",
                "    output += \"\\n\"",
                "}",
                "print(output, terminator: \"\")",
            ]
        }
        lines += [
            "func text(_ endpoint: Endpoint?) -> String { endpoint.map { \"\\($0.host):\\($0.port)\" } ?? \"nil\" }",
            "func text(_ member: ClusterMember) -> String {",
            "    let flags = (member.isBootstrapLeader ? \"L\" : \"-\") + (member.canBePromoted ? \"P\" : \"-\")",
            "    return \"\\(member.name)@\\(text(member.endpoint))/\\(member.region ?? \"-\")/\\(flags)\"",
            "}",
            "let deployments = \(namespace).Deployment.allCases",
            "for cluster in \(namespace).Cluster.allCases {",
            "    let members = deployments.map { cluster.members(in: $0).map { text($0) }.joined(separator: \";\") }.joined(separator: \"|\")",
            "    let poolers = deployments.map { text(cluster.pooler(in: $0)) }.joined(separator: \",\")",
            "    let readWrite = deployments.map { text(cluster.readWriteEndpoint(in: $0)) }.joined(separator: \",\")",
            "    let readOnly = deployments.map { text(cluster.readOnlyEndpoint(in: $0)) }.joined(separator: \",\")",
            "    print(\"cluster \\(cluster.name) \\(members) \\(poolers) \\(readWrite) \\(readOnly)\")",
            "}",
        ]
        if plan.sharding != nil {
            lines += [
                "for shard in \(namespace).Shard.allCases {",
                "    print(\"shard \\(shard.name) \\(shard.database) \\(shard.cluster.name)\")",
                "}",
            ]
        }
        if plan.tenancy != nil {
            lines += ["for tenant in \(namespace).Tenant.allCases {", "    print(\"tenant \\(tenant.name)\")", "}"]
        }
        // Each enum's `init?(rawValue:)` and `init?(name:)` find every case, and nothing beyond
        // them (the program stops with a non-zero status otherwise).
        var enums = ["Cluster"]
        if plan.sharding != nil { enums.append("Shard") }
        if !plan.regions.isEmpty { enums.append("Region") }
        if plan.tenancy != nil { enums.append("Tenant") }
        for type in enums {
            let all = "\(namespace).\(type).allCases"
            lines += [
                "for (index, value) in \(all).enumerated() {",
                "    precondition(\(namespace).\(type)(rawValue: index) == value && value.rawValue == index)",
                "    precondition(\(namespace).\(type)(name: value.name) == value)",
                "}",
                "precondition(\(namespace).\(type)(rawValue: -1) == nil && \(namespace).\(type)(rawValue: \(all).count) == nil)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The executable target that reads hostile strings back from tables the Swift backend packed.
    static let packedTablesTarget = "PackedTables"

    /// Strings that a Swift string literal, a line break or the packed tokens' syntax would read
    /// differently if the tokens were not encoded.
    static let hostileStrings: [String] = [
        "", " ", "a b", "line\nbreak", "cr\r\n", "tab\t", "quote\"", "\"\"\"", "back\\slash", "\\(interpolation)",
        "#\"raw\"#", "%", "%25", "%nil", "%empty", "nul\u{0}byte", "ünïcødé 🐘", "/*", "\u{7F}", "shard-s0",
    ]

    /// A main with the hostile strings in a table of strings and one of optional strings (with
    /// `nil`s between), written by ``SwiftSourceWriter/packedTable(_:_:)``; it prints each entry's
    /// UTF-8 bytes in hexadecimal, `nil` as `nil`.
    static func packedTablesSource() -> String {
        var out = SwiftSourceWriter()
        out.line("import TopologyRuntime")
        out.line()
        out.block("enum Hostile") { out in
            out.packedTable("strings", .strings(hostileStrings))
            out.packedTable("optionals", .optionalStrings(hostileStrings.flatMap { [$0, nil] }))
            out.block("static func printAll()") { out in
                out.line("for value in strings { print(hex(value)) }")
                out.line("for value in optionals { print(hex(value)) }")
            }
        }
        out.line("func hex(_ value: String?) -> String {")
        out.line("    value.map { $0.utf8.map { String($0, radix: 16) }.joined(separator: \" \") } ?? \"nil\"")
        out.line("}")
        out.line("Hostile.printAll()")
        return out.text
    }

    /// The lines ``packedTablesSource()`` must print.
    static var packedTablesExpected: [String] {
        func hex(_ value: String?) -> String {
            value.map { $0.utf8.map { String($0, radix: 16) }.joined(separator: " ") } ?? "nil"
        }
        return hostileStrings.map(hex) + hostileStrings.flatMap { [hex($0), hex(nil)] }
    }

    /// `swift build` with warnings as errors; returns the combined output and exit status.
    func build() throws -> (status: Int32, output: String) {
        try Self.run(
            "/usr/bin/env",
            ["swift", "build", "--package-path", directory.path, "-Xswiftc", "-warnings-as-errors"])
    }

    /// Runs a built main and returns its standard output lines.
    func run(_ member: Member) throws -> [Substring] {
        try run(target: member.target)
    }

    /// Runs the built executable `target` and returns its standard output lines.
    func run(target: String) throws -> [Substring] {
        let executable = directory.appendingPathComponent(".build/debug/\(target)").path
        let result = try Self.run(executable, [])
        guard result.status == 0 else {
            throw GenerationFailure(message: "\(target) exited \(result.status): \(result.output)")
        }
        return result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    }

    /// Removes the package.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a program, capturing standard output and error together.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `snake_case` of a `lowerCamel` name (`byIndex` -> `by_index`).
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A generated package that could not be made or run.
struct GenerationFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
