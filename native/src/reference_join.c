// The import's merge join (src/migration/import/reference-join.ts drives it): references sorted by the hash of the
// ID they name, walked against the definitions sorted by the hash of their own ID. Each resolved ownership or
// role player is checked against the schema (tables from the driver) and written as a sort record, keyed by thing
// ordinals, into a batch for the HAS or ROLE sorter; an attribute's ownership of an attribute waits in a third
// batch for the second join (mode 1), once the owning attribute's definition is known. Walking every definition
// counts the IDs defined more than once (a group of equal hashes), walking every reference those that nothing
// defines; the driver words those errors after the walk, as it words every other one, from what the kernel leaves
// in `walk.state` and the runs.
//
// Export:
//   joinReferences(definitions, references, walk, tables, has, role, owners, mode) → a JOIN_* code below.
//   Returns when the walk is done, a run must be refilled, a batch must be flushed, or a record fails a check
//   (the reference stays the next record of its run). Call again after refilling or flushing.
// Reentrant: everything kept between calls is in `walk`, owned by the driver.
#include "kernels.h"
#include "run_merge.h"

// Codes returned (JoinCode in reference-join.ts).
enum {
  JOIN_DONE = 0,
  JOIN_REFILL = 1,
  JOIN_FLUSH = 2,
  JOIN_TRUNCATED = 3,
  JOIN_ROLE_NOT_PLAYABLE = 4,
  JOIN_OWNED_NOT_ATTRIBUTE = 5,
  JOIN_OWNERSHIP_NOT_ALLOWED = 6,
  JOIN_CORRUPT_TAG = 7,
  JOIN_OWNER_VANISHED = 8,
  JOIN_IID_TOO_LONG = 9,
};

// The words of walk.state (JoinState in reference-join.ts).
enum {
  S_DEF_STAGE = 0,
  S_DEF_VALID = 1,
  S_DEF_KEY = 2,
  S_DEF_HI = 6,
  S_DEF_LO = 7,
  S_DEF_OFFSET = 8,
  S_DEF_IID_LENGTH = 10,
  S_GROUP = 11,
  S_GROUP_FIRST = 12,
  S_GROUP_SECOND = 14,
  S_DUPLICATED_IDS = 16,
  S_DUPLICATED_ITEMS = 17,
  S_HAS_DUPLICATE = 18,
  S_DUPLICATE_FIRST = 19,
  S_DUPLICATE_SECOND = 21,
  S_MISSING = 23,
  S_HAS_MISSING = 24,
  S_MISSING_OFFSET = 25,
  S_MISSING_HASH = 27,
  S_RUN = 31,
  S_SIDE = 32,
  S_DETAIL = 33,
  STATE_WORDS = 34,
};

/** Where the walk of the definitions stands: a group to load next, a group being read, a group read whole. */
enum { STAGE_LOAD = 0, STAGE_GROUP = 1, STAGE_READY = 2 };
/** The batch a JOIN_FLUSH names in S_RUN. */
enum { BATCH_HAS = 0, BATCH_ROLE = 1, BATCH_OWNERS = 2 };
/** Reference record tags (records.ts). */
enum { REFERENCE_OWNED = 1, REFERENCE_OWNED_BY_ATTRIBUTE = 2, REFERENCE_PLAYER = 3 };
/** Bits of tables.allowed: the row's type plays the column's role type, owns the column's attribute type. */
enum { ALLOWS_PLAYING = 1, ALLOWS_OWNING = 2 };

#define HASH_WORDS 4
#define TYPES (1u << 16)
#define SECOND_HALF 0x80000000u

typedef struct {
  uint32_t objects;
  uint32_t attribute_kind;
  const uint32_t *base;
  const uint32_t *first_half;
  const uint16_t *rows;
  const uint16_t *columns;
  uint32_t width;
  const uint8_t *allowed;
  size_t allowed_length;
} tables_t;

typedef struct {
  runs_t defs;
  runs_t refs;
  uint32_t *state;
  uint8_t *iid;
  size_t iid_capacity;
  tables_t tables;
  batch_t has;
  batch_t role;
  batch_t owners;
} join_t;

static inline uint64_t state_u64(const uint32_t *state, uint32_t at) {
  return (uint64_t)state[at] | ((uint64_t)state[at + 1] << 32);
}

static inline void set_state_u64(uint32_t *state, uint32_t at, uint64_t value) {
  state[at] = (uint32_t)value;
  state[at + 1] = (uint32_t)(value >> 32);
}

/** The ordinal of the thing with ThingRef (hi, lo), as ThingOrdinals.of. */
static inline uint32_t ordinal_of(const tables_t *t, uint32_t hi, uint32_t lo) {
  if (((hi >> 16) & 0xff) == t->attribute_kind) return t->objects + lo;
  uint32_t type = hi & 0xffff;
  if (lo >= SECOND_HALF) lo = lo - SECOND_HALF + t->first_half[type];
  return t->base[type] + lo - 1;
}

static inline bool allows(const tables_t *t, uint32_t type, uint32_t target, uint8_t what) {
  uint32_t row = t->rows[type & 0xffff];
  uint32_t column = t->columns[target & 0xffff];
  if (row == 0 || column == 0) return false;
  size_t at = (size_t)(row - 1) * t->width + (column - 1);
  return at < t->allowed_length && (t->allowed[at] & what) != 0;
}

/** The code for a run that must be refilled or is truncated, naming it in the state. */
static int run_stop(join_t *j, int head, uint32_t which, uint32_t side) {
  j->state[S_RUN] = which;
  j->state[S_SIDE] = side;
  return head == HEAD_REFILL ? JOIN_REFILL : JOIN_TRUNCATED;
}

/** Reads definitions until the current group is read whole (or there is none left): 0, or a code to return. */
static int definitions_ready(join_t *j) {
  uint32_t *s = j->state;
  runs_t *defs = &j->defs;
  while (s[S_DEF_STAGE] != STAGE_READY) {
    uint32_t which = 0;
    int head = runs_head(defs, &which);
    if (head == HEAD_REFILL || head == HEAD_TRUNCATED) return run_stop(j, head, which, 0);
    if (s[S_DEF_STAGE] == STAGE_LOAD) {
      if (head == HEAD_END) {
        s[S_DEF_VALID] = 0;
        s[S_DEF_STAGE] = STAGE_READY;
        break;
      }
      const uint32_t *key = run_at(defs, (uint32_t)head) + 1;
      const uint8_t *payload = run_payload(defs, (uint32_t)head);
      uint32_t length = run_payload_length(defs, (uint32_t)head);
      uint32_t iid_length = length > 16 ? length - 16 : 0;
      if (iid_length > j->iid_capacity) return JOIN_IID_TOO_LONG;
      for (uint32_t w = 0; w < HASH_WORDS; w++) s[S_DEF_KEY + w] = key[w];
      s[S_DEF_HI] = read_u32le(payload);
      s[S_DEF_LO] = read_u32le(payload + 4);
      s[S_DEF_OFFSET] = read_u32le(payload + 8);
      s[S_DEF_OFFSET + 1] = read_u32le(payload + 12);
      copy_bytes(j->iid, payload + 16, iid_length);
      s[S_DEF_IID_LENGTH] = iid_length;
      s[S_DEF_VALID] = 1;
      s[S_GROUP] = 1;
      s[S_GROUP_FIRST] = s[S_DEF_OFFSET];
      s[S_GROUP_FIRST + 1] = s[S_DEF_OFFSET + 1];
      set_state_u64(s, S_GROUP_SECOND, UINT64_MAX);
      run_consume(defs, (uint32_t)head);
      s[S_DEF_STAGE] = STAGE_GROUP;
      continue;
    }
    // STAGE_GROUP: the records after the current one with its key are duplicates.
    if (head != HEAD_END) {
      const uint32_t *key = run_at(defs, (uint32_t)head) + 1;
      bool same = true;
      for (uint32_t w = 0; w < HASH_WORDS && same; w++) same = key[w] == s[S_DEF_KEY + w];
      if (same) {
        uint64_t offset = read_u64le(run_payload(defs, (uint32_t)head) + 8);
        uint64_t first = state_u64(s, S_GROUP_FIRST);
        s[S_GROUP]++;
        if (offset < first) {
          set_state_u64(s, S_GROUP_SECOND, first);
          set_state_u64(s, S_GROUP_FIRST, offset);
        } else if (offset < state_u64(s, S_GROUP_SECOND)) {
          set_state_u64(s, S_GROUP_SECOND, offset);
        }
        run_consume(defs, (uint32_t)head);
        continue;
      }
    }
    if (s[S_GROUP] > 1) {
      s[S_DUPLICATED_IDS]++;
      s[S_DUPLICATED_ITEMS] += s[S_GROUP];
      // The duplicate noticed first when reading the file: the group whose second item comes earliest.
      uint64_t second = state_u64(s, S_GROUP_SECOND);
      if (!s[S_HAS_DUPLICATE] || second < state_u64(s, S_DUPLICATE_SECOND)) {
        s[S_HAS_DUPLICATE] = 1;
        set_state_u64(s, S_DUPLICATE_FIRST, state_u64(s, S_GROUP_FIRST));
        set_state_u64(s, S_DUPLICATE_SECOND, second);
      }
    }
    s[S_DEF_STAGE] = STAGE_READY;
  }
  return 0;
}

/** Moves to the definition of `hash` (*found) or to the first one after it: 0, or a code to return. */
static int seek(join_t *j, const uint32_t *hash, bool *found) {
  uint32_t *s = j->state;
  for (;;) {
    int code = definitions_ready(j);
    if (code != 0) return code;
    if (!s[S_DEF_VALID]) {
      *found = false;
      return 0;
    }
    int order = 0;
    for (uint32_t w = 0; w < HASH_WORDS && order == 0; w++) {
      uint32_t x = s[S_DEF_KEY + w];
      if (x != hash[w]) order = x < hash[w] ? -1 : 1;
    }
    if (order >= 0) {
      *found = order == 0;
      return 0;
    }
    s[S_DEF_STAGE] = STAGE_LOAD;
  }
}

/** A HAS record: [owner, attribute] | owner IID length u16, owner IID (attribute owners only), attribute IID. */
static void add_ownership(batch_t *has, uint32_t owner, const uint8_t *owner_iid, uint32_t owner_iid_length,
                          uint32_t attribute, const uint8_t *attribute_iid, uint32_t attribute_iid_length) {
  uint32_t *key = batch_add(has, 2, 2 + owner_iid_length + attribute_iid_length);
  key[0] = owner;
  key[1] = attribute;
  uint8_t *payload = (uint8_t *)(key + 2);
  payload[0] = (uint8_t)owner_iid_length;
  payload[1] = (uint8_t)(owner_iid_length >> 8);
  copy_bytes(payload + 2, owner_iid, owner_iid_length);
  copy_bytes(payload + 2 + owner_iid_length, attribute_iid, attribute_iid_length);
}

/**
 * Phase 2b: one reference, the next record of run `run`, whose definition was sought (`found`). 0 when it is done,
 * or a code to return.
 */
static int join_reference(join_t *j, uint32_t run, bool found) {
  uint32_t *s = j->state;
  const tables_t *t = &j->tables;
  const uint32_t *key = run_at(&j->refs, run) + 1;
  const uint8_t *p = run_payload(&j->refs, run);
  uint32_t length = run_payload_length(&j->refs, run);
  if (!found) {
    uint64_t offset = read_u64le(p + length - 8);
    s[S_MISSING]++;
    if (!s[S_HAS_MISSING] || offset < state_u64(s, S_MISSING_OFFSET)) {
      s[S_HAS_MISSING] = 1;
      set_state_u64(s, S_MISSING_OFFSET, offset);
      for (uint32_t w = 0; w < HASH_WORDS; w++) s[S_MISSING_HASH + w] = key[w];
    }
    return 0;
  }
  if (s[S_MISSING] > 0) return 0;  // failing anyway: only count the rest
  uint32_t target_hi = s[S_DEF_HI];
  uint32_t target_lo = s[S_DEF_LO];
  uint32_t iid_length = s[S_DEF_IID_LENGTH];
  uint8_t tag = p[0];
  if (tag == REFERENCE_PLAYER) {
    uint32_t role = (uint32_t)p[9] | ((uint32_t)p[10] << 8);
    if (!allows(t, target_hi & 0xffff, role, ALLOWS_PLAYING)) return JOIN_ROLE_NOT_PLAYABLE;
    uint32_t player = ordinal_of(t, target_hi, target_lo);
    uint32_t iid_bytes = player >= t->objects ? iid_length : 0;
    if (!batch_has_room(&j->role, 3, iid_bytes)) {
      s[S_RUN] = BATCH_ROLE;
      return JOIN_FLUSH;
    }
    uint32_t *out = batch_add(&j->role, 3, iid_bytes);
    out[0] = ordinal_of(t, read_u32le(p + 1), read_u32le(p + 5));
    out[1] = role;
    out[2] = player;
    copy_bytes((uint8_t *)(out + 3), j->iid, iid_bytes);
    return 0;
  }
  // An ownership: the named thing must be an attribute.
  if (((target_hi >> 16) & 0xff) != t->attribute_kind) return JOIN_OWNED_NOT_ATTRIBUTE;
  if (tag == REFERENCE_OWNED) {
    uint32_t owner_hi = read_u32le(p + 1);
    if (!allows(t, owner_hi & 0xffff, target_hi & 0xffff, ALLOWS_OWNING)) return JOIN_OWNERSHIP_NOT_ALLOWED;
    if (!batch_has_room(&j->has, 2, 2 + iid_length)) {
      s[S_RUN] = BATCH_HAS;
      return JOIN_FLUSH;
    }
    add_ownership(&j->has, ordinal_of(t, owner_hi, read_u32le(p + 5)), NULL, 0, ordinal_of(t, target_hi, target_lo), j->iid, iid_length);
    return 0;
  }
  if (tag == REFERENCE_OWNED_BY_ATTRIBUTE) {
    // An ATTRIBUTE_OWNER record: [owner id hash] | attribute hi, lo, offset, attribute id hash, attribute IID.
    uint32_t payload_bytes = 16 + 4 * HASH_WORDS + iid_length;
    if (!batch_has_room(&j->owners, HASH_WORDS, payload_bytes)) {
      s[S_RUN] = BATCH_OWNERS;
      return JOIN_FLUSH;
    }
    uint32_t *out = batch_add(&j->owners, HASH_WORDS, payload_bytes);
    for (uint32_t w = 0; w < HASH_WORDS; w++) out[w] = read_u32le(p + 1 + 4 * w);
    uint8_t *payload = (uint8_t *)(out + HASH_WORDS);
    write_u32le(payload, target_hi);
    write_u32le(payload + 4, target_lo);
    write_u64le(payload + 8, read_u64le(p + 1 + 4 * HASH_WORDS));
    for (uint32_t w = 0; w < HASH_WORDS; w++) write_u32le(payload + 16 + 4 * w, key[w]);
    copy_bytes(payload + 16 + 4 * HASH_WORDS, j->iid, iid_length);
    return 0;
  }
  s[S_DETAIL] = tag;
  return JOIN_CORRUPT_TAG;
}

/** Phase 2c: one ownership listed on an attribute item, its owner's definition sought. 0 when done, or a code. */
static int join_attribute_owner(join_t *j, uint32_t run, bool found) {
  uint32_t *s = j->state;
  const tables_t *t = &j->tables;
  const uint8_t *p = run_payload(&j->refs, run);
  uint32_t length = run_payload_length(&j->refs, run);
  // Every owner hash is an attribute item's own ID, so it is defined (duplicates failed in phase 2b).
  if (!found) return JOIN_OWNER_VANISHED;
  uint32_t attribute_hi = read_u32le(p);
  uint32_t attribute_lo = read_u32le(p + 4);
  const uint8_t *attribute_iid = p + 16 + 4 * HASH_WORDS;
  uint32_t attribute_iid_length = length - (16 + 4 * HASH_WORDS);
  if (!allows(t, s[S_DEF_HI] & 0xffff, attribute_hi & 0xffff, ALLOWS_OWNING)) return JOIN_OWNERSHIP_NOT_ALLOWED;
  uint32_t owner_iid_length = s[S_DEF_IID_LENGTH];
  if (!batch_has_room(&j->has, 2, 2 + owner_iid_length + attribute_iid_length)) {
    s[S_RUN] = BATCH_HAS;
    return JOIN_FLUSH;
  }
  add_ownership(&j->has, ordinal_of(t, s[S_DEF_HI], s[S_DEF_LO]), j->iid, owner_iid_length,
                ordinal_of(t, attribute_hi, attribute_lo), attribute_iid, attribute_iid_length);
  return 0;
}

static int join(join_t *j, uint32_t mode) {
  for (;;) {
    uint32_t which = 0;
    int head = runs_head(&j->refs, &which);
    if (head == HEAD_REFILL || head == HEAD_TRUNCATED) return run_stop(j, head, which, 1);
    if (head == HEAD_END) break;
    // The definition of the ID the record names (phase 2b) or of its owner (2c): both are the record's key.
    bool found = false;
    int code = seek(j, run_at(&j->refs, (uint32_t)head) + 1, &found);
    if (code != 0) return code;
    j->state[S_RUN] = (uint32_t)head;
    code = mode == 0 ? join_reference(j, (uint32_t)head, found) : join_attribute_owner(j, (uint32_t)head, found);
    if (code != 0) return code;
    run_consume(&j->refs, (uint32_t)head);
  }
  if (mode != 0) return JOIN_DONE;
  // Every definition is walked, so that every duplicated ID is counted.
  for (;;) {
    int code = definitions_ready(j);
    if (code != 0) return code;
    if (!j->state[S_DEF_VALID]) return JOIN_DONE;
    j->state[S_DEF_STAGE] = STAGE_LOAD;
  }
}

static bool get_named_typed(napi_env env, napi_value object, const char *key, napi_typedarray_type type, void **data, size_t *length) {
  napi_value value;
  if (napi_get_named_property(env, object, key, &value) != napi_ok) {
    napi_throw_type_error(env, NULL, "joinReferences: a table or state array is missing");
    return false;
  }
  return get_typed(env, value, type, data, length, "joinReferences: a table or state array is of the wrong type");
}

static bool get_named_u32(napi_env env, napi_value object, const char *key, uint32_t *out) {
  napi_value value;
  if (napi_get_named_property(env, object, key, &value) != napi_ok) {
    napi_throw_type_error(env, NULL, "joinReferences: a table number is missing");
    return false;
  }
  return get_u32(env, value, out, "joinReferences: a table number is not an unsigned integer");
}

static bool get_tables(napi_env env, napi_value object, tables_t *t) {
  size_t length = 0;
  size_t allowed_length = 0;
  bool ok = get_named_u32(env, object, "objects", &t->objects) && get_named_u32(env, object, "attributeKind", &t->attribute_kind) &&
            get_named_u32(env, object, "width", &t->width) &&
            get_named_typed(env, object, "base", napi_uint32_array, (void **)&t->base, &length) && length >= TYPES &&
            get_named_typed(env, object, "firstHalf", napi_uint32_array, (void **)&t->first_half, &length) && length >= TYPES &&
            get_named_typed(env, object, "rows", napi_uint16_array, (void **)&t->rows, &length) && length >= TYPES &&
            get_named_typed(env, object, "columns", napi_uint16_array, (void **)&t->columns, &length) && length >= TYPES &&
            get_named_typed(env, object, "allowed", napi_uint8_array, (void **)&t->allowed, &allowed_length);
  t->allowed_length = allowed_length;
  return ok;
}

static napi_value join_references(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (!get_args(env, info, 8, argv, "joinReferences(definitions, references, walk, tables, has, role, owners, mode)")) return NULL;
  join_t j;
  memset(&j, 0, sizeof(j));
  uint32_t mode = 0;
  size_t state_length = 0;
  if (!get_named_typed(env, argv[2], "state", napi_uint32_array, (void **)&j.state, &state_length) ||
      !get_named_typed(env, argv[2], "iid", napi_uint8_array, (void **)&j.iid, &j.iid_capacity) || !get_tables(env, argv[3], &j.tables) ||
      !get_batch(env, argv[4], &j.has, "joinReferences: has must be a sorter batch") ||
      !get_batch(env, argv[5], &j.role, "joinReferences: role must be a sorter batch") ||
      !get_batch(env, argv[6], &j.owners, "joinReferences: owners must be a sorter batch") ||
      !get_u32(env, argv[7], &mode, "joinReferences: mode must be 0 or 1")) {
    return NULL;
  }
  if (state_length < STATE_WORDS || mode > 1) {
    napi_throw_type_error(env, NULL, "joinReferences: the walk state is too short, or the mode unknown");
    return NULL;
  }
  if (!get_runs(env, argv[0], HASH_WORDS, ORDER_KEYS, &j.defs, "joinReferences: definitions must be a run set")) return NULL;
  if (!get_runs(env, argv[1], HASH_WORDS, ORDER_KEYS, &j.refs, "joinReferences: references must be a run set")) {
    free(j.defs.words);
    return NULL;
  }
  int code = join(&j, mode);
  free(j.defs.words);
  free(j.refs.words);
  return make_u32(env, (uint32_t)code);
}

napi_status register_reference_join(napi_env env, napi_value exports) {
  return export_function(env, exports, "joinReferences", join_references);
}
