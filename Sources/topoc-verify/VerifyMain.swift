// topoc-verify: the load and history checker behind `topoc verify consistency` (a separate
// executable so that topoc itself never links postgres-nio). Its one argument is a VerifySpec
// JSON file that topoc writes.
import Foundation
import Logging
import PostgresNIO
import TopologyClient
import TopologyRuntime

#if canImport(Glibc)
    import Glibc
#endif

@main
struct VerifyMain {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count == 2 else {
            FileHandle.standardError.write(Data("usage: topoc-verify SPEC.json (run through topoc verify consistency)\n".utf8))
            exit(2)
        }
        do {
            // The spec carries passwords: read it once and remove it (topoc hands it over and execs this).
            let specURL = URL(fileURLWithPath: arguments[1])
            let spec = try JSONDecoder().decode(VerifySpec.self, from: Data(contentsOf: specURL))
            try? FileManager.default.removeItem(at: specURL)
            let progress = RunProgress()
            // TOPOC_VERIFY_BUDGET (seconds) shortens the budget, for the watchdog's own test.
            let budget =
                ProcessInfo.processInfo.environment["TOPOC_VERIFY_BUDGET"].flatMap(Double.init)
                ?? ConsistencyRun.budget(seconds: spec.seconds)
            Watchdog.start(budget: budget, progress: progress)
            let violations = try await ConsistencyRun(spec: spec, progress: progress).run()
            exit(violations == 0 ? 0 : 1)
        } catch {
            FileHandle.standardError.write(Data("topoc-verify: error: \(error)\n".utf8))
            exit(2)
        }
    }
}
