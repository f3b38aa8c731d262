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

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

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
