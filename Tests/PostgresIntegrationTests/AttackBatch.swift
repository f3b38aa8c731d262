import Foundation
import Testing

/// What one statement of the attack suite must do.
enum AttackExpectation: Sendable, CustomStringConvertible {
    /// It fails with this SQLSTATE and a message containing one of these texts.
    case refused(sqlstate: String, anyOf: [String])
    /// It succeeds and prints exactly these rows (`-At` output, `|` between columns).
    case rows([String])
    /// It succeeds and affects exactly this many rows (psql's `ROW_COUNT`).
    case rowCount(Int)
    /// It succeeds.
    case succeeds

    /// `42501 insufficient_privilege` with one of the messages.
    static func denied(_ messages: String...) -> AttackExpectation {
        .refused(sqlstate: "42501", anyOf: messages)
    }

    var description: String {
        switch self {
        case .refused(let state, let messages): "refused with \(state) (\(messages.joined(separator: " | ")))"
        case .rows(let rows): "rows \(rows)"
        case .rowCount(let count): "\(count) rows affected"
        case .succeeds: "success"
        }
    }
}

/// Why a statement is in a batch: an attack must be refused, a positive check must pass, a
/// setup statement must simply succeed.
enum AttackKind: Sendable {
    case attack
    case positive
    case setup
    /// A catalog check that a privilege is absent (or present, for the allowed ones).
    case catalog
    /// A real row the positive path writes: 42501 fails the suite, a data error (a value the
    /// row generator could not derive) is only noted.
    case realRow
}

/// One statement and what it must do.
struct AttackStep: Sendable {
    var kind: AttackKind
    /// What it tries, for the report.
    var label: String
    /// One SQL statement (psql variables reflect only the last statement of a line).
    var sql: String
    var expectation: AttackExpectation
}

/// What one statement did.
struct AttackOutcome: Sendable {
    var step: AttackStep
    var sqlstate: String
    var rowCount: Int
    var message: String
    var rows: [String]

    /// Whether the statement did what it had to.
    var matches: Bool {
        switch step.expectation {
        case .refused(let state, let messages):
            return sqlstate == state && messages.contains { message.localizedCaseInsensitiveContains($0) }
        case .rows(let expected):
            return sqlstate == "00000" && rows == expected
        case .rowCount(let count):
            return sqlstate == "00000" && rowCount == count
        case .succeeds:
            return sqlstate == "00000"
        }
    }

    /// The outcome in one line.
    var summary: String {
        let what = sqlstate == "00000" ? "succeeded (\(rowCount) rows: \(rows.prefix(3)))" : "\(sqlstate): \(message)"
        return "\(step.label): expected \(step.expectation), got \(what)\n    \(step.sql)"
    }
}

/// Statements run in one psql session as one role, each followed by psql's `SQLSTATE`,
/// `ROW_COUNT` and `LAST_ERROR_MESSAGE`, so one process checks hundreds of statements and every
/// outcome is attributed to its statement. Errors do not stop the session (`ON_ERROR_STOP=0`).
struct AttackBatch: Sendable {
    var user: String
    var database: String
    var steps: [AttackStep] = []

    init(user: String, database: String) {
        self.user = user
        self.database = database
    }

    mutating func attack(_ label: String, _ sql: String, _ expectation: AttackExpectation) {
        steps.append(AttackStep(kind: .attack, label: label, sql: sql, expectation: expectation))
    }

    mutating func positive(_ label: String, _ sql: String, _ expectation: AttackExpectation = .succeeds) {
        steps.append(AttackStep(kind: .positive, label: label, sql: sql, expectation: expectation))
    }

    mutating func catalog(_ label: String, _ sql: String, _ expectation: AttackExpectation) {
        steps.append(AttackStep(kind: .catalog, label: label, sql: sql, expectation: expectation))
    }

    mutating func realRow(_ label: String, _ sql: String) {
        steps.append(AttackStep(kind: .realRow, label: label, sql: sql, expectation: .rowCount(1)))
    }

    mutating func setup(_ sql: String) {
        steps.append(AttackStep(kind: .setup, label: "setup", sql: sql, expectation: .succeeds))
    }

    /// The psql script.
    var script: String {
        var text = "\\set ON_ERROR_STOP 0\n\\set VERBOSITY default\n"
        for (index, step) in steps.enumerated() {
            text += "\\echo @@begin \(index)\n\(step.sql);\n"
            text += "\\echo @@end \(index) :SQLSTATE :ROW_COUNT\n\\echo @@message :LAST_ERROR_MESSAGE\n"
        }
        return text
    }

    /// Runs the batch; nil (after recording an issue) when psql did not connect or lost steps.
    func run(_ psql: PSQL) async throws -> [AttackOutcome]? {
        guard !steps.isEmpty else { return [] }
        let file = PSQL.scratchFile("sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await psql.run(file: file, database: database, user: user, quietNotices: true)
        var outcomes: [AttackOutcome] = []
        var rows: [String] = []
        var pending: (index: Int, state: String, count: Int)?
        for line in output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("@@begin ") {
                rows = []
            } else if line.hasPrefix("@@end ") {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 4, let index = Int(parts[1]) else { continue }
                pending = (index, parts[2], Int(parts[3]) ?? -1)
            } else if line.hasPrefix("@@message"), let done = pending, steps.indices.contains(done.index) {
                let message = done.state == "00000" ? "" : String(line.dropFirst("@@message".count)).trimmingCharacters(in: .whitespaces)
                outcomes.append(
                    AttackOutcome(step: steps[done.index], sqlstate: done.state, rowCount: done.count, message: message, rows: rows))
                pending = nil
            } else {
                rows.append(line)
            }
        }
        guard outcomes.count == steps.count else {
            Issue.record(
                "\(user)@\(database): psql ran \(outcomes.count) of \(steps.count) statements (status \(output.status)): \(output.stderr.prefix(2000))"
            )
            return nil
        }
        return outcomes
    }
}

/// The tally of one example.
struct AttackTally: Sendable {
    var refused = 0
    var succeeded: [String] = []
    var positivePassed = 0
    var catalogPassed = 0
    var positiveFailed: [String] = []
    var setupFailed: [String] = []
    /// Real rows written by the positive path (the rest were proven at plan time only).
    var realRows = 0
    var notes: [String] = []

    mutating func add(_ outcomes: [AttackOutcome], context: String) {
        for outcome in outcomes {
            switch outcome.step.kind {
            case .attack:
                if outcome.matches { refused += 1 } else { succeeded.append("\(context): \(outcome.summary)") }
            case .positive:
                if outcome.matches { positivePassed += 1 } else { positiveFailed.append("\(context): \(outcome.summary)") }
            case .setup:
                if !outcome.matches { setupFailed.append("\(context): \(outcome.summary)") }
            case .catalog:
                if outcome.matches { catalogPassed += 1 } else { succeeded.append("\(context): \(outcome.summary)") }
            case .realRow:
                if outcome.matches {
                    positivePassed += 1
                    realRows += 1
                } else if outcome.sqlstate == "42501" || outcome.sqlstate == "00000" {
                    positiveFailed.append("\(context): \(outcome.summary)")
                } else {
                    notes.append("\(context): row not derivable (privilege proven at plan time): \(outcome.summary)")
                }
            }
        }
    }

    mutating func merge(_ other: AttackTally) {
        refused += other.refused
        succeeded += other.succeeded
        positivePassed += other.positivePassed
        catalogPassed += other.catalogPassed
        positiveFailed += other.positiveFailed
        setupFailed += other.setupFailed
        realRows += other.realRows
        notes += other.notes
    }
}
