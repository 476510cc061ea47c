/* test_sw.h - the software test suites (run by test_sw_main.c) and helpers they share. */
#ifndef SPARSEGEN_TEST_SW_H
#define SPARSEGEN_TEST_SW_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host_stream.h"

Suite *make_golden_suite(void);      /* test_golden.c */
Suite *make_host_mtx_suite(void);    /* test_host_mtx.c */
Suite *make_host_stream_suite(void); /* test_host_stream.c */
Suite *make_host_driver_suite(void); /* test_host_driver.c */
Suite *make_contract_suite(void);    /* test_contract.c */

/* One entry of a suite: a test and how many loop iterations it runs (_i = 0..loops-1); 0 for a
 * plain test. */
typedef struct tsw_test {
    const TTest *test;
    int loops;
} tsw_test_t;
/* A suite of one test case named like the suite, with a timeout in seconds (test_sw_main.c). */
Suite *tsw_suite(const char *name, int timeout, const tsw_test_t *tests, size_t n);
#define TSW_SUITE(name, timeout, ...)                                                          \
    do {                                                                                       \
        const tsw_test_t tests_[] = {__VA_ARGS__};                                             \
        return tsw_suite(name, timeout, tests_, sizeof tests_ / sizeof tests_[0]);             \
    } while (0)

/* A derived variant (test_host_stream.c); fails the test if the inputs are inconsistent. */
host_variant_t mkvar(uint32_t R, uint32_t C, uint32_t dw, uint32_t aw, uint32_t kmax, bool sparse,
                     uint32_t window, uint32_t sw);

#endif
