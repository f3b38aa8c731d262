/// The read consistency a request asks for, as the topology's `guarantees.consistency` names it.
public enum ConsistencyLevel: String, Sendable, Hashable, CaseIterable {
    /// Every read sees every acknowledged write: reads go to the leader.
    case strong
    /// A session sees its own writes: a replica that has replayed the session's last commit, else
    /// the leader.
    case readYourWrites = "read-your-writes"
    /// A session sees every write it has observed, its own or ones whose token it was handed:
    /// routed like read-your-writes, with the token carrying the highest LSN seen.
    case causal
    /// Reads may be stale by at most the staleness bound: a replica within it, else the leader.
    case eventual
}
