/// The version of topoc, printed by `--version` and written into artifact headers.
public enum TopocVersion {
    /// The current version.
    public static let current = "0.1.0"
}
