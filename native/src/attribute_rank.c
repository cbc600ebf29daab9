// Ranking the import's attributes (src/migration/import/attribute-ranker.ts drives it): the ATTRIBUTE records,
// merged from their sorted runs in IID order, get their ranks (their ThingRef lo word). Records with the IID of the
// one before are the same attribute (the same type and value): they take its rank, and their values must be equal
// too (long strings are keyed by a prefix and a hash of the value). Each distinct attribute's THING entry is
// written to the entry file's buffer, every record's definition (for the join) into a batch for its sorter.
//
// Export:
//   rankAttributes(attributes, definitions, things, previous, state, ranks, thingKeyspace, attributeKind) → RANK_*.
//   attributes: a run set (run_merge.h); definitions: a sorter batch; things: { buf, meta: [position, entries] },
//   the entry file's buffer; previous: the IID and value of the last distinct attribute; state: RANK_STATE words;
//   ranks: per attribute type id, [first rank + 1, last rank + 1] (0: none). Returns when done, when a run must be
//   refilled, a buffer flushed or grown (RANK_NEEDED bytes), or at a hash collision (the record stays next).
// Reentrant: everything kept between calls is in the arrays the driver owns.
#include "kernels.h"
#include "run_merge.h"

// Codes returned (RankCode in attribute-ranker.ts).
enum {
  RANK_DONE = 0,
  RANK_REFILL = 1,
  RANK_FLUSH_DEFINITIONS = 2,
  RANK_TRUNCATED = 3,
  RANK_FLUSH_THINGS = 4,
  RANK_GROW_PREVIOUS = 5,
  RANK_COLLISION = 6,
};

// The words of `state` (RankState in attribute-ranker.ts).
enum {
  R_RUN = 0,
  R_RANKS = 1,
  R_MERGED = 2,
  R_PREVIOUS_IID = 3,
  R_PREVIOUS_END = 4,
  R_NEEDED = 5,
  R_OFFSET = 6,
  RANK_STATE = 8,
};

#define HASH_WORDS 4
#define ATTRIBUTE_KEY_WORDS 3
#define ENTRY_HEADER 8

static inline bool equal_bytes(const uint8_t *a, const uint8_t *b, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

typedef struct {
  runs_t runs;
  batch_t definitions;
  uint8_t *things;
  size_t things_capacity;
  uint32_t *things_meta;
  uint8_t *previous;
  size_t previous_capacity;
  uint32_t *state;
  uint32_t *ranks;
  uint32_t thing_keyspace;
  uint32_t attribute_kind;
} rank_t;

static int rank_one(rank_t *k, uint32_t run) {
  uint32_t *s = k->state;
  const uint8_t *p = run_payload(&k->runs, run);
  uint32_t length = run_payload_length(&k->runs, run);
  uint64_t offset = read_u64le(p + 4 * HASH_WORDS);
  uint32_t iid_length = (uint32_t)p[ATTRIBUTE_IID_LENGTH_AT] | ((uint32_t)p[ATTRIBUTE_IID_LENGTH_AT + 1] << 8);
  uint32_t iid_start = ATTRIBUTE_IID_LENGTH_AT + 2;
  uint32_t iid_end = iid_start + iid_length;
  const uint8_t *iid = p + iid_start;
  uint32_t value_length = length - iid_end;
  uint32_t previous_iid = s[R_PREVIOUS_IID];
  bool same = s[R_RANKS] > 0 && iid_length == previous_iid && equal_bytes(k->previous, iid, iid_length);
  if (same) {
    if (value_length != s[R_PREVIOUS_END] - previous_iid || !equal_bytes(k->previous + previous_iid, p + iid_end, value_length)) {
      s[R_OFFSET] = (uint32_t)offset;
      s[R_OFFSET + 1] = (uint32_t)(offset >> 32);
      return RANK_COLLISION;
    }
  } else {
    if (length - iid_start > k->previous_capacity) {
      s[R_NEEDED] = length - iid_start;
      return RANK_GROW_PREVIOUS;
    }
    uint32_t entry = ENTRY_HEADER + 1 + iid_length + value_length;
    if (k->things_meta[0] + entry > k->things_capacity) {
      s[R_NEEDED] = entry;
      return RANK_FLUSH_THINGS;
    }
  }
  if (!batch_has_room(&k->definitions, HASH_WORDS, 16 + iid_length)) return RANK_FLUSH_DEFINITIONS;

  uint32_t type_id = ((uint32_t)iid[1] << 8) | iid[2];
  if (same) {
    s[R_MERGED]++;
  } else {
    s[R_RANKS]++;
    copy_bytes(k->previous, iid, length - iid_start);
    s[R_PREVIOUS_IID] = iid_length;
    s[R_PREVIOUS_END] = length - iid_start;
    uint32_t *range = k->ranks + 2 * type_id;
    if (range[0] == 0) range[0] = s[R_RANKS];
    range[1] = s[R_RANKS];
    // The THING entry: [key length u16][flags u8: 0][pad u8][value length u32][keyspace, IID][value record]
    // (entry-file.ts: the tree builder's batch layout).
    uint8_t *out = k->things + k->things_meta[0];
    uint32_t key_length = 1 + iid_length;
    out[0] = (uint8_t)key_length;
    out[1] = (uint8_t)(key_length >> 8);
    out[2] = 0;
    out[3] = 0;
    write_u32le(out + 4, value_length);
    out[ENTRY_HEADER] = (uint8_t)k->thing_keyspace;
    copy_bytes(out + ENTRY_HEADER + 1, iid, iid_length);
    copy_bytes(out + ENTRY_HEADER + 1 + iid_length, p + iid_end, value_length);
    k->things_meta[0] += ENTRY_HEADER + key_length + value_length;
    k->things_meta[1]++;
  }
  // The definition: [id hash] | attribute hi, rank, offset, IID.
  uint32_t *key = batch_add(&k->definitions, HASH_WORDS, 16 + iid_length);
  for (uint32_t w = 0; w < HASH_WORDS; w++) key[w] = read_u32le(p + 4 * w);
  uint8_t *payload = (uint8_t *)(key + HASH_WORDS);
  write_u32le(payload, (k->attribute_kind << 16) | type_id);
  write_u32le(payload + 4, s[R_RANKS] - 1);
  write_u64le(payload + 8, offset);
  copy_bytes(payload + 16, iid, iid_length);
  return RANK_DONE;
}

static int rank(rank_t *k) {
  for (;;) {
    uint32_t which = 0;
    int head = runs_head(&k->runs, &which);
    if (head == HEAD_END) return RANK_DONE;
    if (head < 0) {
      k->state[R_RUN] = which;
      return head == HEAD_REFILL ? RANK_REFILL : RANK_TRUNCATED;
    }
    int code = rank_one(k, (uint32_t)head);
    if (code != RANK_DONE) {
      k->state[R_RUN] = (uint32_t)head;
      return code;
    }
    run_consume(&k->runs, (uint32_t)head);
  }
}

static napi_value rank_attributes(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (!get_args(env, info, 8, argv, "rankAttributes(attributes, definitions, things, previous, state, ranks, thingKeyspace, attributeKind)")) {
    return NULL;
  }
  rank_t k;
  memset(&k, 0, sizeof(k));
  napi_value things_buf, things_meta;
  size_t meta_length = 0, state_length = 0, ranks_length = 0;
  if (!get_batch(env, argv[1], &k.definitions, "rankAttributes: definitions must be a sorter batch")) return NULL;
  if (napi_get_named_property(env, argv[2], "buf", &things_buf) != napi_ok ||
      napi_get_named_property(env, argv[2], "meta", &things_meta) != napi_ok ||
      !get_typed(env, things_buf, napi_uint8_array, (void **)&k.things, &k.things_capacity, "rankAttributes: things.buf must be a Buffer") ||
      !get_typed(env, things_meta, napi_uint32_array, (void **)&k.things_meta, &meta_length, "rankAttributes: things.meta must be a Uint32Array") ||
      !get_typed(env, argv[3], napi_uint8_array, (void **)&k.previous, &k.previous_capacity, "rankAttributes: previous must be a Buffer") ||
      !get_typed(env, argv[4], napi_uint32_array, (void **)&k.state, &state_length, "rankAttributes: state must be a Uint32Array") ||
      !get_typed(env, argv[5], napi_uint32_array, (void **)&k.ranks, &ranks_length, "rankAttributes: ranks must be a Uint32Array") ||
      !get_u32(env, argv[6], &k.thing_keyspace, "rankAttributes: thingKeyspace must be a byte") ||
      !get_u32(env, argv[7], &k.attribute_kind, "rankAttributes: attributeKind must be a byte")) {
    return NULL;
  }
  if (meta_length < 2 || k.things_meta[0] > k.things_capacity || state_length < RANK_STATE || ranks_length < 2u << 16) {
    napi_throw_type_error(env, NULL, "rankAttributes: things.meta, state or ranks is too short");
    return NULL;
  }
  if (!get_runs(env, argv[0], ATTRIBUTE_KEY_WORDS, ORDER_ATTRIBUTE_IIDS, &k.runs, "rankAttributes: attributes must be a run set")) return NULL;
  int code = rank(&k);
  free(k.runs.words);
  return make_u32(env, (uint32_t)code);
}

napi_status register_attribute_rank(napi_env env, napi_value exports) {
  return export_function(env, exports, "rankAttributes", rank_attributes);
}
