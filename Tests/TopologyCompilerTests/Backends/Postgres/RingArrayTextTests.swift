import Testing

@testable import TopologyCompiler

/// The ring's array literals, written into a string of the size measured first, equal the text
/// built the plain way, element by element, for every line-break position and extreme value.
@Suite("Ring array literals")
struct RingArrayTextTests {
    /// The literal built with ordinary string operations.
    private func plain<Value: BinaryInteger>(_ values: [Value], type: String) -> String {
        var text = "'{"
        for (index, value) in values.enumerated() {
            if index > 0 { text += index % 10 == 0 ? ",\n     " : "," }
            text += String(value)
        }
        return text + "}'::\(type)[]"
    }

    @Test("Equal to the plain text for 0 to 32 elements, extremes and zero included")
    func equalsPlainText() {
        let samples: [Int64] = [0, -1, 1, .min, .max, 9, 10, -10, 99, 100, 1_234_567_890_123, -9_876_543_210]
        for count in 0...32 {
            let tokens = (0..<count).map { samples[$0 % samples.count] &* Int64($0 + 1) }
            let owners = (0..<count).map { ($0 * 7919) % 4096 }
            let text = RingArrayText.pair(tokens, owners)
            #expect(text == plain(tokens, type: "bigint") + ",\n    " + plain(owners, type: "integer"), "\(count) elements")
            #expect(text.utf8.count == RingArrayText.length(tokens, type: "bigint") + 6 + RingArrayText.length(owners, type: "integer"))
        }
        #expect(RingArrayText.pair([Int64.min], [0]) == "'{-9223372036854775808}'::bigint[],\n    '{0}'::integer[]")
    }
}
