/* test_sw_main.c - runner of the software test suites (golden model and host library).
 *
 * Usage: test_sw [golden|host]    (no argument: all suites)
 * Fork mode (each test in its own process; CK_FORK=no overrides), Check's normal summary on
 * stdout, TAP to build/reports/test_sw.tap when build/reports/ exists (relative to the current
 * directory) or to $SG_TAP_FILE.  Exit status 0 iff every test passed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

Suite *make_golden_suite(void);
Suite *make_host_suite(void);

static const struct {
    const char *name;
    Suite *(*make)(void);
} suites[] = {
    {"golden", make_golden_suite},
    {"host", make_host_suite},
};
#define NSUITES (sizeof suites / sizeof suites[0])

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    if (argc > 2 || (only && (strcmp(only, "-h") == 0 || strcmp(only, "--help") == 0))) {
        fprintf(stderr, "usage: %s [golden|host]\n", argv[0]);
        return 2;
    }
    SRunner *sr = NULL;
    for (size_t i = 0; i < NSUITES; i++) {
        if (only && strcmp(only, suites[i].name) != 0)
            continue;
        Suite *s = suites[i].make();
        if (sr == NULL)
            sr = srunner_create(s);
        else
            srunner_add_suite(sr, s);
    }
    if (sr == NULL) {
        fprintf(stderr, "%s: unknown suite '%s' (known: golden, host)\n", argv[0], only);
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
