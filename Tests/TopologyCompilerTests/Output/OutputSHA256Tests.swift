import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// The manifest's SHA-256 against known answers (FIPS 180-4 examples) and against sha256sum
/// on lengths around the padding boundaries.
struct OutputSHA256Tests {
    @Test("SHA-256 matches the standard test vectors")
    func knownAnswers() {
        #expect(OutputSHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(OutputSHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            OutputSHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            OutputSHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(
            OutputSHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000])
    func agreesWithSha256sum(length: Int) throws {
        let program = "/usr/bin/sha256sum"
        guard FileManager.default.isExecutableFile(atPath: program) else { return }
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-sha-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = Subprocess.run([program, file.path], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 0)
        #expect(result.output.split(separator: " ").first.map(String.init) == OutputSHA256.hex(bytes))
    }

    /// The digest of bytes given in pieces (a file read in chunks) is the digest of the whole,
    /// however the pieces fall around the 64-byte blocks.
    @Test(arguments: [0, 1, 63, 64, 65, 200, 4_097])
    func piecesGiveTheDigestOfTheWhole(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 17) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var hasher = OutputSHA256.Hasher()
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
