// Lays out the nodes of a fresh LMDB store's leaf pages from a batch of entries in ascending key order
// (src/storage/lmdb-file/tree-builder.ts gathers the batch; leaf_pages.h describes the leaf, its state and the
// area its completed pages go to).
//
// Exports:
//   layLeafNodes(area, state, pages, batch, at, end) → the batch position reached.
//     batch  entries from `at` to `end`, each: key length u16 | flags u8 (1: the data is an overflow reference)
//            | pad u8 | value length u32 | key | data (the value, or the 24-byte overflow reference), little-endian
//            (the tree builder's batch, or an import's entry file as it is read: entry-file.ts)
//   It stops at `end` or at an entry it cannot lay as a node (status DONE: one that runs past `end`, or whose key
//   is empty or too long, or whose node would be larger than a node may be: the caller adds it otherwise), when
//   the page area is full (PAGES_FULL: called again with a fresh area), or at a key out of order (OUT_OF_ORDER:
//   nothing of it is laid; the caller reports it). In JavaScript, each node's copy and order check was 12% of a
//   1M-thing import's CPU.
//   completeLeaf(area, state, pages) completes the leaf being filled into the page area's first page.
// Reentrant: all state is in the arrays passed.
#include "kernels.h"
#include "leaf_pages.h"
#include "napi-args.h"

#define OVERFLOW_REFERENCE 24u
#define ENTRY_HEADER 8u

static napi_value lay_leaf_nodes(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, "layLeafNodes(area, state, pages, batch, at, end)")) return NULL;
  leaf_target t;
  uint8_t *batch;
  size_t batch_length;
  uint32_t at, end;
  if (!leaf_target_open(env, argv[0], argv[1], argv[2], &t, "layLeafNodes: a leaf area, its state and a page area are needed") ||
      !get_typed(env, argv[3], napi_uint8_array, (void **)&batch, &batch_length, "batch must be a Uint8Array") ||
      !get_u32(env, argv[4], &at, "at must be a number") || !get_u32(env, argv[5], &end, "end must be a number")) {
    return NULL;
  }
  if (end > batch_length || at > end) {
    napi_throw_range_error(env, NULL, "layLeafNodes: the batch range lies outside the batch");
    return NULL;
  }
  while (at < end && leaf_target_ready(&t)) {
    if (end - at < ENTRY_HEADER) break;
    const uint8_t *entry = batch + at;
    uint32_t key_length = (uint32_t)entry[0] | (uint32_t)entry[1] << 8;
    uint32_t big = entry[2] & F_BIGDATA;
    uint32_t value_length = (uint32_t)entry[4] | (uint32_t)entry[5] << 8 | (uint32_t)entry[6] << 16 | (uint32_t)entry[7] << 24;
    uint32_t data_length = big ? OVERFLOW_REFERENCE : value_length;
    uint64_t entry_bytes = (uint64_t)ENTRY_HEADER + key_length + data_length;
    if (entry_bytes > end - at || key_length == 0 || key_length > t.max_key || (uint64_t)NODE_HEADER + key_length + data_length > NODE_MAX) break;
    if (!lay_node(&t, entry + ENTRY_HEADER, key_length, entry + ENTRY_HEADER + key_length, data_length, value_length, big)) break;
    at += (uint32_t)entry_bytes;
  }
  leaf_target_close(&t);
  return make_u32(env, at);
}

static napi_value complete_leaf_page(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, "completeLeaf(area, state, pages)")) return NULL;
  leaf_target t;
  if (!leaf_target_open(env, argv[0], argv[1], argv[2], &t, "completeLeaf: a leaf area, its state and a page area are needed")) return NULL;
  if (leaf_target_ready(&t)) complete_leaf(&t);
  leaf_target_close(&t);
  return NULL;
}

napi_status register_leaf_layout(napi_env env, napi_value exports) {
  napi_status status = export_function(env, exports, "layLeafNodes", lay_leaf_nodes);
  if (status != napi_ok) return status;
  return export_function(env, exports, "completeLeaf", complete_leaf_page);
}
