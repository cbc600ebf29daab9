// Pass 1 of an import, natively: the plain data items parsed by viewItems (item_views.c) become the sort records of
// the definitions, attributes and references sorters (src/migration/import/records.ts gives their layouts), many
// items per call, written straight into the sorters' word arrays. The driver is src/migration/import/view-indexer.ts.
//
// Export: indexViews(table, buf, offsets, from, to, state, definitions, attributes, references, room) → the row
// reached. `table` is viewItems' output (ViewTable), rows [from, to) of it are indexed; offsets[row] is the file
// offset of the row's record. `state` is { types, roles, labels, sequences, control, counts } (view-indexer.ts lays
// them out). The three Uint32Arrays are the sorters' memory; `room(sorter, words)` is called when a record of
// `words` words would cross a sorter's spill limit or its array's end, and returns the sorter's array after it made
// room (spilled or grew). A sorter's fill (words used, records, the size of every record or -1, the spill limit) is
// in control, read and written by both sides.
//
// The call stops at the first row it does not index, and says why in control[CONTROL_STATUS]: the row is not a
// plain item, or fails a check, or has a value only the full path encodes (STATUS_DECLINED: the full decoder and the
// TypeScript checks take it, so that messages are made in one place), or is a string of a type with a regex
// (STATUS_REGEX: the driver tests it, and calls again with control[CONTROL_REGEX_ROW] set to the row if it matches).
// Nothing is written for a row it stops at: every check comes before the first record is written.
// Reentrant: state is on the stack and in the arrays passed.
#include <math.h>
#include <string.h>
#include "kernels.h"
#include "napi-args.h"

// viewItems' table row (item_views.c; item-view.ts).
enum {
  F_KIND, F_ID_START, F_ID_END, F_LABEL_START, F_LABEL_END, F_OWNED_FROM, F_OWNED_COUNT, F_ROLE_FROM, F_ROLE_COUNT,
  F_PLAYER_FROM, F_PLAYER_COUNT, F_VALUE_KIND, F_STRING_START, F_STRING_END, F_BOOLEAN, F_BITS_HI, F_BITS_LO,
  F_HASH_FROM, RECORD_FIELDS
};
enum { KIND_DECLINED, KIND_ENTITY, KIND_RELATION, KIND_ATTRIBUTE };
enum { VALUE_KIND_STRING, VALUE_KIND_BOOLEAN, VALUE_KIND_LONG, VALUE_KIND_DOUBLE, VALUE_KIND_DATETIME };
// The value type codes of encoding/value-codec.ts, by view value kind.
static const uint8_t VALUE_TYPE_CODE[] = {4, 1, 2, 3, 5};
#define ATTRIBUTE_KIND 3
#define STRING_INLINE_LIMIT 200
#define MAX_SEQUENCE 0x7fffffffu
#define SECOND_HALF 0x80000000u

// view-indexer.ts: a type slot, a role slot, the control words.
enum { T_LABEL_START, T_LABEL_LENGTH, T_ID, T_KIND, T_ABSTRACT, T_VALUE_TYPE, T_REGEX, TYPE_FIELDS };
enum { R_LABEL_START, R_LABEL_LENGTH, R_RELATION, R_ROLE, ROLE_FIELDS };
enum { CONTROL_STATUS, CONTROL_DETAIL, CONTROL_SECOND_HALF, CONTROL_REGEX_ROW, CONTROL_SINKS };
enum { SINK_USED, SINK_COUNT, SINK_UNIFORM, SINK_LIMIT, SINK_FIELDS };
enum { STATUS_DONE, STATUS_DECLINED, STATUS_REGEX };
enum { COUNT_ENTITIES, COUNT_ATTRIBUTES, COUNT_RELATIONS, COUNT_ROLES, COUNT_OWNERSHIPS, COUNTS };
enum { SINK_DEFINITIONS, SINK_ATTRIBUTES, SINK_REFERENCES, SINKS };
static const uint32_t KEY_WORDS[SINKS] = {4, 3, 4};
// records.ts: the tags of reference payloads.
#define REFERENCE_OWNED 1
#define REFERENCE_OWNED_BY_ATTRIBUTE 2
#define REFERENCE_PLAYER 3

typedef struct {
  uint32_t *words;
  size_t capacity;  // words
  int32_t *fill;    // SINK_FIELDS words of control
} sink_t;

typedef struct {
  napi_env env;
  napi_value room;
  sink_t sinks[SINKS];
  bool failed;  // a JavaScript exception is pending
} indexer_t;

typedef struct {
  const int32_t *slots;
  uint32_t mask;  // slot count - 1
  const uint8_t *labels;
  size_t labels_length;
} label_table_t;

/** FNV-1a, as view-indexer.ts hashes labels into slots. */
static uint32_t label_hash(const uint8_t *bytes, uint32_t length) {
  uint32_t hash = 0x811c9dc5u;
  for (uint32_t i = 0; i < length; i++) hash = (hash ^ bytes[i]) * 0x01000193u;
  return hash;
}

static bool label_equals(const label_table_t *t, const int32_t *slot, const uint8_t *bytes, uint32_t length) {
  return (uint32_t)slot[1] == length && (size_t)slot[0] + length <= t->labels_length && memcmp(t->labels + slot[0], bytes, length) == 0;
}

/**
 * The slot of the label bytes[0, length) (and relation, for roles: -1 for types), or NULL. Empty slots have a
 * label length of -1; the driver sizes tables to leave many, so a probe meets one soon.
 */
static const int32_t *find_label(const label_table_t *t, size_t fields, int32_t relation, const uint8_t *bytes, uint32_t length) {
  uint32_t hash = label_hash(bytes, length);
  if (relation >= 0) hash ^= (uint32_t)relation * 0x9e3779b1u;
  for (uint32_t probes = 0, i = hash & t->mask; probes <= t->mask; probes++, i = (i + 1) & t->mask) {
    const int32_t *slot = t->slots + (size_t)i * fields;
    if (slot[1] < 0) return NULL;
    if ((relation < 0 || slot[R_RELATION] == relation) && label_equals(t, slot, bytes, length)) return slot;
  }
  return NULL;
}

/** Calls room(sorter, words); false with the exception pending if it threw or returned no Uint32Array. */
static bool make_room(indexer_t *x, int sorter, uint32_t words) {
  napi_value args[2], global, result;
  napi_get_global(x->env, &global);
  napi_create_int32(x->env, sorter, &args[0]);
  napi_create_uint32(x->env, words, &args[1]);
  if (napi_call_function(x->env, global, x->room, 2, args, &result) != napi_ok) {
    x->failed = true;
    return false;
  }
  sink_t *s = &x->sinks[sorter];
  if (!get_typed(x->env, result, napi_uint32_array, (void **)&s->words, &s->capacity, "indexViews: room() must return the sorter's Uint32Array")) {
    x->failed = true;
    return false;
  }
  if ((size_t)s->fill[SINK_USED] + words > s->capacity) {
    x->failed = true;
    napi_throw_range_error(x->env, NULL, "indexViews: room() left no room");
    return false;
  }
  return true;
}

/**
 * Adds a record of `payload` bytes with the key `key` to a sorter, as ExternalSorter.append; returns where the
 * payload goes (its padding zeroed), or NULL with an exception pending.
 */
static uint8_t *append(indexer_t *x, int sorter, const uint32_t *key, uint32_t payload) {
  sink_t *s = &x->sinks[sorter];
  int32_t *fill = s->fill;
  uint32_t key_words = KEY_WORDS[sorter];
  uint32_t size = 1 + key_words + ((payload + 3) >> 2);
  uint32_t used = (uint32_t)fill[SINK_USED];
  if ((fill[SINK_COUNT] > 0 && used + size > (uint32_t)fill[SINK_LIMIT]) || used + size > s->capacity) {
    if (!make_room(x, sorter, size)) return NULL;
    used = (uint32_t)fill[SINK_USED];
  }
  if ((int32_t)size != fill[SINK_UNIFORM]) fill[SINK_UNIFORM] = fill[SINK_COUNT] == 0 ? (int32_t)size : -1;
  uint32_t *at = s->words + used;
  at[size - 1] = 0;  // the padding of the last word (a payload of whole words overwrites it)
  at[0] = payload;
  memcpy(at + 1, key, 4 * key_words);
  fill[SINK_USED] = (int32_t)(used + size);
  fill[SINK_COUNT]++;
  return (uint8_t *)(at + 1 + key_words);
}

static inline void put_u32(uint8_t *at, uint32_t v) { memcpy(at, &v, 4); }  // little-endian, as the machines Node runs on
static inline void put_u16(uint8_t *at, uint32_t v) {
  at[0] = (uint8_t)v;
  at[1] = (uint8_t)(v >> 8);
}
static inline void put_offset(uint8_t *at, double offset) {
  uint64_t v = (uint64_t)offset;
  memcpy(at, &v, 8);
}
static inline void put_u32be(uint8_t *at, uint32_t v) {
  at[0] = (uint8_t)(v >> 24);
  at[1] = (uint8_t)(v >> 16);
  at[2] = (uint8_t)(v >> 8);
  at[3] = (uint8_t)v;
}

/** The attribute's IID (encoding/iid.ts's attributeIID), or 0 when only the full path encodes it. */
static uint32_t attribute_iid(const uint8_t *buf, const int32_t *row, double number, uint32_t type_id, uint8_t *iid) {
  int32_t value_kind = row[F_VALUE_KIND];
  iid[0] = ATTRIBUTE_KIND;
  iid[1] = (uint8_t)(type_id >> 8);
  iid[2] = (uint8_t)type_id;
  iid[3] = VALUE_TYPE_CODE[value_kind];
  switch (value_kind) {
    case VALUE_KIND_STRING: {
      uint32_t length = (uint32_t)(row[F_STRING_END] - row[F_STRING_START]);
      if (length > STRING_INLINE_LIMIT) return 0;  // keyed by a hash
      iid[4] = (uint8_t)(length >> 8);
      iid[5] = (uint8_t)length;
      memcpy(iid + 6, buf + row[F_STRING_START], length);
      return 6 + length;
    }
    case VALUE_KIND_BOOLEAN:
      iid[4] = (uint8_t)row[F_BOOLEAN];
      return 5;
    case VALUE_KIND_LONG:
    case VALUE_KIND_DATETIME:
      // Two's complement with the sign bit flipped, big-endian: the order of the signed values.
      put_u32be(iid + 4, (uint32_t)row[F_BITS_HI] ^ 0x80000000u);
      put_u32be(iid + 8, (uint32_t)row[F_BITS_LO]);
      return 12;
    case VALUE_KIND_DOUBLE: {
      // NaN's bits are whatever the file holds: the full path makes the one NaN of its encoder.
      if (isnan(number)) return 0;
      if (number == 0) number = 0;  // -0 is 0
      uint64_t bits;
      memcpy(&bits, &number, 8);
      bits = (bits >> 63) ? ~bits : bits | (1ull << 63);
      put_u32be(iid + 4, (uint32_t)(bits >> 32));
      put_u32be(iid + 8, (uint32_t)bits);
      return 12;
    }
    default:
      return 0;
  }
}

/** The first 12 bytes of iid[0, length), zero-padded, as three big-endian words (records.ts's iidPrefixWords). */
static void iid_prefix_words(const uint8_t *iid, uint32_t length, uint32_t *out) {
  uint8_t prefix[12] = {0};
  memcpy(prefix, iid, length < 12 ? length : 12);
  for (int w = 0; w < 3; w++) out[w] = ((uint32_t)prefix[4 * w] << 24) | ((uint32_t)prefix[4 * w + 1] << 16) | ((uint32_t)prefix[4 * w + 2] << 8) | prefix[4 * w + 3];
}

typedef struct {
  const int32_t *table;
  const double *doubles;
  const int32_t *roles;
  const uint32_t *hashes;
  size_t hashes_length, roles_length;  // in words
  const uint8_t *buf;
  size_t buf_length;
  const double *offsets;
  label_table_t types, role_labels;
  uint32_t *sequences;
  int32_t *control;
  double *counts;
} batch_t;

typedef enum { ROW_INDEXED, ROW_STOPPED, ROW_FAILED, ROW_FAILED_RANGE } row_result;

static row_result stop(batch_t *b, int32_t status, int32_t detail) {
  b->control[CONTROL_STATUS] = status;
  b->control[CONTROL_DETAIL] = detail;
  return ROW_STOPPED;
}

/** An entity or relation: its definition, its ownerships, its players. */
static row_result index_object(indexer_t *x, batch_t *b, const int32_t *row, const int32_t *type, double offset) {
  uint32_t type_id = (uint32_t)type[T_ID];
  if (b->sequences[type_id] >= MAX_SEQUENCE) return stop(b, STATUS_DECLINED, 0);
  uint16_t role_ids[64];
  int32_t role_count = row[F_ROLE_COUNT];
  bool relation = row[F_KIND] == KIND_RELATION;
  if (relation) {
    if (row[F_PLAYER_COUNT] == 0 || role_count > 64) return stop(b, STATUS_DECLINED, 0);
    for (int32_t r = 0; r < role_count; r++) {
      const int32_t *role = b->roles + 4 * (size_t)(row[F_ROLE_FROM] + r);
      const int32_t *slot = find_label(&b->role_labels, ROLE_FIELDS, (int32_t)type_id, b->buf + role[0], (uint32_t)(role[1] - role[0]));
      if (slot == NULL) return stop(b, STATUS_DECLINED, 0);
      role_ids[r] = (uint16_t)slot[R_ROLE];
    }
  }
  uint32_t sequence = ++b->sequences[type_id];
  uint32_t lo = b->control[CONTROL_SECOND_HALF] ? SECOND_HALF + sequence : sequence;
  uint32_t hi = ((uint32_t)type[T_KIND] << 16) | type_id;
  const uint32_t *hash = b->hashes + 4 * (size_t)row[F_HASH_FROM];
  uint8_t *at = append(x, SINK_DEFINITIONS, hash, 16);
  if (at == NULL) return ROW_FAILED;
  put_u32(at, hi);
  put_u32(at + 4, lo);
  put_offset(at + 8, offset);
  int32_t owned = row[F_OWNED_COUNT];
  for (int32_t i = 0; i < owned; i++) {
    if ((at = append(x, SINK_REFERENCES, hash + 4 * (1 + i), 17)) == NULL) return ROW_FAILED;
    at[0] = REFERENCE_OWNED;
    put_u32(at + 1, hi);
    put_u32(at + 5, lo);
    put_offset(at + 9, offset);
  }
  if (relation) {
    // The players' hashes follow the owned attributes'.
    const uint32_t *players = hash + 4 * (1 + owned);
    for (int32_t r = 0; r < role_count; r++) {
      const int32_t *role = b->roles + 4 * (size_t)(row[F_ROLE_FROM] + r);
      for (int32_t p = role[2]; p < role[3]; p++) {
        if ((at = append(x, SINK_REFERENCES, players + 4 * (size_t)(p - row[F_PLAYER_FROM]), 19)) == NULL) return ROW_FAILED;
        at[0] = REFERENCE_PLAYER;
        put_u32(at + 1, hi);
        put_u32(at + 5, lo);
        put_u16(at + 9, role_ids[r]);
        put_offset(at + 11, offset);
      }
    }
  }
  b->counts[relation ? COUNT_RELATIONS : COUNT_ENTITIES]++;
  b->counts[COUNT_OWNERSHIPS] += owned;
  b->counts[COUNT_ROLES] += row[F_PLAYER_COUNT];
  return ROW_INDEXED;
}

/** An attribute: its record (IID and value record), and the ownerships it lists. */
static row_result index_attribute(indexer_t *x, batch_t *b, int32_t row_index, const int32_t *row, const int32_t *type, double offset) {
  int32_t value_kind = row[F_VALUE_KIND];
  if (value_kind < 0 || value_kind > VALUE_KIND_DATETIME || VALUE_TYPE_CODE[value_kind] != type[T_VALUE_TYPE]) return stop(b, STATUS_DECLINED, 0);
  uint8_t iid[6 + STRING_INLINE_LIMIT];
  uint32_t iid_length = attribute_iid(b->buf, row, b->doubles[row_index], (uint32_t)type[T_ID], iid);
  if (iid_length == 0) return stop(b, STATUS_DECLINED, 0);
  if (type[T_REGEX] && value_kind == VALUE_KIND_STRING && b->control[CONTROL_REGEX_ROW] != row_index) return stop(b, STATUS_REGEX, type[T_ID]);
  // The value record: a string's type code and bytes, other values' type code and key bytes (the IID's tail).
  uint32_t string_length = (uint32_t)(row[F_STRING_END] - row[F_STRING_START]);
  uint32_t record_length = value_kind == VALUE_KIND_STRING ? 1 + string_length : iid_length - 3;
  uint32_t key[3];
  iid_prefix_words(iid, iid_length, key);
  const uint32_t *hash = b->hashes + 4 * (size_t)row[F_HASH_FROM];
  uint8_t *at = append(x, SINK_ATTRIBUTES, key, 16 + 10 + iid_length + record_length);
  if (at == NULL) return ROW_FAILED;
  memcpy(at, hash, 16);
  put_offset(at + 16, offset);
  put_u16(at + 24, iid_length);
  memcpy(at + 26, iid, iid_length);
  at += 26 + iid_length;
  if (value_kind == VALUE_KIND_STRING) {
    at[0] = VALUE_TYPE_CODE[VALUE_KIND_STRING];
    memcpy(at + 1, b->buf + row[F_STRING_START], string_length);
  } else {
    memcpy(at, iid + 3, record_length);
  }
  int32_t owned = row[F_OWNED_COUNT];
  for (int32_t i = 0; i < owned; i++) {
    if ((at = append(x, SINK_REFERENCES, hash + 4 * (1 + i), 25)) == NULL) return ROW_FAILED;
    at[0] = REFERENCE_OWNED_BY_ATTRIBUTE;
    memcpy(at + 1, hash, 16);
    put_offset(at + 17, offset);
  }
  b->counts[COUNT_ATTRIBUTES]++;
  b->counts[COUNT_OWNERSHIPS] += owned;
  return ROW_INDEXED;
}

static row_result index_row(indexer_t *x, batch_t *b, int32_t row_index) {
  const int32_t *row = b->table + (size_t)row_index * RECORD_FIELDS;
  int32_t kind = row[F_KIND];
  if (kind == KIND_DECLINED) return stop(b, STATUS_DECLINED, 0);
  // The row is viewItems' of this buffer; a table and buffer that do not belong together would read out of bounds.
  int32_t ids = 1 + row[F_OWNED_COUNT] + row[F_PLAYER_COUNT];
  if ((size_t)row[F_LABEL_END] > b->buf_length || (size_t)row[F_STRING_END] > b->buf_length || (size_t)(row[F_HASH_FROM] + ids) * 4 > b->hashes_length ||
      (size_t)(row[F_ROLE_FROM] + row[F_ROLE_COUNT]) * 4 > b->roles_length) {
    return ROW_FAILED_RANGE;
  }
  const int32_t *type = find_label(&b->types, TYPE_FIELDS, -1, b->buf + row[F_LABEL_START], (uint32_t)(row[F_LABEL_END] - row[F_LABEL_START]));
  // Thing kinds and view kinds number entity, relation, attribute alike.
  if (type == NULL || type[T_KIND] != kind || type[T_ABSTRACT]) return stop(b, STATUS_DECLINED, 0);
  double offset = b->offsets[row_index];
  return kind == KIND_ATTRIBUTE ? index_attribute(x, b, row_index, row, type, offset) : index_object(x, b, row, type, offset);
}

static bool get_property(napi_env env, napi_value object, const char *name, napi_typedarray_type type, void **data, size_t *length) {
  return get_typed_property(env, object, name, type, data, length, "indexViews: an array of the table or the state is missing or of the wrong type");
}

static napi_value index_views(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  if (!get_args(env, info, 10, argv, "indexViews(table, buf, offsets, from, to, state, definitions, attributes, references, room)")) return NULL;
  batch_t b;
  size_t table_length, doubles_length, offsets_length, types_length, role_slots_length, sequences_length, control_length, counts_length;
  uint32_t from, to;
  if (!get_property(env, argv[0], "table", napi_int32_array, (void **)&b.table, &table_length) ||
      !get_property(env, argv[0], "doubles", napi_float64_array, (void **)&b.doubles, &doubles_length) ||
      !get_property(env, argv[0], "roles", napi_int32_array, (void **)&b.roles, &b.roles_length) ||
      !get_property(env, argv[0], "hashes", napi_uint32_array, (void **)&b.hashes, &b.hashes_length) ||
      !get_typed(env, argv[1], napi_uint8_array, (void **)&b.buf, &b.buf_length, "buf must be a Uint8Array") ||
      !get_typed(env, argv[2], napi_float64_array, (void **)&b.offsets, &offsets_length, "offsets must be a Float64Array") ||
      !get_u32(env, argv[3], &from, "from must be a number") || !get_u32(env, argv[4], &to, "to must be a number") ||
      !get_property(env, argv[5], "types", napi_int32_array, (void **)&b.types.slots, &types_length) ||
      !get_property(env, argv[5], "roles", napi_int32_array, (void **)&b.role_labels.slots, &role_slots_length) ||
      !get_property(env, argv[5], "labels", napi_uint8_array, (void **)&b.types.labels, &b.types.labels_length) ||
      !get_property(env, argv[5], "sequences", napi_uint32_array, (void **)&b.sequences, &sequences_length) ||
      !get_property(env, argv[5], "control", napi_int32_array, (void **)&b.control, &control_length) ||
      !get_property(env, argv[5], "counts", napi_float64_array, (void **)&b.counts, &counts_length)) {
    return NULL;
  }
  indexer_t x = {.env = env, .room = argv[9], .failed = false};
  for (int s = 0; s < SINKS; s++) {
    if (!get_typed(env, argv[6 + s], napi_uint32_array, (void **)&x.sinks[s].words, &x.sinks[s].capacity, "a sorter's memory must be a Uint32Array")) return NULL;
  }
  size_t type_slots = types_length / TYPE_FIELDS, role_slots = role_slots_length / ROLE_FIELDS;
  // The tables are powers of two (the masks), the rows within the table, the sequences one per type id.
  if (to > table_length / RECORD_FIELDS || to > doubles_length || to > offsets_length || from > to || control_length < CONTROL_SINKS + SINKS * SINK_FIELDS ||
      counts_length < COUNTS || sequences_length < 65536 || type_slots == 0 || (type_slots & (type_slots - 1)) != 0 || role_slots == 0 ||
      (role_slots & (role_slots - 1)) != 0) {
    napi_throw_range_error(env, NULL, "indexViews: the rows, tables or state arrays are not as view-indexer.ts lays them out");
    return NULL;
  }
  b.types.mask = (uint32_t)type_slots - 1;
  b.role_labels.mask = (uint32_t)role_slots - 1;
  b.role_labels.labels = b.types.labels;
  b.role_labels.labels_length = b.types.labels_length;
  for (int s = 0; s < SINKS; s++) x.sinks[s].fill = b.control + CONTROL_SINKS + SINK_FIELDS * s;
  b.control[CONTROL_STATUS] = STATUS_DONE;
  uint32_t row = from;
  for (; row < to; row++) {
    row_result result = index_row(&x, &b, (int32_t)row);
    if (result == ROW_FAILED) return NULL;  // the exception propagates
    if (result == ROW_FAILED_RANGE) {
      napi_throw_range_error(env, NULL, "indexViews: a row points past the buffer or the table's arrays (not viewItems' output for this buffer)");
      return NULL;
    }
    if (result == ROW_STOPPED) break;
  }
  b.control[CONTROL_REGEX_ROW] = -1;
  return make_u32(env, row);
}

napi_status register_index_views(napi_env env, napi_value exports) {
  return export_function(env, exports, "indexViews", index_views);
}
