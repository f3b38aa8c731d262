#include "PostgresLookup3.h"

#include <string.h>

// Written for this benchmark from lookup3's description and hashfn.c's structure: 12-byte
// blocks read as three little-endian words, then the tail added byte by byte into the words'
// positions (the last word's low byte is left for the length, as PostgreSQL does), then `final`.

#define ROTATE(x, k) (((x) << (k)) | ((x) >> (32 - (k))))

#define MIX(a, b, c) \
    do { \
        a -= c; a ^= ROTATE(c, 4); c += b; \
        b -= a; b ^= ROTATE(a, 6); a += c; \
        c -= b; c ^= ROTATE(b, 8); b += a; \
        a -= c; a ^= ROTATE(c, 16); c += b; \
        b -= a; b ^= ROTATE(a, 19); a += c; \
        c -= b; c ^= ROTATE(b, 4); b += a; \
    } while (0)

#define FINAL(a, b, c) \
    do { \
        c ^= b; c -= ROTATE(b, 14); \
        a ^= c; a -= ROTATE(c, 11); \
        b ^= a; b -= ROTATE(a, 25); \
        c ^= b; c -= ROTATE(b, 16); \
        a ^= c; a -= ROTATE(c, 4); \
        b ^= a; b -= ROTATE(a, 14); \
        c ^= b; c -= ROTATE(b, 24); \
    } while (0)

static uint32_t word_at(const unsigned char *bytes) {
    uint32_t word;
    memcpy(&word, bytes, sizeof word);
    return word;
}

uint64_t postgres_hash_bytes_extended(const unsigned char *bytes, size_t length, uint64_t seed) {
    uint32_t a, b, c;
    a = b = c = 0x9e3779b9u + (uint32_t)length + 3923095u;
    if (seed != 0) {
        a += (uint32_t)(seed >> 32);
        b += (uint32_t)seed;
        MIX(a, b, c);
    }
    size_t remaining = length;
    while (remaining >= 12) {
        a += word_at(bytes);
        b += word_at(bytes + 4);
        c += word_at(bytes + 8);
        MIX(a, b, c);
        bytes += 12;
        remaining -= 12;
    }
    switch (remaining) {
    case 11: c += (uint32_t)bytes[10] << 24; /* fall through */
    case 10: c += (uint32_t)bytes[9] << 16; /* fall through */
    case 9: c += (uint32_t)bytes[8] << 8; /* fall through */
    case 8:
        b += word_at(bytes + 4);
        a += word_at(bytes);
        break;
    case 7: b += (uint32_t)bytes[6] << 16; /* fall through */
    case 6: b += (uint32_t)bytes[5] << 8; /* fall through */
    case 5: b += bytes[4]; /* fall through */
    case 4:
        a += word_at(bytes);
        break;
    case 3: a += (uint32_t)bytes[2] << 16; /* fall through */
    case 2: a += (uint32_t)bytes[1] << 8; /* fall through */
    case 1: a += bytes[0]; /* fall through */
    case 0: break;
    }
    FINAL(a, b, c);
    return ((uint64_t)b << 32) | c;
}
