import Foundation
import Testing

@testable import TopologyCompiler

/// Properties of every cluster artifact of every example: deterministic bytes, no literal
/// password, no timestamp.
struct ClusterArtifactsTests {
    /// `key: value` or `key=value` where the key names a password and the value is not a reference.
    private func literalPasswords(in text: String) -> [String] {
        var found: [String] = []
        for line in text.split(separator: "\n") {
            let lower = line.lowercased()
            guard let range = lower.range(of: "password") else { continue }
            // psql's `:'variable'` is a reference too (post-bootstrap.sh reads it with \\getenv).
            if lower[range.upperBound...].hasPrefix(" :'"), lower.hasSuffix("';") { continue }
            // SQL's PASSWORD 'literal'.
            if lower[range.upperBound...].drop(while: { $0 == " " }).first == "'" {
                found.append(String(line))
                continue
            }
            let rest = lower[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
            guard let separator = rest.first, separator == ":" || separator == "=" else { continue }
            let value = rest.dropFirst().trimmingCharacters(in: CharacterSet(charactersIn: " \"',"))
            // References (${VAR}, $VAR, ${VAR:?...}), placeholders (..., <...>) are fine.
            if value.isEmpty || ["$", "?", "...", "<"].contains(where: { value.hasPrefix($0) }) { continue }
            found.append(String(line))
        }
        return found
    }

    @Test func everyExampleGivesDeterministicArtifactsWithoutPasswords() throws {
        var plans: [Plan] = []
        for name in try PlanTestSupport.exampleNames() {
            let text = try String(contentsOf: PlanTestSupport.exampleURL(name), encoding: .utf8)
            for target in DeploymentTarget.allCases {
                if let plan = CompilerDriver.compile(bytes: Array(text.utf8), file: name, target: target).plan { plans.append(plan) }
            }
        }
        #expect(plans.count >= 4)
        // The demo topology refreshes a view with pg_cron, which the kubernetes target refuses (TKS005).
        for target in DeploymentTarget.validatedByDefault {
            if let plan = ClusterBackendSupport.plan(target: target) { plans.append(plan) }
        }
        for plan in plans {
            let first = ClusterBackendSupport.artifacts(plan)
            #expect(first == ClusterBackendSupport.artifacts(plan), "\(plan.topology) \(plan.target): same bytes twice")
            #expect(!first.isEmpty)
            for (path, text) in first {
                #expect(literalPasswords(in: text).isEmpty, "\(plan.topology) \(path): \(literalPasswords(in: text))")
                #expect(!text.contains("2026-") && !text.contains("2025-"), "\(path) carries no timestamp")
                for artifactPath in [path] { #expect((try? ArtifactPath(artifactPath)) != nil) }
            }
        }
    }

    @Test func literalPasswordDetectorWorks() {
        #expect(literalPasswords(in: "password: hunter2") == ["password: hunter2"])
        #expect(literalPasswords(in: "\"database.password\" : \"x\"") != [])
        #expect(literalPasswords(in: "\"database.password\" : \"${env:X}\"").isEmpty)
        #expect(literalPasswords(in: "PATRONI_SUPERUSER_PASSWORD: \"${X:?set X}\"").isEmpty)
        #expect(literalPasswords(in: "ALTER ROLE \"app\" PASSWORD :'password_0';").isEmpty)
        #expect(literalPasswords(in: "ALTER ROLE \"app\" PASSWORD 'hunter2';") != [])
    }
}
