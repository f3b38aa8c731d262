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
        let entered = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? interruption.startUnlessInterrupted {
                entered.signal()
                usleep(300_000)
                finished.signal()
            }
            done.signal()
        }
        entered.wait()
        interruption.record()
        #expect(finished.wait(timeout: .now()) == .success, "the signal was recorded while a process was being started")
        done.wait()
    }
}
