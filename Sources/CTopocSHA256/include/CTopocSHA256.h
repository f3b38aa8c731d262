//===----------------------------------------------------------------------===//
// The SHA-256 compression function on the processor's SHA extensions, for the
// manifest's digests (TopologyCompiler's OutputSHA256). Portable code lives in
// Swift; this target holds what Swift cannot express, the x86-64 SHA-NI
// instructions and the CPUID test for them, and the round constants both use.
//===----------------------------------------------------------------------===//
#ifndef C_TOPOC_SHA256_H
#define C_TOPOC_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// The 64 round constants K of FIPS 180-4, section 4.2.2 (the Swift compression function
/// reads them too).
extern const uint32_t c_topoc_sha256_round_constants[64];

/// Whether this processor runs `c_topoc_sha256_compress_blocks`: x86-64 with the SHA
/// extensions, SSSE3 and SSE4.1. False on every other processor.
bool c_topoc_sha256_accelerated(void);

/// Compresses `blocks` consecutive 64-byte blocks at `data` into `state` (the eight
/// working words H0...H7 of FIPS 180-4). Call only when `c_topoc_sha256_accelerated()`
/// is true; elsewhere it stops the process.
void c_topoc_sha256_compress_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
