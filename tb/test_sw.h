/* test_sw.h - the software test suites (run by test_sw_main.c) and helpers they share. */
#ifndef SPARSEGEN_TEST_SW_H
#define SPARSEGEN_TEST_SW_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "host_stream.h"

Suite *make_golden_suite(void);      /* test_golden.c */
Suite *make_host_mtx_suite(void);    /* test_host_mtx.c */
Suite *make_host_stream_suite(void); /* test_host_stream.c */
Suite *make_host_driver_suite(void); /* test_host_driver.c */
Suite *make_contract_suite(void);    /* test_contract.c */

/* A derived variant (test_host_stream.c); fails the test if the inputs are inconsistent. */
host_variant_t mkvar(uint32_t R, uint32_t C, uint32_t dw, uint32_t aw, uint32_t kmax, bool sparse,
                     uint32_t window, uint32_t sw);

#endif
