// Parses the plain data items of a .typedb file where they lie, many records per call, and hashes the thing IDs
// they hold: the importer's hot path (src/migration/codec/item-view.ts says which records are "plain"; anything
// else is declined, for the full decoder and its messages). IDs are hashed with MurmurHash3's x86 128-bit mixing
// over their UTF-8 bytes (src/migration/import/id-hash.ts, whose JavaScript hashes decoded IDs the same way).
//
// Export: viewItems(buf, spans, count, out) → the records done (fewer than `count` when an output array is full;
// call again for the rest). `spans` holds [start, end) of each record's item message in `buf`. `out` is
// { table: Int32Array (RECORD_FIELDS per record), doubles: Float64Array (one per record), owned: Int32Array
// (start, end per ID), roles: Int32Array (label start, label end, first player, end player per role), players:
// Int32Array (start, end per ID), hashes: Uint32Array (4 words per ID: the item's own, then owned, then players),
// used: Int32Array [owned, roles, players, hashes] (entries in use, updated) } — a record's table row points into
// the shared arrays. A declined record has kind 0.
// Reentrant: state is on the stack and in the arrays passed.
#include <string.h>
#include "kernels.h"
#include "napi-args.h"

// Field numbers and wire types as one tag byte, as item-view.ts names them.
#define ITEM_ATTRIBUTE 0x0a
#define ITEM_ENTITY 0x12
#define ITEM_RELATION 0x1a
#define THING_ID 0x0a
#define THING_LABEL 0x12
#define THING_OWNED 0x1a
#define ATTRIBUTE_VALUE 0x22
#define RELATION_ROLE 0x22
#define ROLE_LABEL 0x0a
#define ROLE_PLAYER 0x12
#define REFERENCE_ID 0x0a
#define VALUE_STRING 0x0a
#define VALUE_BOOLEAN 0x10
#define VALUE_LONG 0x18
#define VALUE_DOUBLE 0x21
#define VALUE_DATETIME 0x28
#define MAX_DATETIME_MS 8.64e15

enum { KIND_DECLINED, KIND_ENTITY, KIND_RELATION, KIND_ATTRIBUTE };
enum { VALUE_KIND_STRING, VALUE_KIND_BOOLEAN, VALUE_KIND_LONG, VALUE_KIND_DOUBLE, VALUE_KIND_DATETIME };
// A record's row of the table.
enum {
  F_KIND, F_ID_START, F_ID_END, F_LABEL_START, F_LABEL_END, F_OWNED_FROM, F_OWNED_COUNT, F_ROLE_FROM, F_ROLE_COUNT,
  F_PLAYER_FROM, F_PLAYER_COUNT, F_VALUE_KIND, F_STRING_START, F_STRING_END, F_BOOLEAN, F_BITS_HI, F_BITS_LO,
  F_HASH_FROM, RECORD_FIELDS
};
enum { USED_OWNED, USED_ROLES, USED_PLAYERS, USED_HASHES, USED_LENGTH };

typedef struct {
  int32_t *table;
  double *doubles;
  int32_t *owned, *roles, *players;
  uint32_t *hashes;
  size_t table_rows, owned_cap, roles_cap, players_cap, hashes_cap;  // in entries
  int32_t *used;
} outputs_t;

/** Why a record's parse stopped: it is not plain (declined), or an output array is full (stop the call). */
typedef enum { PARSE_OK, PARSE_DECLINED, PARSE_FULL } parse_status;

typedef struct {
  const uint8_t *buf;
  uint32_t pos;
  uint32_t last_length;
  outputs_t *out;
  int32_t *row;
  uint32_t owned, roles, players;  // entries used so far (committed at the record's end)
} parser_t;

/** Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF), as Node's isUtf8. */
static bool valid_utf8(const uint8_t *s, uint32_t length) {
  uint32_t i = 0;
  while (i < length) {
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    uint32_t need;
    uint8_t low = 0x80, high = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c == 0xe0) need = 2, low = 0xa0;
    else if (c >= 0xe1 && c <= 0xec) need = 2;
    else if (c == 0xed) need = 2, high = 0x9f;
    else if (c >= 0xee && c <= 0xef) need = 2;
    else if (c == 0xf0) need = 3, low = 0x90;
    else if (c >= 0xf1 && c <= 0xf3) need = 3;
    else if (c == 0xf4) need = 3, high = 0x8f;
    else return false;
    if (length - i - 1 < need) return false;
    if (s[i + 1] < low || s[i + 1] > high) return false;
    for (uint32_t k = 2; k <= need; k++) {
      if (s[i + k] < 0x80 || s[i + k] > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

/** A length prefix (at most 4 bytes); where its field ends, within `end`. */
static parse_status field_end(parser_t *p, uint32_t end, uint32_t *out) {
  uint32_t pos = p->pos, length = 0;
  for (uint32_t shift = 0;; shift += 7) {
    if (pos >= end || shift == 28) return PARSE_DECLINED;
    uint8_t b = p->buf[pos++];
    length |= (uint32_t)(b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  p->pos = pos;
  if ((uint64_t)pos + length > end) return PARSE_DECLINED;
  *out = pos + length;
  return PARSE_OK;
}

/** A length-delimited UTF-8 string within `end`; its end in *out, its length in last_length. */
static parse_status string_field(parser_t *p, uint32_t end, uint32_t *out) {
  uint32_t stop;
  if (field_end(p, end, &stop) != PARSE_OK) return PARSE_DECLINED;
  uint32_t start = p->pos;
  p->last_length = stop - start;
  uint8_t bits = 0;
  for (uint32_t i = start; i < stop; i++) bits |= p->buf[i];
  if (bits >= 0x80 && !valid_utf8(p->buf + start, stop - start)) return PARSE_DECLINED;
  p->pos = stop;
  *out = stop;
  return PARSE_OK;
}

/** A varint of up to 10 bytes as 64 bits (bits past the 64th dropped), as the full decoder reads it. */
static parse_status varint64(parser_t *p, uint32_t end, uint32_t *hi_out, uint32_t *lo_out) {
  const uint8_t *buf = p->buf;
  uint32_t pos = p->pos, lo = 0, hi = 0;
  uint8_t b = 0x80;
  for (uint32_t shift = 0; shift < 28 && b >= 0x80; shift += 7) {
    if (pos >= end) return PARSE_DECLINED;
    b = buf[pos++];
    lo |= (uint32_t)(b & 0x7f) << shift;
  }
  if (b >= 0x80) {
    if (pos >= end) return PARSE_DECLINED;
    b = buf[pos++];
    lo |= (uint32_t)(b & 0x7f) << 28;
    hi = (uint32_t)(b & 0x7f) >> 4;
    for (uint32_t shift = 3; b >= 0x80; shift += 7) {
      if (shift > 31 || pos >= end) return PARSE_DECLINED;
      b = buf[pos++];
      hi |= (uint32_t)(b & 0x7f) << shift;
    }
  }
  p->pos = pos;
  *hi_out = hi;
  *lo_out = lo;
  return PARSE_OK;
}

/** An OwnedAttribute or a Player message: exactly one ID, appended to owned (players when `player`). */
static parse_status reference(parser_t *p, uint32_t end, bool player) {
  uint32_t message_end, id_end;
  if (field_end(p, end, &message_end) != PARSE_OK) return PARSE_DECLINED;
  if (p->pos >= message_end || p->buf[p->pos++] != REFERENCE_ID) return PARSE_DECLINED;
  if (string_field(p, message_end, &id_end) != PARSE_OK || id_end != message_end) return PARSE_DECLINED;
  int32_t *pairs = player ? p->out->players : p->out->owned;
  uint32_t *count = player ? &p->players : &p->owned;
  if (*count >= (player ? p->out->players_cap : p->out->owned_cap)) return PARSE_FULL;
  pairs[2 * *count] = (int32_t)(id_end - p->last_length);
  pairs[2 * *count + 1] = (int32_t)id_end;
  (*count)++;
  return PARSE_OK;
}

static parse_status role(parser_t *p, uint32_t end) {
  uint32_t message_end;
  if (field_end(p, end, &message_end) != PARSE_OK) return PARSE_DECLINED;
  if (p->roles >= p->out->roles_cap) return PARSE_FULL;
  int32_t *r = p->out->roles + 4 * p->roles++;
  r[2] = (int32_t)p->players;
  bool label = false;
  while (p->pos < message_end) {
    uint8_t field = p->buf[p->pos++];
    parse_status status;
    if (field == ROLE_LABEL && !label) {
      uint32_t stop;
      label = true;
      status = string_field(p, message_end, &stop);
      r[1] = (int32_t)stop;
      r[0] = (int32_t)(stop - p->last_length);
    } else if (field == ROLE_PLAYER) {
      status = reference(p, message_end, true);
    } else {
      return PARSE_DECLINED;
    }
    if (status != PARSE_OK) return status;
  }
  if (!label) return PARSE_DECLINED;
  r[3] = (int32_t)p->players;
  return PARSE_OK;
}

static parse_status value(parser_t *p, uint32_t end, double *number) {
  uint32_t message_end;
  if (field_end(p, end, &message_end) != PARSE_OK) return PARSE_DECLINED;
  if (p->pos == message_end) return PARSE_DECLINED;
  int32_t *row = p->row;
  uint8_t field = p->buf[p->pos++];
  uint32_t hi, lo, stop;
  switch (field) {
    case VALUE_STRING:
      if (string_field(p, message_end, &stop) != PARSE_OK) return PARSE_DECLINED;
      row[F_VALUE_KIND] = VALUE_KIND_STRING;
      row[F_STRING_END] = (int32_t)stop;
      row[F_STRING_START] = (int32_t)(stop - p->last_length);
      break;
    case VALUE_BOOLEAN: {
      // The full decoder reads any varint as a boolean; a canonical one is a single 0 or 1.
      uint8_t b = p->pos < message_end ? p->buf[p->pos++] : 2;
      if (b > 1) return PARSE_DECLINED;
      row[F_VALUE_KIND] = VALUE_KIND_BOOLEAN;
      row[F_BOOLEAN] = b;
      break;
    }
    case VALUE_LONG:
    case VALUE_DATETIME:
      if (varint64(p, message_end, &hi, &lo) != PARSE_OK) return PARSE_DECLINED;
      if (field == VALUE_DATETIME) {
        // Exact as a double only within ±2^53; the range check keeps well inside that.
        int32_t signed_hi = (int32_t)hi;
        double ms = (double)signed_hi * 4294967296.0 + (double)lo;
        if (signed_hi < -0x200000 || signed_hi >= 0x200000 || ms > MAX_DATETIME_MS || ms < -MAX_DATETIME_MS) return PARSE_DECLINED;
      }
      row[F_VALUE_KIND] = field == VALUE_LONG ? VALUE_KIND_LONG : VALUE_KIND_DATETIME;
      row[F_BITS_HI] = (int32_t)hi;
      row[F_BITS_LO] = (int32_t)lo;
      break;
    case VALUE_DOUBLE:
      if ((uint64_t)p->pos + 8 > message_end) return PARSE_DECLINED;
      row[F_VALUE_KIND] = VALUE_KIND_DOUBLE;
      memcpy(number, p->buf + p->pos, 8);  // little-endian, as the file (the machines Node runs on are)
      p->pos += 8;
      break;
    default:
      return PARSE_DECLINED;
  }
  return p->pos == message_end ? PARSE_OK : PARSE_DECLINED;
}

/** The item message in buf[start, end): one entity, relation or attribute with every field known. */
static parse_status item(parser_t *p, uint32_t start, uint32_t end, double *number) {
  int32_t *row = p->row;
  if (end < start || end - start < 2) return PARSE_DECLINED;
  p->pos = start;
  uint8_t kind_tag = p->buf[p->pos++];
  uint32_t message_end;
  if (field_end(p, end, &message_end) != PARSE_OK || message_end != end) return PARSE_DECLINED;
  int32_t kind = kind_tag == ITEM_ENTITY ? KIND_ENTITY : kind_tag == ITEM_RELATION ? KIND_RELATION : kind_tag == ITEM_ATTRIBUTE ? KIND_ATTRIBUTE : KIND_DECLINED;
  if (kind == KIND_DECLINED) return PARSE_DECLINED;
  bool id = false, label = false, has_value = false;
  while (p->pos < end) {
    uint8_t field = p->buf[p->pos++];
    parse_status status;
    uint32_t stop;
    if (field == THING_ID && !id) {
      id = true;
      status = string_field(p, end, &stop);
      row[F_ID_END] = (int32_t)stop;
      row[F_ID_START] = (int32_t)(stop - p->last_length);
    } else if (field == THING_LABEL && !label) {
      label = true;
      status = string_field(p, end, &stop);
      row[F_LABEL_END] = (int32_t)stop;
      row[F_LABEL_START] = (int32_t)(stop - p->last_length);
    } else if (field == THING_OWNED) {
      status = reference(p, end, false);
    } else if (field == RELATION_ROLE && kind == KIND_RELATION) {
      status = role(p, end);
    } else if (field == ATTRIBUTE_VALUE && kind == KIND_ATTRIBUTE && !has_value) {
      has_value = true;
      status = value(p, end, number);
    } else {
      return PARSE_DECLINED;
    }
    if (status != PARSE_OK) return status;
  }
  if (!id || !label || (kind == KIND_ATTRIBUTE && !has_value)) return PARSE_DECLINED;
  row[F_KIND] = kind;
  return PARSE_OK;
}

// MurmurHash3 x86 128-bit mixing, as id-hash.ts.
static inline uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint32_t fmix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}
static inline uint32_t lane(const uint8_t *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
#define C1 0x239b961bu
#define C2 0xab0e9789u
#define C3 0x38b34ae5u
#define C4 0xa1e38b93u

/** The 128-bit hash of the ID bytes[0, length) into out[0..4), most significant first. */
static void hash_id(const uint8_t *bytes, uint32_t length, uint32_t *out) {
  uint32_t h1 = 0x9e3779b9u, h2 = 0x7f4a7c15u, h3 = 0x85ebca6bu, h4 = 0xc2b2ae35u;
  uint32_t blocks = length & ~15u, i = 0;
  for (; i < blocks; i += 16) {
    h1 ^= rotl(lane(bytes + i) * C1, 15) * C2;
    h1 = (rotl(h1, 19) + h2) * 5 + 0x561ccd1bu;
    h2 ^= rotl(lane(bytes + i + 4) * C2, 16) * C3;
    h2 = (rotl(h2, 17) + h3) * 5 + 0x0bcaa747u;
    h3 ^= rotl(lane(bytes + i + 8) * C3, 17) * C4;
    h3 = (rotl(h3, 15) + h4) * 5 + 0x96cd1c35u;
    h4 ^= rotl(lane(bytes + i + 12) * C4, 18) * C1;
    h4 = (rotl(h4, 13) + h1) * 5 + 0x32ac3b17u;
  }
  uint32_t rest = length - i;
  if (rest > 0) {
    // Up to 15 bytes, zero-padded into the lane words (a zero word mixes in as nothing; the length is mixed below).
    uint8_t tail[16] = {0};
    memcpy(tail, bytes + i, rest);
    h4 ^= rotl(lane(tail + 12) * C4, 18) * C1;
    h3 ^= rotl(lane(tail + 8) * C3, 17) * C4;
    h2 ^= rotl(lane(tail + 4) * C2, 16) * C3;
    h1 ^= rotl(lane(tail) * C1, 15) * C2;
  }
  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;
  h1 += h2 + h3 + h4;
  h2 += h1;
  h3 += h1;
  h4 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 += h2 + h3 + h4;
  h2 += h1;
  h3 += h1;
  h4 += h1;
  out[0] = h1;
  out[1] = h2;
  out[2] = h3;
  out[3] = h4;
}

/** Hashes the accepted record's IDs (its own, owned, players) into 4-word slots from `from`. */
static void hash_record(const uint8_t *buf, const int32_t *row, const outputs_t *out, uint32_t from) {
  uint32_t *slot = out->hashes + 4 * from;
  hash_id(buf + row[F_ID_START], (uint32_t)(row[F_ID_END] - row[F_ID_START]), slot);
  slot += 4;
  for (int32_t i = row[F_OWNED_FROM]; i < row[F_OWNED_FROM] + row[F_OWNED_COUNT]; i++, slot += 4) {
    hash_id(buf + out->owned[2 * i], (uint32_t)(out->owned[2 * i + 1] - out->owned[2 * i]), slot);
  }
  for (int32_t i = row[F_PLAYER_FROM]; i < row[F_PLAYER_FROM] + row[F_PLAYER_COUNT]; i++, slot += 4) {
    hash_id(buf + out->players[2 * i], (uint32_t)(out->players[2 * i + 1] - out->players[2 * i]), slot);
  }
}

static bool get_output(napi_env env, napi_value object, const char *name, napi_typedarray_type type, void **data, size_t *length) {
  return get_typed_property(env, object, name, type, data, length, "viewItems: an output array is missing or of the wrong type");
}

static napi_value view_items(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv, "viewItems(buf, spans, count, out)")) return NULL;
  uint8_t *buf;
  int32_t *spans;
  size_t buf_length, spans_length, table_length, doubles_length, used_length;
  uint32_t count;
  outputs_t out;
  if (!get_typed(env, argv[0], napi_uint8_array, (void **)&buf, &buf_length, "buf must be a Uint8Array") ||
      !get_typed(env, argv[1], napi_int32_array, (void **)&spans, &spans_length, "spans must be an Int32Array") ||
      !get_u32(env, argv[2], &count, "count must be a number") ||
      !get_output(env, argv[3], "table", napi_int32_array, (void **)&out.table, &table_length) ||
      !get_output(env, argv[3], "doubles", napi_float64_array, (void **)&out.doubles, &doubles_length) ||
      !get_output(env, argv[3], "owned", napi_int32_array, (void **)&out.owned, &out.owned_cap) ||
      !get_output(env, argv[3], "roles", napi_int32_array, (void **)&out.roles, &out.roles_cap) ||
      !get_output(env, argv[3], "players", napi_int32_array, (void **)&out.players, &out.players_cap) ||
      !get_output(env, argv[3], "hashes", napi_uint32_array, (void **)&out.hashes, &out.hashes_cap) ||
      !get_output(env, argv[3], "used", napi_int32_array, (void **)&out.used, &used_length)) {
    return NULL;
  }
  out.owned_cap /= 2;
  out.roles_cap /= 4;
  out.players_cap /= 2;
  out.hashes_cap /= 4;
  if (2 * (size_t)count > spans_length || (size_t)count * RECORD_FIELDS > table_length || count > doubles_length || used_length < USED_LENGTH) {
    napi_throw_range_error(env, NULL, "viewItems: spans, table and doubles must hold `count` records");
    return NULL;
  }
  uint32_t done = 0;
  for (; done < count; done++) {
    uint32_t start = (uint32_t)spans[2 * done], end = (uint32_t)spans[2 * done + 1];
    if (end > buf_length) {
      napi_throw_range_error(env, NULL, "viewItems: a span runs past the buffer");
      return NULL;
    }
    int32_t *row = out.table + (size_t)done * RECORD_FIELDS;
    memset(row, 0, sizeof(int32_t) * RECORD_FIELDS);
    parser_t p = {buf, 0, 0, &out, row, (uint32_t)out.used[USED_OWNED], (uint32_t)out.used[USED_ROLES], (uint32_t)out.used[USED_PLAYERS]};
    row[F_OWNED_FROM] = out.used[USED_OWNED];
    row[F_ROLE_FROM] = out.used[USED_ROLES];
    row[F_PLAYER_FROM] = out.used[USED_PLAYERS];
    out.doubles[done] = 0;
    parse_status status = item(&p, start, end, &out.doubles[done]);
    if (status == PARSE_FULL) break;
    if (status == PARSE_DECLINED) {
      row[F_KIND] = KIND_DECLINED;
      continue;
    }
    uint32_t ids = 1 + (p.owned - (uint32_t)out.used[USED_OWNED]) + (p.players - (uint32_t)out.used[USED_PLAYERS]);
    if ((size_t)out.used[USED_HASHES] + ids > out.hashes_cap) break;
    row[F_OWNED_COUNT] = (int32_t)(p.owned - (uint32_t)out.used[USED_OWNED]);
    row[F_ROLE_COUNT] = (int32_t)(p.roles - (uint32_t)out.used[USED_ROLES]);
    row[F_PLAYER_COUNT] = (int32_t)(p.players - (uint32_t)out.used[USED_PLAYERS]);
    row[F_HASH_FROM] = out.used[USED_HASHES];
    hash_record(buf, row, &out, (uint32_t)out.used[USED_HASHES]);
    out.used[USED_OWNED] = (int32_t)p.owned;
    out.used[USED_ROLES] = (int32_t)p.roles;
    out.used[USED_PLAYERS] = (int32_t)p.players;
    out.used[USED_HASHES] += (int32_t)ids;
  }
  return make_u32(env, done);
}

/** hashIds(bytes, start, end, out, at): the hash of one ID's UTF-8 bytes (decoded items, messages, tests). */
static napi_value hash_ids(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!get_args(env, info, 5, argv, "hashIdBytes(bytes, start, end, out, at)")) return NULL;
  uint8_t *bytes;
  uint32_t *hashes;
  size_t bytes_length, hashes_length;
  uint32_t start, end, at;
  if (!get_typed(env, argv[0], napi_uint8_array, (void **)&bytes, &bytes_length, "bytes must be a Uint8Array") ||
      !get_u32(env, argv[1], &start, "start must be a number") || !get_u32(env, argv[2], &end, "end must be a number") ||
      !get_typed(env, argv[3], napi_uint32_array, (void **)&hashes, &hashes_length, "out must be a Uint32Array") ||
      !get_u32(env, argv[4], &at, "at must be a number")) {
    return NULL;
  }
  if (start > end || end > bytes_length || (size_t)at + 4 > hashes_length) {
    napi_throw_range_error(env, NULL, "hashIdBytes: the range runs past the bytes, or the hash past out");
    return NULL;
  }
  hash_id(bytes + start, end - start, hashes + at);
  return NULL;
}

napi_status register_item_views(napi_env env, napi_value exports) {
  napi_status status = export_function(env, exports, "viewItems", view_items);
  if (status == napi_ok) status = export_function(env, exports, "hashIdBytes", hash_ids);
  return status;
}
