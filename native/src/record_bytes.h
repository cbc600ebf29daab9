// The byte-level pieces of the export's record encoder (export_encoder.c): little- and big-endian reads, protobuf
// varints, small copies, and base64 written straight into the record buffer through a 12-bit table.
#ifndef STRATA_RECORD_BYTES_H
#define STRATA_RECORD_BYTES_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern const char BASE64[65];
/** The two base64 characters of each 12-bit value: a 3-byte group is two lookups. */
extern uint8_t BASE64_PAIRS[4096][2];

/** Fills BASE64_PAIRS, once per process (the module registers once per thread). */
void record_bytes_init(void);

static inline uint32_t u16le(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
static inline uint32_t u32le(const uint8_t *p) { return u16le(p) | (u16le(p + 2) << 16); }
static inline uint32_t u32be(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline uint32_t varint_size(uint64_t v) {
  uint32_t size = 1;
  while (v >= 0x80) {
    v >>= 7;
    size++;
  }
  return size;
}

static inline size_t write_varint(uint8_t *out, size_t at, uint64_t v) {
  while (v >= 0x80) {
    out[at++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  out[at++] = (uint8_t)v;
  return at;
}

/**
 * Copies a few bytes (keys, labels) without a call: a library memcpy of a variable small length is a `rep movs`
 * here, which costs more than the copy.
 */
static inline void copy_small(uint8_t *to, const uint8_t *from, size_t length) {
  if (length > 32) {
    memcpy(to, from, length);
    return;
  }
  for (size_t i = 0; i < length; i++) to[i] = from[i];
}

static inline uint32_t base64_length(uint32_t bytes) { return (bytes + 2) / 3 * 4; }

/** Standard base64 with padding (as Node's Buffer.toString('base64')) of bytes[0, length), into out at `at`. */
static inline size_t write_base64(uint8_t *out, size_t at, const uint8_t *bytes, uint32_t length) {
  uint32_t i = 0;
  for (; i + 2 < length; i += 3) {
    uint32_t triple = ((uint32_t)bytes[i] << 16) | ((uint32_t)bytes[i + 1] << 8) | bytes[i + 2];
    memcpy(out + at, BASE64_PAIRS[triple >> 12], 2);
    memcpy(out + at + 2, BASE64_PAIRS[triple & 0xfff], 2);
    at += 4;
  }
  if (i < length) {
    uint32_t rest = length - i;
    uint32_t triple = ((uint32_t)bytes[i] << 16) | (rest == 2 ? (uint32_t)bytes[i + 1] << 8 : 0);
    out[at] = (uint8_t)BASE64[triple >> 18];
    out[at + 1] = (uint8_t)BASE64[(triple >> 12) & 63];
    out[at + 2] = rest == 2 ? (uint8_t)BASE64[(triple >> 6) & 63] : '=';
    out[at + 3] = '=';
    at += 4;
  }
  return at;
}

#endif
