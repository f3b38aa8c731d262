#ifndef POSTGRES_LOOKUP3_H
#define POSTGRES_LOOKUP3_H

#include <stddef.h>
#include <stdint.h>

/// PostgreSQL's `hash_bytes_extended` (src/common/hashfn.c: Bob Jenkins' lookup3 with
/// PostgreSQL's initial value and seeding), in C as PostgreSQL compiles it on a little-endian
/// machine: what `hashtextextended(text, seed)` runs inside the server. The benchmark times it
/// beside topoc's Swift version to show what the text hash costs at best, whatever the language.
uint64_t postgres_hash_bytes_extended(const unsigned char *bytes, size_t length, uint64_t seed);

#endif
