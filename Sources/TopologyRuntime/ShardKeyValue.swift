/// A shard-key value whose PostgreSQL type is known only at run time.
///
/// Use it where a key arrives untyped (for example from a generic row decoder); statically typed
/// code can pass `Int16`, `Int32`, `Int64`, `Int`, `String` or `Substring` directly.
public enum ShardKeyValue: ShardKey, Hashable {
    /// A `smallint` value.
    case int2(Int16)
    /// An `integer` value.
    case int4(Int32)
    /// A `bigint` value.
    case int8(Int64)
    /// A `text` value.
    case text(String)

    /// The value's PostgreSQL extended hash with `seed`, using its type's hash function.
    ///
    /// - Parameter seed: The hash seed.
    /// - Returns: The hash.
    public func pgHash(seed: Int64) -> Int64 {
        switch self {
        case .int2(let value):
            PostgresHash.hashInt2Extended(value, seed: seed)
        case .int4(let value):
            PostgresHash.hashInt4Extended(value, seed: seed)
        case .int8(let value):
            PostgresHash.hashInt8Extended(value, seed: seed)
        case .text(let value):
            PostgresHash.hashTextExtended(value, seed: seed)
        }
    }
}
