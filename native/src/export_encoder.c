// The export's record encoder (src/migration/export/thing-encoder.ts drives it): walks the LMDB leaf pages of the
// THING keyspace and, in step with them (same IID order), those of the HAS and ROLE keyspaces, and writes each
// thing's .typedb record straight into the output buffer: its IID as a base64 id, its label, its ownerships and,
// for relations, its role players. One call encodes up to `limit` things of one kind; it calls back into
// JavaScript only at the edges: for the next leaf of a keyspace, for more room in the output buffer, for an
// overflow value and for the label of a type the schema lacks. Everything it keeps between calls lives in the
// caller's state array, so two threads may run it at once.
//
// Record layout and field rules are those of src/migration/codec/encode.ts (export-format.md section 5).
#include <stdint.h>
#include <string.h>
#include "kernels.h"
#include "export_layout.h"
#include "record_bytes.h"

// Field tags (field number << 3 | wire type), as src/migration/codec/wire.ts names them.
#define TAG_ID 0x0a          // Thing.id, OwnedAttribute.id, Player.id, ValueObject.string
#define TAG_PLAYER 0x12      // Relation.Role.player
#define TAG_OWNED 0x1a       // Thing.attribute
#define TAG_ROLE 0x22        // Relation.role
#define TAG_VALUE 0x22       // Attribute.value
#define TAG_VALUE_BOOLEAN 0x10
#define TAG_VALUE_LONG 0x18
#define TAG_VALUE_DOUBLE 0x21
#define TAG_VALUE_DATETIME 0x28

#define VALUE_BOOLEAN 1
#define VALUE_LONG 2
#define VALUE_DOUBLE 3
#define VALUE_STRING 4
#define VALUE_DATETIME 5

// LMDB's page layout (src/storage/lmdb-file/layout.ts).
#define PAGE_SIZE 4096
#define PAGE_HEADER 24
#define PAGE_FLAGS 18
#define PAGE_LOWER 20
#define P_LEAF 0x02
#define NODE_HEADER 8
#define F_BIGDATA 0x01

// A length prefix longer than one byte moves what follows: room kept for that beyond every reservation.
#define SLACK 16
// LMDB keys are at most 511 bytes; an IID is a key less its keyspace byte.
#define MAX_IID 2048

// Returned by a call that met something it cannot encode (JavaScript words the message).
#define FAILED_VALUE_TYPE (-1)
#define FAILED_PAGE (-2)

typedef struct {
  const uint8_t *page;
  size_t length;
  int32_t *state;  // this keyspace's words of the caller's state (STREAM_* offsets)
  int index;       // STREAM_THINGS, STREAM_HAS or STREAM_ROLES
  int valid;       // whether the node at state[STREAM_NODE] is an entry of the range
  // The current entry.
  const uint8_t *key;
  uint32_t key_length;
  const uint8_t *value;
  uint32_t value_length;
  uint32_t node_at;  // where its node starts in the page
} stream_t;

typedef struct {
  napi_env env;
  napi_value request;  // the JavaScript callback (EncoderRequest in thing-encoder.ts)
  int32_t *state;
  uint8_t *out;
  size_t out_length;
  size_t at;           // where the next byte goes
  size_t role_length;  // where the open Role message's length byte is, or SIZE_MAX
  const uint8_t *labels;
  size_t labels_length;
  stream_t streams[3];
  uint8_t iid[MAX_IID];
  uint32_t iid_length;
  int failed;          // a JavaScript exception is pending, or FAILED_* was set
} encoder_t;

// ---- Calls back into JavaScript ------------------------------------------------------------------------------

/** Calls the request callback; false (with an exception pending) if it threw. */
static int call_request(encoder_t *e, int32_t kind, int32_t a, int32_t b, napi_value *result) {
  napi_value args[3], global;
  napi_get_global(e->env, &global);
  napi_create_int32(e->env, kind, &args[0]);
  napi_create_int32(e->env, a, &args[1]);
  napi_create_int32(e->env, b, &args[2]);
  if (napi_call_function(e->env, global, e->request, 3, args, result) != napi_ok) {
    e->failed = 1;
    return 0;
  }
  return 1;
}

/** The bytes of a Buffer a callback returned; false if it returned something else. */
static int buffer_bytes(encoder_t *e, napi_value value, const uint8_t **data, size_t *length) {
  void *bytes;
  if (napi_get_buffer_info(e->env, value, &bytes, length) != napi_ok) {
    e->failed = 1;
    napi_throw_type_error(e->env, NULL, "the export encoder's request callback returned no Buffer");
    return 0;
  }
  *data = bytes;
  return 1;
}

/** Makes sure `bytes` more (and a longer length prefix or two) fit in the output buffer. */
static int room(encoder_t *e, size_t bytes) {
  if (e->at + bytes + SLACK <= e->out_length) return 1;
  int32_t *state = e->state;
  size_t position = (size_t)state[STATE_POSITION];
  napi_value result;
  if (!call_request(e, REQUEST_ROOM, (int32_t)(e->at - position), (int32_t)(bytes + SLACK), &result)) return 0;
  const uint8_t *data;
  if (!buffer_bytes(e, result, &data, &e->out_length)) return 0;
  e->out = (uint8_t *)data;
  size_t moved = (size_t)state[STATE_MOVED];
  e->at -= moved;
  if (e->role_length != SIZE_MAX) e->role_length -= moved;
  return 1;
}

/** The encoded label field (tag, length, UTF-8) of a type, asking JavaScript for types the table lacks. */
static int label_field(encoder_t *e, uint32_t type, int role, const uint8_t **field, uint32_t *length) {
  for (int attempt = 0; attempt < 2; attempt++) {
    uint32_t count = e->labels_length >= 4 ? u32le(e->labels) : 0;
    if (type < count && 4 + 16 * (size_t)type + 16 <= e->labels_length) {
      const uint8_t *entry = e->labels + 4 + 16 * type + (role ? 8 : 0);
      uint32_t offset = u32le(entry);
      uint32_t size = u32le(entry + 4);
      if (offset != UINT32_MAX && (size_t)offset + size <= e->labels_length) {
        *field = e->labels + offset;
        *length = size;
        return 1;
      }
    }
    if (attempt > 0) break;
    napi_value result;
    if (!call_request(e, REQUEST_LABEL, (int32_t)type, 0, &result)) return 0;
    if (!buffer_bytes(e, result, &e->labels, &e->labels_length)) return 0;
  }
  e->failed = 1;
  napi_throw_error(e->env, NULL, "the export's label table lacks a type it was asked to add");
  return 0;
}

// ---- Walking leaf pages ----------------------------------------------------------------------------------------

static int page_failed(encoder_t *e, stream_t *s) {
  e->state[STATE_FAILED_STREAM] = s->index;
  e->state[STATE_RESULT_DETAIL] = s->state[STREAM_NODE];
  e->failed = FAILED_PAGE;
  return 0;
}

/** Reads the node at state[STREAM_NODE] of the current leaf as the current entry. */
static int read_entry(encoder_t *e, stream_t *s) {
  size_t leaf = (size_t)s->state[STREAM_LEAF_AT];
  size_t pointer = leaf + PAGE_HEADER + 2 * (size_t)s->state[STREAM_NODE];
  if (pointer + 2 > s->length) return page_failed(e, s);
  size_t at = leaf + PAGE_HEADER + u16le(s->page + pointer);
  if (at + NODE_HEADER > s->length) return page_failed(e, s);
  const uint8_t *node = s->page + at;
  uint32_t size = u32le(node);
  uint32_t key_length = u16le(node + 6);
  size_t data_at = at + NODE_HEADER + key_length;
  s->key = node + NODE_HEADER;
  s->key_length = key_length;
  s->value_length = size;
  s->node_at = (uint32_t)at;
  if ((node[4] & F_BIGDATA) != 0) {
    if (data_at > s->length) return page_failed(e, s);
    // A value on overflow pages: JavaScript reads it from the file.
    napi_value result;
    size_t length;
    if (!call_request(e, REQUEST_OVERFLOW, s->index, (int32_t)at, &result)) return 0;
    if (!buffer_bytes(e, result, &s->value, &length)) return 0;
    if (length < size) return page_failed(e, s);
  } else {
    if (data_at + size > s->length) return page_failed(e, s);
    s->value = s->page + data_at;
  }
  return 1;
}

/** Moves a keyspace to its next entry of the range (valid = 0 at the end); false on failure. */
static int advance(encoder_t *e, stream_t *s) {
  int32_t *w = s->state;
  w[STREAM_NODE]++;
  while (w[STREAM_NODE] >= w[STREAM_STOP]) {
    if (w[STREAM_ENDED]) {
      s->valid = 0;
      return 1;
    }
    if (w[STREAM_AHEAD] > 0) {
      // The next leaf is already in the buffer, a page on, and lies wholly in the range: no call back for it.
      size_t leaf = (size_t)w[STREAM_LEAF_AT] + PAGE_SIZE;
      if (leaf + PAGE_HEADER > s->length || (u16le(s->page + leaf + PAGE_FLAGS) & P_LEAF) == 0) return page_failed(e, s);
      w[STREAM_LEAF_AT] = (int32_t)leaf;
      w[STREAM_AHEAD]--;
      w[STREAM_STEPPED]++;
      w[STREAM_NODE] = 0;
      w[STREAM_STOP] = (int32_t)(u16le(s->page + leaf + PAGE_LOWER) >> 1);
      continue;
    }
    napi_value result;
    napi_valuetype type;
    if (!call_request(e, REQUEST_NEXT_LEAF, s->index, w[STREAM_STEPPED], &result)) return 0;
    napi_typeof(e->env, result, &type);
    if (type == napi_undefined) {
      // The range has ended: remembered, so that later calls do not ask again.
      w[STREAM_ENDED] = 1;
      s->valid = 0;
      return 1;
    }
    if (!buffer_bytes(e, result, &s->page, &s->length)) return 0;
    // The callback has set the leaf's offset, its first node (as STREAM_NODE), its stop, and the leaves ahead.
  }
  s->valid = 1;
  return read_entry(e, s);
}

/** Compares the IID after an edge key's keyspace byte with the current thing's (IIDs are prefix-free). */
static inline int compare_owner(const encoder_t *e, const stream_t *s) {
  uint32_t length = e->iid_length;
  if (s->key_length == 0) return -1;
  const uint8_t *key = s->key + 1;
  if (s->key_length - 1 < length) {
    int order = memcmp(key, e->iid, s->key_length - 1);
    return order != 0 ? order : -1;
  }
  // Eight bytes at a time, big-endian so that numeric order is byte order (object IIDs: 8 + 3).
  uint32_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t a, b;
    memcpy(&a, key + i, 8);
    memcpy(&b, e->iid + i, 8);
    if (a != b) return __builtin_bswap64(a) < __builtin_bswap64(b) ? -1 : 1;
  }
  for (; i < length; i++) {
    if (key[i] != e->iid[i]) return key[i] < e->iid[i] ? -1 : 1;
  }
  return 0;
}

// ---- Writing an item -----------------------------------------------------------------------------------------

/** Starts the current thing's item: its id and label, after three bytes left for the record's and item's heads. */
static int write_head(encoder_t *e) {
  stream_t *things = &e->streams[STREAM_THINGS];
  if (things->key_length < 4 || things->key_length - 1 > MAX_IID) return page_failed(e, things);
  uint32_t length = things->key_length - 1;
  copy_small(e->iid, things->key + 1, length);
  e->iid_length = length;
  const uint8_t *label;
  uint32_t label_length;
  if (!label_field(e, ((uint32_t)e->iid[1] << 8) | e->iid[2], 0, &label, &label_length)) return 0;
  uint32_t id = base64_length(length);
  if (!room(e, 3 + 1 + varint_size(id) + id + label_length)) return 0;
  size_t at = e->at + 3;
  e->out[at++] = TAG_ID;
  at = write_varint(e->out, at, id);
  at = write_base64(e->out, at, e->iid, length);
  copy_small(e->out + at, label, label_length);
  e->at = at + label_length;
  return 1;
}

/** A `{ string id = 1; }` message (field `tag`) holding `length` bytes of IID as base64. */
static int write_id_message(encoder_t *e, uint8_t tag, const uint8_t *iid, uint32_t length) {
  uint32_t id = base64_length(length);
  uint32_t inner = 1 + varint_size(id) + id;
  if (!room(e, 1 + varint_size(inner) + inner)) return 0;
  size_t at = e->at;
  e->out[at++] = tag;
  at = write_varint(e->out, at, inner);
  e->out[at++] = TAG_ID;
  at = write_varint(e->out, at, id);
  e->at = write_base64(e->out, at, iid, length);
  return 1;
}

/** Writes an `attribute` field for each HAS entry of the current thing, moving past them. */
static int write_ownerships(encoder_t *e) {
  stream_t *has = &e->streams[STREAM_HAS];
  uint32_t skip = 1 + e->iid_length;
  while (has->valid) {
    int order = compare_owner(e, has);
    if (order > 0) break;
    if (order < 0) {
      e->state[STATE_DANGLING]++;
    } else {
      if (!write_id_message(e, TAG_OWNED, has->key + skip, has->key_length - skip)) return 0;
      e->state[STATE_OWNERSHIPS]++;
    }
    if (!advance(e, has)) return 0;
  }
  return 1;
}

static int open_role(encoder_t *e, uint32_t type) {
  const uint8_t *label;
  uint32_t label_length;
  if (!label_field(e, type, 1, &label, &label_length)) return 0;
  if (!room(e, 2 + label_length)) return 0;
  e->out[e->at] = TAG_ROLE;
  e->role_length = e->at + 1;
  copy_small(e->out + e->at + 2, label, label_length);
  e->at += 2 + label_length;
  return 1;
}

/** Fills in the open Role message's length (moving its body up if the length needs more than a byte). */
static void close_role(encoder_t *e) {
  size_t start = e->role_length + 1;
  size_t length = e->at - start;
  uint32_t extra = varint_size(length) - 1;
  if (extra > 0) {
    memmove(e->out + start + extra, e->out + start, length);
    e->at += extra;
  }
  write_varint(e->out, e->role_length, length);
  e->role_length = SIZE_MAX;
}

/**
 * Writes the current relation's `role` fields from its ROLE entries, moving past them: one Role message per run
 * of entries with the same role type, each player as often as the entry's count says.
 */
static int write_role_players(encoder_t *e) {
  stream_t *roles = &e->streams[STREAM_ROLES];
  uint32_t skip = 1 + e->iid_length;
  int64_t role = -1;
  while (roles->valid) {
    int order = compare_owner(e, roles);
    if (order > 0) break;
    if (order < 0) {
      e->state[STATE_DANGLING]++;
    } else {
      if (roles->key_length < skip + 2 || roles->value_length < 4) return page_failed(e, roles);
      const uint8_t *role_at = roles->key + skip;
      uint32_t type = ((uint32_t)role_at[0] << 8) | role_at[1];
      if (type != role) {
        if (role >= 0) close_role(e);
        if (!open_role(e, type)) return 0;
        role = type;
      }
      uint32_t repeats = u32be(roles->value);
      uint32_t player_length = roles->key_length - skip - 2;
      for (uint32_t r = 0; r < repeats; r++) {
        if (!write_id_message(e, TAG_PLAYER, role_at + 2, player_length)) return 0;
      }
      e->state[STATE_ROLES] += (int32_t)repeats;
    }
    if (!advance(e, roles)) return 0;
  }
  if (role >= 0) close_role(e);
  return 1;
}

/** An attribute's `value` field, transcoded from its value record. */
static int write_value(encoder_t *e) {
  stream_t *things = &e->streams[STREAM_THINGS];
  const uint8_t *record = things->value;
  uint32_t size = things->value_length;
  if (size < 1) return page_failed(e, things);
  uint8_t code = record[0];
  uint32_t payload = size - 1;
  uint64_t integer = 0;
  uint32_t content;
  switch (code) {
    case VALUE_STRING: content = 1 + varint_size(payload) + payload; break;
    case VALUE_BOOLEAN: content = 2; break;
    case VALUE_DOUBLE: content = 9; break;
    case VALUE_LONG:
    case VALUE_DATETIME:
      if (payload < 8) return page_failed(e, things);
      // Sortable int64: big-endian with the sign bit flipped; written as its two's complement.
      integer = ((uint64_t)(u32be(record + 1) ^ 0x80000000u) << 32) | u32be(record + 5);
      content = 1 + varint_size(integer);
      break;
    default:
      e->state[STATE_RESULT_DETAIL] = code;
      e->failed = FAILED_VALUE_TYPE;
      return 0;
  }
  if ((code == VALUE_BOOLEAN && payload < 1) || (code == VALUE_DOUBLE && payload < 8)) return page_failed(e, things);
  // The value may live in a buffer a callback returned (overflow): room() calls back only for the output.
  if (!room(e, 1 + varint_size(content) + content)) return 0;
  uint8_t *out = e->out;
  size_t at = e->at;
  out[at++] = TAG_VALUE;
  at = write_varint(out, at, content);
  switch (code) {
    case VALUE_STRING:
      out[at++] = TAG_ID;
      at = write_varint(out, at, payload);
      memcpy(out + at, record + 1, payload);
      at += payload;
      break;
    case VALUE_BOOLEAN:
      out[at++] = TAG_VALUE_BOOLEAN;
      out[at++] = record[1] == 1 ? 1 : 0;
      break;
    case VALUE_DOUBLE: {
      out[at++] = TAG_VALUE_DOUBLE;
      // Sortable doubles have the sign bit set for positives and every bit inverted for negatives.
      int positive = (record[1] & 0x80) != 0;
      for (int i = 0; i < 8; i++) {
        uint8_t byte = record[1 + i];
        out[at + 7 - i] = positive ? (i == 0 ? byte & 0x7f : byte) : (uint8_t)~byte;
      }
      at += 8;
      break;
    }
    default:
      out[at++] = code == VALUE_LONG ? TAG_VALUE_LONG : TAG_VALUE_DATETIME;
      at = write_varint(out, at, integer);
  }
  e->at = at;
  return 1;
}

/** Fills in the record's and the item's lengths in front of the body (moving it up if they need more than 3 bytes). */
static void finish_item(encoder_t *e, uint8_t tag) {
  size_t start = (size_t)e->state[STATE_POSITION];
  size_t body = e->at - start - 3;
  size_t item = 1 + varint_size(body) + body;
  size_t head = varint_size(item) + 1 + varint_size(body);
  if (head > 3) {
    memmove(e->out + start + head, e->out + start + 3, body);
    e->at += head - 3;
  }
  size_t at = write_varint(e->out, start, item);
  e->out[at++] = tag;
  write_varint(e->out, at, body);
  e->state[STATE_POSITION] = (int32_t)e->at;
}

/** Encodes up to `limit` things of the current kind; 1 if there may be more, 0 once they are done. */
static int encode_things(encoder_t *e, int32_t kind, int32_t limit) {
  stream_t *things = &e->streams[STREAM_THINGS];
  uint8_t tag = kind == KIND_ENTITY ? 0x12 : kind == KIND_RELATION ? 0x1a : 0x0a;
  for (int32_t n = 0; n < limit; n++) {
    if (!advance(e, things)) return -1;
    if (!things->valid) return 0;
    if (!write_head(e) || !write_ownerships(e)) return -1;
    if (kind == KIND_RELATION && !write_role_players(e)) return -1;
    if (kind == KIND_ATTRIBUTE && !write_value(e)) return -1;
    finish_item(e, tag);
    e->state[kind == KIND_ENTITY ? STATE_ENTITIES : kind == KIND_RELATION ? STATE_RELATIONS : STATE_ATTRIBUTES]++;
  }
  return 1;
}

/** Edges after the last thing of the range have no owner in it. */
static int skip_orphan_edges(encoder_t *e) {
  for (int index = STREAM_HAS; index <= STREAM_ROLES; index++) {
    stream_t *s = &e->streams[index];
    while (s->valid) {
      e->state[STATE_DANGLING]++;
      if (!advance(e, s)) return 0;
    }
  }
  return 1;
}

// ---- The N-API function --------------------------------------------------------------------------------------

static int get_bytes(napi_env env, napi_value value, const uint8_t **data, size_t *length) {
  void *bytes;
  if (napi_get_buffer_info(env, value, &bytes, length) != napi_ok) return 0;
  *data = bytes;
  return 1;
}

/**
 * encodeThings(state: Int32Array, out: Buffer, labels: Buffer, thingsPage, hasPage, rolesPage: Buffer,
 *              request: (kind, a, b) => Buffer | undefined, limit: number, iid: Buffer): number
 * 1: `limit` things were encoded, there may be more; 0: the kind's range is done (its orphan edges counted);
 * FAILED_*: see state[STATE_RESULT_DETAIL] (and `iid` for the attribute's IID); a callback's exception propagates.
 */
static napi_value encode_things_call(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  encoder_t e;
  e.env = env;
  e.request = argv[6];
  e.failed = 0;
  e.role_length = SIZE_MAX;
  e.iid_length = 0;
  napi_typedarray_type array_type;
  size_t words;
  void *state;
  napi_value array_buffer;
  size_t array_offset;
  const uint8_t *out, *iid_out;
  size_t iid_out_length;
  int32_t limit;
  if (argc < 9 || napi_get_typedarray_info(env, argv[0], &array_type, &words, &state, &array_buffer, &array_offset) != napi_ok ||
      array_type != napi_int32_array || words < STATE_WORDS || !get_bytes(env, argv[1], &out, &e.out_length) ||
      !get_bytes(env, argv[2], &e.labels, &e.labels_length) || napi_get_value_int32(env, argv[7], &limit) != napi_ok ||
      !get_bytes(env, argv[8], &iid_out, &iid_out_length) || iid_out_length < MAX_IID) {
    napi_throw_type_error(env, NULL, "encodeThings(state, out, labels, thingsPage, hasPage, rolesPage, request, limit, iid): wrong arguments");
    return NULL;
  }
  e.state = state;
  e.out = (uint8_t *)out;
  e.at = (size_t)e.state[STATE_POSITION];
  for (int index = 0; index < 3; index++) {
    stream_t *s = &e.streams[index];
    s->index = index;
    s->state = e.state + STREAM_WORDS_AT + STREAM_WORDS * index;
    s->valid = 0;
    if (!get_bytes(env, argv[3 + index], &s->page, &s->length)) {
      napi_throw_type_error(env, NULL, "encodeThings: a page is not a Buffer");
      return NULL;
    }
  }
  int32_t kind = e.state[STATE_KIND];
  e.state[STATE_ENTITIES] = e.state[STATE_RELATIONS] = e.state[STATE_ATTRIBUTES] = 0;
  e.state[STATE_OWNERSHIPS] = e.state[STATE_ROLES] = e.state[STATE_DANGLING] = 0;
  int result = 1;
  // The edges' current entries: read again from the state (their node is where the last call left them).
  for (int index = STREAM_HAS; index <= STREAM_ROLES && result == 1; index++) {
    stream_t *s = &e.streams[index];
    if (!e.state[STATE_PRIMED]) {
      if (!advance(&e, s)) result = -1;
    } else if (s->state[STREAM_NODE] < s->state[STREAM_STOP]) {
      s->valid = 1;
      if (!read_entry(&e, s)) result = -1;
    }
  }
  e.state[STATE_PRIMED] = 1;
  if (result == 1) result = encode_things(&e, kind, limit);
  if (result == 0 && !skip_orphan_edges(&e)) result = -1;
  if (result >= 0) {
    napi_value value;
    napi_create_int32(env, result, &value);
    return value;
  }
  if (e.failed == 1) return NULL;  // the exception propagates
  memcpy((uint8_t *)iid_out, e.iid, e.iid_length);
  e.state[STATE_IID_LENGTH] = (int32_t)e.iid_length;
  napi_value value;
  napi_create_int32(env, e.failed, &value);
  return value;
}

napi_status register_export_encoder(napi_env env, napi_value exports) {
  record_bytes_init();
  napi_value fn;
  napi_status status = napi_create_function(env, "encodeThings", NAPI_AUTO_LENGTH, encode_things_call, NULL, &fn);
  if (status != napi_ok) return status;
  return napi_set_named_property(env, exports, "encodeThings", fn);
}
