// The module's entry: each kernel file adds its functions to the exports through its register function.
#include <node_api.h>
#include "kernels.h"

NAPI_MODULE_INIT() {
  for (size_t i = 0; i < KERNEL_COUNT; i++) {
    if (KERNELS[i](env, exports) != napi_ok) return NULL;
  }
  return exports;
}
