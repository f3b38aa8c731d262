/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One finding about a topology, located at the YAML key or value that causes it.
public struct Diagnostic: Sendable, Hashable {
    /// A secondary location that explains the finding ("first defined here").
    public struct Note: Sendable, Hashable {
        /// Where the note points.
        public var location: SourceLocation
        /// What the note says.
        public var message: String

        /// Creates a note.
        public init(_ message: String, at location: SourceLocation) {
            self.message = DisplayQuoting.visible(message)
            self.location = location
        }
    }

    /// The severity.
    public var severity: Severity
    /// The stable code of the diagnostic, such as `TPC010`.
    public var code: DiagnosticCode
    /// The message, one sentence, without the code; control and bidirectional characters are
    /// shown as `\u{XXXX}` (``DisplayQuoting/visible(_:)``).
    public var message: String
    /// Where the problem is.
    public var location: SourceLocation
    /// Related locations.
    public var notes: [Note]
    /// The edit that corrects the finding, when topoc knows it (a "did you mean", a type to declare).
    public var fixIt: FixIt? = nil

    /// Creates a diagnostic with the code's default severity unless one is given.
    public init(
        _ code: DiagnosticCode,
        _ message: String,
        at location: SourceLocation,
        severity: Severity? = nil,
        notes: [Note] = [],
        fixIt: FixIt? = nil
    ) {
        self.code = code
        self.message = DisplayQuoting.visible(message)
        self.location = location
        self.severity = severity ?? code.defaultSeverity
        self.notes = notes
        self.fixIt = fixIt
    }

    /// `path:line:col: error: message [CODE]`, followed by the notes, one per line.
    public var rendered: String {
        var lines = ["\(location): \(severity.rawValue): \(message) [\(code.code)]"]
        for note in notes {
            lines.append("\(note.location): note: \(note.message)")
        }
        return lines.joined(separator: "\n")
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// The diagnostics in file order, errors before warnings at the same place.
    public func sortedForDisplay() -> [Diagnostic] {
        enumerated().sorted { lhs, rhs in
            if lhs.element.location != rhs.element.location {
                return lhs.element.location < rhs.element.location
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
