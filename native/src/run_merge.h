// What the import's resolving kernels (reference_join.c, attribute_rank.c, edge_reverse.c) share: reading the
// sorted runs of an ExternalSorter as one merged sequence, and writing sort records into a batch for a sorter.
//
// A sorted run is a window of whole and partial records, 32-bit words laid out as the sorters lay them:
//   [payload bytes][key word 0 … key word K-1][payload, padded to whole words]
// A run set comes from JavaScript as { runs: Uint32Array[], positions: Uint32Array } (RunSet in
// src/migration/import/sorted-runs.ts): per run, three words of `positions`: the next record's word, the end of
// the valid words, and whether the run has nothing after them (1) or can be refilled from its file (0). A kernel
// that meets a run whose next record is not whole in its window returns, naming the run; JavaScript refills it and
// calls again, and the kernel resumes where it stopped (what it keeps between calls lives in arrays JavaScript owns).
#ifndef STRATA_RUN_MERGE_H
#define STRATA_RUN_MERGE_H
#include <stdlib.h>
#include <string.h>
#include "napi-args.h"

/** How records with equal key words are ordered, before the order of their runs. */
typedef enum { ORDER_KEYS = 0, ORDER_ATTRIBUTE_IIDS = 1 } payload_order_t;

typedef struct {
  uint32_t count;
  uint32_t key_words;
  payload_order_t order;
  uint32_t **words;
  size_t *lengths;
  uint32_t *positions;
} runs_t;

/** What runs_head found. */
enum { HEAD_END = -1, HEAD_REFILL = -2, HEAD_TRUNCATED = -3 };

/** An ATTRIBUTE record's IID length sits after the ID hash (4 words) and the offset (8 bytes): records.ts. */
#define ATTRIBUTE_IID_LENGTH_AT 24

static inline uint32_t run_record_words(uint32_t payload_bytes, uint32_t key_words) {
  return 1 + key_words + ((payload_bytes + 3) >> 2);
}

static inline uint64_t read_u64le(const uint8_t *p) {
  uint32_t lo = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
  uint32_t hi = (uint32_t)p[4] | ((uint32_t)p[5] << 8) | ((uint32_t)p[6] << 16) | ((uint32_t)p[7] << 24);
  return (uint64_t)lo | ((uint64_t)hi << 32);
}

static inline uint32_t read_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void write_u32le(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static inline void write_u64le(uint8_t *p, uint64_t v) {
  write_u32le(p, (uint32_t)v);
  write_u32le(p + 4, (uint32_t)(v >> 32));
}

/** Small copies (IIDs) without a library call: a memcpy of a small variable length costs more than the copy. */
static inline void copy_bytes(uint8_t *to, const uint8_t *from, size_t length) {
  if (length > 64) {
    memcpy(to, from, length);
    return;
  }
  for (size_t i = 0; i < length; i++) to[i] = from[i];
}

static inline uint32_t *run_at(const runs_t *r, uint32_t run) { return r->words[run] + r->positions[3 * run]; }
static inline const uint8_t *run_payload(const runs_t *r, uint32_t run) {
  return (const uint8_t *)(run_at(r, run) + 1 + r->key_words);
}
static inline uint32_t run_payload_length(const runs_t *r, uint32_t run) { return run_at(r, run)[0]; }

static inline void run_consume(runs_t *r, uint32_t run) {
  r->positions[3 * run] += run_record_words(run_at(r, run)[0], r->key_words);
}

/** Sign of (ATTRIBUTE record a − b) by their IID bytes, as compareAttributePayloads in records.ts. */
static inline int compare_attribute_iids(const uint8_t *a, const uint8_t *b) {
  uint32_t a_length = (uint32_t)a[ATTRIBUTE_IID_LENGTH_AT] | ((uint32_t)a[ATTRIBUTE_IID_LENGTH_AT + 1] << 8);
  uint32_t b_length = (uint32_t)b[ATTRIBUTE_IID_LENGTH_AT] | ((uint32_t)b[ATTRIBUTE_IID_LENGTH_AT + 1] << 8);
  uint32_t common = a_length < b_length ? a_length : b_length;
  const uint8_t *x = a + ATTRIBUTE_IID_LENGTH_AT + 2;
  const uint8_t *y = b + ATTRIBUTE_IID_LENGTH_AT + 2;
  for (uint32_t i = 0; i < common; i++) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return a_length < b_length ? -1 : a_length > b_length ? 1 : 0;
}

/** Whether run a's next record orders before run b's (a < b: among equal records, the earlier run's first). */
static inline bool run_less(const runs_t *r, uint32_t a, uint32_t b) {
  const uint32_t *x = run_at(r, a) + 1;
  const uint32_t *y = run_at(r, b) + 1;
  for (uint32_t w = 0; w < r->key_words; w++) {
    if (x[w] != y[w]) return x[w] < y[w];
  }
  if (r->order == ORDER_ATTRIBUTE_IIDS) {
    int by_iid = compare_attribute_iids((const uint8_t *)(x + r->key_words), (const uint8_t *)(y + r->key_words));
    if (by_iid != 0) return by_iid < 0;
  }
  return a < b;
}

/**
 * The run whose next record comes first (>= 0); HEAD_END when every run is done; HEAD_REFILL when a run must be
 * refilled first, HEAD_TRUNCATED when a run ends inside a record (both name the run in *which).
 */
static inline int runs_head(const runs_t *r, uint32_t *which) {
  if (r->count == 1) {
    // One run (the common case): no comparisons.
    const uint32_t *p = r->positions;
    if (p[0] < p[1] && p[0] + run_record_words(r->words[0][p[0]], r->key_words) <= p[1]) return 0;
    *which = 0;
    if (p[0] == p[1] && p[2]) return HEAD_END;
    return p[2] ? HEAD_TRUNCATED : HEAD_REFILL;
  }
  int best = HEAD_END;
  for (uint32_t i = 0; i < r->count; i++) {
    const uint32_t *p = r->positions + 3 * i;
    uint32_t at = p[0];
    uint32_t end = p[1];
    if (at == end && p[2]) continue;
    if (at >= end || at + run_record_words(r->words[i][at], r->key_words) > end) {
      *which = i;
      return p[2] ? HEAD_TRUNCATED : HEAD_REFILL;
    }
    if (best < 0 || run_less(r, i, (uint32_t)best)) best = (int)i;
  }
  return best;
}

/**
 * Reads a run set ({ runs, positions }) of records with `key_words` key words. The caller frees r->words (one
 * allocation holds both arrays). A malformed set is a bug of the caller: a TypeError is thrown.
 */
static bool get_runs(napi_env env, napi_value object, uint32_t key_words, payload_order_t order, runs_t *r, const char *name) {
  napi_value runs, positions;
  size_t positions_length = 0;
  uint32_t count = 0;
  bool is_array = false;
  memset(r, 0, sizeof(*r));
  if (napi_get_named_property(env, object, "runs", &runs) != napi_ok || napi_is_array(env, runs, &is_array) != napi_ok ||
      !is_array || napi_get_array_length(env, runs, &count) != napi_ok ||
      napi_get_named_property(env, object, "positions", &positions) != napi_ok) {
    napi_throw_type_error(env, NULL, name);
    return false;
  }
  if (!get_typed(env, positions, napi_uint32_array, (void **)&r->positions, &positions_length, name)) return false;
  if (positions_length < 3 * (size_t)count) {
    napi_throw_type_error(env, NULL, name);
    return false;
  }
  void *block = malloc((count == 0 ? 1 : count) * (sizeof(uint32_t *) + sizeof(size_t)));
  if (block == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return false;
  }
  r->words = (uint32_t **)block;
  r->lengths = (size_t *)(r->words + count);
  r->count = count;
  r->key_words = key_words;
  r->order = order;
  for (uint32_t i = 0; i < count; i++) {
    napi_value run;
    if (napi_get_element(env, runs, i, &run) != napi_ok ||
        !get_typed(env, run, napi_uint32_array, (void **)&r->words[i], &r->lengths[i], name)) {
      free(block);
      r->words = NULL;
      return false;
    }
    const uint32_t *p = r->positions + 3 * i;
    if (p[0] > p[1] || p[1] > r->lengths[i]) {
      free(block);
      r->words = NULL;
      napi_throw_type_error(env, NULL, name);
      return false;
    }
  }
  return true;
}

/**
 * A batch of sort records for one sorter (SorterBatch in src/migration/import/sorter-batch.ts): `words` and
 * `meta` = [words used, records, the size in words of every record (0: none yet, 0xffffffff: sizes differ)].
 */
typedef struct {
  uint32_t *words;
  size_t capacity;
  uint32_t *meta;
} batch_t;

#define BATCH_MIXED 0xffffffffu

static bool get_batch(napi_env env, napi_value object, batch_t *b, const char *name) {
  napi_value words, meta;
  size_t meta_length = 0;
  if (napi_get_named_property(env, object, "words", &words) != napi_ok ||
      napi_get_named_property(env, object, "meta", &meta) != napi_ok) {
    napi_throw_type_error(env, NULL, name);
    return false;
  }
  if (!get_typed(env, words, napi_uint32_array, (void **)&b->words, &b->capacity, name) ||
      !get_typed(env, meta, napi_uint32_array, (void **)&b->meta, &meta_length, name)) {
    return false;
  }
  if (meta_length < 3 || b->meta[0] > b->capacity) {
    napi_throw_type_error(env, NULL, name);
    return false;
  }
  return true;
}

static inline bool batch_has_room(const batch_t *b, uint32_t key_words, uint32_t payload_bytes) {
  return b->meta[0] + run_record_words(payload_bytes, key_words) <= b->capacity;
}

/** Starts a record (the caller checked the room): returns its key words; its payload follows them. */
static inline uint32_t *batch_add(batch_t *b, uint32_t key_words, uint32_t payload_bytes) {
  uint32_t size = run_record_words(payload_bytes, key_words);
  uint32_t *record = b->words + b->meta[0];
  record[0] = payload_bytes;
  // The padding of the last payload word is zeroed: a batch's bytes then never depend on what it held before.
  record[size - 1] = 0;
  b->meta[0] += size;
  b->meta[1]++;
  if (b->meta[2] != size) b->meta[2] = b->meta[2] == 0 ? size : BATCH_MIXED;
  return record + 1;
}

#endif
