// The reverse edge sets of an import (HAS_REV from HAS, ROLE_REV from ROLE; src/migration/import/reference-join.ts
// drives it): every record of the sorted forward set, in order, with its key words in reverse order and the same
// payload, into a batch for the reverse set's sorter.
//
// Export:
//   reverseEdges(forward, keyWords, batch, state) → REVERSE_* code: forward is a run set (run_merge.h), batch a
//   sorter batch, state[0] names the run to refill. Returns when done, when a run must be refilled, or when the
//   batch is full. Reentrant: what it keeps between calls is in the arrays the driver owns.
#include "kernels.h"
#include "run_merge.h"

enum { REVERSE_DONE = 0, REVERSE_REFILL = 1, REVERSE_FLUSH = 2, REVERSE_TRUNCATED = 3 };

#define MAX_KEY_WORDS 8

static int reverse(runs_t *forward, batch_t *batch, uint32_t *state) {
  uint32_t key_words = forward->key_words;
  for (;;) {
    uint32_t which = 0;
    int head = runs_head(forward, &which);
    if (head == HEAD_END) return REVERSE_DONE;
    if (head < 0) {
      state[0] = which;
      return head == HEAD_REFILL ? REVERSE_REFILL : REVERSE_TRUNCATED;
    }
    const uint32_t *record = run_at(forward, (uint32_t)head);
    uint32_t length = record[0];
    if (!batch_has_room(batch, key_words, length)) return REVERSE_FLUSH;
    uint32_t *out = batch_add(batch, key_words, length);
    for (uint32_t w = 0; w < key_words; w++) out[w] = record[key_words - w];
    // The payload's whole words, padding included (batch_add zeroed the last one: the copy rewrites it).
    uint32_t payload_words = (length + 3) >> 2;
    const uint32_t *payload = record + 1 + key_words;
    uint32_t *to = out + key_words;
    for (uint32_t w = 0; w < payload_words; w++) to[w] = payload[w];
    run_consume(forward, (uint32_t)head);
  }
}

static napi_value reverse_edges(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv, "reverseEdges(forward, keyWords, batch, state)")) return NULL;
  uint32_t key_words = 0;
  batch_t batch;
  uint32_t *state = NULL;
  size_t state_length = 0;
  if (!get_u32(env, argv[1], &key_words, "reverseEdges: keyWords must be an unsigned integer") ||
      !get_batch(env, argv[2], &batch, "reverseEdges: batch must be a sorter batch") ||
      !get_typed(env, argv[3], napi_uint32_array, (void **)&state, &state_length, "reverseEdges: state must be a Uint32Array")) {
    return NULL;
  }
  if (key_words == 0 || key_words > MAX_KEY_WORDS || state_length < 1) {
    napi_throw_type_error(env, NULL, "reverseEdges: keyWords out of range, or state empty");
    return NULL;
  }
  runs_t forward;
  if (!get_runs(env, argv[0], key_words, ORDER_KEYS, &forward, "reverseEdges: forward must be a run set")) return NULL;
  int code = reverse(&forward, &batch, state);
  free(forward.words);
  return make_u32(env, (uint32_t)code);
}

napi_status register_edge_reverse(napi_env env, napi_value exports) {
  return export_function(env, exports, "reverseEdges", reverse_edges);
}
