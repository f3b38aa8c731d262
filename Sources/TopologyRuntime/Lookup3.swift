/// The internal state of Bob Jenkins' lookup3 hash as PostgreSQL uses it in
/// `hash_bytes_extended` and `hash_bytes_uint32_extended` (`src/common/hashfn.c`).
///
/// All arithmetic is 32-bit and wrapping. The layout of the state, the initial value and the
/// `mix` / `final` steps reproduce PostgreSQL bit for bit on every platform: bytes are always read
/// as little-endian words, which is what PostgreSQL does on the little-endian machines that run it.
struct Lookup3State {
    /// The first word of state.
    var a: UInt32
    /// The second word of state.
    var b: UInt32
    /// The third word of state.
    var c: UInt32

    /// The golden-ratio constant plus PostgreSQL's extra constant (`0x9e3779b9 + len + 3923095`).
    private static let initialBase: UInt32 = 0x9E37_79B9 &+ 3_923_095

    /// Creates the state for hashing `length` bytes with `seed`.
    ///
    /// A seed of exactly zero leaves the state untouched, as PostgreSQL does; any other seed adds
    /// its high half to `a`, its low half to `b`, then mixes.
    init(length: Int, seed: UInt64) {
        let initial = Self.initialBase &+ UInt32(truncatingIfNeeded: length)
        a = initial
        b = initial
        c = initial
        if seed != 0 {
            a &+= UInt32(truncatingIfNeeded: seed &>> 32)
            b &+= UInt32(truncatingIfNeeded: seed)
            mix()
        }
    }

    /// The 64-bit result, `b` in the high half and `c` in the low half.
    var result: UInt64 {
        UInt64(b) &<< 32 | UInt64(c)
    }

    /// Rotates `value` left by `count` bits (`0 < count < 32`).
    @inline(__always)
    private static func rot(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value &<< count) | (value &>> (32 &- count))
    }

    /// lookup3's `mix`: run after every full 12-byte block and after seeding.
    @inline(__always)
    mutating func mix() {
        a &-= c
        a ^= Self.rot(c, 4)
        c &+= b
        b &-= a
        b ^= Self.rot(a, 6)
        a &+= c
        c &-= b
        c ^= Self.rot(b, 8)
        b &+= a
        a &-= c
        a ^= Self.rot(c, 16)
        c &+= b
        b &-= a
        b ^= Self.rot(a, 19)
        a &+= c
        c &-= b
        c ^= Self.rot(b, 4)
        b &+= a
    }

    /// lookup3's `final`: run once, after the tail has been added.
    @inline(__always)
    mutating func final() {
        c ^= b
        c &-= Self.rot(b, 14)
        a ^= c
        a &-= Self.rot(c, 11)
        b ^= a
        b &-= Self.rot(a, 25)
        c ^= b
        c &-= Self.rot(b, 16)
        a ^= c
        a &-= Self.rot(c, 4)
        b ^= a
        b &-= Self.rot(a, 14)
        c ^= b
        c &-= Self.rot(b, 24)
    }
}
