import Testing

@testable import TopologyCompiler

/// Every grammar-key case of the decoding suites. A suite that adds cases adds its list here.
enum GrammarKeyRegistry {
    static let all: [GrammarKeyCase] =
        TopologyKeyCases.all + GuaranteesKeyCases.all + SecretsKeyCases.all + RolesKeyCases.all + ClusterKeyCases.all + ShardingKeyCases.all
        + PoolingKeyCases.all + TenancyKeyCases.all + TableKeyCases.all + IndexKeyCases.all + PartitioningKeyCases.all
        + ViewKeyCases.all + CDCKeyCases.all + DeploymentKeyCases.all + TLSKeyCases.all + BackupKeyCases.all
}

@Suite("Decoding: every grammar key has a test")
struct GrammarCoverageTests {
    /// Whether `yaml` writes `key` as a mapping key (block or flow style).
    static func writes(_ key: String, in yaml: String) -> Bool {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.contains { line in
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            return trimmed.hasPrefix(key + ":") || line.contains("{ \(key):") || line.contains(", \(key):")
                || line.contains("{\(key):")
        }
    }

    @Test(arguments: GrammarSection.allCases)
    func everyKeyOfTheSectionIsExercised(_ section: GrammarSection) {
        for key in section.keys {
            let cases = GrammarKeyRegistry.all.filter { $0.section == section && $0.key == key }
            #expect(!cases.isEmpty, "no decoding test writes '\(key)' of \(section.rawValue)")
            for keyCase in cases {
                #expect(Self.writes(key, in: keyCase.yaml), "the \(keyCase.testDescription) fixture does not write '\(key):'")
            }
        }
    }

    @Test func everyCaseNamesAKeyOfItsSection() {
        for keyCase in GrammarKeyRegistry.all {
            #expect(keyCase.section.keys.contains(keyCase.key), "\(keyCase.testDescription) is not a key of the grammar")
        }
    }

    @Test func caseNamesAreUnique() {
        var seen: Set<String> = []
        for keyCase in GrammarKeyRegistry.all {
            #expect(seen.insert(keyCase.testDescription).inserted, "\(keyCase.testDescription) is listed twice")
        }
    }

    @Test func theKeyDetectorRecognisesBlockAndFlowKeys() {
        #expect(Self.writes("mode", in: "pooling:\n  mode: session\n"))
        #expect(Self.writes("mode", in: "pooling: { mode: session }\n"))
        #expect(Self.writes("reserve", in: "read_only: { pool_size: 1, reserve: 2 }\n"))
        #expect(Self.writes("region", in: "members:\n  - region: eu\n"))
        #expect(!Self.writes("mode", in: "pooling:\n  model: x\n"))
        #expect(!Self.writes("key", in: "sharding:\n  key_type: bigint\n"))
    }
}
