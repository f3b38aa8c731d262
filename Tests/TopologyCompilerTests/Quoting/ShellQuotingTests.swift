import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// ShellQuoting: what `/bin/sh` reads back from a quoted word is the value, byte for byte.
@Suite("Quoting: shell")
struct ShellQuotingTests {
    @Test func singleQuotedWords() {
        #expect(ShellQuoting.word("plain") == "'plain'")
        #expect(ShellQuoting.word("") == "''")
        #expect(ShellQuoting.word("it's") == "'it'\\''s'")
        #expect(ShellQuoting.word("$(x)`y`\"z\"\n") == "'$(x)`y`\"z\"\n'")
    }

    /// One script prints every quoted word between markers; /bin/sh (dash on Debian) must print
    /// back exactly the values, run nothing (no `pwned` file appears) and expand nothing.
    @Test func shReadsEveryWordBackByteForByte() throws {
        guard let sh = QuotingTestSupport.program("/bin/sh") else { return }
        let folder = try QuotingTestSupport.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let values = QuotingTestSupport.hostile
        let script = values.map { "printf '%s\\000' \(ShellQuoting.word($0))" }.joined(separator: "\n") + "\n"
        let path = folder.appendingPathComponent("words.sh")
        try Data(script.utf8).write(to: path)
        let result = Subprocess.run(
            [sh, path.path], environment: ["PATH": "/usr/bin:/bin", "HOME": "/home/nobody", "SECRET": "leaked"], directory: folder,
            timeout: 30)
        #expect(result.status == 0, "\(result.error)")
        let printed = result.output.split(separator: "\u{0}", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(printed.count == values.count)
        for (value, read) in zip(values, printed) {
            #expect(Array(read.utf8) == Array(value.utf8), "\(value.debugDescription) came back as \(read.debugDescription)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("pwned").path), "a quoted word ran a command")
    }

    /// As an argument of `sh -c`, the form the compose file uses for a member's start command.
    @Test func shDashCReadsAWordBack() throws {
        guard let sh = QuotingTestSupport.program("/bin/sh") else { return }
        let folder = try QuotingTestSupport.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for value in ["x$(touch pwned)", "run\nauth_type = trust", "it's `id`"] {
            let result = Subprocess.run(
                [sh, "-c", "printf '%s' \(ShellQuoting.word(value))"], environment: ["PATH": "/usr/bin:/bin"], directory: folder,
                timeout: 30)
            #expect(result.status == 0 && result.output == value, "\(value.debugDescription): \(result.output.debugDescription)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("pwned").path))
    }
}
