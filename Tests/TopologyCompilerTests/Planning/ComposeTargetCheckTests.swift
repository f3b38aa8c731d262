import Testing

@testable import TopologyCompiler

/// What the compose target refuses or warns about, and only there.
struct ComposeTargetCheckTests {
    private func codes(_ text: String, _ target: DeploymentTarget) -> [String] {
        PlanTestSupport.diagnostics(text, target: target).map(\.code.code)
    }

    /// `watchdog: required` warns under compose (no container has a watchdog) and not locally.
    @Test func requiredWatchdogWarnsUnderComposeOnly() throws {
        let text = "topology: w\nguarantees: { partition: CP }\nclusters:\n  main: { members: 2, failover: { watchdog: required } }\n"
        let compose = PlanTestSupport.diagnostics(text, target: .compose).filter { $0.code == .composeWatchdogUnavailable }
        #expect(compose.count == 1)
        #expect(compose.first?.severity == .warning)
        #expect(compose.first?.rendered.contains("test.yaml:4:") == true, "\(compose.first?.rendered ?? "")")
        #expect(!codes(text, .local).contains("TPC070"))
        #expect(!codes(text.replacingOccurrences(of: "required", with: "automatic"), .compose).contains("TPC070"))
    }

    /// pg_partman under compose needs PostgreSQL 15 (Debian's pg_partman 4.7, whose API the SQL
    /// uses); other majors are refused there, not on the local target.
    @Test func partmanUnderComposeNeedsTheTestedPostgres() throws {
        let example = try String(contentsOf: PlanTestSupport.exampleURL("timeseries-range.yaml"), encoding: .utf8)
        #expect(!codes(example, .compose).contains("TPC071"))
        let sixteen = example.replacingOccurrences(of: "\npostgres: 15\n", with: "\npostgres: 16\n")
        #expect(sixteen != example)
        #expect(codes(sixteen, .compose).contains("TPC071"))
        #expect(CompilerDriver.compile(bytes: Array(sixteen.utf8), file: "t.yaml", target: .compose).plan == nil)
        #expect(!codes(sixteen, .local).contains("TPC071"))
    }
}
