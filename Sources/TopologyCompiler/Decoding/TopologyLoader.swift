import Foundation

/// The result of reading a topology file: the topology when it has no errors, and every diagnostic.
public struct LoadResult: Sendable {
    /// The decoded topology, or nil when the file has errors.
    public var topology: Topology?
    /// Every problem found, in file order.
    public var diagnostics: [Diagnostic]
}

/// Reads topology files: bytes -> YAML tree -> ``Topology``, checking references.
public enum TopologyLoader {
    /// Decodes a topology from its bytes. Never traps, whatever the bytes are.
    public static func load(bytes: [UInt8], file: String, limits: ParseLimits = .default) -> LoadResult {
        var diagnostics: [Diagnostic] = []
        let start = SourceLocation(file: file, line: 1, column: 1)
        if bytes.count > limits.maxBytes {
            let message = "the file is \(bytes.count) bytes; topoc reads at most \(limits.maxBytes) bytes"
            return LoadResult(topology: nil, diagnostics: [Diagnostic(.inputTooComplex, message, at: start)])
        }
        // A UTF-8 byte order mark is allowed; libyaml would count it as a character of line 1.
        let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        // The first offending byte is reported, at its own line and column.
        let invalid = SourceBytes.firstInvalidUTF8(in: bytes)
        if let nul = SourceBytes.firstNUL(in: bytes), nul < invalid ?? Int.max {
            let location = SourceBytes.location(ofByte: nul, in: bytes, file: file)
            return LoadResult(topology: nil, diagnostics: [Diagnostic(.encoding, "the file contains a NUL byte", at: location)])
        }
        if let invalid {
            let byte = "0x" + String(bytes[invalid], radix: 16, uppercase: true)
            let location = SourceBytes.location(ofByte: invalid, in: bytes, file: file)
            let message = "the file is not valid UTF-8: byte \(byte) does not start a well-formed character"
            return LoadResult(topology: nil, diagnostics: [Diagnostic(.encoding, message, at: location)])
        }
        let composer = YAMLComposer(file: file, limits: limits)
        guard let root = composer.compose(bytes, diagnostics: &diagnostics) else {
            return LoadResult(topology: nil, diagnostics: diagnostics.sortedForDisplay())
        }
        let context = DecodingContext()
        let topology = TopologyDecoder(file: file, context: context).decode(root)
        if let topology, !diagnostics.hasErrors, !context.diagnostics.hasErrors {
            ReferenceChecker(topology: topology, context: context).check()
        }
        diagnostics += context.diagnostics
        let ok = !diagnostics.hasErrors
        return LoadResult(topology: ok ? topology : nil, diagnostics: diagnostics.sortedForDisplay())
    }

    /// Decodes a topology from text.
    public static func load(text: String, file: String, limits: ParseLimits = .default) -> LoadResult {
        load(bytes: Array(text.utf8), file: file, limits: limits)
    }
}
