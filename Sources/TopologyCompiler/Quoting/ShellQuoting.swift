/// Quoting for POSIX shell scripts (`sh`, dash, bash): the one place a value becomes a shell word.
public enum ShellQuoting {
    /// `text` as one single-quoted POSIX shell word that the shell reads back byte for byte.
    ///
    /// Inside single quotes no character is special (no `$`, backquote, backslash, glob or line
    /// break), so every character is kept except the single quote itself, which ends the quoted
    /// part, is written escaped (`\'`) and the quoting resumes: `it's` becomes `'it'\''s'`. The empty
    /// string is `''`. A NUL byte cannot be held by any shell variable or argument; the decoder's
    /// grammars refuse control characters before a value gets here.
    public static func word(_ text: String) -> String {
        "'" + ByteReplacement.replacing(UInt8(ascii: "'"), with: "'\\''", in: text) + "'"
    }
}
