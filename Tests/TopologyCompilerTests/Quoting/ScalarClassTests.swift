import Testing

@testable import TopologyCompiler

/// `ScalarClass` answers as Unicode's general categories do, for every scalar.
struct ScalarClassTests {
    @Test("Control and hidden scalars, every one from U+0000 to U+10FFFF, as the general category says")
    func everyScalar() {
        let hidden: Set<Unicode.GeneralCategory> = [
            .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse,
        ]
        var controls = 0
        var mismatches: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let category = scalar.properties.generalCategory
            controls += category == .control ? 1 : 0
            if ScalarClass.isControl(scalar) != (category == .control) || ScalarClass.isHidden(scalar) != hidden.contains(category) {
                mismatches.append(value)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).map { String($0, radix: 16) })")
        #expect(controls == 65, "Cc is U+0000-U+001F and U+007F-U+009F")
        #expect(ScalarClass.isControl("\u{0}") && ScalarClass.isControl("\u{7f}") && ScalarClass.isControl("\u{85}"))
        #expect(!ScalarClass.isControl("a") && !ScalarClass.isHidden(" ") && ScalarClass.isHidden("\u{200B}"))
    }
}
