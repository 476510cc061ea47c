/* tb_check.h - the one way a test binary runs its Check suite: fork mode (CK_FORK=no
 * overrides), Check's normal summary on stdout, TAP to $SG_TAP_FILE when set (make verify sets
 * it). Returns the exit status: 0 iff every test passed. */
#ifndef SG_TB_CHECK_H
#define SG_TB_CHECK_H
#include <check.h>
#include <stdlib.h>

static inline int tb_check_run(Suite *s) {
  SRunner *sr = srunner_create(s);
  const char *tap = getenv("SG_TAP_FILE");
  if (tap && *tap) srunner_set_tap(sr, tap);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}

/* A test case of suite s with a fixture run around each test (in the forked child) and a
 * timeout in seconds (0: Check's default). */
static inline TCase *tb_tcase(Suite *s, const char *name, void (*setup)(void),
                              void (*teardown)(void), double timeout) {
  TCase *tc = tcase_create(name);
  if (setup || teardown) tcase_add_checked_fixture(tc, setup, teardown);
  if (timeout > 0) tcase_set_timeout(tc, timeout);
  suite_add_tcase(s, tc);
  return tc;
}
#endif
