// The module's interface version, checked by the loader (src/native/index.ts) so that a module built from
// other sources (a stale native/build) is refused with a clear message instead of failing oddly.
#include "kernels.h"

#define STRATA_NATIVE_ABI 3

static napi_value abi(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_uint32(env, STRATA_NATIVE_ABI, &result);
  return result;
}

napi_status register_abi(napi_env env, napi_value exports) {
  napi_value fn;
  napi_status status = napi_create_function(env, "abi", NAPI_AUTO_LENGTH, abi, NULL, &fn);
  if (status != napi_ok) return status;
  return napi_set_named_property(env, exports, "abi", fn);
}
