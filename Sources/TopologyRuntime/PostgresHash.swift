/// PostgreSQL's 64-bit ("extended") hash functions, reproduced bit for bit.
///
/// These are the functions behind `hashtextextended`, `hashint2extended`, `hashint4extended`
/// and `hashint8extended` in PostgreSQL (verified against PostgreSQL 15), i.e. the hash support
/// functions that declarative `PARTITION BY HASH` uses. Every result is returned the way SQL shows
/// it: as a signed `Int64` carrying the unsigned 64-bit hash's bit pattern.
///
/// All functions are pure, allocation-free and safe to call from any thread.
public enum PostgresHash: Sendable {
    /// `hash_bytes_extended`: the lookup3 hash of raw bytes with a 64-bit seed.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to hash. An empty buffer is allowed.
    ///   - seed: The seed, as SQL's signed `bigint`; it is reinterpreted as unsigned. A seed of
    ///     zero is special-cased exactly as PostgreSQL does (no seeding step).
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashBytesExtended(_ bytes: UnsafeRawBufferPointer, seed: Int64) -> Int64 {
        var state = Lookup3State(length: bytes.count, seed: UInt64(bitPattern: seed))
        guard let base = bytes.baseAddress else {
            state.final()
            return Int64(bitPattern: state.result)
        }
        var offset = 0
        var remaining = bytes.count
        while remaining >= 12 {
            state.a &+= UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            state.b &+= UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            state.c &+= UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
            state.mix()
            offset += 12
            remaining -= 12
        }
        addTail(base + offset, count: remaining, to: &state)
        state.final()
        return Int64(bitPattern: state.result)
    }

    /// `hash_bytes_extended` over any collection of bytes.
    ///
    /// Contiguous collections (arrays, native strings' UTF-8 views) take the same fast path as the
    /// raw-buffer overload; other collections are streamed through their iterator, so this never
    /// allocates either way.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to hash.
    ///   - seed: The seed, as SQL's signed `bigint`.
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashBytesExtended<Bytes: Collection>(_ bytes: Bytes, seed: Int64) -> Int64
    where Bytes.Element == UInt8 {
        if let hash = bytes.withContiguousStorageIfAvailable({
            hashBytesExtended(UnsafeRawBufferPointer($0), seed: seed)
        }) {
            return hash
        }
        var iterator = bytes.makeIterator()
        return hashStreaming(&iterator, count: bytes.count, seed: seed)
    }

    /// `hashtextextended(text, seed)`: the hash of a string's UTF-8 bytes.
    ///
    /// This matches PostgreSQL for every deterministic collation (including the default one and
    /// `"C"`), which hash the raw encoded bytes. The database encoding is assumed to be UTF-8.
    ///
    /// - Parameters:
    ///   - text: The string to hash.
    ///   - seed: The seed, as SQL's signed `bigint`.
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashTextExtended(_ text: String, seed: Int64) -> Int64 {
        hashBytesExtended(text.utf8, seed: seed)
    }

    /// `hashtextextended(text, seed)` for a substring's UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - text: The substring to hash.
    ///   - seed: The seed, as SQL's signed `bigint`.
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashTextExtended(_ text: Substring, seed: Int64) -> Int64 {
        hashBytesExtended(text.utf8, seed: seed)
    }

    /// `hash_bytes_uint32_extended`: the lookup3 hash of one 32-bit word.
    ///
    /// - Parameters:
    ///   - value: The word to hash.
    ///   - seed: The seed, as SQL's signed `bigint`.
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashUInt32Extended(_ value: UInt32, seed: Int64) -> Int64 {
        var state = Lookup3State(length: 4, seed: UInt64(bitPattern: seed))
        state.a &+= value
        state.final()
        return Int64(bitPattern: state.result)
    }

    /// `hashint2extended(smallint, seed)`: the value is sign-extended to 32 bits and hashed as a
    /// word.
    ///
    /// - Parameters:
    ///   - value: The `smallint` value.
    ///   - seed: The seed, as SQL's signed `bigint`.
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashInt2Extended(_ value: Int16, seed: Int64) -> Int64 {
        hashUInt32Extended(UInt32(bitPattern: Int32(value)), seed: seed)
    }

    /// `hashint4extended(integer, seed)`: the value's bit pattern is hashed as a word.
    ///
    /// - Parameters:
    ///   - value: The `integer` value.
    ///   - seed: The seed, as SQL's signed `bigint`.
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashInt4Extended(_ value: Int32, seed: Int64) -> Int64 {
        hashUInt32Extended(UInt32(bitPattern: value), seed: seed)
    }

    /// `hashint8extended(bigint, seed)`: the two halves are folded into one word and hashed.
    ///
    /// The high half is XORed into the low half (complemented first for negative values), so
    /// every value that fits in an `integer` hashes exactly as `hashint4extended` would hash it.
    ///
    /// - Parameters:
    ///   - value: The `bigint` value.
    ///   - seed: The seed, as SQL's signed `bigint`.
    /// - Returns: The hash, as the signed `bigint` SQL would show.
    public static func hashInt8Extended(_ value: Int64, seed: Int64) -> Int64 {
        let high = UInt32(truncatingIfNeeded: value &>> 32)
        let low = UInt32(truncatingIfNeeded: value)
        return hashUInt32Extended(low ^ (value >= 0 ? high : ~high), seed: seed)
    }

    /// Adds the tail byte at position `index` (0 through 10) of the final partial block.
    ///
    /// Bytes 0-3 go into `a`, 4-7 into `b`, and 8-10 into `c` shifted up by one byte, because
    /// lookup3 reserves the low byte of `c` for the length.
    @inline(__always)
    private static func addTailByte(_ byte: UInt8, at index: Int, to state: inout Lookup3State) {
        let word = UInt32(byte)
        switch index {
        case 0..<4:
            state.a &+= word &<< UInt32(8 * index)
        case 4..<8:
            state.b &+= word &<< UInt32(8 * (index - 4))
        default:
            state.c &+= word &<< UInt32(8 * (index - 7))
        }
    }

    /// Adds the final partial block, `count` (0 through 11) bytes at `tail`, as ``addTailByte(_:at:to:)``
    /// would add them one by one, with a few whole-word loads instead of a loop.
    ///
    /// Every load stays inside the `count` bytes: the bytes past the first word are read as the
    /// last four bytes of the tail, shifted right past the ones already counted (a shift of 32
    /// leaves nothing, so it is done in 64 bits), and a tail of one to three bytes is read as its
    /// first, middle and last byte, masked to its length. A byte-by-byte loop was the larger part
    /// of hashing a short text key (docs/performance-routing.md).
    @inline(__always)
    private static func addTail(_ tail: UnsafeRawPointer, count: Int, to state: inout Lookup3State) {
        func word(at offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: tail.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        switch count {
        case 8...:
            // Bytes 0-3 go to `a`, 4-7 to `b`, 8..<count to `c` above its low byte.
            state.a &+= UInt32(truncatingIfNeeded: word(at: 0))
            state.b &+= UInt32(truncatingIfNeeded: word(at: 4))
            state.c &+= UInt32(truncatingIfNeeded: word(at: count - 4) &>> UInt64(8 * (12 - count))) &<< 8
        case 4...:
            state.a &+= UInt32(truncatingIfNeeded: word(at: 0))
            state.b &+= UInt32(truncatingIfNeeded: word(at: count - 4) &>> UInt64(8 * (8 - count)))
        case 1...:
            let first = UInt32(tail.load(as: UInt8.self))
            let middle = UInt32(tail.load(fromByteOffset: count >> 1, as: UInt8.self))
            let last = UInt32(tail.load(fromByteOffset: count - 1, as: UInt8.self))
            state.a &+= (first | middle &<< 8 | last &<< 16) & (UInt32(1) &<< UInt32(8 * count) &- 1)
        default:
            break
        }
    }

    /// `hash_bytes_extended` over `count` bytes pulled from an iterator, for non-contiguous
    /// collections.
    private static func hashStreaming<Iterator: IteratorProtocol>(
        _ iterator: inout Iterator,
        count: Int,
        seed: Int64
    ) -> Int64 where Iterator.Element == UInt8 {
        var state = Lookup3State(length: count, seed: UInt64(bitPattern: seed))
        var remaining = count
        while remaining >= 12 {
            state.a &+= nextWord(&iterator)
            state.b &+= nextWord(&iterator)
            state.c &+= nextWord(&iterator)
            state.mix()
            remaining -= 12
        }
        var index = 0
        while index < remaining {
            addTailByte(iterator.next() ?? 0, at: index, to: &state)
            index += 1
        }
        state.final()
        return Int64(bitPattern: state.result)
    }

    /// Reads four bytes from an iterator as a little-endian word.
    @inline(__always)
    private static func nextWord<Iterator: IteratorProtocol>(_ iterator: inout Iterator) -> UInt32
    where Iterator.Element == UInt8 {
        let b0 = UInt32(iterator.next() ?? 0)
        let b1 = UInt32(iterator.next() ?? 0)
        let b2 = UInt32(iterator.next() ?? 0)
        let b3 = UInt32(iterator.next() ?? 0)
        return b0 | b1 &<< 8 | b2 &<< 16 | b3 &<< 24
    }
}
