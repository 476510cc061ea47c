/* test_sw_main.c - runner of the software test suites (golden model and host library).
 *
 * Usage: test_sw [SUITE]   (no argument: all suites; "host" runs every host_* suite)
 * Fork mode (each test in its own process; CK_FORK=no overrides), Check's normal summary on
 * stdout, TAP to build/reports/test_sw.tap when build/reports/ exists (relative to the current
 * directory) or to $SG_TAP_FILE.  Exit status 0 iff every test passed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_sw.h"

static const struct {
    const char *name;
    Suite *(*make)(void);
} suites[] = {
    {"golden", make_golden_suite},
    {"host_mtx", make_host_mtx_suite},
    {"host_stream", make_host_stream_suite},
    {"host_driver", make_host_driver_suite},
    {"contract", make_contract_suite},
};
#define NSUITES (sizeof suites / sizeof suites[0])

Suite *tsw_suite(const char *name, int timeout, const tsw_test_t *tests, size_t n)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, timeout);
    for (size_t i = 0; i < n; i++)
        tcase_add_loop_test(tc, tests[i].test, 0, tests[i].loops > 0 ? tests[i].loops : 1);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    if (argc > 2 || (only && (strcmp(only, "-h") == 0 || strcmp(only, "--help") == 0))) {
        fprintf(stderr, "usage: %s [golden|host|host_mtx|host_stream|host_driver|contract]\n",
                argv[0]);
        return 2;
    }
    SRunner *sr = NULL;
    for (size_t i = 0; i < NSUITES; i++) {
        const size_t n = only ? strlen(only) : 0;
        if (only && strcmp(only, suites[i].name) != 0 &&
            !(strncmp(suites[i].name, only, n) == 0 && suites[i].name[n] == '_'))
            continue;
        Suite *s = suites[i].make();
        if (sr == NULL)
            sr = srunner_create(s);
        else
            srunner_add_suite(sr, s);
    }
    if (sr == NULL) {
        fprintf(stderr, "%s: unknown suite '%s' (known: golden, host, host_mtx, host_stream, host_driver, contract)\n", argv[0], only);
        return 2;
    }
    srunner_set_fork_status(sr, CK_FORK);
    const char *tap = getenv("SG_TAP_FILE");
    struct stat st;
    if ((tap == NULL || *tap == '\0') && stat("build/reports", &st) == 0 && S_ISDIR(st.st_mode))
        tap = "build/reports/test_sw.tap";
    if (tap != NULL && *tap != '\0')
        srunner_set_tap(sr, tap);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
