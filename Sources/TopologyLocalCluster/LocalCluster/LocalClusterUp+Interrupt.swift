import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LocalClusterUp {
    /// Handles SIGINT and SIGTERM while `topoc up` runs. During a first bring-up
    /// (``LocalRunLayout/bringingUp`` present) it stops every process started so far, as a
    /// failed bring-up does, so Ctrl-C leaves nothing running; while a running deployment is
    /// changed it stops only `topoc up` itself (the deployment keeps running, and the next
    /// `topoc up` resumes the migration from its ledger). Either way the exit status is 130.
    ///
    /// - Returns: The signal sources; they handle the signals while the caller keeps them.
    public func stopWhenInterrupted() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let layout = self.layout
            // The handler runs on another thread: it writes to standard output itself.
            let progress: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
            source.setEventHandler {
                Self.interruption.record()
                if FileManager.default.fileExists(atPath: layout.bringingUp.path),
                    let state = try? LocalClusterState.load(from: layout.state)
                {
                    progress("interrupted: stopping what was started (data kept in \(layout.root.path); topoc down removes it)")
                    LocalClusterDown.stopProcesses(state, grace: 10, progress: progress)
                } else {
                    progress("interrupted: the deployment keeps running; topoc up again resumes the change")
                }
                exit(130)
            }
            source.resume()
            return source
        }
    }

    /// Whether SIGINT or SIGTERM arrived. The handler stops the processes on its own thread while
    /// the bring-up goes on, so the two are kept apart: a process is started and recorded in the
    /// state file only before the signal (``Interruption/startUnlessInterrupted(_:)``; the handler
    /// reads the state file after recording the signal, so it sees every process started), and a
    /// wait that then sees a process exit does not report its own failure (exit 2) before the
    /// handler ends `topoc up` with 130 (``Interruption/waitForTheHandler()``).
    static let interruption = Interruption()

    /// A flag set once, from the signal handler's thread.
    final class Interruption: @unchecked Sendable {
        private let lock = NSLock()
        private var happened = false

        /// Records the signal; waits for a process being started to be recorded first.
        func record() {
            lock.lock()
            happened = true
            lock.unlock()
        }

        /// Runs `start` (spawning a process and saving it in the state file) unless a signal
        /// arrived; the signal's handler waits until it is done.
        ///
        /// - Throws: ``LocalClusterError`` when a signal arrived, or what `start` throws.
        func startUnlessInterrupted<Result>(_ start: () throws -> Result) throws -> Result {
            lock.lock()
            defer { lock.unlock() }
            guard !happened else { throw LocalClusterError("interrupted: no further process is started") }
            return try start()
        }

        /// Whether a signal arrived.
        var recorded: Bool {
            lock.lock()
            defer { lock.unlock() }
            return happened
        }

        /// If a signal arrived, waits (up to a minute) for its handler to stop the processes and
        /// exit the process with 130; returns at once otherwise.
        func waitForTheHandler() {
            guard recorded else { return }
            for _ in 0..<600 { usleep(100_000) }
        }
    }
}
