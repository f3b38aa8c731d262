import Foundation

/// Where the run is, readable from any thread (the watchdog reports it if the run overruns).
final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var stage = "starting"
    private var recorded = 0
    private var failed = 0
    private var lastEnded: Double?

    /// Enters a stage of the run ("load", "reading surviving rows", ...).
    func enter(_ stage: String) { lock.withLock { self.stage = stage } }

    /// Counts a recorded operation.
    func count(failed isFailure: Bool, endedAt: Double) {
        lock.withLock {
            recorded += 1
            if isFailure { failed += 1 }
            lastEnded = endedAt
        }
    }

    /// One line for an error message.
    var summary: String {
        lock.withLock {
            let last = lastEnded.map { String(format: ", the last ended %.1f s ago", Date().timeIntervalSince1970 - $0) } ?? ""
            return "\(stage); \(recorded) operations recorded, \(failed) failed\(last)"
        }
    }
}

/// Ends the process if the run overruns its budget: whatever a server does, the checker ends
/// and says where it was, so its caller (and a CI run) never waits on it forever.
enum Watchdog {
    static func start(budget seconds: Double, progress: RunProgress) {
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            FileHandle.standardError.write(
                Data("topoc-verify: error: the run did not end within \(Int(seconds)) s (at: \(progress.summary))\n".utf8))
            exit(2)
        }
        thread.start()
    }
}
