/// Why a `RangeMap` could not be built.
public enum RangeMapError<Bound: RangeMapBound>: Error, Hashable {
    /// The entry at this index of the input has `lower >= upper`, so it covers nothing.
    case emptyRange(index: Int)
    /// The entry at this index of the input names a negative shard.
    case negativeShard(index: Int)
    /// The entries at these two indices of the input overlap.
    case overlap(Int, Int)
    /// Gaps were not allowed, and the entries leave these ranges uncovered.
    case gaps([RangeMap<Bound>.Gap])
}
