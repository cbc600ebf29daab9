// Leaf pages of a fresh LMDB store, laid by the kernels that make its keys (leaf_layout.c from a batch of entries,
// store_keys.c from the import's things and sorted edge records): a node is laid into the leaf being filled, and
// a full leaf is completed (header, cleared free space) straight into an area of whole pages the caller owns (the
// page output's buffer, or leaves built in memory), so that no page passes through JavaScript.
// src/storage/lmdb-file/tree-builder.ts owns the arrays, numbers the pages' first keys and writes the pages out.
//
// The caller passes three arrays:
//   area   the leaf being filled (4096 bytes), then the last key laid and room for a key refused as out of order
//          (each as long as the longest key)
//   state  Uint32Array: [lower, upper, previous key length (0xffffffff: none), status, entries laid, pages
//          completed, next page number (low, high word), length of the refused key]
//   pages  whole pages: where completed leaves go, from its start (the caller takes them after each call)
// A kernel lays nodes until it is done, or until the page area has no free page left (status PAGES_FULL: the
// caller takes the pages and calls again with a fresh area), or a key is not greater than the one before it
// (OUT_OF_ORDER: nothing of it is laid, it is copied to the area's refused key) or too long (KEY_TOO_LONG, its
// length in the refused key's length).
#ifndef STRATA_LEAF_PAGES_H
#define STRATA_LEAF_PAGES_H
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "napi-args.h"

#define PAGE_SIZE 4096u
#define PAGE_HEADER 24u
#define PAGE_ROOM (PAGE_SIZE - PAGE_HEADER)
#define NODE_HEADER 8u
/** The most bytes a node may take (header, key and data) before its value goes to overflow pages: layout.ts's. */
#define NODE_MAX (((PAGE_ROOM / 2) & ~1u) - 2)
#define P_LEAF 0x02u
#define F_BIGDATA 0x01u
#define NO_PREVIOUS 0xffffffffu
/** The one transaction a fresh store holds. */
#define FRESH_TXN_ID 1u

enum {
  LEAF_LOWER,
  LEAF_UPPER,
  LEAF_PREVIOUS_LENGTH,
  LEAF_STATUS,
  LEAF_LAID,
  LEAF_PAGES,
  LEAF_NEXT_PAGE_LOW,
  LEAF_NEXT_PAGE_HIGH,
  LEAF_REFUSED_LENGTH,
  LEAF_STATE_LENGTH
};
enum { LEAF_DONE, LEAF_PAGES_FULL, LEAF_OUT_OF_ORDER, LEAF_KEY_TOO_LONG };

typedef struct {
  uint8_t *leaf;
  uint8_t *previous;
  uint8_t *refused;
  /** The longest key. */
  uint32_t max_key;
  uint32_t *state;
  uint8_t *pages;
  /** Whole pages in `pages`. */
  uint32_t page_room;
  uint32_t lower, upper, previous_length, status, laid, pages_done;
  uint64_t next_page;
} leaf_target;

/** Reads the three arrays into `t`; false (with an exception thrown) when they do not fit together. */
static inline bool leaf_target_open(napi_env env, napi_value area, napi_value state, napi_value pages, leaf_target *t, const char *name) {
  uint8_t *area_bytes;
  size_t area_length, state_length, pages_length;
  if (!get_typed(env, area, napi_uint8_array, (void **)&area_bytes, &area_length, "the leaf area must be a Uint8Array") ||
      !get_typed(env, state, napi_uint32_array, (void **)&t->state, &state_length, "the leaf state must be a Uint32Array") ||
      !get_typed(env, pages, napi_uint8_array, (void **)&t->pages, &pages_length, "the page area must be a Uint8Array")) {
    return false;
  }
  uint32_t *s = t->state;
  if (area_length < PAGE_SIZE + 2 || state_length < LEAF_STATE_LENGTH || s[LEAF_LOWER] > s[LEAF_UPPER] || s[LEAF_UPPER] > PAGE_ROOM ||
      (s[LEAF_PREVIOUS_LENGTH] != NO_PREVIOUS && s[LEAF_PREVIOUS_LENGTH] > (area_length - PAGE_SIZE) / 2)) {
    napi_throw_range_error(env, NULL, name);
    return false;
  }
  t->leaf = area_bytes;
  t->max_key = (uint32_t)((area_length - PAGE_SIZE) / 2);
  t->previous = area_bytes + PAGE_SIZE;
  t->refused = t->previous + t->max_key;
  t->page_room = (uint32_t)(pages_length / PAGE_SIZE);
  t->lower = s[LEAF_LOWER];
  t->upper = s[LEAF_UPPER];
  t->previous_length = s[LEAF_PREVIOUS_LENGTH];
  t->status = LEAF_DONE;
  t->laid = 0;
  t->pages_done = 0;
  t->next_page = (uint64_t)s[LEAF_NEXT_PAGE_LOW] | (uint64_t)s[LEAF_NEXT_PAGE_HIGH] << 32;
  return true;
}

/** Writes `t` back to its state array. */
static inline void leaf_target_close(leaf_target *t) {
  uint32_t *s = t->state;
  s[LEAF_LOWER] = t->lower;
  s[LEAF_UPPER] = t->upper;
  s[LEAF_PREVIOUS_LENGTH] = t->previous_length;
  s[LEAF_STATUS] = t->status;
  s[LEAF_LAID] = t->laid;
  s[LEAF_PAGES] = t->pages_done;
  s[LEAF_NEXT_PAGE_LOW] = (uint32_t)t->next_page;
  s[LEAF_NEXT_PAGE_HIGH] = (uint32_t)(t->next_page >> 32);
}

/**
 * Whether a node may be laid now: a node that does not fit completes the leaf, which needs a free page in the
 * area. When there is none, the status says so and the kernel stops.
 */
static inline bool leaf_target_ready(leaf_target *t) {
  if (t->pages_done < t->page_room) return true;
  t->status = LEAF_PAGES_FULL;
  return false;
}

static inline void put_u16le(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

static inline void put_u32le(uint8_t *p, uint32_t v) {
  put_u16le(p, v & 0xffff);
  put_u16le(p + 2, v >> 16);
}

/** Completes the leaf into the next page of the area (leaf_target_ready said there is one) and starts a new one. */
static inline void complete_leaf(leaf_target *t) {
  uint8_t *leaf = t->leaf;
  put_u32le(leaf, (uint32_t)t->next_page);
  put_u32le(leaf + 4, (uint32_t)(t->next_page >> 32));
  put_u32le(leaf + 8, FRESH_TXN_ID);
  put_u32le(leaf + 12, 0);
  put_u16le(leaf + 16, 0);
  put_u16le(leaf + 18, P_LEAF);
  put_u16le(leaf + 20, t->lower);
  put_u16le(leaf + 22, t->upper);
  // Every other byte was written for this page (header, pointers, nodes and their padding): clearing the free
  // space between pointers and nodes is enough for a page that holds nothing of the page before.
  memset(leaf + PAGE_HEADER + t->lower, 0, t->upper - t->lower);
  memcpy(t->pages + (size_t)t->pages_done * PAGE_SIZE, leaf, PAGE_SIZE);
  t->pages_done++;
  t->next_page++;
  t->lower = 0;
  t->upper = PAGE_ROOM;
}

/**
 * Lays the node of `key` with `data` (the value, or a value's overflow reference: F_BIGDATA in `flags`, the value's
 * length in `value_length`), completing the leaf first when the node does not fit (leaf_target_ready was asked).
 * False when the key is not greater than the last one laid or too long (the status says which).
 */
static inline bool lay_node(leaf_target *t, const uint8_t *key, uint32_t key_length, const uint8_t *data, uint32_t data_length, uint32_t value_length, uint32_t flags) {
  if (key_length == 0 || key_length > t->max_key) {
    t->status = LEAF_KEY_TOO_LONG;
    t->state[LEAF_REFUSED_LENGTH] = key_length;
    return false;
  }
  if (t->previous_length != NO_PREVIOUS) {
    uint32_t previous_length = t->previous_length;
    int order = memcmp(key, t->previous, key_length < previous_length ? key_length : previous_length);
    if (order < 0 || (order == 0 && key_length <= previous_length)) {
      t->status = LEAF_OUT_OF_ORDER;
      memcpy(t->refused, key, key_length);
      t->state[LEAF_REFUSED_LENGTH] = key_length;
      return false;
    }
  }
  uint32_t node_size = (NODE_HEADER + key_length + data_length + 1) & ~1u;
  if (node_size + 2 > t->upper - t->lower) complete_leaf(t);
  uint32_t upper = t->upper - node_size;
  uint8_t *node = t->leaf + PAGE_HEADER + upper;
  node[node_size - 1] = 0;  // the padding byte, if any: the page is reused without clearing
  put_u16le(t->leaf + PAGE_HEADER + t->lower, upper);
  t->lower += 2;
  t->upper = upper;
  put_u32le(node, value_length);
  node[4] = (uint8_t)flags;
  node[5] = 0;
  put_u16le(node + 6, key_length);
  memcpy(node + NODE_HEADER, key, key_length);
  if (data_length > 0) memcpy(node + NODE_HEADER + key_length, data, data_length);
  memcpy(t->previous, key, key_length);
  t->previous_length = key_length;
  t->laid++;
  return true;
}

#endif
