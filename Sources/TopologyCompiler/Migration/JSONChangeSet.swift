import Foundation

/// The JSON form of a change set (`topoc diff --format json`, `changes.json`), read back by
/// `topoc migrate --plan`.
public enum JSONChangeSet {
    /// The change set as JSON.
    public static func encode(_ set: ChangeSet) -> String {
        DeterministicJSON.text(set)
    }

    /// A change set read back, or nil when the bytes are not one.
    public static func decode(_ bytes: [UInt8]) -> ChangeSet? {
        try? JSONDecoder().decode(ChangeSet.self, from: Data(bytes))
    }
}
