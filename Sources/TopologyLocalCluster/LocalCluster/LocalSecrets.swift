import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The passwords of a local deployment: random, kept in `RUN/secrets.env` (mode 0600) so a
/// restart with kept data finds the same ones, and handed to processes through the environment.
public struct LocalSecrets: Sendable, Equatable {
    /// Variable name to password.
    public var values: [String: String]

    /// Loads the file, adding a fresh password for every variable of the plan it lacks, and
    /// writes it back (0600) when it changed.
    public static func loadOrCreate(at url: URL, plan: Plan) throws -> LocalSecrets {
        var values = (try? String(contentsOf: url, encoding: .utf8)).map(parse) ?? [:]
        var changed = false
        for variable in variables(of: plan) where values[variable] == nil {
            values[variable] = randomPassword()
            changed = true
        }
        let secrets = LocalSecrets(values: values)
        if changed { try secrets.write(to: url) }
        return secrets
    }

    /// Reads the file, if it exists.
    public static func load(from url: URL) -> LocalSecrets? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return LocalSecrets(values: parse(text))
    }

    /// The secret variables a plan names, in a stable order.
    public static func variables(of plan: Plan) -> [String] {
        var seen: [String] = []
        let all =
            ClusterLayout.patroniEnvironment(plan).map(\.source) + ClusterLayout.loginSecrets(plan).map(\.variable)
            + ClusterLayout.poolerSecrets(plan).map(\.variable)
        for name in all where !seen.contains(name) {
            seen.append(name)
        }
        return seen
    }

    /// The environment Patroni needs: its own variables, plus the login roles' passwords that
    /// post_bootstrap sets (and make-peer-pgpass.sh reads).
    public func patroniEnvironment(_ plan: Plan) -> [String: String] {
        var environment: [String: String] = [:]
        for (patroni, source) in ClusterLayout.patroniEnvironment(plan) { environment[patroni] = values[source] }
        for secret in ClusterLayout.loginSecrets(plan) { environment[secret.variable] = values[secret.variable] }
        return environment
    }

    /// The environment of `make-userlist.sh`: PgBouncer's own two users.
    public func userlistEnvironment(_ plan: Plan) -> [String: String] {
        var environment: [String: String] = [:]
        for secret in ClusterLayout.poolerSecrets(plan) { environment[secret.variable] = values[secret.variable] }
        return environment
    }

    /// Writes `NAME=value` lines, created with mode 0600 before any byte is written.
    func write(to url: URL) throws {
        let text = values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: "\n") + "\n"
        let temporary = url.path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LocalClusterError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count, rename(temporary, url.path) == 0 else {
            throw LocalClusterError("cannot write \(url.path)")
        }
    }

    private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(descriptor, pointer, count)
        #else
            Darwin.write(descriptor, pointer, count)
        #endif
    }

    private static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    /// 32 random characters from a URL-safe alphabet (about 190 bits).
    static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

/// An error of the local cluster engine, with a message for the user.
public struct LocalClusterError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
