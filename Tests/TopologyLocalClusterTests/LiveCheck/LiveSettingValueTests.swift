import Testing

@testable import TopologyCompiler
@testable import TopologyLocalCluster

/// Planned settings against `pg_settings` rows as PostgreSQL 15 prints them.
@Suite("live check: setting values")
struct LiveSettingValueTests {
    @Test("memory in the parameter's unit, in blocks and in bytes")
    func memory() {
        #expect(LiveSettingValue.matches(planned: "4GB", setting: "4096", unit: "MB", vartype: "integer"))
        #expect(!LiveSettingValue.matches(planned: "4GB", setting: "1024", unit: "MB", vartype: "integer"))
        #expect(LiveSettingValue.matches(planned: "8GB", setting: "1048576", unit: "8kB", vartype: "integer"))
        #expect(LiveSettingValue.matches(planned: "128MB", setting: "16384", unit: "8kB", vartype: "integer"))
        #expect(LiveSettingValue.matches(planned: "-1", setting: "-1", unit: "MB", vartype: "integer"))
    }

    @Test("times and plain numbers")
    func times() {
        #expect(LiveSettingValue.matches(planned: "5s", setting: "5000", unit: "ms", vartype: "integer"))
        #expect(LiveSettingValue.matches(planned: "1min", setting: "60", unit: "s", vartype: "integer"))
        #expect(LiveSettingValue.matches(planned: "100", setting: "100", unit: "", vartype: "integer"))
        #expect(!LiveSettingValue.matches(planned: "100", setting: "110", unit: "", vartype: "integer"))
        #expect(!LiveSettingValue.matches(planned: "lots", setting: "100", unit: "", vartype: "integer"))
    }

    @Test("booleans, enums and lists")
    func words() {
        #expect(LiveSettingValue.matches(planned: "on", setting: "on", unit: "", vartype: "bool"))
        #expect(LiveSettingValue.matches(planned: "true", setting: "on", unit: "", vartype: "bool"))
        #expect(!LiveSettingValue.matches(planned: "on", setting: "off", unit: "", vartype: "bool"))
        #expect(LiveSettingValue.matches(planned: "logical", setting: "logical", unit: "", vartype: "enum"))
        #expect(!LiveSettingValue.matches(planned: "logical", setting: "replica", unit: "", vartype: "enum"))
        #expect(
            LiveSettingValue.matches(
                planned: "pg_cron, pg_stat_statements", setting: "pg_cron,pg_stat_statements", unit: "", vartype: "string"))
        #expect(!LiveSettingValue.matches(planned: "pg_cron", setting: "", unit: "", vartype: "string"))
    }

    @Test("the running value is shown with its unit")
    func shown() {
        #expect(LiveSettingValue.shown(setting: "1024", unit: "MB") == "1024MB")
        #expect(LiveSettingValue.shown(setting: "16384", unit: "8kB") == "16384 x 8kB")
        #expect(LiveSettingValue.shown(setting: "on", unit: "") == "on")
    }
}
