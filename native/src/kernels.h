// The kernels the module registers, one register function per source file (listed in binding.gyp too).
#ifndef STRATA_KERNELS_H
#define STRATA_KERNELS_H
#include <node_api.h>
#include <stddef.h>

typedef napi_status (*register_kernel)(napi_env env, napi_value exports);

napi_status register_abi(napi_env env, napi_value exports);
napi_status register_radix_sort(napi_env env, napi_value exports);
napi_status register_leaf_layout(napi_env env, napi_value exports);
napi_status register_item_views(napi_env env, napi_value exports);
napi_status register_export_encoder(napi_env env, napi_value exports);
napi_status register_reference_join(napi_env env, napi_value exports);
napi_status register_attribute_rank(napi_env env, napi_value exports);
napi_status register_edge_reverse(napi_env env, napi_value exports);
napi_status register_store_keys(napi_env env, napi_value exports);
napi_status register_index_views(napi_env env, napi_value exports);
napi_status register_order_ties(napi_env env, napi_value exports);

static const register_kernel KERNELS[] = {
  register_abi,
  register_radix_sort,
  register_leaf_layout,
  register_item_views,
  register_export_encoder,
  register_reference_join,
  register_attribute_rank,
  register_edge_reverse,
  register_store_keys,
  register_index_views,
  register_order_ties,
};
#define KERNEL_COUNT (sizeof(KERNELS) / sizeof(KERNELS[0]))

#endif
