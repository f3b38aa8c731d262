import Foundation
import Testing

/// Keeps the compiler free of processes and sockets (#13 item 4): parsing, validation, planning,
/// the backends and migration planning only compute text. Running what they generate (`topoc up`,
/// `down`, `status`, `backup`, `restore`, `check --live`) is `TopologyLocalCluster`'s. This lint
/// scans every Swift file of `Sources/TopologyCompiler` (comment lines left out) for the process
/// and socket APIs that target uses and fails, with file and line, on any it finds.
@Suite("Process-free compiler lint")
struct ProcessFreeLintTests {
    /// The compiler folder could not be read.
    struct LintError: Error, CustomStringConvertible {
        let description: String
    }

    /// `Sources/TopologyCompiler`, found from this file's place in `Tests/`.
    static let compiler = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TopologyCompilerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("Sources/TopologyCompiler", isDirectory: true)

    /// The C calls that start, signal or wait for processes or open sockets, called bare or as
    /// `Glibc.`/`Darwin.` members; a method of another value (`.send(`) or a name that only ends
    /// in one (`resend(`) is not a match.
    static let systemCalls = [
        "socket", "connect", "bind", "listen", "accept", "send", "recv", "sendto", "recvfrom", "setsockopt", "getaddrinfo",
        "inet_pton", "kill", "fork", "vfork", "popen", "system", "waitpid", "execv", "execve", "execvp",
    ]

    /// The Foundation and POSIX names of processes, pipes, sockets and HTTP clients.
    static let names = [
        #"\bposix_spawn\w*"#, #"\bProcess\("#, #"\bFoundation\.Process\b"#, #"\bPipe\(\)"#, #"\bURLSession\b"#,
        #"\bsockaddr\w*"#, #"\bNWConnection\b"#,
    ]

    /// A system call (the character before it is captured so the match can be checked) or a name.
    static let pattern =
        #"(?:^|[^\w.])((?:Glibc\.|Darwin\.)?(?:"# + systemCalls.joined(separator: "|") + #")\()|("#
        + names.joined(separator: "|") + ")"

    /// The process and socket calls of a source text with their 1-based lines, comment lines
    /// (`//`, `///`) left out.
    static func calls(in text: String) throws -> [(line: Int, call: String)] {
        // Simple word boundaries: by Unicode's rules `URLSession.shared` is one word, with none after `URLSession`.
        let regex = try Regex(pattern).wordBoundaryKind(.simple)
        var found: [(line: Int, call: String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") else { continue }
            for match in line.matches(of: regex) {
                let call = match.output.dropFirst().compactMap { $0.substring }.first.map(String.init) ?? String(line[match.range])
                found.append((index + 1, call))
            }
        }
        return found
    }

    /// Every process or socket call of the compiler, as `file:line: call`.
    static func violations() throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: compiler, includingPropertiesForKeys: nil) else {
            throw LintError(description: "cannot list \(compiler.path)")
        }
        var violations: [String] = []
        let prefix = compiler.standardizedFileURL.path + "/"
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let file = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            let text = try String(contentsOf: url, encoding: .utf8)
            for (line, call) in try calls(in: text) {
                violations.append("Sources/TopologyCompiler/\(file):\(line): \(call)")
            }
        }
        return violations.sorted()
    }

    @Test("The compiler starts no process and opens no socket")
    func compilerIsProcessFree() throws {
        #expect(FileManager.default.fileExists(atPath: Self.compiler.path), "the compiler is at \(Self.compiler.path)")
        let violations = try Self.violations()
        #expect(
            violations.isEmpty,
            """
            process or socket calls in the compiler: code that runs processes, opens sockets or \
            makes HTTP requests belongs in Sources/TopologyLocalCluster:
            \(violations.joined(separator: "\n"))
            """)
    }

    @Test("The lint finds process and socket calls and passes over methods, comments and generated text")
    func scannerFindsCalls() throws {
        let source = """
            let process = Process()
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            if Glibc.connect(fd, pointer, length) != 0 { return }
            _ = kill(pid, SIGKILL)
            var actions = posix_spawn_file_actions_t()
            let session = URLSession.shared
            // kill(pid, SIGTERM) in a comment
            /// `socket(2)` in a doc comment
            channel.send(message)
            resend(message)
            sock = socket.socket(socket.AF_INET)
            """
        #expect(
            try Self.calls(in: source).map(\.call) == [
                "Process(", "socket(", "Glibc.connect(", "kill(", "posix_spawn_file_actions_t", "URLSession",
            ])
        #expect(try Self.calls(in: source).map(\.line) == [1, 2, 3, 4, 5, 6])
    }
}
