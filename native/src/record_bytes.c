// The base64 tables of record_bytes.h.
#include <pthread.h>
#include "record_bytes.h"

const char BASE64[65] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
uint8_t BASE64_PAIRS[4096][2];
static pthread_once_t pairs_once = PTHREAD_ONCE_INIT;

static void fill_pairs(void) {
  for (int i = 0; i < 4096; i++) {
    BASE64_PAIRS[i][0] = (uint8_t)BASE64[i >> 6];
    BASE64_PAIRS[i][1] = (uint8_t)BASE64[i & 63];
  }
}

void record_bytes_init(void) {
  pthread_once(&pairs_once, fill_pairs);
}
