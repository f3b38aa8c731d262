//===----------------------------------------------------------------------===//
// SHA-256 blocks on x86-64 SHA-NI (Intel SHA extensions, also on AMD Zen).
//
// SHA256RNDS2 runs two rounds on the state held as two vectors, ABEF and CDGH
// (A in the highest lane); SHA256MSG1/MSG2 compute the message schedule four
// words at a time. Each group of four rounds adds the round constants to four
// schedule words and calls SHA256RNDS2 twice.
//===----------------------------------------------------------------------===//
#include "CTopocSHA256.h"

#include <stdlib.h>

const uint32_t c_topoc_sha256_round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

bool c_topoc_sha256_accelerated(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return false;
    }
    const bool ssse3 = (ecx & (1u << 9)) != 0;
    const bool sse41 = (ecx & (1u << 19)) != 0;
    if (__get_cpuid_max(0, NULL) < 7) {
        return false;
    }
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool sha = (ebx & (1u << 29)) != 0;
    return ssse3 && sse41 && sha;
}

__attribute__((target("sha,sse4.1,ssse3"))) static void compressOnSHANI(
    uint32_t state[8], const uint8_t *data, size_t blocks) {
    // Reverses the bytes of each 32-bit lane: the message is big-endian.
    const __m128i bigEndian = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);

    // state[0...3] = A B C D and state[4...7] = E F G H, lane 0 first.
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);   // lanes B A D C
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);   // lanes H G F E
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);  // lanes F E B A
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);  // lanes H G D C

    for (size_t block = 0; block < blocks; block++, data += 64) {
        const __m128i abefBefore = abef;
        const __m128i cdghBefore = cdgh;
        // The last sixteen schedule words, four to a vector; group g holds W[4g...4g+3] in slot g % 4.
        __m128i schedule[4];
        for (int group = 0; group < 16; group++) {
            const int slot = group & 3;
            if (group < 4) {
                schedule[slot] = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(data + 16 * group)), bigEndian);
            } else {
                // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time.
                const __m128i back16 = schedule[slot];
                const __m128i back12 = schedule[(group + 1) & 3];
                const __m128i back8 = schedule[(group + 2) & 3];
                const __m128i back4 = schedule[(group + 3) & 3];
                __m128i words = _mm_sha256msg1_epu32(back16, back12);
                words = _mm_add_epi32(words, _mm_alignr_epi8(back4, back8, 4));
                schedule[slot] = _mm_sha256msg2_epu32(words, back4);
            }
            __m128i constants = _mm_loadu_si128((const __m128i *)&c_topoc_sha256_round_constants[4 * group]);
            __m128i message = _mm_add_epi32(schedule[slot], constants);
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            message = _mm_shuffle_epi32(message, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, message);
        }
        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }

    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);   // lanes A B E F
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);   // lanes G H C D
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

void c_topoc_sha256_compress_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
    compressOnSHANI(state, data, blocks);
}

#else

bool c_topoc_sha256_accelerated(void) {
    return false;
}

void c_topoc_sha256_compress_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
    (void)state;
    (void)data;
    (void)blocks;
    abort();
}

#endif
