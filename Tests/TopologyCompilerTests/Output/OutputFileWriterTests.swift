import Foundation
import Testing

@testable import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A staged file written in pieces: its bytes, digest and size are those of the pieces together;
/// starting again keeps only what follows; it is created only where nothing is, never through a
/// symbolic link; and a file left unfinished is removed.
struct OutputFileWriterTests {
    /// Pieces of several sizes: empty, one byte, around the reader's piece size.
    static let pieces: [[UInt8]] = [0, 1, OutputFileReader.chunkSize - 1, 0, OutputFileReader.chunkSize + 1, 1_000]
        .enumerated().map { index, length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) } }

    @Test("the pieces written are the file, its digest and its size")
    func piecesMakeTheFile() throws {
        try OutputFileReaderTests.withFolder { _, fd in
            let writer = try OutputFileWriter(creating: "f", in: fd)
            for piece in Self.pieces {
                var copy = piece
                try writer.write(&copy)
                #expect(copy.isEmpty)
            }
            let whole = Array(Self.pieces.joined())
            let digest = try writer.finish(flush: true)
            #expect(digest == OutputSHA256.hex(whole))
            #expect(writer.size == whole.count)
            #expect(try OutputFileSystem.readFile("f", in: fd) == whole)
        }
    }

    @Test("starting again keeps only what is written afterwards")
    func restartEmptiesTheFile() throws {
        try OutputFileReaderTests.withFolder { _, fd in
            let writer = try OutputFileWriter(creating: "f", in: fd)
            var first = Array(repeating: UInt8(ascii: "x"), count: 100_000)
            try writer.write(&first)
            try writer.restart()
            var second = Array("{}\n".utf8)
            try writer.write(&second)
            #expect(try writer.finish(flush: false) == OutputSHA256.hex(Array("{}\n".utf8)))
            #expect(writer.size == 3)
            #expect(try OutputFileSystem.readFile("f", in: fd) == Array("{}\n".utf8))
        }
    }

    @Test("an existing file, a symbolic link or a dangling one is refused, and left as it was")
    func createdOnlyWhereNothingIs() throws {
        try OutputFileReaderTests.withFolder { base, fd in
            try OutputTestKit.put(base, "taken", "keep")
            try OutputTestKit.put(base, "target", "target")
            try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("link").path, withDestinationPath: "target")
            try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("dangling").path, withDestinationPath: "nowhere")
            for name in ["taken", "link", "dangling"] {
                #expect(OutputFileReaderTests.errorCode { try OutputFileWriter(creating: name, in: fd) } == EEXIST, "\(name)")
            }
            #expect(OutputTestKit.text(base, "taken") == "keep")
            #expect(OutputTestKit.text(base, "target") == "target")
            #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("nowhere").path))
        }
    }

    @Test("a file not finished is removed when its writer goes")
    func unfinishedFileRemoved() throws {
        try OutputFileReaderTests.withFolder { base, fd in
            do {
                let writer = try OutputFileWriter(creating: "f", in: fd)
                var piece = Array("partial".utf8)
                try writer.write(&piece)
                #expect(OutputTestKit.exists(base, "f"))
            }
            #expect(!OutputTestKit.exists(base, "f"))
        }
    }
}
