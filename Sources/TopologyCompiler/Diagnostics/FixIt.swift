/// A machine-applicable correction attached to a diagnostic: the YAML scalar that starts at
/// ``location`` (a key or a value, plain or quoted) and ends before ``end`` is to be replaced by
/// ``replacement``.
///
/// Every fix-it is checked by a test that applies it, through ``end`` as the compiler resolved
/// it, to the topology that triggered it and validates the result clean of the diagnostic
/// (FixItTests). JSON output carries it as `fixIt`, SARIF as the result's `fixes`.
public struct FixIt: Sendable, Hashable {
    /// Where the scalar to replace starts.
    public var location: SourceLocation
    /// Where the scalar to replace ends (exclusive, same line); `nil` until resolved against the
    /// source (``CompilerDriver`` resolves every fix-it it returns).
    public var end: SourceLocation?
    /// The text to write instead (a plain YAML scalar).
    public var replacement: String

    /// Creates a fix-it.
    public init(at location: SourceLocation, replaceWith replacement: String) {
        self.location = location
        self.replacement = replacement
    }

    /// The fix-it with ``end`` set from `lines` (the source split at line feeds): the end of
    /// the quoted scalar (its closing quote included) or of the plain scalar (before `: `, a
    /// flow indicator `,]}`, a comment ` #`, and trailing blanks) at ``location``. Unchanged
    /// when ``location`` is not in the source.
    public func resolved(in lines: [Substring]) -> FixIt {
        let index = location.line - 1
        guard lines.indices.contains(index) else { return self }
        let line = Array(lines[index].unicodeScalars)
        let start = location.column - 1
        guard line.indices.contains(start) else { return self }
        var finish = start
        if line[start] == "\"" || line[start] == "'" {
            let quote = line[start]
            finish = start + 1
            while finish < line.count {
                if quote == "\"" && line[finish] == "\\" {
                    finish += 2
                    continue
                }
                if line[finish] == quote {
                    // '' inside a single-quoted scalar is an escaped quote.
                    if quote == "'" && finish + 1 < line.count && line[finish + 1] == "'" {
                        finish += 2
                        continue
                    }
                    break
                }
                finish += 1
            }
            finish = min(finish + 1, line.count)
        } else {
            while finish < line.count {
                let scalar = line[finish]
                if ",]}".unicodeScalars.contains(scalar) { break }
                if scalar == ":" && (finish + 1 == line.count || line[finish + 1] == " ") { break }
                if scalar == "#" && finish > start && line[finish - 1] == " " { break }
                finish += 1
            }
            while finish > start && (line[finish - 1] == " " || line[finish - 1] == "\t") { finish -= 1 }
        }
        var resolved = self
        resolved.end = SourceLocation(file: location.file, line: location.line, column: finish + 1)
        return resolved
    }
}

extension Array where Element == Diagnostic {
    /// The diagnostics with every fix-it's end resolved against `bytes`, the file they are about.
    func resolvingFixIts(in bytes: [UInt8]) -> [Diagnostic] {
        guard contains(where: { $0.fixIt != nil }) else { return self }
        let source = String(decoding: bytes, as: UTF8.self)
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        return map { diagnostic in
            var diagnostic = diagnostic
            diagnostic.fixIt = diagnostic.fixIt?.resolved(in: lines)
            return diagnostic
        }
    }
}
