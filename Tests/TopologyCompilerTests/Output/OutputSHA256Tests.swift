import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// The manifest's SHA-256 against known answers (FIPS 180-4 examples) and against sha256sum
/// on lengths around the padding boundaries, on both compression functions: Swift's and the
/// processor's SHA extensions (where this machine has them).
struct OutputSHA256Tests {
    /// The compression functions this machine runs: Swift's always, SHA-NI where present.
    static let paths: [Bool] = OutputSHA256.isAccelerated ? [false, true] : [false]

    /// The hex digest of `bytes` on one path, given in one piece.
    static func hex(_ bytes: [UInt8], accelerated: Bool) -> String {
        var hasher = OutputSHA256.Hasher(accelerated: accelerated)
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finishHex()
    }

    @Test("SHA-256 matches the standard test vectors", arguments: paths)
    func knownAnswers(accelerated: Bool) {
        let answers: [([UInt8], String)] = [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                [UInt8](repeating: UInt8(ascii: "a"), count: 1_000),
                "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
            ),
            (
                [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
            ),
        ]
        for (message, digest) in answers {
            #expect(Self.hex(message, accelerated: accelerated) == digest, "\(message.count) bytes")
        }
        #expect(OutputSHA256.hex(Array("abc".utf8)) == answers[1].1)
    }

    /// The kernel and the CPUID test agree on whether this processor has the SHA extensions, so
    /// a machine that has them hashes on them.
    @Test func acceleratedWhereTheProcessorHasSHAExtensions() throws {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
        #if arch(x86_64)
            let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
            let sha = flags.split(separator: " ").contains("sha_ni")
            #expect(OutputSHA256.isAccelerated == sha)
        #else
            #expect(!OutputSHA256.isAccelerated)
        #endif
    }

    /// Both compression functions agree on a megabyte of varied bytes, given in pieces.
    @Test func pathsAgree() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<1_000_003).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let digests = Self.paths.map { accelerated in
            var hasher = OutputSHA256.Hasher(accelerated: accelerated)
            var offset = 0
            while offset < bytes.count {
                let piece = Int.random(in: 0...min(70_000, bytes.count - offset), using: &generator)
                bytes[offset..<offset + piece].withUnsafeBytes { hasher.update($0) }
                offset += piece
            }
            return hasher.finishHex()
        }
        #expect(Set(digests).count == 1)
        #expect(digests.first == Self.hex(bytes, accelerated: false))
    }

    @Test(arguments: [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_000])
    func agreesWithSha256sum(length: Int) throws {
        let program = "/usr/bin/sha256sum"
        guard FileManager.default.isExecutableFile(atPath: program) else { return }
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-sha-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = Subprocess.run([program, file.path], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0)
        for accelerated in Self.paths {
            #expect(result.output.split(separator: " ").first.map(String.init) == Self.hex(bytes, accelerated: accelerated))
        }
    }

    /// The digest of bytes given in pieces (a file read in chunks) is the digest of the whole,
    /// however the pieces fall around the 64-byte blocks.
    @Test(arguments: [0, 1, 63, 64, 65, 200, 4_097])
    func piecesGiveTheDigestOfTheWhole(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            var hasher = OutputSHA256.Hasher(accelerated: Self.paths[round % Self.paths.count])
            var offset = 0
            while offset < bytes.count {
                let piece = Int.random(in: 0...min(130, bytes.count - offset), using: &generator)
                bytes[offset..<offset + piece].withUnsafeBytes { hasher.update($0) }
                offset += piece
            }
            #expect(hasher.finishHex() == OutputSHA256.hex(bytes), "length \(length)")
        }
    }
}
