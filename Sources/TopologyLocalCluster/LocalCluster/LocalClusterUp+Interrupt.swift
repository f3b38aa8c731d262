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
}
