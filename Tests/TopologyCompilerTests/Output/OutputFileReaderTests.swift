import Foundation
import Testing

@testable import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files compared and fingerprinted in pieces (what the writer's checks and the staging use for
/// files already on disk): the same answers as reading them whole, around the piece boundaries,
/// and the same refusals (a symbolic link, a directory).
struct OutputFileReaderTests {
    /// Lengths around the piece size, and empty.
    static let lengths = [0, 1, OutputFileReader.chunkSize - 1, OutputFileReader.chunkSize, OutputFileReader.chunkSize + 1, 200_003]

    static func bytes(_ length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    }

    /// Runs `body` with a scratch folder and its descriptor.
    static func withFolder(_ body: (URL, Int32) throws -> Void) throws {
        try OutputTestKit.withScratch { base in
            let fd = open(base.path, O_RDONLY | O_DIRECTORY)
            #expect(fd >= 0)
            defer { close(fd) }
            try body(base, fd)
        }
    }

    @Test(arguments: lengths)
    func digestOfAFileIsTheDigestOfItsBytes(length: Int) throws {
        try Self.withFolder { base, fd in
            let bytes = Self.bytes(length)
            try Data(bytes).write(to: base.appendingPathComponent("f"))
            #expect(try OutputFileSystem.sha256Hex(ofFile: "f", in: fd) == OutputSHA256.hex(bytes))
            #expect(try OutputFileSystem.readFile("f", in: fd) == bytes)
        }
    }

    /// One byte changed at the start, at each piece boundary and at the end, or one byte more:
    /// never the same; the unchanged copy: the same.
    @Test(arguments: lengths)
    func everyDifferenceIsFound(length: Int) throws {
        try Self.withFolder { base, fd in
            let bytes = Self.bytes(length)
            try Data(bytes).write(to: base.appendingPathComponent("a"))
            try Data(bytes).write(to: base.appendingPathComponent("same"))
            #expect(try OutputFileSystem.fileHolds(bytes, name: "a", in: fd))
            #expect(try OutputFileSystem.sameContents("a", in: fd, as: "same", in: fd))

            let chunk = OutputFileReader.chunkSize
            let positions = Set([0, chunk - 1, chunk, chunk + 1, length - 1].filter { $0 >= 0 && $0 < length })
            for position in positions.sorted() {
                var changed = bytes
                changed[position] ^= 0x01
                try Data(changed).write(to: base.appendingPathComponent("b"))
                #expect(try !OutputFileSystem.fileHolds(changed, name: "a", in: fd), "byte \(position)")
                #expect(try !OutputFileSystem.fileHolds(bytes, name: "b", in: fd), "byte \(position)")
                #expect(try !OutputFileSystem.sameContents("a", in: fd, as: "b", in: fd), "byte \(position)")
            }
            let longer = bytes + [0]
            try Data(longer).write(to: base.appendingPathComponent("c"))
            #expect(try !OutputFileSystem.fileHolds(longer, name: "a", in: fd))
            #expect(try !OutputFileSystem.fileHolds(bytes, name: "c", in: fd))
            #expect(try !OutputFileSystem.sameContents("a", in: fd, as: "c", in: fd))
        }
    }

    /// The `errno` that `body` fails with, or `nil` if it does not fail.
    static func errorCode(_ body: () throws -> Any) -> Int32? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? OutputSystemError)?.code
        }
    }

    @Test func aSymbolicLinkOrADirectoryIsRefused() throws {
        try Self.withFolder { base, fd in
            try Data("x".utf8).write(to: base.appendingPathComponent("target"))
            try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("link").path, withDestinationPath: "target")
            try FileManager.default.createDirectory(at: base.appendingPathComponent("folder"), withIntermediateDirectories: false)
            #expect(Self.errorCode { try OutputFileSystem.sha256Hex(ofFile: "link", in: fd) } == ELOOP)
            #expect(Self.errorCode { try OutputFileSystem.fileHolds(Array("x".utf8), name: "link", in: fd) } == ELOOP)
            #expect(Self.errorCode { try OutputFileSystem.sameContents("target", in: fd, as: "link", in: fd) } == ELOOP)
            #expect(Self.errorCode { try OutputFileSystem.sha256Hex(ofFile: "folder", in: fd) } == EINVAL)
            #expect(Self.errorCode { try OutputFileSystem.sha256Hex(ofFile: "missing", in: fd) } == ENOENT)
        }
    }
}
