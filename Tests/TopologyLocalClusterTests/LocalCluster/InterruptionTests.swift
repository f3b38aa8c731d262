import Foundation
import Testing

@testable import TopologyLocalCluster

/// The signal handler and the bring-up are kept apart: no process starts after the signal, and the
/// handler's recording waits for a start under way, so the state file it then reads lists it.
@Suite("Interrupting topoc up")
struct InterruptionTests {
    @Test("A start runs before the signal and is refused after it")
    func noStartAfterTheSignal() throws {
        let interruption = LocalClusterUp.Interruption()
        #expect(try interruption.startUnlessInterrupted { 1 } == 1)
        interruption.record()
        var ran = false
        #expect(throws: LocalClusterError.self) {
            try interruption.startUnlessInterrupted { ran = true }
        }
        #expect(!ran)
        #expect(interruption.recorded)
    }

    @Test("Recording the signal waits for a start under way")
    func recordingWaitsForAStart() throws {
        let interruption = LocalClusterUp.Interruption()
        let finished = Finished()
        let entered = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? interruption.startUnlessInterrupted {
                entered.signal()
                usleep(300_000)
                finished.set()
            }
            done.signal()
        }
        entered.wait()
        interruption.record()
        #expect(finished.value, "the signal was recorded while a process was being started")
        done.wait()
    }

    /// A flag shared with the starting thread.
    private final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        func set() {
            lock.lock()
            flag = true
            lock.unlock()
        }
        var value: Bool {
            lock.lock()
            defer { lock.unlock() }
            return flag
        }
    }
}
