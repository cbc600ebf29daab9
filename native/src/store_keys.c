// Makes a fresh store's keys for an import and lays them straight into leaf pages (leaf_pages.h): the THING keys
// of entities and relations from their counts, and the HAS, HAS_REV, ROLE and ROLE_REV keys from the sorted edge
// records, checking @key and @unique on the way (src/migration/import/store-entries.ts drives it; the messages
// are worded there, in key-violations.ts). In JavaScript, making the keys and handing each to the page layout was
// most of the store writer's time.
//
// Exports:
//   emitObjectKeys(hi, sequence, last, area, state, pages) → the next sequence number to lay
//     The THING keys of the entities or relations of ThingRef hi word `hi`, sequence numbers [sequence, last].
//   emitEdgeKeys(records, at, end, naming, edge, scratch, area, state, pages) → the record word reached
//     records  sorted edge records in words [at, end): [payload bytes][key words][payload padded to words]
//              HAS [owner, attribute] and HAS_REV [attribute, owner] (ordinals; payload: owner IID length u16 LE,
//              an attribute owner's IID, the attribute's IID), ROLE [relation, role, player] and ROLE_REV
//              [player, role, relation] (payload: an attribute player's IID)
//     naming   Uint32Array (edge-naming.ts): ordinal segments, the @key types of each type, @unique ownerships
//     edge     Uint32Array: the set, its keys laid (EDGE_EDGES) and role players counted (EDGE_REPEATS), and
//              everything carried from call to call (EDGE_* below), then a count per
//              @key type of the current owner and the next instance expected of each type with keys
//     scratch  Uint8Array of five regions as long as the longest key: a ROLE group's key, the owner's IID, the
//              previous owner's IID, and a violation's attribute and owner IIDs
//   Repeated ownerships collapse into one edge; repeated role players become the edge's count (a 4-byte value),
//   a group's key laid once the next group starts, or on the call with EDGE_FINISH set. A @key or @unique
//   violation stops it with EDGE_VIOLATION and its facts set (the caller words the message and stops).
// Reentrant: all state is in the arrays passed.
#include "kernels.h"
#include "leaf_pages.h"
#include "napi-args.h"

#define KEYSPACE_THING 0x10u
#define KEYSPACE_HAS 0x20u
#define KEYSPACE_HAS_REVERSE 0x21u
#define KEYSPACE_ROLE 0x30u
#define KEYSPACE_ROLE_REVERSE 0x31u
#define OBJECT_IID 11u
#define KIND_ATTRIBUTE 3u
#define NONE 0xffffffffu

enum { SET_HAS, SET_HAS_REVERSE, SET_ROLE, SET_ROLE_REVERSE };

// The naming table.
enum { NAMING_OBJECTS, NAMING_SEGMENTS, NAMING_KEYED, NAMING_UNIQUE, NAMING_KEY_IDS, NAMING_MAX_KEYS, NAMING_HEADER };
#define TYPE_SLOTS 65536u
#define SEGMENT_WORDS 4u
#define KEYED_WORDS 3u
#define UNIQUE_WORDS 2u
#define OWNS_KEY 1u
#define OWNS_UNIQUE 2u

// The edge state.
enum {
  EDGE_SET,
  EDGE_FINISH,
  EDGE_FINISHED,
  EDGE_PREVIOUS_FIRST,
  EDGE_PREVIOUS_SECOND,
  EDGE_PREVIOUS_THIRD,
  EDGE_REPETITIONS,
  EDGE_PENDING_LENGTH,
  EDGE_EDGES,
  EDGE_REPEATS,
  EDGE_CACHE_A,
  EDGE_CACHE_B,
  EDGE_OWNER,
  EDGE_OWNER_HI,
  EDGE_OWNER_LO,
  EDGE_OWNER_SLOT,
  EDGE_OWNER_IID_LENGTH,
  EDGE_LAST_ATTRIBUTE,
  EDGE_LAST_OWNER_HI,
  EDGE_LAST_OWNER_LO,
  EDGE_LAST_OWNER_IID_LENGTH,
  EDGE_VIOLATION,
  EDGE_FACT_0,
  EDGE_FACT_1,
  EDGE_FACT_2,
  EDGE_FACT_3,
  EDGE_FACT_ATTRIBUTE_IID_LENGTH,
  EDGE_FACT_OWNER_IID_LENGTH,
  EDGE_HEADER
};
enum { VIOLATION_NONE, VIOLATION_TOO_MANY_KEYS, VIOLATION_MISSING_KEYS, VIOLATION_OWNS_NONE, VIOLATION_UNIQUE_TAKEN };
enum { SCRATCH_PENDING, SCRATCH_OWNER, SCRATCH_LAST_OWNER, SCRATCH_FACT_ATTRIBUTE, SCRATCH_FACT_OWNER, SCRATCH_REGIONS };

/** An entity's or relation's IID: kind, type id, four zero bytes, sequence number (big-endian). */
static inline uint8_t *write_object_iid(uint8_t *out, uint32_t hi, uint32_t lo) {
  out[0] = (uint8_t)(hi >> 16);
  out[1] = (uint8_t)(hi >> 8);
  out[2] = (uint8_t)hi;
  out[3] = out[4] = out[5] = out[6] = 0;
  out[7] = (uint8_t)(lo >> 24);
  out[8] = (uint8_t)(lo >> 16);
  out[9] = (uint8_t)(lo >> 8);
  out[10] = (uint8_t)lo;
  return out + OBJECT_IID;
}

static napi_value emit_object_keys(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, "emitObjectKeys(hi, sequence, last, area, state, pages)")) return NULL;
  uint32_t hi, sequence, last;
  leaf_target t;
  if (!get_u32(env, argv[0], &hi, "hi must be a number") || !get_u32(env, argv[1], &sequence, "sequence must be a number") ||
      !get_u32(env, argv[2], &last, "last must be a number") ||
      !leaf_target_open(env, argv[3], argv[4], argv[5], &t, "emitObjectKeys: a leaf area, its state and a page area are needed")) {
    return NULL;
  }
  uint8_t key[1 + OBJECT_IID];
  key[0] = KEYSPACE_THING;
  write_object_iid(key + 1, hi, 0);
  for (; sequence <= last && sequence != 0 && leaf_target_ready(&t); sequence++) {
    key[8] = (uint8_t)(sequence >> 24);
    key[9] = (uint8_t)(sequence >> 16);
    key[10] = (uint8_t)(sequence >> 8);
    key[11] = (uint8_t)sequence;
    if (!lay_node(&t, key, sizeof key, NULL, 0, 0, 0)) break;
  }
  leaf_target_close(&t);
  return make_u32(env, sequence);
}

/** The naming table's parts and the edge state, for one call. */
typedef struct {
  const uint32_t *segments;
  uint32_t segment_count;
  uint32_t objects;
  const uint32_t *type_slots;
  const uint32_t *keyed;
  const uint32_t *key_ids;
  const uint32_t *unique;
  uint32_t unique_count;
  uint32_t *edge;
  uint32_t *key_counts;
  uint32_t *expected;
  uint8_t *scratch[SCRATCH_REGIONS];
  leaf_target *leaf;
} emitter;

/** The segment (ThingOrdinals) of an ordinal: one of the last two found, else a binary search. */
static inline const uint32_t *segment_of(emitter *e, uint32_t ordinal) {
  uint32_t *edge = e->edge;
  const uint32_t *a = e->segments + (size_t)edge[EDGE_CACHE_A] * SEGMENT_WORDS;
  if (ordinal >= a[0] && ordinal < a[1]) return a;
  // Edges alternate between two things (owner and attribute, relation and player): remember two segments.
  const uint32_t *b = e->segments + (size_t)edge[EDGE_CACHE_B] * SEGMENT_WORDS;
  if (ordinal >= b[0] && ordinal < b[1]) {
    uint32_t swap = edge[EDGE_CACHE_A];
    edge[EDGE_CACHE_A] = edge[EDGE_CACHE_B];
    edge[EDGE_CACHE_B] = swap;
    return b;
  }
  uint32_t low = 0, high = e->segment_count - 1;
  while (low < high) {
    uint32_t mid = (low + high + 1) >> 1;
    if (e->segments[(size_t)mid * SEGMENT_WORDS] <= ordinal) low = mid;
    else high = mid - 1;
  }
  edge[EDGE_CACHE_B] = edge[EDGE_CACHE_A];
  edge[EDGE_CACHE_A] = low;
  return e->segments + (size_t)low * SEGMENT_WORDS;
}

static inline void ref_of(emitter *e, uint32_t ordinal, uint32_t *hi, uint32_t *lo) {
  const uint32_t *segment = segment_of(e, ordinal);
  *hi = segment[2];
  *lo = segment[3] + ordinal - segment[0];
}

/** The IID of the thing with this ordinal; an attribute's is `iid` (its length `iid_length`). */
static inline uint8_t *write_thing(emitter *e, uint8_t *out, uint32_t ordinal, const uint8_t *iid, uint32_t iid_length) {
  if (ordinal >= e->objects) {
    memcpy(out, iid, iid_length);
    return out + iid_length;
  }
  uint32_t hi, lo;
  ref_of(e, ordinal, &hi, &lo);
  return write_object_iid(out, hi, lo);
}

static inline uint32_t thing_bytes(const emitter *e, uint32_t ordinal, uint32_t iid_length) {
  return ordinal >= e->objects ? iid_length : OBJECT_IID;
}

static inline bool violation(emitter *e, uint32_t code, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  uint32_t *edge = e->edge;
  edge[EDGE_VIOLATION] = code;
  edge[EDGE_FACT_0] = a;
  edge[EDGE_FACT_1] = b;
  edge[EDGE_FACT_2] = c;
  edge[EDGE_FACT_3] = d;
  return false;
}

// @key checks over the forward ownerships (owner, attribute): every instance of a type with keys owns exactly one
// attribute of each of its key types; instances that own nothing are gaps in the owners' sequence numbers.

/** The current owner is done: it must own every key. */
static inline bool end_owner(emitter *e) {
  uint32_t *edge = e->edge;
  uint32_t slot = edge[EDGE_OWNER_SLOT];
  if (slot == 0) return true;
  const uint32_t *keyed = e->keyed + (size_t)(slot - 1) * KEYED_WORDS;
  for (uint32_t i = 0; i < keyed[2]; i++) {
    if (e->key_counts[i] == 0) return violation(e, VIOLATION_MISSING_KEYS, edge[EDGE_OWNER_HI], edge[EDGE_OWNER_LO], 0, 0);
  }
  edge[EDGE_OWNER_SLOT] = 0;
  return true;
}

static inline bool start_owner(emitter *e, uint32_t owner, uint32_t hi, uint32_t lo, const uint8_t *iid, uint32_t iid_length) {
  uint32_t *edge = e->edge;
  edge[EDGE_OWNER] = owner;
  edge[EDGE_OWNER_HI] = hi;
  edge[EDGE_OWNER_LO] = lo;
  uint32_t slot = e->type_slots[hi & 0xffff];
  edge[EDGE_OWNER_SLOT] = slot;
  if (slot == 0) return true;
  memcpy(e->scratch[SCRATCH_OWNER], iid, iid_length);
  edge[EDGE_OWNER_IID_LENGTH] = iid_length;
  const uint32_t *keyed = e->keyed + (size_t)(slot - 1) * KEYED_WORDS;
  // expected[] holds the next sequence number (or rank) plus one, 0 before the type's first owner.
  uint32_t next = e->expected[slot - 1];
  uint32_t expected = next != 0 ? next - 1 : keyed[0] != NONE ? keyed[0] : lo;
  if (expected < lo) return violation(e, VIOLATION_OWNS_NONE, hi, expected, 0, 0);
  e->expected[slot - 1] = lo + 2;
  memset(e->key_counts, 0, keyed[2] * sizeof(uint32_t));
  return true;
}

static inline bool check_ownership(emitter *e, uint32_t owner, uint32_t attribute, const uint8_t *owner_iid, uint32_t owner_iid_length) {
  uint32_t *edge = e->edge;
  if (owner != edge[EDGE_OWNER]) {
    uint32_t hi, lo;
    ref_of(e, owner, &hi, &lo);
    if (!end_owner(e) || !start_owner(e, owner, hi, lo, owner_iid, owner_iid_length)) return false;
  }
  uint32_t slot = edge[EDGE_OWNER_SLOT];
  if (slot == 0) return true;
  const uint32_t *keyed = e->keyed + (size_t)(slot - 1) * KEYED_WORDS;
  uint32_t attribute_type = segment_of(e, attribute)[2] & 0xffff;
  for (uint32_t i = 0; i < keyed[2]; i++) {
    if (e->key_ids[keyed[1] + i] != attribute_type) continue;
    if (++e->key_counts[i] > 1) return violation(e, VIOLATION_TOO_MANY_KEYS, edge[EDGE_OWNER_HI], edge[EDGE_OWNER_LO], attribute_type, e->key_counts[i]);
    return true;
  }
  return true;
}

/** The @key/@unique flags of an ownership (OWNS_*), 0 when it is neither. */
static inline uint32_t ownership_flags(const emitter *e, uint32_t owner_type, uint32_t attribute_type) {
  uint32_t pair = owner_type << 16 | attribute_type;
  uint32_t low = 0, high = e->unique_count;
  while (low < high) {
    uint32_t mid = (low + high) >> 1;
    uint32_t at = e->unique[(size_t)mid * UNIQUE_WORDS];
    if (at == pair) return e->unique[(size_t)mid * UNIQUE_WORDS + 1];
    if (at < pair) low = mid + 1;
    else high = mid;
  }
  return 0;
}

/** @unique (and @key) over the reverse ownerships (attribute, owner): no two owners of one type share one. */
static inline bool check_reverse_ownership(emitter *e, uint32_t attribute, uint32_t owner, const uint8_t *attribute_iid, uint32_t attribute_iid_length,
                                           const uint8_t *owner_iid, uint32_t owner_iid_length) {
  uint32_t *edge = e->edge;
  uint32_t owner_hi, owner_lo;
  ref_of(e, owner, &owner_hi, &owner_lo);
  if (attribute == edge[EDGE_LAST_ATTRIBUTE] && owner_hi == edge[EDGE_LAST_OWNER_HI]) {
    uint32_t attribute_hi = segment_of(e, attribute)[2];
    if (ownership_flags(e, owner_hi & 0xffff, attribute_hi & 0xffff) & OWNS_UNIQUE) {
      memcpy(e->scratch[SCRATCH_FACT_ATTRIBUTE], attribute_iid, attribute_iid_length);
      memcpy(e->scratch[SCRATCH_FACT_OWNER], owner_iid, owner_iid_length);
      edge[EDGE_FACT_ATTRIBUTE_IID_LENGTH] = attribute_iid_length;
      edge[EDGE_FACT_OWNER_IID_LENGTH] = owner_iid_length;
      return violation(e, VIOLATION_UNIQUE_TAKEN, attribute_hi, owner_hi, owner_lo, edge[EDGE_LAST_OWNER_LO]);
    }
  }
  edge[EDGE_LAST_ATTRIBUTE] = attribute;
  edge[EDGE_LAST_OWNER_HI] = owner_hi;
  edge[EDGE_LAST_OWNER_LO] = owner_lo;
  if (((owner_hi >> 16) & 0xff) == KIND_ATTRIBUTE) {
    memcpy(e->scratch[SCRATCH_LAST_OWNER], owner_iid, owner_iid_length);
    edge[EDGE_LAST_OWNER_IID_LENGTH] = owner_iid_length;
  }
  return true;
}

/** One HAS or HAS_REV record; false when it stops the call (a violation, or a key the leaf refused). */
static inline bool ownership_record(emitter *e, bool forward, const uint32_t *key, const uint8_t *payload, uint32_t payload_length, bool *damaged) {
  uint32_t *edge = e->edge;
  uint32_t first = key[0], second = key[1];
  // The same ownership listed twice, or through two IDs of one attribute: one edge.
  if (first == edge[EDGE_PREVIOUS_FIRST] && second == edge[EDGE_PREVIOUS_SECOND]) return true;
  if (payload_length < 2) {
    *damaged = true;
    return false;
  }
  uint32_t owner_iid_length = (uint32_t)payload[0] | (uint32_t)payload[1] << 8;
  if (owner_iid_length > payload_length - 2) {
    *damaged = true;
    return false;
  }
  edge[EDGE_PREVIOUS_FIRST] = first;
  edge[EDGE_PREVIOUS_SECOND] = second;
  const uint8_t *owner_iid = payload + 2;
  const uint8_t *attribute_iid = owner_iid + owner_iid_length;
  uint32_t attribute_iid_length = payload_length - 2 - owner_iid_length;
  uint32_t owner = forward ? first : second;
  uint32_t attribute = forward ? second : first;
  uint32_t key_length = 1 + thing_bytes(e, owner, owner_iid_length) + attribute_iid_length;
  // Written where a ROLE group's key would be (an ownership set has none), unless too long to be a key.
  uint8_t *bytes = e->scratch[SCRATCH_PENDING];
  uint8_t *at = bytes;
  if (key_length <= e->leaf->max_key) {
    *at++ = forward ? KEYSPACE_HAS : KEYSPACE_HAS_REVERSE;
    if (forward) {
      at = write_thing(e, at, owner, owner_iid, owner_iid_length);
      memcpy(at, attribute_iid, attribute_iid_length);
    } else {
      memcpy(at, attribute_iid, attribute_iid_length);
      write_thing(e, at + attribute_iid_length, owner, owner_iid, owner_iid_length);
    }
  }
  if (!lay_node(e->leaf, bytes, key_length, NULL, 0, 0, 0)) return false;
  edge[EDGE_EDGES]++;
  if (forward) return check_ownership(e, owner, attribute, owner_iid, owner_iid_length);
  return check_reverse_ownership(e, attribute, owner, attribute_iid, attribute_iid_length, owner_iid, owner_iid_length);
}

/** Lays the pending ROLE group's key with its count. */
static inline bool lay_role_group(emitter *e) {
  uint32_t *edge = e->edge;
  uint32_t repetitions = edge[EDGE_REPETITIONS];
  uint8_t value[4] = {(uint8_t)(repetitions >> 24), (uint8_t)(repetitions >> 16), (uint8_t)(repetitions >> 8), (uint8_t)repetitions};
  if (!lay_node(e->leaf, e->scratch[SCRATCH_PENDING], edge[EDGE_PENDING_LENGTH], value, 4, 4, 0)) return false;
  edge[EDGE_EDGES]++;
  edge[EDGE_REPEATS] += repetitions;
  edge[EDGE_REPETITIONS] = 0;
  return true;
}

/** One ROLE or ROLE_REV record: equal records add up; a group's key is laid once the next one starts. */
static inline bool role_record(emitter *e, bool forward, const uint32_t *key, const uint8_t *payload, uint32_t payload_length) {
  uint32_t *edge = e->edge;
  uint32_t first = key[0], role = key[1], third = key[2];
  if (edge[EDGE_REPETITIONS] > 0 && first == edge[EDGE_PREVIOUS_FIRST] && role == edge[EDGE_PREVIOUS_SECOND] && third == edge[EDGE_PREVIOUS_THIRD]) {
    edge[EDGE_REPETITIONS]++;
    return true;
  }
  if (edge[EDGE_REPETITIONS] > 0 && !lay_role_group(e)) return false;
  edge[EDGE_PREVIOUS_FIRST] = first;
  edge[EDGE_PREVIOUS_SECOND] = role;
  edge[EDGE_PREVIOUS_THIRD] = third;
  uint32_t relation = forward ? first : third;
  uint32_t player = forward ? third : first;
  uint32_t key_length = 1 + OBJECT_IID + 2 + thing_bytes(e, player, payload_length);
  if (key_length > e->leaf->max_key) {
    // Refused as the leaf refuses it, with its length.
    return lay_node(e->leaf, NULL, key_length, NULL, 0, 0, 0);
  }
  uint8_t *at = e->scratch[SCRATCH_PENDING];
  uint32_t hi, lo;
  *at++ = forward ? KEYSPACE_ROLE : KEYSPACE_ROLE_REVERSE;
  if (forward) {
    ref_of(e, relation, &hi, &lo);
    at = write_object_iid(at, hi, lo);
    *at++ = (uint8_t)(role >> 8);
    *at++ = (uint8_t)role;
    write_thing(e, at, player, payload, payload_length);
  } else {
    at = write_thing(e, at, player, payload, payload_length);
    *at++ = (uint8_t)(role >> 8);
    *at++ = (uint8_t)role;
    ref_of(e, relation, &hi, &lo);
    write_object_iid(at, hi, lo);
  }
  edge[EDGE_PENDING_LENGTH] = key_length;
  edge[EDGE_REPETITIONS] = 1;
  return true;
}

/** After the set's last record: the last ROLE group, or the last owner's keys. */
static inline bool finish_set(emitter *e, uint32_t set) {
  if (set == SET_ROLE || set == SET_ROLE_REVERSE) {
    if (e->edge[EDGE_REPETITIONS] > 0) return lay_role_group(e);
    return true;
  }
  if (set == SET_HAS) return end_owner(e);
  return true;
}

static napi_value emit_edge_keys(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  if (!get_args(env, info, 9, argv, "emitEdgeKeys(records, at, end, naming, edge, scratch, area, state, pages)")) return NULL;
  uint32_t *records, *naming, *edge;
  uint8_t *scratch;
  size_t records_length, naming_length, edge_length, scratch_length;
  uint32_t at, end;
  leaf_target t;
  if (!get_typed(env, argv[0], napi_uint32_array, (void **)&records, &records_length, "records must be a Uint32Array") ||
      !get_u32(env, argv[1], &at, "at must be a number") || !get_u32(env, argv[2], &end, "end must be a number") ||
      !get_typed(env, argv[3], napi_uint32_array, (void **)&naming, &naming_length, "naming must be a Uint32Array") ||
      !get_typed(env, argv[4], napi_uint32_array, (void **)&edge, &edge_length, "edge must be a Uint32Array") ||
      !get_typed(env, argv[5], napi_uint8_array, (void **)&scratch, &scratch_length, "scratch must be a Uint8Array") ||
      !leaf_target_open(env, argv[6], argv[7], argv[8], &t, "emitEdgeKeys: a leaf area, its state and a page area are needed")) {
    return NULL;
  }
  emitter e;
  bool fits = naming_length >= NAMING_HEADER && end <= records_length && at <= end && edge_length >= EDGE_HEADER && edge[EDGE_SET] <= SET_ROLE_REVERSE &&
              scratch_length >= (size_t)SCRATCH_REGIONS * t.max_key && naming[NAMING_SEGMENTS] > 0;
  if (fits) {
    size_t segments = (size_t)naming[NAMING_SEGMENTS] * SEGMENT_WORDS;
    size_t keyed = (size_t)naming[NAMING_KEYED] * KEYED_WORDS;
    size_t unique = (size_t)naming[NAMING_UNIQUE] * UNIQUE_WORDS;
    fits = naming_length >= NAMING_HEADER + segments + TYPE_SLOTS + keyed + naming[NAMING_KEY_IDS] + unique &&
           edge_length >= EDGE_HEADER + (size_t)naming[NAMING_MAX_KEYS] + naming[NAMING_KEYED] && edge[EDGE_CACHE_A] < naming[NAMING_SEGMENTS] &&
           edge[EDGE_CACHE_B] < naming[NAMING_SEGMENTS];
    e.segments = naming + NAMING_HEADER;
    e.type_slots = e.segments + segments;
    e.keyed = e.type_slots + TYPE_SLOTS;
    e.key_ids = e.keyed + keyed;
    e.unique = e.key_ids + naming[NAMING_KEY_IDS];
  }
  if (!fits) {
    napi_throw_range_error(env, NULL, "emitEdgeKeys: the records, naming table, edge state or scratch do not fit together");
    return NULL;
  }
  e.segment_count = naming[NAMING_SEGMENTS];
  e.objects = naming[NAMING_OBJECTS];
  e.unique_count = naming[NAMING_UNIQUE];
  e.edge = edge;
  e.key_counts = edge + EDGE_HEADER;
  e.expected = e.key_counts + naming[NAMING_MAX_KEYS];
  for (int r = 0; r < SCRATCH_REGIONS; r++) e.scratch[r] = scratch + (size_t)r * t.max_key;
  e.leaf = &t;
  uint32_t set = edge[EDGE_SET];
  uint32_t key_words = set <= SET_HAS_REVERSE ? 2 : 3;
  bool ownerships = set <= SET_HAS_REVERSE;
  bool forward = set == SET_HAS || set == SET_ROLE;
  bool damaged = false;
  bool going = edge[EDGE_VIOLATION] == VIOLATION_NONE;
  while (going && at < end && leaf_target_ready(&t)) {
    uint32_t payload_length = records[at];
    uint64_t size = 1 + key_words + ((uint64_t)payload_length + 3) / 4;
    if (size > end - at) {
      damaged = true;
      break;
    }
    const uint32_t *key = records + at + 1;
    const uint8_t *payload = (const uint8_t *)(key + key_words);
    going = ownerships ? ownership_record(&e, forward, key, payload, payload_length, &damaged) : role_record(&e, forward, key, payload, payload_length);
    if (going || t.status == LEAF_DONE) at += (uint32_t)size;
  }
  if (damaged) {
    napi_throw_range_error(env, NULL, "emitEdgeKeys: an edge record runs past its records or holds a malformed payload");
    return NULL;
  }
  if (going && at == end && edge[EDGE_FINISH] && !edge[EDGE_FINISHED] && leaf_target_ready(&t)) {
    if (finish_set(&e, set)) edge[EDGE_FINISHED] = 1;
  }
  leaf_target_close(&t);
  return make_u32(env, at);
}

napi_status register_store_keys(napi_env env, napi_value exports) {
  napi_status status = export_function(env, exports, "emitObjectKeys", emit_object_keys);
  if (status != napi_ok) return status;
  return export_function(env, exports, "emitEdgeKeys", emit_edge_keys);
}
