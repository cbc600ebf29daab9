# Strata's native module: hot loops of the bulk import and export, where a benchmark showed JavaScript was the limit
# (docs/migration.md section 7). Built by `npm ci` (the prepare script) with node-gyp against Node's own headers.
{
  "targets": [
    {
      "target_name": "strata_native",
      "sources": [
        "src/module.c",
        "src/abi.c",
        "src/radix_sort.c",
        "src/leaf_layout.c",
        "src/item_views.c",
        "src/export_encoder.c",
        "src/record_bytes.c",
        "src/reference_join.c",
        "src/attribute_rank.c",
        "src/edge_reverse.c",
        "src/store_keys.c",
        "src/index_views.c",
        "src/order_ties.c"
      ],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "cflags_cc": ["-O3", "-std=c++17", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
