import Testing

@testable import TopologyCompiler

@Suite("Quantities: durations, sizes, dates, cron schedules, column types")
struct QuantityTests {
    // MARK: TimeSpan

    @Test(
        arguments: [
            ("0", 0), ("0ms", 0), ("0s", 0), ("500ms", 500), ("1s", 1000), ("10s", 10_000), ("5m", 300_000),
            ("2h", 7_200_000), ("1d", 86_400_000), ("1500ms", 1500), ("007s", 7000),
        ] as [(String, Int64)])
    func timeSpanParses(_ text: String, _ milliseconds: Int64) throws {
        let span = try #require(TimeSpan(parsing: text))
        #expect(span.milliseconds == milliseconds)
    }

    @Test(arguments: [
        "", "10", "00", "-5s", "+5s", "10 sec", "10 s", " 10s", "10s ", "1.5s", "s", "ms", "10S", "10sec", "10M", "1w",
        "0x10s", "1_000ms", "１０s", "9223372036854775807ms", "99999999999999999999s", "2562047788015216d",
    ])
    func timeSpanRejects(_ text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test func timeSpanRefusesValuesThatWouldOverflow() throws {
        // The bound keeps a quarter of Int64's range in milliseconds.
        let largest = Int64.max / 86_400_000 / 4
        #expect(TimeSpan(parsing: "\(largest)d")?.milliseconds == largest * 86_400_000)
        #expect(TimeSpan(parsing: "\(largest + 1)d") == nil)
    }

    @Test(
        arguments: [
            (0, "0s"), (1, "1ms"), (999, "999ms"), (1000, "1s"), (1500, "1500ms"), (90_000, "90s"), (120_000, "2m"),
            (3_600_000, "1h"), (5_400_000, "90m"), (86_400_000, "1d"), (172_800_000, "2d"),
        ] as [(Int64, String)])
    func timeSpanPrintsTheShortestExactSpelling(_ milliseconds: Int64, _ text: String) throws {
        let span = TimeSpan(milliseconds: milliseconds)
        #expect(span.description == text)
        #expect(TimeSpan(parsing: span.description) == span)
    }

    @Test func timeSpanOrderingAndSeconds() {
        #expect(TimeSpan(parsing: "999ms")! < TimeSpan(parsing: "1s")!)
        #expect(TimeSpan.seconds(90) == TimeSpan(parsing: "90s"))
        #expect(TimeSpan(milliseconds: 1500).wholeSecondsRoundedUp == 2)
        #expect(TimeSpan(milliseconds: 1000).wholeSecondsRoundedUp == 1)
        #expect(TimeSpan(milliseconds: 1).wholeSecondsRoundedUp == 1)
        #expect(TimeSpan(milliseconds: 0).wholeSecondsRoundedUp == 0)
    }

    // MARK: ByteSize

    @Test(
        arguments: [
            ("0", 0), ("0B", 0), ("512B", 512), ("8kB", 8192), ("8KB", 8192), ("8KiB", 8192), ("1MB", 1 << 20), ("1MiB", 1 << 20),
            ("2GB", 2 << 30), ("2GiB", 2 << 30), ("1TB", 1 << 40), ("1TiB", 1 << 40), ("1536kB", 1536 << 10),
        ] as [(String, Int64)])
    func byteSizeParses(_ text: String, _ bytes: Int64) throws {
        let size = try #require(ByteSize(parsing: text))
        #expect(size.bytes == bytes)
    }

    @Test(arguments: [
        "", "1", "1.5GB", "1 MB", "1mb", "1Mb", "1kb", "1Kb", "MB", "B", "-1MB", "+1MB", "1PB", "1GiBs", "0x10MB",
        "99999999999999999999B", "9223372036854775807TB",
    ])
    func byteSizeRejects(_ text: String) {
        #expect(ByteSize(parsing: text) == nil)
    }

    @Test(
        arguments: [
            (0, "0B"), (100, "100B"), (1024, "1kB"), (1536, "1536B"), (1_572_864, "1536kB"), (1 << 20, "1MB"), (3 << 30, "3GB"),
            (1 << 40, "1TB"),
        ] as [(Int64, String)])
    func byteSizePrintsTheLargestExactUnit(_ bytes: Int64, _ text: String) {
        let size = ByteSize(bytes: bytes)
        #expect(size.description == text)
        #expect(ByteSize(parsing: size.description) == size)
    }

    @Test func byteSizeOrdering() {
        #expect(ByteSize(parsing: "1023kB")! < ByteSize(parsing: "1MB")!)
        #expect(ByteSize(parsing: "1024kB") == ByteSize(parsing: "1MB"))
    }

    // MARK: CalendarDate

    @Test(arguments: [
        ("2025-01-01", 2025, 1, 1), ("2024-02-29", 2024, 2, 29), ("2000-02-29", 2000, 2, 29), ("0001-01-01", 1, 1, 1),
        ("9999-12-31", 9999, 12, 31), ("2025-04-30", 2025, 4, 30),
    ])
    func calendarDateParses(_ text: String, _ year: Int, _ month: Int, _ day: Int) throws {
        let date = try #require(CalendarDate(parsing: text))
        #expect(date.year == year && date.month == month && date.day == day)
        #expect(date.description == text)
    }

    @Test(arguments: [
        "2025-02-30", "2025-02-29", "2100-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "0000-01-01",
        "2025-1-01", "2025-01-1", "25-01-01", "20250-01-01", "2025/01/01", "2025-01-01T00:00", "2025-01-01 ", "", "2025--1-01",
        "+025-01-01", "２０２５-01-01",
    ])
    func calendarDateRejects(_ text: String) {
        #expect(CalendarDate(parsing: text) == nil)
    }

    @Test func calendarDateArithmetic() throws {
        let newYear = try #require(CalendarDate(year: 2025, month: 1, day: 1))
        #expect(newYear.weekday == 3)  // a Wednesday
        #expect(newYear.adding(days: 31)?.description == "2025-02-01")
        #expect(newYear.adding(days: 365)?.description == "2026-01-01")
        #expect(CalendarDate(year: 2024, month: 1, day: 1)?.adding(days: 365)?.description == "2024-12-31")
        #expect(CalendarDate(year: 9999, month: 12, day: 31)?.adding(days: 1) == nil)
        #expect(newYear.adding(months: 13)?.description == "2026-02-01")
        #expect(CalendarDate(year: 2025, month: 1, day: 31)?.adding(months: 1)?.description == "2025-02-28")
        let march = try #require(CalendarDate(year: 2025, month: 3, day: 1))
        #expect(march.ordinal - newYear.ordinal == 59)
        #expect(newYear < CalendarDate(year: 2025, month: 1, day: 2)!)
        #expect(CalendarDate(year: 10_000, month: 1, day: 1) == nil)
        #expect(CalendarDate(year: 999, month: 1, day: 5)?.description == "0999-01-05")
    }

    // MARK: CronSchedule

    @Test(arguments: [
        ("0 * * * *", "0 * * * *"), ("*/15 * * * *", "*/15 * * * *"), ("0 0 1,15 * 1-5", "0 0 1,15 * 1-5"),
        ("0   3 * *  0", "0 3 * * 0"), ("59 23 31 12 7", "59 23 31 12 7"), ("0-30/10 * * * *", "0-30/10 * * * *"),
        ("@hourly", "@hourly"), ("@daily", "@daily"), ("@weekly", "@weekly"), ("@monthly", "@monthly"), ("@yearly", "@yearly"),
        ("@annually", "@annually"), ("@midnight", "@midnight"),
    ])
    func cronScheduleParses(_ text: String, _ expression: String) throws {
        let schedule = try #require(CronSchedule(parsing: text))
        #expect(schedule.expression == expression)
        #expect(schedule.description == expression)
    }

    @Test(arguments: [
        "", "* * * *", "* * * * * *", "60 * * * *", "61 * * * *", "0 24 * * *", "0 0 0 * *", "0 0 32 * *", "0 0 * 0 *",
        "0 0 * 13 *", "0 0 * * 8", "*/0 * * * *", "*/60 * * * *", "5-1 * * * *", "1,,2 * * * *", "1- * * * *", "a * * * *",
        "-1 * * * *", "1/2/3 * * * *", "@every 5m", "@Hourly", "0\t* * * *", "0 * * * MON", "99999999999999999999 * * * *",
    ])
    func cronScheduleRejects(_ text: String) {
        #expect(CronSchedule(parsing: text) == nil)
    }

    // MARK: ColumnType

    @Test(arguments: [
        ("bigint", "bigint"), ("int8", "bigint"), ("INT", "integer"), ("int4", "integer"), ("smallint", "smallint"),
        ("serial", "serial"), ("varchar(80)", "character varying(80)"), ("character varying(10)", "character varying(10)"),
        ("numeric(12, 2)", "numeric(12,2)"), ("decimal(5)", "numeric(5)"), ("numeric", "numeric"), ("text[]", "text[]"),
        ("int[][]", "integer[][]"), ("TIMESTAMPTZ", "timestamp with time zone"), ("timestamp(3)", "timestamp(3)"),
        ("timestamp without time zone", "timestamp"), ("double   precision", "double precision"), ("float8", "double precision"),
        ("bool", "boolean"), ("jsonb", "jsonb"), ("uuid[]", "uuid[]"), ("  text  ", "text"), ("varbit(8)", "bit varying(8)"),
        ("varchar(10485760)", "character varying(10485760)"), ("char(1) []", "character(1)[]"),
    ])
    func columnTypeParsesToTheCanonicalSpelling(_ text: String, _ canonical: String) throws {
        let type = try #require(ColumnType(parsing: text))
        #expect(type.description == canonical)
        #expect(ColumnType(parsing: type.description) == type)
    }

    @Test func columnTypeParts() throws {
        let numeric = try #require(ColumnType(parsing: "numeric(12,2)"))
        #expect(numeric.base == "numeric")
        #expect(numeric.modifiers == [12, 2])
        #expect(numeric.arrayDimensions == 0)
        #expect(!numeric.isArray)
        let matrix = try #require(ColumnType(parsing: "float4[][]"))
        #expect(matrix.base == "real")
        #expect(matrix.arrayDimensions == 2)
        #expect(matrix.isArray)
    }

    @Test(arguments: [
        "", "strng", "integr", "bigint(5)", "numeric(1,2,3)", "varchar(-1)", "varchar()", "varchar(a)", "varchar(1,)",
        "varchar(10485761)", "text; DROP TABLE x", "text)", "(text)", "int[][][][][][][]", "int[", "varchar(80", "[]",
        "character  varying(5) x", "timestamp with time zones",
    ])
    func columnTypeRejects(_ text: String) {
        #expect(ColumnType(parsing: text) == nil)
    }

    @Test(arguments: [
        ("smallint", ShardKeyType.smallint), ("smallserial", .smallint), ("int", .integer), ("serial", .integer),
        ("int8", .bigint), ("bigserial", .bigint), ("text", .text), ("varchar(20)", .text),
    ])
    func shardKeyTypes(_ text: String, _ keyType: ShardKeyType) throws {
        let type = try #require(ColumnType(parsing: text))
        #expect(type.shardKeyType == keyType)
    }

    @Test(arguments: ["uuid", "text[]", "numeric", "date", "bytea"])
    func typesThatCannotBeShardKeys(_ text: String) throws {
        let type = try #require(ColumnType(parsing: text))
        #expect(type.shardKeyType == nil)
    }

    @Test func knownSpellingsAreSortedAndParse() {
        let spellings = ColumnType.knownSpellings
        #expect(spellings == spellings.sorted())
        #expect(spellings.contains("timestamptz"))
        for spelling in spellings {
            #expect(ColumnType(parsing: spelling) != nil, "\(spelling)")
        }
    }
}
