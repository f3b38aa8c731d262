import Testing

@testable import TopologyCompiler

enum PartitioningKeyCases {
    /// A table `events` (columns id, at, region) partitioned with the given lines (indent by six).
    static func partitioned(_ lines: String) -> String {
        DecodeFixture.document("tables:\n  events:\n    columns: { id: bigint, at: date, region: text }\n    partitioning:\n" + lines)
    }

    static let monthly = "      by: range\n      key: at\n      interval: monthly\n      from: 2025-01-01\n      to: 2026-01-01\n"

    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.partitioning, "by", partitioned(monthly)) {
            let partitioning = try #require($0.topology.tables[0].partitioning)
            #expect(partitioning.method.value == .range)
            $0.expect(partitioning.method.location, at: "range")
            $0.expect(partitioning.location, at: "by:")
        },
        GrammarKeyCase(.partitioning, "key", partitioned("      by: hash\n      key: [id, region]\n      modulus: 2\n")) {
            let partitioning = try #require($0.topology.tables[0].partitioning)
            #expect(partitioning.columns.map(\.value) == ["id", "region"])
            $0.expect(partitioning.columns[1].location, at: "region]")
        },
        GrammarKeyCase(.partitioning, "interval", partitioned(monthly.replacingOccurrences(of: "monthly", with: "quarterly"))) {
            let interval = try #require($0.topology.tables[0].partitioning?.interval)
            #expect(interval.value == .quarterly)
            $0.expect(interval.location, at: "quarterly")
        },
        GrammarKeyCase(.partitioning, "from", partitioned(monthly)) {
            let from = try #require($0.topology.tables[0].partitioning?.from)
            #expect(from.value == CalendarDate(year: 2025, month: 1, day: 1))
            $0.expect(from.location, at: "2025-01-01")
        },
        GrammarKeyCase(.partitioning, "to", partitioned(monthly)) {
            let to = try #require($0.topology.tables[0].partitioning?.to)
            #expect(to.value == CalendarDate(year: 2026, month: 1, day: 1))
            $0.expect(to.location, at: "2026-01-01")
        },
        GrammarKeyCase(
            .partitioning, "ranges",
            partitioned(
                "      by: range\n      key: id\n      ranges:\n        - { name: low, to: 1000 }\n        - { name: high, from: 1000 }\n")
        ) {
            let partitioning = try #require($0.topology.tables[0].partitioning)
            #expect(partitioning.ranges.map(\.name.value) == ["low", "high"])
            #expect(partitioning.interval == nil)
            #expect(partitioning.from == nil)
        },
        GrammarKeyCase(
            .partitioning, "lists",
            partitioned("      by: list\n      key: region\n      lists:\n        europe: [de, fr]\n        america: us\n")
        ) {
            let lists = try #require($0.topology.tables[0].partitioning).lists
            #expect(lists.map(\.name.value) == ["europe", "america"])
            #expect(lists.map { $0.values.map(\.value) } == [["de", "fr"], ["us"]])
            $0.expect(lists[0].values[1].location, at: "fr]")
        },
        GrammarKeyCase(.partitioning, "modulus", partitioned("      by: hash\n      key: id\n      modulus: 16\n")) {
            let modulus = try #require($0.topology.tables[0].partitioning?.modulus)
            #expect(modulus.value == 16)
            $0.expect(modulus.location, at: "16")
        },
        GrammarKeyCase(.partitioning, "default", partitioned(monthly + "      default: true\n")) {
            let value = try #require($0.topology.tables[0].partitioning?.defaultPartition)
            #expect(value.value)
            $0.expect(value.location, at: "true")
        },
        GrammarKeyCase(.partitioning, "partman", partitioned(monthly + "      partman: {}\n")) {
            let partman = try #require($0.topology.tables[0].partitioning?.partman)
            // Without 'premake', pg_partman keeps 4 partitions ahead, located at the section.
            #expect(partman.premake.value == 4)
            #expect(partman.retention == nil)
            $0.expect(partman.premake.location, at: "{}")
        },
        GrammarKeyCase(
            .rangePartition, "name", partitioned("      by: range\n      key: id\n      ranges: [{ name: everything }]\n")
        ) {
            let range = try #require($0.topology.tables[0].partitioning?.ranges.first)
            #expect(range.name.value == "everything")
            #expect(range.from == nil)
            #expect(range.to == nil)
            $0.expect(range.name.location, at: "everything")
        },
        GrammarKeyCase(
            .rangePartition, "from",
            partitioned("      by: range\n      key: at\n      ranges:\n        - name: y2025\n          from: \"2025-01-01\"\n")
        ) {
            let from = try #require($0.topology.tables[0].partitioning?.ranges.first?.from)
            #expect(from.value == "2025-01-01")
            $0.expect(from.location, at: "\"2025-01-01\"")
        },
        GrammarKeyCase(
            .rangePartition, "to", partitioned("      by: range\n      key: id\n      ranges:\n        - { name: small, to: -1 }\n")
        ) {
            let to = try #require($0.topology.tables[0].partitioning?.ranges.first?.to)
            #expect(to.value == "-1")
            $0.expect(to.location, at: "-1")
        },
        GrammarKeyCase(.partman, "premake", partitioned(monthly + "      partman: { premake: 12 }\n")) {
            let premake = try #require($0.topology.tables[0].partitioning?.partman).premake
            #expect(premake.value == 12)
            $0.expect(premake.location, at: "12")
        },
        GrammarKeyCase(.partman, "retention", partitioned(monthly + "      partman:\n        retention: 24 months\n")) {
            let retention = try #require($0.topology.tables[0].partitioning?.partman?.retention)
            #expect(retention.value == "24 months")
            $0.expect(retention.location, at: "24 months")
        },
    ]
}

@Suite("Decoding: partitioning")
struct PartitioningDecodingTests {
    @Test(arguments: PartitioningKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test(arguments: PartitionInterval.allCases)
    func everyInterval(_ interval: PartitionInterval) throws {
        let text = PartitioningKeyCases.partitioned(
            PartitioningKeyCases.monthly.replacingOccurrences(of: "monthly", with: interval.rawValue))
        #expect(try DecodeFixture.decode(text).tables[0].partitioning?.interval?.value == interval)
    }

    @Test func listDefaultPartitionIsAllowed() throws {
        let partitioning = try #require(
            try DecodeFixture.decode(
                PartitioningKeyCases.partitioned("      by: list\n      key: region\n      lists: { eu: [de] }\n      default: false\n")
            ).tables[0].partitioning)
        #expect(partitioning.defaultPartition?.value == false)
    }

    @Test func impossibleDatesAreRejected() throws {
        let text = PartitioningKeyCases.partitioned(PartitioningKeyCases.monthly.replacingOccurrences(of: "2025-01-01", with: "2025-02-30"))
        try DecodeFixture.expectError(text, .invalidQuantity, at: "2025-02-30", message: "'2025-02-30' is not a date; write YYYY-MM-DD")
        let short = PartitioningKeyCases.partitioned(PartitioningKeyCases.monthly.replacingOccurrences(of: "2025-01-01", with: "2025-1-1"))
        try DecodeFixture.expectError(short, .invalidQuantity, at: "2025-1-1", message: "is not a date")
    }

    @Test func fromMustBeBeforeTo() throws {
        let text = PartitioningKeyCases.partitioned(PartitioningKeyCases.monthly.replacingOccurrences(of: "2026-01-01", with: "2025-01-01"))
        let diagnostic = try DecodeFixture.expectError(
            text, .invalidValue, at: "2025-01-01", occurrence: 2, message: "'from' must be before 'to'")
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "2025-01-01", in: text)
    }

    @Test func aSeriesNeedsIntervalFromAndTo() throws {
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: range\n      key: at\n      interval: monthly\n      from: 2025-01-01\n"),
            .missingKey, at: "by:", message: "a generated range series needs 'interval', 'from' and 'to'; 'to' is missing")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: range\n      key: at\n"), .missingKey, at: "range",
            message: "range partitioning needs 'interval' with 'from' and 'to', or explicit 'ranges'")
    }

    @Test func listAndHashNeedTheirKeys() throws {
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: list\n      key: region\n"), .missingKey, at: "list",
            message: "list partitioning needs 'lists'")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: hash\n      key: id\n"), .missingKey, at: "hash",
            message: "hash partitioning needs 'modulus'")
    }

    @Test func keysThatDoNotApplyToTheMethodAreReported() throws {
        let text = PartitioningKeyCases.partitioned(PartitioningKeyCases.monthly + "      modulus: 4\n")
        let diagnostic = try DecodeFixture.expectError(
            text, .inapplicableKey, at: "modulus", message: "'modulus' does not apply to range partitioning")
        #expect(diagnostic.notes.map(\.message) == ["partitioning method chosen here"])
        DecodeFixture.expect(diagnostic.notes.first?.location, at: "range", in: text)
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: hash\n      key: id\n      modulus: 4\n      default: true\n"), .inapplicableKey,
            at: "default", message: "'default' does not apply to hash partitioning")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: list\n      key: region\n      lists: { eu: de }\n      partman: {}\n"),
            .inapplicableKey, at: "partman", message: "'partman' does not apply to list partitioning")
    }

    @Test func byAndKeyAreRequired() throws {
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      key: id\n      modulus: 2\n"), .missingKey, at: "key: id",
            message: "`partitioning` needs 'by'")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: hash\n      modulus: 2\n"), .missingKey, at: "by:",
            message: "`partitioning` needs 'key'")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: interval\n      key: at\n"), .invalidValue, at: "interval",
            message: "'interval' is not a valid 'by' (expected one of: range, list, hash)")
    }

    @Test func partitionKeyMustBeADeclaredColumn() throws {
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: hash\n      key: created\n      modulus: 2\n"), .unknownReference, at: "created",
            message: "unknown column of 'events' 'created'")
    }

    @Test func valuesAreRangeChecked() throws {
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: hash\n      key: id\n      modulus: 2000\n"), .invalidValue, at: "2000",
            message: "'modulus' must be between 1 and 1024, found 2000")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned(PartitioningKeyCases.monthly + "      partman: { premake: 0 }\n"), .invalidValue,
            at: "0 }", message: "'premake' must be between 1 and 365, found 0")
    }

    @Test func rangePartitionsNeedANameAndPlainBounds() throws {
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: range\n      key: id\n      ranges: [{ from: 1 }]\n"), .missingKey,
            at: "{ from", message: "a range partition needs 'name'")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: range\n      key: id\n      ranges: [{ name: p, from: \"a\\u0001b\" }]\n"),
            .invalidValue, at: "\"a\\u0001b\"", message: "'from' must not contain control characters")
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: range\n      key: id\n      ranges: [{ name: \"p 1\" }]\n"),
            .invalidIdentifier, at: "\"p 1\"", message: "partition name \"p 1\" may contain only letters, digits and underscores")
    }

    @Test func listValuesAreStrings() throws {
        try DecodeFixture.expectError(
            PartitioningKeyCases.partitioned("      by: list\n      key: region\n      lists: { eu: [de, [fr]] }\n"), .wrongType,
            at: "[fr]", message: "'eu' expects a string, found a list")
    }
}
