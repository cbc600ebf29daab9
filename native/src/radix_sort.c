// Radix sorts of the import's sort records (src/migration/import/radix-sort.ts says why they are laid out and cut
// into digits as they are). Records are runs of 32-bit words:
//   [payload bytes][key word 0 … key word K-1][payload, padded to whole words]
// and keys compare word by word, most significant first.
//
// Exports (the arrays are used where they lie, never copied to or from JavaScript):
//   radixSortRecords(records, spare, used, count, keyWords, radixBits) → 0 when the sorted records are in
//     `records`, 1 when in `spare`: a stable LSD sort of records[0, used).
//   radixPartition(records, used, size, keyWords, radixBits, starts) → the largest bucket's words, 0 when
//     nothing is left to sort: the in-place sort's MSD pass (American flag sort) over records all `size` words
//     long, by the most significant byte that varies; `starts` (Uint32Array of 258) gets the 257 region bounds
//     and, last, the byte's digit index.
//   radixSortBuckets(records, starts, spare, size, keyWords, radixBits): sorts each region radixPartition left,
//     through `spare` (at least the largest bucket's words), back into place.
// Reentrant: all state is on the stack or allocated per call, so worker threads sort at once.
#include <stdlib.h>
#include <string.h>
#include "kernels.h"
#include "napi-args.h"

typedef struct {
  uint32_t per_word;
  uint32_t buckets;
  uint32_t shifts[4];
  uint32_t masks[4];
} digits_t;

static const digits_t BYTE_DIGITS = {4, 256, {24, 16, 8, 0}, {0xff, 0xff, 0xff, 0xff}};
static const digits_t ELEVEN_BIT_DIGITS = {3, 2048, {22, 11, 0}, {0x3ff, 0x7ff, 0x7ff}};
#define ELEVEN_BIT_MIN_RECORDS (1u << 16)
#define LOW24_MIN_RECORDS 1024u

static inline uint32_t record_words(const uint32_t *at, uint32_t key_words) {
  return 1 + key_words + ((at[0] + 3) >> 2);
}

/**
 * Per digit, the words of the records whose digit has each value; false when a record's length runs past `used`
 * (the records are damaged: the caller throws rather than write out of bounds).
 */
static bool count_digits(const digits_t *scheme, const uint32_t *records, uint32_t used, uint32_t key_words,
                         uint32_t digits, uint32_t *histograms) {
  uint32_t words = digits / scheme->per_word;
  memset(histograms, 0, sizeof(uint32_t) * digits * scheme->buckets);
  uint64_t at = 0;
  if (scheme == &ELEVEN_BIT_DIGITS) {
    while (at < used) {
      uint32_t size = record_words(records + at, key_words);
      if (at + size > used) return false;
      for (uint32_t w = 0, base = 0; w < words; w++, base += 3 * 2048) {
        uint32_t word = records[at + 1 + w];
        histograms[base + (word >> 22)] += size;
        histograms[base + 2048 + ((word >> 11) & 0x7ff)] += size;
        histograms[base + 4096 + (word & 0x7ff)] += size;
      }
      at += size;
    }
  } else {
    while (at < used) {
      uint32_t size = record_words(records + at, key_words);
      if (at + size > used) return false;
      for (uint32_t w = 0, base = 0; w < words; w++, base += 4 * 256) {
        uint32_t word = records[at + 1 + w];
        histograms[base + (word >> 24)] += size;
        histograms[base + 256 + ((word >> 16) & 0xff)] += size;
        histograms[base + 512 + ((word >> 8) & 0xff)] += size;
        histograms[base + 768 + (word & 0xff)] += size;
      }
      at += size;
    }
  }
  return true;
}

/** Whether one value of the digit whose histogram starts at `histogram` holds every record. */
static bool is_constant(const uint32_t *histogram, uint32_t buckets, uint32_t used) {
  for (uint32_t b = 0; b < buckets; b++) {
    if (histogram[b] != 0) return histogram[b] == used;
  }
  return true;
}

typedef enum { SORT_OK, SORT_DAMAGED, SORT_NO_MEMORY } sort_status;

/**
 * Stable LSD sort of records[0, used) through spare; *in_spare tells where the sorted records ended up. The
 * sort of radix-sort.ts's radixSortRecords, pass for pass.
 */
static sort_status sort_records(uint32_t *records, uint32_t *spare, uint32_t used, uint32_t count, uint32_t key_words,
                                uint32_t radix_bits, bool *in_spare) {
  *in_spare = false;
  if (count < 2) return SORT_OK;
  const digits_t *scheme = count >= ELEVEN_BIT_MIN_RECORDS ? &ELEVEN_BIT_DIGITS : &BYTE_DIGITS;
  uint32_t buckets = scheme->buckets;
  uint32_t digits = radix_bits / 32 * scheme->per_word;
  uint32_t *histograms = malloc(sizeof(uint32_t) * (digits == 0 ? 1 : digits) * buckets);
  if (histograms == NULL) return SORT_NO_MEMORY;
  if (!count_digits(scheme, records, used, key_words, digits, histograms)) {
    free(histograms);
    return SORT_DAMAGED;
  }
  uint32_t *from = records;
  uint32_t *to = spare;
  for (int32_t d = (int32_t)digits - 1; d >= 0; d--) {
    uint32_t *histogram = histograms + (uint32_t)d * buckets;
    if (is_constant(histogram, buckets, used)) continue;
    uint32_t sum = 0;
    for (uint32_t b = 0; b < buckets; b++) {
      uint32_t words = histogram[b];
      histogram[b] = sum;
      sum += words;
    }
    uint32_t word = 1 + (uint32_t)d / scheme->per_word;
    uint32_t shift = scheme->shifts[(uint32_t)d % scheme->per_word];
    uint32_t mask = scheme->masks[(uint32_t)d % scheme->per_word];
    for (uint32_t at = 0; at < used;) {
      uint32_t size = record_words(from + at, key_words);
      uint32_t *bucket = histogram + ((from[at + word] >> shift) & mask);
      memcpy(to + *bucket, from + at, sizeof(uint32_t) * size);
      *bucket += size;
      at += size;
    }
    uint32_t *swap = from;
    from = to;
    to = swap;
  }
  free(histograms);
  *in_spare = from == spare;
  return SORT_OK;
}

/** Stable sort of the records in words [start, end), all `size` long, by the low 24 bits of their first key word. */
static void sort_by_low24(uint32_t *records, uint32_t *spare, uint32_t start, uint32_t end, uint32_t size) {
  uint32_t histograms[2 * 4096];
  memset(histograms, 0, sizeof histograms);
  for (uint32_t at = start; at < end; at += size) {
    uint32_t word = records[at + 1];
    histograms[word & 0xfff] += size;
    histograms[4096 + ((word >> 12) & 0xfff)] += size;
  }
  uint32_t low = 0, high = 0;
  for (uint32_t d = 0; d < 4096; d++) {
    uint32_t low_words = histograms[d];
    histograms[d] = low;
    low += low_words;
    uint32_t high_words = histograms[4096 + d];
    histograms[4096 + d] = start + high;
    high += high_words;
  }
  for (uint32_t at = start; at < end; at += size) {
    uint32_t digit = records[at + 1] & 0xfff;
    memcpy(spare + histograms[digit], records + at, sizeof(uint32_t) * size);
    histograms[digit] += size;
  }
  for (uint32_t at = 0, words = end - start; at < words; at += size) {
    uint32_t digit = 4096 + ((spare[at + 1] >> 12) & 0xfff);
    memcpy(records + histograms[digit], spare + at, sizeof(uint32_t) * size);
    histograms[digit] += size;
  }
}

static napi_value throw_status(napi_env env, sort_status status) {
  if (status == SORT_DAMAGED) napi_throw_error(env, NULL, "radix sort: a record's length runs past the records in use (damaged sort records)");
  else if (status == SORT_NO_MEMORY) napi_throw_error(env, NULL, "radix sort: out of memory for its histograms");
  return NULL;
}

static bool valid_radix_bits(napi_env env, uint32_t radix_bits, uint32_t key_words) {
  if (radix_bits % 32 == 0 && radix_bits / 32 <= key_words) return true;
  napi_throw_range_error(env, NULL, "radix sorts order by whole key words, within the key");
  return false;
}

static napi_value radix_sort_records(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, "radixSortRecords(records, spare, used, count, keyWords, radixBits)")) return NULL;
  uint32_t *records, *spare;
  size_t records_length, spare_length;
  uint32_t used, count, key_words, radix_bits;
  if (!get_typed(env, argv[0], napi_uint32_array, (void **)&records, &records_length, "records must be a Uint32Array") ||
      !get_typed(env, argv[1], napi_uint32_array, (void **)&spare, &spare_length, "spare must be a Uint32Array") ||
      !get_u32(env, argv[2], &used, "used must be a number") || !get_u32(env, argv[3], &count, "count must be a number") ||
      !get_u32(env, argv[4], &key_words, "keyWords must be a number") ||
      !get_u32(env, argv[5], &radix_bits, "radixBits must be a number") || !valid_radix_bits(env, radix_bits, key_words)) {
    return NULL;
  }
  if (used > records_length || (count >= 2 && used > spare_length)) {
    napi_throw_range_error(env, NULL, "radixSortRecords: `used` exceeds the records or the spare array");
    return NULL;
  }
  bool in_spare;
  sort_status status = sort_records(records, spare, used, count, key_words, radix_bits, &in_spare);
  if (status != SORT_OK) return throw_status(env, status);
  return make_u32(env, in_spare ? 1 : 0);
}

#define REGIONS 256
#define STARTS_LENGTH (REGIONS + 2)

static napi_value radix_partition(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, "radixPartition(records, used, size, keyWords, radixBits, starts)")) return NULL;
  uint32_t *records, *starts;
  size_t records_length, starts_length;
  uint32_t used, size, key_words, radix_bits;
  if (!get_typed(env, argv[0], napi_uint32_array, (void **)&records, &records_length, "records must be a Uint32Array") ||
      !get_u32(env, argv[1], &used, "used must be a number") || !get_u32(env, argv[2], &size, "size must be a number") ||
      !get_u32(env, argv[3], &key_words, "keyWords must be a number") ||
      !get_u32(env, argv[4], &radix_bits, "radixBits must be a number") ||
      !get_typed(env, argv[5], napi_uint32_array, (void **)&starts, &starts_length, "starts must be a Uint32Array") ||
      !valid_radix_bits(env, radix_bits, key_words)) {
    return NULL;
  }
  if (used > records_length || starts_length < STARTS_LENGTH || size == 0 || size < 1 + key_words || used % size != 0) {
    napi_throw_range_error(env, NULL, "radixPartition: records of `size` words must fill [0, used) of the records, and starts must hold 258");
    return NULL;
  }
  const digits_t *scheme = &BYTE_DIGITS;
  uint32_t digits = radix_bits / 32 * scheme->per_word;
  uint32_t *histograms = malloc(sizeof(uint32_t) * (digits == 0 ? 1 : digits) * REGIONS);
  uint32_t *carried = malloc(sizeof(uint32_t) * size);
  if (histograms == NULL || carried == NULL) {
    free(histograms);
    free(carried);
    return throw_status(env, SORT_NO_MEMORY);
  }
  if (!count_digits(scheme, records, used, key_words, digits, histograms)) {
    free(histograms);
    free(carried);
    return throw_status(env, SORT_DAMAGED);
  }
  uint32_t top = 0;
  while (top < digits && is_constant(histograms + top * REGIONS, REGIONS, used)) top++;
  if (top == digits) {
    free(histograms);
    free(carried);
    return make_u32(env, 0);
  }
  uint32_t word = 1 + top / scheme->per_word;
  uint32_t shift = scheme->shifts[top % scheme->per_word];
  uint32_t next[REGIONS];
  starts[0] = 0;
  for (uint32_t b = 0; b < REGIONS; b++) starts[b + 1] = starts[b] + histograms[top * REGIONS + b];
  memcpy(next, starts, sizeof next);
  for (uint32_t b = 0; b < REGIONS; b++) {
    uint32_t end = starts[b + 1];
    while (next[b] < end) {
      uint32_t at = next[b];
      uint32_t bucket = (records[at + word] >> shift) & (REGIONS - 1);
      if (bucket != b) {
        // Carry the record to its bucket, taking the one there onwards, until one belongs here.
        memcpy(carried, records + at, sizeof(uint32_t) * size);
        while (bucket != b) {
          uint32_t dest = next[bucket];
          next[bucket] = dest + size;
          for (uint32_t k = 0; k < size; k++) {
            uint32_t other = records[dest + k];
            records[dest + k] = carried[k];
            carried[k] = other;
          }
          bucket = (carried[word] >> shift) & (REGIONS - 1);
        }
        memcpy(records + at, carried, sizeof(uint32_t) * size);
      }
      next[b] = at + size;
    }
  }
  free(histograms);
  free(carried);
  starts[REGIONS + 1] = top;
  uint32_t largest = 0;
  for (uint32_t b = 0; b < REGIONS; b++) {
    if (starts[b + 1] - starts[b] > largest) largest = starts[b + 1] - starts[b];
  }
  return make_u32(env, largest);
}

static napi_value radix_sort_buckets(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, "radixSortBuckets(records, starts, spare, size, keyWords, radixBits)")) return NULL;
  uint32_t *records, *starts, *spare;
  size_t records_length, starts_length, spare_length;
  uint32_t size, key_words, radix_bits;
  if (!get_typed(env, argv[0], napi_uint32_array, (void **)&records, &records_length, "records must be a Uint32Array") ||
      !get_typed(env, argv[1], napi_uint32_array, (void **)&starts, &starts_length, "starts must be a Uint32Array") ||
      !get_typed(env, argv[2], napi_uint32_array, (void **)&spare, &spare_length, "spare must be a Uint32Array") ||
      !get_u32(env, argv[3], &size, "size must be a number") || !get_u32(env, argv[4], &key_words, "keyWords must be a number") ||
      !get_u32(env, argv[5], &radix_bits, "radixBits must be a number") || !valid_radix_bits(env, radix_bits, key_words)) {
    return NULL;
  }
  if (starts_length < STARTS_LENGTH || starts[REGIONS] > records_length || size == 0) {
    napi_throw_range_error(env, NULL, "radixSortBuckets: starts must be radixPartition's, over these records");
    return NULL;
  }
  // Ordered by one word's top byte, what is left is its low 24 bits (hash keys): two 12-bit passes do it where
  // bytes take three and a copy back. For few records, the larger histograms cost more than the pass saves.
  bool low24 = radix_bits == 32 && starts[REGIONS + 1] == 0;
  for (uint32_t b = 0; b < REGIONS; b++) {
    uint32_t start = starts[b];
    uint32_t words = starts[b + 1] - start;
    if (words <= size) continue;
    if (words > spare_length || starts[b + 1] < start) {
      napi_throw_range_error(env, NULL, "radixSortBuckets: the spare array is smaller than a bucket");
      return NULL;
    }
    if (low24 && words >= LOW24_MIN_RECORDS * size) {
      sort_by_low24(records, spare, start, start + words, size);
      continue;
    }
    bool in_spare;
    sort_status status = sort_records(records + start, spare, words, words / size, key_words, radix_bits, &in_spare);
    if (status != SORT_OK) return throw_status(env, status);
    if (in_spare) memcpy(records + start, spare, sizeof(uint32_t) * words);
  }
  return NULL;
}

napi_status register_radix_sort(napi_env env, napi_value exports) {
  napi_status status = export_function(env, exports, "radixSortRecords", radix_sort_records);
  if (status == napi_ok) status = export_function(env, exports, "radixPartition", radix_partition);
  if (status == napi_ok) status = export_function(env, exports, "radixSortBuckets", radix_sort_buckets);
  return status;
}
