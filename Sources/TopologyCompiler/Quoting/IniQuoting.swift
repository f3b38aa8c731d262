/// Quoting for PgBouncer's ini file (`pgbouncer.ini`), as PgBouncer 1.18 reads it.
///
/// PgBouncer's ini reader (libusual `parse_ini_file`) takes a value from after `=` and the
/// spaces or tabs that follow it up to the end of the line, drops trailing white space, and has
/// no escape at all: a line break in a value starts a new setting (a value holding
/// `\nauth_type = trust` would switch authentication off). `[databases]` entries are connection
/// strings of `key=value` words whose value may be single-quoted, a quote inside written twice
/// (`cstr_get_value` in PgBouncer's `src/loader.c`).
public enum IniQuoting {
    /// `text` as the value of a `[pgbouncer]` setting (`auth_file = VALUE`), or nil when the ini
    /// format cannot hold it: a line break or another control character, white space at either
    /// end (PgBouncer would drop it), or an empty value.
    public static func settingValue(_ text: String) -> String? {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return nil }
        guard !first.properties.isWhitespace, !last.properties.isWhitespace else { return nil }
        guard !text.unicodeScalars.contains(where: isUnsafe) else { return nil }
        return text
    }

    /// `text` as one value of a `[databases]` connection string (`dbname=VALUE`), single-quoted
    /// with quotes doubled, or nil when the ini line cannot hold it (a line break or another
    /// control character) or it is empty (PgBouncer refuses empty values).
    public static func connectionValue(_ text: String) -> String? {
        guard !text.isEmpty, !text.unicodeScalars.contains(where: isUnsafe) else { return nil }
        return "'" + ByteReplacement.replacing(UInt8(ascii: "'"), with: "''", in: text) + "'"
    }

    /// Control characters (which include every line break PgBouncer or an editor would see) and
    /// the Unicode line and paragraph separators.
    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
