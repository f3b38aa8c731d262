/// A session's consistency token: the highest WAL position the session must be able to see.
///
/// After each write, record the commit's LSN (`pg_current_wal_lsn()` read in the same
/// transaction, or the `LSN` a driver reports) with `observe(_:)`. For causal consistency also
/// record the LSN a read was served at, and merge the tokens of sessions whose results this one
/// depends on (`merge(_:)`). Tokens are plain values: carry them in a cookie or a header as
/// `description` and parse them back with `LSN(_:)`.
public struct ConsistencyToken: Sendable, Hashable {
    /// The highest LSN the session has written or observed (`LSN.zero` if none).
    public private(set) var lastCommit: LSN

    /// A token that requires nothing (a session that has not written yet).
    public static let none = ConsistencyToken()

    /// Creates a token requiring `lastCommit`.
    ///
    /// - Parameter lastCommit: The highest LSN the session must see.
    public init(lastCommit: LSN = .zero) {
        self.lastCommit = lastCommit
    }

    /// Raises the token to `lsn` if it is later than what the token holds.
    ///
    /// - Parameter lsn: The LSN of a commit the session made or observed.
    public mutating func observe(_ lsn: LSN) {
        if lsn > lastCommit {
            lastCommit = lsn
        }
    }

    /// Raises the token to cover everything `other` covers.
    ///
    /// - Parameter other: Another session's token.
    public mutating func merge(_ other: ConsistencyToken) {
        observe(other.lastCommit)
    }
}
