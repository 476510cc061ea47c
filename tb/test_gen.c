/* test_gen: the generator as a user meets it, plus its template filler.
 *
 * State space covered: every validation rule with a value on each side of its range (through
 * options and through config-file lines, reporting the file and line), several violations in
 * one call (all reported), malformed values, unknown keys, presets, missing --out; for each bad
 * call: exit status 2, a message naming the parameter, the value and the allowed range, and an
 * existing output folder left byte-for-byte as it was. Determinism (same input, same bytes),
 * option/config-file equivalence, refusal to replace a folder sparsegen did not write, --help.
 * Template filling: unknown hole, unused value, unterminated hole are hard errors.
 * The binary under test: SG_GEN_BIN (default build/bin/sparsegen), run from the repo root.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sb.h"
#include "tmpl.h"

static const char *gen_bin(void) {
  const char *b = getenv("SG_GEN_BIN");
  return b && *b ? b : "build/bin/sparsegen";
}

static char gen_tmp[256];

static void gen_setup(void) {
  snprintf(gen_tmp, sizeof gen_tmp, "/tmp/sg_test_gen.XXXXXX");
  ck_assert_msg(mkdtemp(gen_tmp) != NULL, "mkdtemp failed");
}

static void gen_teardown(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", gen_tmp);
  if (system(cmd)) {
  }
}

/* Run the generator with a shell-quoted argument string; stderr+stdout into out. */
static int gen_run(const char *args, char *out, size_t outlen) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s %s 2>&1", gen_bin(), args);
  FILE *p = popen(cmd, "r");
  ck_assert_msg(p != NULL, "popen failed");
  size_t n = fread(out, 1, outlen - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Concatenate every file of a folder tree (sorted names) for comparison. */
static void gen_slurp_tree(const char *dir, sb_t *sb, int skip_command_lines) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  ck_assert_msg(n >= 0, "cannot list %s", dir);
  for (int i = 0; i < n; i++) {
    const char *nm = names[i]->d_name;
    if (strcmp(nm, ".") && strcmp(nm, "..")) {
      char path[1024];
      snprintf(path, sizeof path, "%s/%s", dir, nm);
      struct stat st;
      stat(path, &st);
      sb_printf(sb, "== %s\n", nm);
      if (S_ISDIR(st.st_mode)) {
        gen_slurp_tree(path, sb, skip_command_lines);
      } else {
        FILE *f = fopen(path, "r");
        char line[4096];
        while (f && fgets(line, sizeof line, f))
          if (!skip_command_lines || (!strstr(line, "command: ") && !strstr(line, "\"command\": ")))
            sb_puts(sb, line);
        if (f) fclose(f);
      }
    }
    free(names[i]);
  }
  free(names);
}

/* ------------------------------------------------------------------ bad parameters */
typedef struct gen_bad {
  const char *args;     /* options (before --out) */
  const char *config;   /* config file text, or NULL */
  const char *expect[3]; /* substrings the message must contain */
} gen_bad_t;

static const gen_bad_t gen_bad_cases[] = {
    {"--rows 0", NULL, {"rows = 0", "1..32", "--rows"}},
    {"--cols 33", NULL, {"cols = 33", "1..32", NULL}},
    {"--data-width 1", NULL, {"data-width = 1", "2..16", NULL}},
    {"--data-width 17 --acc-width 64", NULL, {"data-width = 17", "2..16", NULL}},
    {"--acc-width 15", NULL, {"acc-width = 15", "2*data-width", "16"}},
    {"--acc-width 65", NULL, {"acc-width = 65", "4..64", NULL}},
    {"--kmax 1000", NULL, {"kmax = 1000", "power of two", NULL}},
    {"--kmax 131072", NULL, {"kmax = 131072", "4..65536", NULL}},
    {"--window 3", NULL, {"window = 3", "power of two", NULL}},
    {"--window 64 --kmax 64", NULL, {"window = 64", "kmax/2", NULL}},
    {"--stream-width 48", NULL, {"stream-width = 48", "power of two", NULL}},
    {"--stream-width 8 --data-width 12 --acc-width 24", NULL, {"stream-width = 8", "lane", "16..1024"}},
    {"--rows 8x", NULL, {"--rows", "'8x'", "not a whole number"}},
    {"--rows -1", NULL, {"--rows", "'-1'", "1..32"}},
    {"--rows 99999999999", NULL, {"--rows", "not a whole number", NULL}},
    {"--frobnicate 3", NULL, {"unknown key", "frobnicate", NULL}},
    {"--sparsity maybe", NULL, {"sparsity", "'maybe'", "dense, weight"}},
    {"--name 9lives", NULL, {"name = '9lives'", "[a-z]", NULL}},
    {"--preset nosuch", NULL, {"unknown preset", "nosuch", "ice40-tiny"}},
    {"--rows 0 --cols 0 --window 5", NULL, {"rows = 0", "cols = 0", "3 invalid parameters"}},
    {"", "rows = 4\n# comment\nbogus_key = 1\n", {"cfg:3", "unknown key", "bogus_key"}},
    {"", "rows = 4\ncols 5\n", {"cfg:2", "key = value", NULL}},
    {"", "rows = 40 # too many\n", {"cfg:1", "rows = 40", "1..32"}},
    {"", "data_width = eight\n", {"cfg:1", "'eight'", "2..16"}},
    {"--rows", NULL, {"--rows needs a value", NULL, NULL}},
};
#define GEN_NBAD ((int)(sizeof gen_bad_cases / sizeof gen_bad_cases[0]))

START_TEST(test_bad_params) {
  const gen_bad_t *c = &gen_bad_cases[_i];
  char out[8192], args[2048], dir[512];
  snprintf(dir, sizeof dir, "%s/out", gen_tmp);
  /* an existing, valid output folder that must survive untouched */
  snprintf(args, sizeof args, "--rows 2 --cols 3 --out %s", dir);
  ck_assert_int_eq(gen_run(args, out, sizeof out), 0);
  sb_t before, after;
  sb_init(&before);
  sb_init(&after);
  gen_slurp_tree(dir, &before, 0);
  char cfgopt[600] = "";
  if (c->config) {
    char cfg[512];
    snprintf(cfg, sizeof cfg, "%s/bad.cfg", gen_tmp);
    FILE *f = fopen(cfg, "w");
    ck_assert(f != NULL);
    fputs(c->config, f);
    fclose(f);
    snprintf(cfgopt, sizeof cfgopt, "--config %s", cfg);
  }
  if (strcmp(c->args, "--rows") == 0)
    snprintf(args, sizeof args, "--out %s --rows", dir); /* value missing at the end */
  else
    snprintf(args, sizeof args, "%s %s --out %s", cfgopt, c->args, dir);
  int rc = gen_run(args, out, sizeof out);
  ck_assert_msg(rc == 2, "sparsegen %s: exit %d, expected 2; output:\n%s", args, rc, out);
  for (int i = 0; i < 3 && c->expect[i]; i++)
    ck_assert_msg(strstr(out, c->expect[i]) != NULL, "sparsegen %s: message lacks '%s':\n%s", args,
                  c->expect[i], out);
  gen_slurp_tree(dir, &after, 0);
  ck_assert_msg(before.len == after.len && memcmp(sb_str(&before), sb_str(&after), before.len) == 0,
                "sparsegen %s changed the existing output folder", args);
  /* no scratch folders left behind */
  DIR *d = opendir(gen_tmp);
  struct dirent *e;
  while ((e = readdir(d)))
    ck_assert_msg(!strstr(e->d_name, ".tmp-") && !strstr(e->d_name, ".old-"), "left behind: %s", e->d_name);
  closedir(d);
  sb_free(&before);
  sb_free(&after);
}
END_TEST

START_TEST(test_missing_out) {
  char out[4096];
  ck_assert_int_eq(gen_run("--rows 2", out, sizeof out), 2);
  ck_assert_msg(strstr(out, "--out") != NULL, "message does not name --out:\n%s", out);
}
END_TEST

/* ------------------------------------------------------------------ determinism */
START_TEST(test_deterministic) {
  static const char *const variants[] = {"--rows 3 --cols 5", "--preset asic16",
                                         "--rows 2 --cols 7 --data-width 12 --acc-width 64 --window 2 --kmax 32",
                                         "--rows 4 --cols 4 --sparsity dense"};
  for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
    char out[4096], args[1024], dir[512];
    snprintf(dir, sizeof dir, "%s/det", gen_tmp);
    snprintf(args, sizeof args, "%s --out %s", variants[v], dir);
    sb_t a, b;
    sb_init(&a);
    sb_init(&b);
    ck_assert_int_eq(gen_run(args, out, sizeof out), 0);
    gen_slurp_tree(dir, &a, 0);
    ck_assert_int_eq(gen_run(args, out, sizeof out), 0);
    gen_slurp_tree(dir, &b, 0);
    ck_assert_msg(a.len > 1000 && a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0,
                  "two runs of sparsegen %s differ", args);
    ck_assert_msg(strstr(a.buf, "DO NOT EDIT: generated by sparsegen") != NULL, "no DO-NOT-EDIT header");
    ck_assert_msg(strstr(a.buf, variants[v]) != NULL, "header lacks the command line");
    sb_free(&a);
    sb_free(&b);
  }
}
END_TEST

START_TEST(test_config_equals_options) {
  char out[4096], args[2048], d1[512], d2[512], cfg[512];
  snprintf(d1, sizeof d1, "%s/opt", gen_tmp);
  snprintf(d2, sizeof d2, "%s/cfg", gen_tmp);
  snprintf(cfg, sizeof cfg, "%s/v.cfg", gen_tmp);
  FILE *f = fopen(cfg, "w");
  ck_assert(f != NULL);
  fputs("# a 5x3 variant\nrows = 5\ncols=3   # trailing comment\n\ndata-width = 6\nacc_width = 20\n"
        "kmax = 128\nwindow = 4\nstream_width = 32\nsparsity = weight\nname = abc\n", f);
  fclose(f);
  snprintf(args, sizeof args,
           "--rows 5 --cols 3 --data-width 6 --acc-width 20 --kmax 128 --window 4 --stream-width 32 "
           "--sparsity weight --name abc --out %s", d1);
  ck_assert_int_eq(gen_run(args, out, sizeof out), 0);
  snprintf(args, sizeof args, "--config %s --out %s", cfg, d2);
  ck_assert_int_eq(gen_run(args, out, sizeof out), 0);
  sb_t a, b;
  sb_init(&a);
  sb_init(&b);
  gen_slurp_tree(d1, &a, 1);
  gen_slurp_tree(d2, &b, 1);
  ck_assert_msg(a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0,
                "config file and options give different outputs");
  ck_assert_msg(strstr(a.buf, "module abc_top") != NULL, "name prefix not applied");
  /* options override the config file */
  snprintf(args, sizeof args, "--config %s --rows 2 --out %s", cfg, d2);
  ck_assert_int_eq(gen_run(args, out, sizeof out), 0);
  sb_free(&b);
  sb_init(&b);
  gen_slurp_tree(d2, &b, 1);
  ck_assert_msg(strstr(b.buf, "#define SG_ROWS 2u") != NULL, "--rows did not override the config file");
  sb_free(&a);
  sb_free(&b);
}
END_TEST

START_TEST(test_refuses_foreign_folder) {
  char out[4096], args[2048], dir[512], file[600];
  snprintf(dir, sizeof dir, "%s/mine", gen_tmp);
  mkdir(dir, 0777);
  snprintf(file, sizeof file, "%s/precious.txt", dir);
  FILE *f = fopen(file, "w");
  fputs("keep me\n", f);
  fclose(f);
  snprintf(args, sizeof args, "--out %s", dir);
  ck_assert_int_eq(gen_run(args, out, sizeof out), 2);
  ck_assert_msg(strstr(out, "refusing") != NULL, "no refusal message:\n%s", out);
  struct stat st;
  ck_assert_msg(stat(file, &st) == 0, "the user's file was removed");
}
END_TEST

START_TEST(test_help_and_presets) {
  char out[16384];
  ck_assert_int_eq(gen_run("--help", out, sizeof out), 0);
  static const char *const words[] = {"--rows", "--cols", "--data-width", "--acc-width", "--kmax",
                                      "--window", "--stream-width", "--sparsity", "--name",
                                      "--config", "--preset", "ice40-tiny", "artix7", "asic16"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    ck_assert_msg(strstr(out, words[i]) != NULL, "--help does not mention %s", words[i]);
  static const char *const presets[] = {"default", "ice40-tiny", "artix7", "asic16", "bench4k"};
  for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
    char args[1024], dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/p%zu", gen_tmp, i);
    snprintf(args, sizeof args, "--preset %s --out %s", presets[i], dir);
    ck_assert_msg(gen_run(args, out, sizeof out) == 0, "preset %s fails: %s", presets[i], out);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    sb_t m;
    sb_init(&m);
    FILE *f = fopen(path, "r");
    ck_assert(f != NULL);
    char line[1024];
    while (fgets(line, sizeof line, f)) sb_puts(&m, line);
    fclose(f);
    ck_assert_msg(strstr(m.buf, "\"top\": \"sg_top\"") && strstr(m.buf, "\"files\": [") &&
                      strstr(m.buf, "\"kmax\": ") && strstr(m.buf, "\"command\": ") &&
                      strstr(m.buf, "\"version\": "),
                  "manifest of preset %s lacks a required field", presets[i]);
    sb_free(&m);
  }
}
END_TEST

/* ------------------------------------------------------------------ template holes */
START_TEST(test_template_holes) {
  char err[256];
  sb_t out;
  tmpl_holes_t hs = {0};
  sb_init(&out);
  tmpl_set(&hs, "A", "1");
  ck_assert_int_eq(tmpl_fill(&out, "t.v", "x @@A@@ y", &hs, err, sizeof err), 0);
  ck_assert_str_eq(sb_str(&out), "x 1 y");
  sb_free(&out);
  ck_assert_int_ne(tmpl_fill(&out, "t.v", "x @@B@@ y", &hs, err, sizeof err), 0);
  ck_assert_msg(strstr(err, "@@B@@") && strstr(err, "t.v:1"), "unknown hole message: %s", err);
  sb_free(&out);
  ck_assert_int_ne(tmpl_fill(&out, "t.v", "no holes\n", &hs, err, sizeof err), 0);
  ck_assert_msg(strstr(err, "@@A@@") != NULL, "unused value message: %s", err);
  sb_free(&out);
  ck_assert_int_ne(tmpl_fill(&out, "t.v", "\n\n@@A", &hs, err, sizeof err), 0);
  ck_assert_msg(strstr(err, "unterminated") && strstr(err, "t.v:3"), "unterminated message: %s", err);
  sb_free(&out);
}
END_TEST

Suite *make_gen_suite(void) {
  Suite *s = suite_create("gen");
  TCase *tc = tcase_create("bad_params");
  tcase_add_checked_fixture(tc, gen_setup, gen_teardown);
  tcase_add_loop_test(tc, test_bad_params, 0, GEN_NBAD);
  tcase_add_test(tc, test_missing_out);
  tcase_set_timeout(tc, 30);
  suite_add_tcase(s, tc);
  tc = tcase_create("outputs");
  tcase_add_checked_fixture(tc, gen_setup, gen_teardown);
  tcase_add_test(tc, test_deterministic);
  tcase_add_test(tc, test_config_equals_options);
  tcase_add_test(tc, test_refuses_foreign_folder);
  tcase_add_test(tc, test_help_and_presets);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  tc = tcase_create("templates");
  tcase_add_test(tc, test_template_holes);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(make_gen_suite());
  const char *tap = getenv("SG_TAP_FILE");
  if (tap && *tap) srunner_set_tap(sr, tap);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
