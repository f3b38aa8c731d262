import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The passwords of a local deployment: each from its variable in `topoc up`'s environment when
/// set there, else random; kept in `RUN/secrets.env` (mode 0600) so a restart with kept data finds
/// the same ones, and handed to processes through the environment.
public struct LocalSecrets: Sendable, Equatable {
    /// Variable name to password.
    public var values: [String: String]

    /// Loads the file, adding a password for every variable of the plan it lacks (the variable's
    /// value in `environment` when set and not empty, else a random one), and writes it back
    /// (0600) when it changed. A password the file already holds is kept: the deployment's roles
    /// were given it.
    ///
    /// - Parameters:
    ///   - url: `RUN/secrets.env`.
    ///   - plan: The plan whose secrets are needed.
    ///   - environment: Where chosen passwords come from (`topoc up`'s environment).
    public static func loadOrCreate(
        at url: URL, plan: Plan, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LocalSecrets {
        var values = (try? String(contentsOf: url, encoding: .utf8)).map(parse) ?? [:]
        var changed = false
        for variable in variables(of: plan) where values[variable] == nil {
            if let chosen = environment[variable], !chosen.isEmpty {
                // A line of the file holds one password: no line breaks or other control characters.
                guard !chosen.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw LocalClusterError(
                        "\(variable) holds a control character (a line break, tab or NUL); a password must not: choose another, or unset it for a random one"
                    )
                }
                values[variable] = chosen
            } else {
                values[variable] = randomPassword()
            }
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
        // Shell-quoted, so that `set -a; . secrets.env` (docs/plugin.md) reads each password as it is.
        let text = values.keys.sorted().map { "\($0)=\(ShellQuoting.word(values[$0] ?? ""))" }.joined(separator: "\n") + "\n"
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
            let value = line[line.index(after: equals)...]
            values[String(line[..<equals])] = unquoted(value) ?? String(value)
        }
        return values
    }

    /// A value written by ``ShellQuoting/word(_:)`` (`'it'\''s'`), read back; nil when it is not
    /// one (a file written before values were quoted holds them bare).
    static func unquoted(_ word: Substring) -> String? {
        var scalars = word.unicodeScalars[...]
        var value = String.UnicodeScalarView()
        guard scalars.first == "'" else { return nil }
        while let first = scalars.first {
            if first == "'" {
                scalars = scalars.dropFirst()
                guard let end = scalars.firstIndex(of: "'") else { return nil }
                value.append(contentsOf: scalars[..<end])
                scalars = scalars[scalars.index(after: end)...]
            } else if first == "\\", scalars.dropFirst().first == "'" {
                value.append("'")
                scalars = scalars.dropFirst(2)
            } else {
                return nil
            }
        }
        return String(value)
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
