// Completes a radix sort that ordered records by their leading key bits only (src/migration/import/external-sorter.ts):
// each run of records equal in those bits is ordered by the whole key, then by the payload, then as it lies (the
// order is stable). The payload order is data, not a function: none, the payload's bytes, or the bytes after a
// 16-bit length at a fixed offset of the payload (an attribute's IID). Records are laid out as radix_sort.c's:
// [payload bytes][key words][payload padded to whole words].
//
// Export: orderTies(records, used, keyWords, radixBits, order, lengthAt) orders records[0, used) in place; `order`
// is ORDER_NONE, ORDER_BYTES or ORDER_LENGTH_PREFIXED (external-sorter.ts's PAYLOAD_ORDER_*).
// Reentrant: its scratch memory is allocated per call.
#include <stdlib.h>
#include <string.h>
#include "kernels.h"
#include "napi-args.h"

enum { ORDER_NONE, ORDER_BYTES, ORDER_LENGTH_PREFIXED };

typedef struct {
  const uint32_t *data;
  uint32_t key_words;
  int order;
  uint32_t length_at;
} ties_t;

static inline uint32_t record_words(uint32_t key_words, uint32_t payload) { return 1 + key_words + ((payload + 3) >> 2); }

static int compare_bytes(const uint8_t *a, uint32_t a_length, const uint8_t *b, uint32_t b_length) {
  uint32_t common = a_length < b_length ? a_length : b_length;
  int by_bytes = memcmp(a, b, common);
  if (by_bytes != 0) return by_bytes;
  return a_length < b_length ? -1 : a_length > b_length ? 1 : 0;
}

/** How the records at words a and b order: by key, then payload (the caller breaks ties by position). */
static int compare(const ties_t *t, uint32_t a, uint32_t b) {
  const uint32_t *data = t->data;
  for (uint32_t w = 1; w <= t->key_words; w++) {
    if (data[a + w] != data[b + w]) return data[a + w] < data[b + w] ? -1 : 1;
  }
  if (t->order == ORDER_NONE) return 0;
  const uint8_t *a_payload = (const uint8_t *)(data + a + 1 + t->key_words);
  const uint8_t *b_payload = (const uint8_t *)(data + b + 1 + t->key_words);
  uint32_t a_length = data[a], b_length = data[b];
  if (t->order == ORDER_BYTES) return compare_bytes(a_payload, a_length, b_payload, b_length);
  // A record too short for the length prefix orders first, by its bytes (none of the import's are).
  if (a_length < t->length_at + 2 || b_length < t->length_at + 2) return compare_bytes(a_payload, a_length, b_payload, b_length);
  uint32_t a_count = (uint32_t)a_payload[t->length_at] | (uint32_t)a_payload[t->length_at + 1] << 8;
  uint32_t b_count = (uint32_t)b_payload[t->length_at] | (uint32_t)b_payload[t->length_at + 1] << 8;
  if (a_count > a_length - t->length_at - 2) a_count = a_length - t->length_at - 2;
  if (b_count > b_length - t->length_at - 2) b_count = b_length - t->length_at - 2;
  return compare_bytes(a_payload + t->length_at + 2, a_count, b_payload + t->length_at + 2, b_count);
}

/** Sorts starts[0, count) stably (merge sort through `spare`, insertion for short runs). */
static void sort_starts(const ties_t *t, uint32_t *starts, uint32_t *spare, uint32_t count) {
  if (count <= 16) {
    for (uint32_t n = 1; n < count; n++) {
      uint32_t at = starts[n], i = n;
      while (i > 0 && compare(t, starts[i - 1], at) > 0) {
        starts[i] = starts[i - 1];
        i--;
      }
      starts[i] = at;
    }
    return;
  }
  uint32_t half = count / 2;
  sort_starts(t, starts, spare, half);
  sort_starts(t, starts + half, spare, count - half);
  if (compare(t, starts[half - 1], starts[half]) <= 0) return;
  memcpy(spare, starts, half * sizeof(uint32_t));
  uint32_t i = 0, j = half, to = 0;
  while (i < half && j < count) starts[to++] = compare(t, starts[j], spare[i]) < 0 ? starts[j++] : spare[i++];
  while (i < half) starts[to++] = spare[i++];
}

typedef struct {
  uint32_t *starts, *spare, *group;
  size_t starts_capacity, spare_capacity, group_capacity;
} scratch_t;

static bool grow(uint32_t **array, size_t *capacity, size_t needed) {
  if (needed <= *capacity) return true;
  size_t size = needed > 2 * *capacity ? needed : 2 * *capacity;
  uint32_t *grown = realloc(*array, size * sizeof(uint32_t));
  if (grown == NULL) return false;
  *array = grown;
  *capacity = size;
  return true;
}

/** Orders the records in words [start, end) (equal in the radix bits); false when out of memory. */
static bool order_group(ties_t *t, uint32_t *data, uint32_t start, uint32_t end, scratch_t *s) {
  uint32_t key_words = t->key_words;
  if (t->order == ORDER_NONE) {
    // Nearly always the same ID over and over: equal in every word, nothing to reorder.
    bool same = true;
    for (uint32_t at = start + record_words(key_words, data[start]); at < end && same; at += record_words(key_words, data[at])) {
      same = memcmp(data + at + 1, data + start + 1, 4 * key_words) == 0;
    }
    if (same) return true;
  }
  uint32_t count = 0;
  for (uint32_t at = start; at < end; at += record_words(key_words, data[at])) count++;
  if (!grow(&s->starts, &s->starts_capacity, count) || !grow(&s->spare, &s->spare_capacity, count)) return false;
  uint32_t n = 0;
  for (uint32_t at = start; at < end; at += record_words(key_words, data[at])) s->starts[n++] = at;
  sort_starts(t, s->starts, s->spare, count);
  bool moved = false;
  for (uint32_t i = 1; i < count && !moved; i++) moved = s->starts[i] < s->starts[i - 1];
  if (!moved) return true;
  if (!grow(&s->group, &s->group_capacity, end - start)) return false;
  memcpy(s->group, data + start, (size_t)(end - start) * sizeof(uint32_t));
  uint32_t to = start;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t from = s->starts[i] - start;
    uint32_t words = record_words(key_words, s->group[from]);
    memcpy(data + to, s->group + from, (size_t)words * sizeof(uint32_t));
    to += words;
  }
  return true;
}

static napi_value order_ties(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, "orderTies(records, used, keyWords, radixBits, order, lengthAt)")) return NULL;
  uint32_t *data;
  size_t length;
  uint32_t used, key_words, radix_bits, order, length_at;
  if (!get_typed(env, argv[0], napi_uint32_array, (void **)&data, &length, "records must be a Uint32Array") ||
      !get_u32(env, argv[1], &used, "used must be a number") || !get_u32(env, argv[2], &key_words, "keyWords must be a number") ||
      !get_u32(env, argv[3], &radix_bits, "radixBits must be a number") || !get_u32(env, argv[4], &order, "order must be a number") ||
      !get_u32(env, argv[5], &length_at, "lengthAt must be a number")) {
    return NULL;
  }
  if (used > length || key_words == 0 || radix_bits > 32 * key_words || order > ORDER_LENGTH_PREFIXED || length_at > 0xffff) {
    napi_throw_range_error(env, NULL, "orderTies: used, keyWords, radixBits, order or lengthAt out of range");
    return NULL;
  }
  // Every record must lie within `used` (a record's size is in its first word).
  for (uint32_t at = 0; at < used;) {
    uint32_t words = data[at] > 4 * used ? used + 1 : record_words(key_words, data[at]);
    if (words > used - at) {
      napi_throw_range_error(env, NULL, "orderTies: a record runs past `used`");
      return NULL;
    }
    at += words;
  }
  ties_t t = {data, key_words, (int)order, length_at};
  scratch_t s = {NULL, NULL, NULL, 0, 0, 0};
  // The radix bits: whole words, then the top bits of one more word.
  uint32_t whole = radix_bits >> 5;
  uint32_t part_mask = radix_bits & 31 ? ~0u << (32 - (radix_bits & 31)) : 0;
  bool ok = true;
  uint32_t group_start = 0, group_size = 1, previous = 0;
  for (uint32_t at = used == 0 ? 0 : record_words(key_words, data[0]); at < used && ok; at += record_words(key_words, data[at])) {
    bool same = part_mask == 0 || ((data[at + 1 + whole] ^ data[previous + 1 + whole]) & part_mask) == 0;
    for (uint32_t w = 1; w <= whole && same; w++) same = data[at + w] == data[previous + w];
    if (same) {
      group_size++;
    } else {
      if (group_size > 1) ok = order_group(&t, data, group_start, at, &s);
      group_start = at;
      group_size = 1;
    }
    previous = at;
  }
  if (ok && group_size > 1) ok = order_group(&t, data, group_start, used, &s);
  free(s.starts);
  free(s.spare);
  free(s.group);
  if (!ok) napi_throw_error(env, NULL, "orderTies: out of memory");
  return NULL;
}

napi_status register_order_ties(napi_env env, napi_value exports) {
  return export_function(env, exports, "orderTies", order_ties);
}
