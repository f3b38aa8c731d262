/// The questions the escapes and path checks ask of a Unicode scalar's general category,
/// answered for ASCII without Unicode's tables: `Unicode.Scalar.Properties.generalCategory` looks
/// every scalar up, 2 % of an XL build's samples when every label and path asked it.
enum ScalarClass {
    /// Whether `scalar` is a control character (general category Cc: U+0000-U+001F, U+007F-U+009F).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar.value < 0x20 || scalar.value == 0x7F
        }
        return scalar.properties.generalCategory == .control
    }

    /// Whether `scalar` does not show as itself in text: a control or format character, a line or
    /// paragraph separator, a surrogate, a private-use or an unassigned code point.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar.value < 0x20 || scalar.value == 0x7F
        }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: return true
        default: return false
        }
    }
}
