import Foundation
import Testing

@testable import TopologyCompiler

/// ``TemplateValueEncoder`` against the way it replaces: Foundation's `JSONEncoder`, then the
/// JSON text decoded as a ``TemplateValue``. Every bundled template's context for every example
/// and target (each member's Patroni context), and values at the edges of the JSON round trip.
struct TemplateValueEncoderTests {
    /// The value through JSON text (the implementation before ``TemplateValueEncoder``).
    static func roundTrip(_ context: some Encodable) throws -> TemplateValue {
        try JSONDecoder().decode(TemplateValue.self, from: JSONEncoder().encode(context))
    }

    @Test(arguments: try PlanTestSupport.exampleNames())
    func everyContextOfEveryExample(_ name: String) throws {
        for target in [DeploymentTarget.compose, .local] {
            let plan = try #require(try PlanTestSupport.plan(example: name, target: target))
            try Self.expectSame(HAProxyTemplateContext(plan: plan), "\(name) \(target) haproxy")
            try Self.expectSame(PgBouncerTemplateContext(plan: plan), "\(name) \(target) pgbouncer")
            try Self.expectSame(DockerfileTemplateContext(plan: plan), "\(name) \(target) Dockerfile")
            try Self.expectSame(ReadmeTemplateContext(plan: plan), "\(name) \(target) README")
            for cluster in plan.clusters {
                for member in cluster.members {
                    try Self.expectSame(
                        PatroniTemplateContext(member: member, cluster: cluster, plan: plan), "\(name) \(target) \(member.name)")
                }
            }
        }
    }

    /// Numbers at the edges of the round trip, optionals, empty and nested containers, keys
    /// encoded twice, integer-keyed dictionaries, and the types `JSONEncoder` writes its own way.
    struct Edges: Encodable {
        var doubles: [Double] = [0, -0.0, 0.5, 2, -3, 0.1, 1e15, 1e16, 1e20, 123_456_789.125, 1.5e300, 9_007_199_254_740_992]
        var floats: [Float] = [0.1, 3, 1e10, 16_777_216, -2.5]
        var integers: [Int64] = [.min, -1, 0, .max]
        var unsigned: [UInt64] = [0, UInt64(Int64.max), UInt64(Int64.max) + 1, .max]
        var small: [Int8] = [.min, .max]
        var absent: String? = nil
        var present: String? = "x"
        var nullable = Nullable<String>(nil)
        var emptyList: [Int] = []
        var emptyObject: [String: Int] = [:]
        var nested: [[String: [Int?]]] = [["a": [1, nil, 3]], [:]]
        var byInteger: [Int: String] = [1: "one", 20: "twenty"]
        var text = "line\n\"quoted\" / tab\t é"
        var truth = true
        var data = Data([0, 1, 2, 254, 255])
        var url = URL(string: "https://example.com/a%20b?q=1")
        var date = Date(timeIntervalSinceReferenceDate: 12.5)
        var decimal = Decimal(string: "12.25")
        var wholeDecimal = Decimal(string: "1200")

        enum Extra: String, CodingKey {
            case twice
            case manual
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            let mirror = Mirror(reflecting: self)
            for child in mirror.children {
                guard let label = child.label, let value = child.value as? any Encodable else { continue }
                try container.encode(value, forKey: AnyKey(label))
            }
            try container.encodeIfPresent(absent, forKey: AnyKey("absentIfPresent"))
            var extra = encoder.container(keyedBy: Extra.self)
            try extra.encode(1, forKey: .twice)
            try extra.encode("again", forKey: .twice)
            var nestedList = extra.nestedUnkeyedContainer(forKey: .manual)
            try nestedList.encode(1.5)
            var inner = nestedList.nestedContainer(keyedBy: AnyKey.self)
            try inner.encodeNil(forKey: AnyKey("n"))
            try nestedList.encode(UInt8(7))
            let superEncoder = extra.superEncoder()
            var single = superEncoder.singleValueContainer()
            try single.encode("from super")
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    @Test func edgeValues() throws {
        try Self.expectSame(Edges(), "edges")
        let doubles = [
            0.0, 1e16, 1e20, -1e18, 0.1, 9.2233720368547758e18, -9.2233720368547758e18, 9.2233720368547748e18,
            -9.2233720368547748e18, 1e19, 123e-2, 1.5e-7, .leastNonzeroMagnitude, 1.7976931348623157e308,
        ]
        for value in doubles {
            try Self.expectSame(value, "top-level \(value)")
            try Self.expectSame([value], "listed \(value)")
        }
        try Self.expectSame("top-level text", "a top-level string")
        try Self.expectSame([String: Int](), "a top-level empty object")
    }

    /// How `JSONDecoder` reads a number's text as an `Int64` (checked against it), for the texts a
    /// finite `Double`, `Float` or `Decimal` is written as.
    @Test(arguments: [
        "0", "-0", "-0.0", "1.0", "2.5e+1", "1e2", "1.5", "1e+16", "-1e+18", "9.223372036854775e+18",
        "-9.223372036854776e+18", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e19",
        "1.23e-2", "120e-1", "4.9e-324", "0e500",
    ])
    func wholeIntegersAreReadAsJSONDecoderReadsThem(_ text: String) {
        let decoded = try? JSONDecoder().decode([Int64].self, from: Data("[\(text)]".utf8)).first
        #expect(TemplateScalar.wholeInteger(text) == decoded, "\(text)")
    }

    @Test func nonFiniteNumbersAreRefusedAsJSONEncoderRefusesThem() {
        #expect(throws: EncodingError.self) { try TemplateValueEncoder.value(of: [Double.nan]) }
        #expect(throws: EncodingError.self) { try TemplateValueEncoder.value(of: ["x": Float.infinity]) }
        #expect(throws: EncodingError.self) { try Self.roundTrip([Double.nan]) }
    }

    static func expectSame(_ context: some Encodable, _ what: String) throws {
        let direct = try TemplateValueEncoder.value(of: context)
        let reference = try roundTrip(context)
        #expect(direct == reference, "\(what): \(direct) != \(reference)")
    }
}
