// Reading a kernel's arguments: typed arrays and Buffers are used where they lie (no copy), numbers as unsigned
// 32-bit integers. A wrong argument is a bug in the TypeScript caller, so it throws a TypeError naming it.
#ifndef STRATA_NAPI_ARGS_H
#define STRATA_NAPI_ARGS_H
#include <node_api.h>
#include <stdint.h>
#include <stdbool.h>

#define MAX_ARGS 12

/** Fetches exactly `count` arguments into argv; false (with a TypeError thrown) when fewer were passed. */
static inline bool get_args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *name) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < count) {
    napi_throw_type_error(env, NULL, name);
    return false;
  }
  return true;
}

/** The elements of a typed array of `type` (or a Buffer, for napi_uint8_array), and their count. */
static inline bool get_typed(napi_env env, napi_value value, napi_typedarray_type type, void **data, size_t *length, const char *name) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) == napi_ok && is_typed) {
    napi_typedarray_type actual;
    if (napi_get_typedarray_info(env, value, &actual, length, data, NULL, NULL) == napi_ok && actual == type) return true;
  }
  napi_throw_type_error(env, NULL, name);
  return false;
}

/** The typed array of `type` in property `name` of `object` (a TypeError naming `message` when it is not one). */
static inline bool get_typed_property(napi_env env, napi_value object, const char *name, napi_typedarray_type type, void **data, size_t *length, const char *message) {
  napi_value value;
  if (napi_get_named_property(env, object, name, &value) != napi_ok) return false;
  return get_typed(env, value, type, data, length, message);
}

static inline bool get_u32(napi_env env, napi_value value, uint32_t *out, const char *name) {
  if (napi_get_value_uint32(env, value, out) == napi_ok) return true;
  napi_throw_type_error(env, NULL, name);
  return false;
}

static inline bool get_i32(napi_env env, napi_value value, int32_t *out, const char *name) {
  if (napi_get_value_int32(env, value, out) == napi_ok) return true;
  napi_throw_type_error(env, NULL, name);
  return false;
}

static inline napi_value make_u32(napi_env env, uint32_t value) {
  napi_value result;
  napi_create_uint32(env, value, &result);
  return result;
}

static inline napi_value make_i32(napi_env env, int32_t value) {
  napi_value result;
  napi_create_int32(env, value, &result);
  return result;
}

/** Adds the native function `fn` to `exports` as `name`. */
static inline napi_status export_function(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value value;
  napi_status status = napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value);
  if (status != napi_ok) return status;
  return napi_set_named_property(env, exports, name, value);
}

#endif
