// Lays out the nodes of a fresh LMDB store's leaf pages from a batch of entries in ascending key order
// (src/storage/lmdb-file/tree-builder.ts gathers the batch and completes the pages; layout.ts describes a page).
//
// Export: layLeafNodes(leaf, state, previous, batch, at, end) → the batch position reached.
//   leaf      the page being filled (Uint8Array of 4096 bytes)
//   state     Uint32Array: [lower, upper, previous key length (0xffffffff: none), status, entries laid]
//   previous  the last key laid (Uint8Array of at least the longest key), kept for the order check
//   batch     entries from `at` to `end`, each: key length u16 | flags u8 (1: the data is an overflow reference)
//             | pad u8 | value length u32 | key | data (the value, or the 24-byte overflow reference), little-endian
// It stops when the page has no room for the next node (status LEAF_FULL: the caller completes the page and calls
// again), at a key not greater than the one before it (status OUT_OF_ORDER: nothing of it is written, and the
// caller reports it), or at `end` (status BATCH_DONE). One call lays a page's worth of nodes (about a hundred for
// the import's keys): in JavaScript, each node's copy and order check was 12% of a 1M-thing import's CPU.
// Reentrant: all state is in the arrays passed.
#include <string.h>
#include "kernels.h"
#include "napi-args.h"

#define PAGE_SIZE 4096u
#define PAGE_HEADER 24u
#define NODE_HEADER 8u
#define OVERFLOW_REFERENCE 24u
#define ENTRY_HEADER 8u
#define F_BIGDATA 0x01u
#define NO_PREVIOUS 0xffffffffu

enum { STATE_LOWER, STATE_UPPER, STATE_PREVIOUS_LENGTH, STATE_STATUS, STATE_ENTRIES, STATE_LENGTH };
enum { BATCH_DONE, LEAF_FULL, OUT_OF_ORDER };

static napi_value lay_leaf_nodes(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, "layLeafNodes(leaf, state, previous, batch, at, end)")) return NULL;
  uint8_t *leaf, *previous, *batch;
  uint32_t *state;
  size_t leaf_length, state_length, previous_length, batch_length;
  uint32_t at, end;
  if (!get_typed(env, argv[0], napi_uint8_array, (void **)&leaf, &leaf_length, "leaf must be a Uint8Array") ||
      !get_typed(env, argv[1], napi_uint32_array, (void **)&state, &state_length, "state must be a Uint32Array") ||
      !get_typed(env, argv[2], napi_uint8_array, (void **)&previous, &previous_length, "previous must be a Uint8Array") ||
      !get_typed(env, argv[3], napi_uint8_array, (void **)&batch, &batch_length, "batch must be a Uint8Array") ||
      !get_u32(env, argv[4], &at, "at must be a number") || !get_u32(env, argv[5], &end, "end must be a number")) {
    return NULL;
  }
  if (leaf_length < PAGE_SIZE || state_length < STATE_LENGTH || end > batch_length || at > end ||
      state[STATE_LOWER] > state[STATE_UPPER] || state[STATE_UPPER] > PAGE_SIZE - PAGE_HEADER ||
      (state[STATE_PREVIOUS_LENGTH] != NO_PREVIOUS && state[STATE_PREVIOUS_LENGTH] > previous_length)) {
    napi_throw_range_error(env, NULL, "layLeafNodes: a page of 4096 bytes, its state and a batch range are needed");
    return NULL;
  }
  uint32_t lower = state[STATE_LOWER];
  uint32_t upper = state[STATE_UPPER];
  uint32_t previous_key = state[STATE_PREVIOUS_LENGTH];
  uint32_t entries = 0;
  uint32_t status = BATCH_DONE;
  while (at < end) {
    if (end - at < ENTRY_HEADER) goto damaged;
    const uint8_t *entry = batch + at;
    uint32_t key_length = (uint32_t)entry[0] | (uint32_t)entry[1] << 8;
    uint32_t big = entry[2] & F_BIGDATA;
    uint32_t value_length = (uint32_t)entry[4] | (uint32_t)entry[5] << 8 | (uint32_t)entry[6] << 16 | (uint32_t)entry[7] << 24;
    uint32_t data_length = big ? OVERFLOW_REFERENCE : value_length;
    uint64_t entry_bytes = (uint64_t)ENTRY_HEADER + key_length + data_length;
    uint32_t node_size = (NODE_HEADER + key_length + data_length + 1) & ~1u;
    if (entry_bytes > end - at || key_length == 0 || key_length > previous_length || node_size > (PAGE_SIZE - PAGE_HEADER) / 2) goto damaged;
    if (node_size + 2 > upper - lower) {
      status = LEAF_FULL;
      break;
    }
    const uint8_t *key = entry + ENTRY_HEADER;
    if (previous_key != NO_PREVIOUS) {
      int order = memcmp(key, previous, key_length < previous_key ? key_length : previous_key);
      if (order < 0 || (order == 0 && key_length <= previous_key)) {
        status = OUT_OF_ORDER;
        break;
      }
    }
    upper -= node_size;
    uint8_t *node = leaf + PAGE_HEADER + upper;
    node[node_size - 1] = 0;  // the padding byte, if any: the page is reused without clearing
    leaf[PAGE_HEADER + lower] = upper & 0xff;
    leaf[PAGE_HEADER + lower + 1] = upper >> 8;
    lower += 2;
    node[0] = value_length & 0xff;
    node[1] = (value_length >> 8) & 0xff;
    node[2] = (value_length >> 16) & 0xff;
    node[3] = value_length >> 24;
    node[4] = big ? F_BIGDATA : 0;
    node[5] = 0;
    node[6] = key_length & 0xff;
    node[7] = key_length >> 8;
    memcpy(node + NODE_HEADER, key, key_length);
    memcpy(node + NODE_HEADER + key_length, key + key_length, data_length);
    memcpy(previous, key, key_length);
    previous_key = key_length;
    entries++;
    at += (uint32_t)entry_bytes;
  }
  state[STATE_LOWER] = lower;
  state[STATE_UPPER] = upper;
  state[STATE_PREVIOUS_LENGTH] = previous_key;
  state[STATE_STATUS] = status;
  state[STATE_ENTRIES] = entries;
  return make_u32(env, at);

damaged:
  napi_throw_range_error(env, NULL, "layLeafNodes: a batch entry runs past the batch or is larger than a node may be");
  return NULL;
}

napi_status register_leaf_layout(napi_env env, napi_value exports) {
  return export_function(env, exports, "layLeafNodes", lay_leaf_nodes);
}
