import CTopocSHA256

/// A small, dependency-free SHA-256 (FIPS 180-4), used to fingerprint owned
/// files in the manifest.
///
/// Blocks are compressed by the processor's SHA extensions where it has them (x86-64 SHA-NI,
/// through `CTopocSHA256`, about six times faster) and by ``compress(_:_:)`` in Swift elsewhere;
/// both give the same digest (`OutputSHA256Tests` runs each against the standard vectors).
enum OutputSHA256 {
    /// Whether this processor compresses blocks with its SHA extensions.
    static let isAccelerated = c_topoc_sha256_accelerated()

    /// The round constants, from `CTopocSHA256` (one table for both compression functions).
    private static let k: [UInt32] = withUnsafeBytes(of: c_topoc_sha256_round_constants) { Array($0.bindMemory(to: UInt32.self)) }

    /// The 32-byte digest of `message`.
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var hasher = Hasher()
        message.withUnsafeBytes { hasher.update($0) }
        return hasher.finish()
    }

    /// A digest computed over bytes that arrive in pieces (a file read in chunks), equal to
    /// ``digest(_:)`` of their concatenation.
    ///
    /// Whole 64-byte blocks are read in place; only a block split between two pieces, and the
    /// last one or two blocks with the padding and the bit length, are copied.
    struct Hasher {
        private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        /// The bytes of an unfinished block (fewer than 64).
        private var pending: [UInt8] = []
        /// The number of bytes hashed so far.
        private var length: UInt64 = 0
        /// Whether blocks go to the processor's SHA extensions.
        private let accelerated: Bool

        /// A hasher over an empty message; `accelerated` false keeps to the Swift compression
        /// function (tests compare the two), true needs ``OutputSHA256/isAccelerated``.
        init(accelerated: Bool = OutputSHA256.isAccelerated) {
            precondition(!accelerated || OutputSHA256.isAccelerated, "this processor has no SHA extensions")
            self.accelerated = accelerated
        }

        /// Adds `bytes` to the message.
        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            length &+= UInt64(bytes.count)
            var offset = 0
            if !pending.isEmpty {
                let taken = min(64 - pending.count, bytes.count)
                pending.append(contentsOf: bytes[0..<taken])
                offset = taken
                guard pending.count == 64 else { return }
                pending.withUnsafeBytes { compress(blocks: $0) }
                pending.removeAll(keepingCapacity: true)
            }
            let whole = offset + (bytes.count - offset) / 64 * 64
            compress(blocks: UnsafeRawBufferPointer(rebasing: bytes[offset..<whole]))
            pending.append(contentsOf: bytes[whole...])
        }

        /// Compresses whole 64-byte blocks into the state.
        private mutating func compress(blocks: UnsafeRawBufferPointer) {
            guard let base = blocks.baseAddress, blocks.count >= 64 else { return }
            if accelerated {
                withUnsafeMutableBytes(of: &state) { words in
                    guard let words = words.baseAddress?.assumingMemoryBound(to: UInt32.self) else { return }
                    c_topoc_sha256_compress_blocks(words, base.assumingMemoryBound(to: UInt8.self), blocks.count / 64)
                }
                return
            }
            let bytes = blocks.bindMemory(to: UInt8.self)
            var offset = 0
            while offset + 64 <= bytes.count {
                OutputSHA256.compress(&state, UnsafeBufferPointer(rebasing: bytes[offset..<offset + 64]))
                offset += 64
            }
        }

        /// The 32-byte digest of everything added.
        mutating func finish() -> [UInt8] {
            var tail = pending
            tail.append(0x80)
            while tail.count % 64 != 56 { tail.append(0) }
            let bitLength = length &* 8
            for shift in stride(from: 56, through: 0, by: -8) {
                tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
            }
            tail.withUnsafeBytes { compress(blocks: $0) }
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
                out.append(UInt8(truncatingIfNeeded: word >> 24))
                out.append(UInt8(truncatingIfNeeded: word >> 16))
                out.append(UInt8(truncatingIfNeeded: word >> 8))
                out.append(UInt8(truncatingIfNeeded: word))
            }
            return out
        }

        /// ``finish()`` as 64 lowercase hexadecimal digits.
        mutating func finishHex() -> String {
            OutputSHA256.hex(digest: finish())
        }
    }

    /// The compression function over one 64-byte block, in Swift.
    private static func compress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), _ block: UnsafeBufferPointer<UInt8>
    ) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                let j = i * 4
                w[i] = UInt32(block[j]) << 24 | UInt32(block[j + 1]) << 16 | UInt32(block[j + 2]) << 8 | UInt32(block[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = state
            k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g
                    g = f
                    f = e
                    e = d &+ t1
                    d = c
                    c = b
                    b = a
                    a = t1 &+ t2
                }
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
        }
    }

    /// The digest of `message` as 64 lowercase hexadecimal digits.
    static func hex(_ message: [UInt8]) -> String {
        hex(digest: digest(message))
    }

    /// A digest as lowercase hexadecimal digits.
    private static func hex(digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var chars: [UInt8] = []
        chars.reserveCapacity(64)
        for byte in digest {
            chars.append(digits[Int(byte >> 4)])
            chars.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// Whether `string` looks like the output of ``hex(_:)``.
    static func isHexDigest(_ string: String) -> Bool {
        string.utf8.count == 64 && string.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }
}
