/// Quoting for docker-compose files: the one place a literal value is protected from compose's
/// variable interpolation.
public enum ComposeQuoting {
    /// `text` as a compose value that interpolation leaves literal.
    ///
    /// docker-compose replaces `$VAR`, `${VAR}` and `${VAR:-default}` in every value with the
    /// environment of whoever runs it (which holds the deployment's secrets); `$$` is its escape
    /// for one literal `$`. Every `$` is therefore doubled, so `${SECRET}` stays the text
    /// `${SECRET}`. The result is a value, not YAML: the YAML emitter quotes it afterwards.
    public static func literal(_ text: String) -> String {
        ByteReplacement.replacing(UInt8(ascii: "$"), with: "$$", in: text)
    }
}
