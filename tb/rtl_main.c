/* rtl_main: runs make_rtl_suite() on the variant this binary was built for.
 * Environment: SG_SEED (random seed), SG_JOBS (random jobs per density), SG_TAP_FILE (TAP
 * report), CK_RUN_CASE / CK_RUN_SUITE (Check's own test selection). */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "sparsegen_params.h"
#include "tb_check.h"
#include "variant_name.h"

Suite *make_rtl_suite(void);
uint64_t rtl_seed_get(void);

int main(void) {
  uint64_t seed = rtl_seed_get();
  printf("tb_rtl: variant %s (prefix %s, %ux%u data_w %u acc_w %u kmax %u window %u sparsity %s), seed %" PRIu64 "\n",
         tb_variant_name(), SG_VARIANT, SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX, SG_WINDOW, SG_SPARSITY, seed);
  fflush(stdout);
  return tb_check_run(make_rtl_suite());
}
