/* test_gen: the generator as a user meets it, plus its template filler.
 *
 * State space covered: every validation rule with a value on each side of its range (through
 * options and through config-file lines, reporting the file and line), several violations in
 * one call (all reported), malformed values, unknown keys, presets, missing --out; for each bad
 * call: exit status 2, a message naming the parameter, the value and the allowed range, and an
 * existing output folder left byte-for-byte as it was. Determinism (same input, same bytes),
 * option/config-file equivalence, refusal to replace a folder sparsegen did not write, --help.
 * Issue 7 bad inputs: a folder or a NUL byte as config, repeated options, keys and presets,
 * --out paths (trailing slash and missing parents work; '', '.', file parents and a 4095-character
 * path over an existing folder exit 2 and delete nothing), a command line that tries to end a
 * comment or start a line (escaped; the header still compiles), files sparsegen did not write
 * (named, kept, deleted only with --force). The values written into sparsegen_params.h and
 * manifest.json for every preset --help lists, and the text of every generated file (printable,
 * no trailing blanks, .v files end with `default_nettype wire).
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
#include "tb_check.h"
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

/* Run the generator with a shell-quoted argument string; stderr+stdout into out. Every "@T" in
 * args stands for the test's scratch folder. */
static int gen_run(const char *args, char *out, size_t outlen) {
  static char cmd[16384];
  int n = snprintf(cmd, sizeof cmd, "%s ", gen_bin());
  for (const char *a = args; *a && n < (int)sizeof cmd - 1; a++) {
    if (a[0] == '@' && a[1] == 'T') {
      n += snprintf(cmd + n, sizeof cmd - (size_t)n, "%s", gen_tmp);
      a++;
    } else {
      cmd[n++] = *a;
    }
  }
  snprintf(cmd + n, sizeof cmd - (size_t)n, " 2>&1");
  FILE *p = popen(cmd, "r");
  ck_assert_msg(p != NULL, "popen failed");
  size_t got = fread(out, 1, outlen - 1, p);
  out[got] = '\0';
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
    /* issue 7: every bad input answered */
    {"--config @T", NULL, {"--config", "is a folder", NULL}},
    {"--data-width 99", NULL, {"data-width = 99", "2..16", "1 invalid parameter"}},
    {"--data-width 12 --acc-width 20", NULL, {"acc-width = 20", "rule acc-width >= 2*data-width", "allowed 24..64"}},
    {"--kmax 64 --window 64", NULL, {"window = 64", "rule kmax >= 2*window", "allowed 2..32"}},
    {"--rows 2 --rows=3", NULL, {"rows is given twice", "argument 1", "argument 3"}},
    {"--data_width 8 --data-width 8", NULL, {"data-width is given twice", "argument 1", NULL}},
    {"--out @T/elsewhere", NULL, {"--out is given twice", NULL, NULL}},
    {"--preset asic16 --preset artix7", NULL, {"--preset is given twice", NULL, NULL}},
    {"--config @T/bad.cfg --config @T/bad.cfg", "rows = 2\n", {"--config is given twice", NULL, NULL}},
    {"--preset asic16", "preset = artix7\n", {"preset is given twice", "cfg:1", "--preset"}},
    {"", "rows = 2\n\nrows = 4\n", {"cfg:3", "rows is given twice", "cfg:1"}},
    {"", "rows = 2\npreset = asic16\n", {"cfg:2", "preset 'asic16' comes after", "cfg:1"}},
    {"", "rows = 2\ncols = \0013\n", {"cfg:2", "NUL byte", NULL}},
    {"--force=1", NULL, {"--force takes no value", NULL, NULL}},
    {"--force --force", NULL, {"--force is given twice", NULL, NULL}},
    {"stray", NULL, {"unexpected argument", "'stray'", NULL}},
    /* issue 8: the operand storage rule, 2.3 x (A + B) (contract: sg_storage_pick) */
    {"--rows 32 --cols 32 --kmax 64 --window 32", NULL, {"exceeds the rule", "window-depth", "a-capacity"}},
    {"--preset default --window-depth 16", NULL, {"--window-depth (argument", "window-depth 16", "301465"}},
    {"--kmax 256 --a-capacity 256 --window-depth 8", NULL, {"--a-capacity (argument", "operand storage", NULL}},
    {"--a-capacity 100", NULL, {"a-capacity = 100", "power of two", NULL}},
    {"--window-depth 1", NULL, {"window-depth = 1", "2..16", NULL}},
};

/* Every "allowed A..B" in a message must be a range that makes sense (A <= B). */
static void gen_ranges_sane(const char *args, const char *out) {
  for (const char *p = strstr(out, "allowed "); p; p = strstr(p + 1, "allowed ")) {
    unsigned long a, b;
    if (sscanf(p, "allowed %lu..%lu", &a, &b) == 2)
      ck_assert_msg(a <= b, "sparsegen %s: message gives the empty range %lu..%lu:\n%s", args, a, b, out);
  }
}
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
    /* the text may hold a NUL byte, written as \001 before it: "\001" + byte 0 */
    for (const char *p = c->config; *p; p++) fputc(*p == '\001' ? '\0' : *p, f);
    fclose(f);
    if (!strstr(c->args, "--config")) snprintf(cfgopt, sizeof cfgopt, "--config %s", cfg);
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
  gen_ranges_sane(args, out);
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
                                      "--config", "--preset", "--force", "ice40-tiny", "artix7", "asic16"};
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


/* ------------------------------------------------------------------ helpers for the new tests */
static int gen_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static void gen_touch(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_msg(f != NULL, "cannot create %s", path);
  fputs(text, f);
  fclose(f);
}

static void gen_slurp(const char *path, sb_t *sb) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot read %s", path);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_putn(sb, buf, n);
  fclose(f);
}

/* ------------------------------------------------------------------ --out paths */
START_TEST(test_out_paths) {
  char out[8192], args[2048], path[1024];
  /* a trailing slash, and parents that do not exist yet, simply work */
  ck_assert_msg(gen_run("--rows 2 --cols 2 --out @T/newv/", out, sizeof out) == 0, "trailing slash: %s", out);
  snprintf(path, sizeof path, "%s/newv/manifest.json", gen_tmp);
  ck_assert_msg(gen_exists(path), "--out newv/ did not write newv/manifest.json");
  ck_assert_msg(gen_run("--rows 2 --cols 2 --out @T/a/b/c", out, sizeof out) == 0, "missing parents: %s", out);
  snprintf(path, sizeof path, "%s/a/b/c/rtl/sg_top.v", gen_tmp);
  ck_assert_msg(gen_exists(path), "--out a/b/c did not create its parents");
  /* empty, '.', a file as parent, an existing file: exit 2, nothing created */
  ck_assert_int_eq(gen_run("--out ''", out, sizeof out), 2);
  ck_assert_msg(strstr(out, "--out is empty") != NULL, "--out '': %s", out);
  snprintf(args, sizeof args, "--out %s/.", gen_tmp);
  ck_assert_int_eq(gen_run(args, out, sizeof out), 2);
  snprintf(path, sizeof path, "%s/afile", gen_tmp);
  gen_touch(path, "x\n");
  ck_assert_int_eq(gen_run("--out @T/afile/sub/v", out, sizeof out), 2);
  ck_assert_msg(strstr(out, "afile") != NULL, "file as parent: %s", out);
  ck_assert_int_eq(gen_run("--out @T/afile", out, sizeof out), 2);
  ck_assert_msg(strstr(out, "not a folder") != NULL, "file as --out: %s", out);
  /* a 4095-character --out over an existing empty folder: exit 2, the folder survives */
  sb_t p;
  sb_init(&p);
  sb_puts(&p, gen_tmp);
  while (p.len < 3900) {
    sb_puts(&p, "/");
    for (int i = 0; i < 200; i++) sb_puts(&p, "d");
    ck_assert_msg(mkdir(sb_str(&p), 0777) == 0 || gen_exists(sb_str(&p)), "mkdir of the long path failed");
  }
  sb_puts(&p, "/");
  while (p.len < 4095) sb_puts(&p, "e");
  ck_assert_msg(mkdir(sb_str(&p), 0777) == 0, "cannot create the 4095-character folder");
  ck_assert_int_eq((int)p.len, 4095);
  sb_t cmd;
  sb_init(&cmd);
  sb_printf(&cmd, "--out %s", sb_str(&p));
  int rc = gen_run(sb_str(&cmd), out, sizeof out);
  ck_assert_msg(rc == 2 && strstr(out, "4095 characters"), "4095-character --out: exit %d: %s", rc, out);
  ck_assert_msg(gen_exists(sb_str(&p)), "the existing 4095-character folder was deleted");
  sb_free(&cmd);
  sb_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ the recorded command line */
START_TEST(test_cmdline_escaped) {
  char out[8192], cfg[1024], args[4096];
  /* a config path with newlines and a `define, and an --out with a comment end */
  snprintf(cfg, sizeof cfg, "%s/inj\n`define EVIL 1\n* x.cfg", gen_tmp);
  gen_touch(cfg, "rows = 2\ncols = 2\n");
  snprintf(args, sizeof args, "--config '%s' --name e1 --out '%s/x*/ y\001\377-->'", cfg, gen_tmp);
  int rc = gen_run(args, out, sizeof out);
  ck_assert_msg(rc == 0, "sparsegen %s: exit %d: %s", args, rc, out);
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/x*/ y\001\377-->", gen_tmp);
  sb_t t;
  sb_init(&t);
  gen_slurp_tree(dir, &t, 0);
  ck_assert_msg(strstr(t.buf, "module e1_top") != NULL, "the variant was not generated");
  ck_assert_msg(strstr(t.buf, "\n`define") == NULL, "a line of the output starts with `define");
  ck_assert_msg(strstr(t.buf, "$'") != NULL && strstr(t.buf, "\\x0a\\x60define EVIL") != NULL,
                "the command line is not quoted as $'...' with \\xHH escapes");
  for (size_t i = 0; i < t.len; i++) {
    unsigned char ch = (unsigned char)t.buf[i];
    ck_assert_msg(ch == '\n' || (ch >= 0x20 && ch < 0x7f), "byte 0x%02x in the generated text", ch);
  }
  /* every comment-bearing file still parses: the C header compiles with -Wall -Werror */
  char cc[4096];
  snprintf(cc, sizeof cc, "printf '#include \"%s/sparsegen_params.h\"\\nint x = SG_ROWS;\\n' | "
           "cc -Wall -Wextra -Werror -fsyntax-only -x c - 2>&1", dir);
  FILE *pp = popen(cc, "r");
  ck_assert(pp != NULL);
  size_t n = fread(out, 1, sizeof out - 1, pp);
  out[n] = '\0';
  ck_assert_msg(pclose(pp) == 0, "the generated header does not compile:\n%s", out);
  int opens = 0, closes = 0;
  for (const char *q = t.buf; (q = strstr(q, "<!--")); q++) opens++;
  for (const char *q = t.buf; (q = strstr(q, "-->")); q++) closes++;
  ck_assert_msg(strstr(t.buf, "*/ y") == NULL && opens == closes,
                "a comment end from the command line reached the output (%d <!-- and %d -->)", opens, closes);
  sb_free(&t);
}
END_TEST

/* ------------------------------------------------------------------ files sparsegen did not write */
START_TEST(test_foreign_files) {
  char out[8192], path[1024];
  ck_assert_int_eq(gen_run("--rows 2 --cols 2 --out @T/v", out, sizeof out), 0);
  snprintf(path, sizeof path, "%s/v/notes.txt", gen_tmp);
  gen_touch(path, "mine\n");
  snprintf(path, sizeof path, "%s/v/rtl/extra.v", gen_tmp);
  gen_touch(path, "module extra; endmodule\n");
  int rc = gen_run("--rows 2 --cols 3 --out @T/v", out, sizeof out);
  ck_assert_msg(rc == 2, "regenerating over foreign files: exit %d: %s", rc, out);
  ck_assert_msg(strstr(out, "notes.txt") && strstr(out, "rtl/extra.v") && strstr(out, "--force"),
                "the refusal does not name the files and --force: %s", out);
  ck_assert_msg(gen_exists(path), "a foreign file was deleted without --force");
  sb_t h;
  sb_init(&h);
  snprintf(path, sizeof path, "%s/v/sparsegen_params.h", gen_tmp);
  gen_slurp(path, &h);
  ck_assert_msg(strstr(h.buf, "#define SG_COLS 2u") != NULL, "the refused run changed the folder");
  sb_free(&h);
  /* regenerating a folder holding only generated files needs no --force */
  snprintf(path, sizeof path, "%s/w", gen_tmp);
  ck_assert_int_eq(gen_run("--rows 2 --cols 2 --out @T/w", out, sizeof out), 0);
  ck_assert_msg(gen_run("--rows 3 --cols 2 --out @T/w", out, sizeof out) == 0, "regenerate: %s", out);
  /* --force deletes them, and says so */
  rc = gen_run("--rows 2 --cols 3 --force --out @T/v", out, sizeof out);
  ck_assert_msg(rc == 0 && strstr(out, "warning") && strstr(out, "notes.txt"), "--force: exit %d: %s", rc, out);
  snprintf(path, sizeof path, "%s/v/notes.txt", gen_tmp);
  ck_assert_msg(!gen_exists(path), "--force kept the foreign file");
  /* --force never replaces a folder sparsegen did not write */
  snprintf(path, sizeof path, "%s/theirs", gen_tmp);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/theirs/data.bin", gen_tmp);
  gen_touch(path, "x");
  rc = gen_run("--force --out @T/theirs", out, sizeof out);
  ck_assert_msg(rc == 2 && gen_exists(path) && strstr(out, "data.bin"), "--force over a foreign folder: exit %d: %s", rc, out);
}
END_TEST

/* ------------------------------------------------------------------ values written, every preset */
/* The value of "#define NAME <v>u" (or "NAME": <v> in JSON) as text; "" if absent. */
static void gen_find_value(const char *text, const char *const *names, int json, char *v, size_t n) {
  v[0] = '\0';
  for (int k = 0; names[k]; k++) {
    char pat[96];
    snprintf(pat, sizeof pat, json ? "\"%s\": " : "#define %s ", names[k]);
    const char *p = strstr(text, pat);
    if (!p) continue;
    p += strlen(pat);
    size_t i = 0;
    if (*p == '"') p++;
    while (p[i] && p[i] != '\n' && p[i] != ',' && p[i] != '"' && p[i] != '}' && i + 1 < n) i++;
    snprintf(v, n, "%.*s", (int)i, p);
    if (!json && i > 0 && v[i - 1] == 'u') v[i - 1] = '\0';
    return;
  }
}

typedef struct gen_expect {
  const char *name;     /* for messages */
  const char *hdr[3];   /* macro names in sparsegen_params.h (accepted spellings) */
  const char *json[3];  /* keys in manifest.json */
  unsigned long value;
} gen_expect_t;

/* Checks one generated folder against the parameter values of a setting string
 * ("rows=8 cols=8 data_width=8 ...", the form --help prints); derived values computed here from
 * the formulas of docs/parameters.md. */
static void gen_check_values(const char *dir, const char *settings, const char *preset) {
  unsigned long v[8] = {8, 8, 8, 32, 1024, 16, 64, 64}; /* the documented defaults */
  static const char *const keys[8] = {"rows",   "cols",         "data_width",      "acc_width", "kmax",
                                      "window", "stream_width", "out_stream_width"};
  char buf[512];
  snprintf(buf, sizeof buf, "%s", settings);
  for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " "))
    for (int k = 0; k < 8; k++)
      if (!strncmp(tok, keys[k], strlen(keys[k])) && tok[strlen(keys[k])] == '=')
        v[k] = strtoul(tok + strlen(keys[k]) + 1, NULL, 10);
  unsigned long lane = 8 * ((v[2] + 7) / 8), epb = v[6] / lane, kw = 0;
  while ((1ul << kw) < v[4]) kw++;
  const gen_expect_t ex[] = {
      {"rows", {"SG_ROWS"}, {"rows"}, v[0]},
      {"cols", {"SG_COLS"}, {"cols"}, v[1]},
      {"data width", {"SG_DATA_W", "SG_DATA_WIDTH"}, {"data_width"}, v[2]},
      {"acc width", {"SG_ACC_W", "SG_ACC_WIDTH"}, {"acc_width"}, v[3]},
      {"kmax", {"SG_KMAX"}, {"kmax"}, v[4]},
      {"window", {"SG_WINDOW"}, {"window"}, v[5]},
      {"stream width", {"SG_IN_STREAM_W", "SG_STREAM_WIDTH"}, {"stream_width"}, v[6]},
      {"in_lane_w", {"SG_IN_LANE_W"}, {"in_lane_w"}, lane},
      {"elems_per_beat", {"SG_ELEMS_PER_BEAT"}, {"elems_per_beat"}, epb},
      {"beats_per_slice", {"SG_BEATS_PER_SLICE"}, {"beats_per_slice"}, (v[0] + v[1] + epb - 1) / epb},
      {"out_stream_w", {"SG_OUT_STREAM_W"}, {"out_stream_w"}, v[7]},
      {"out_lane_w", {"SG_OUT_LANE_W"}, {"out_lane_w"}, 8 * ((v[3] + 7) / 8)},
      {"results_per_beat", {"SG_RESULTS_PER_BEAT"}, {"results_per_beat"}, v[7] / (8 * ((v[3] + 7) / 8))},
      {"kw", {NULL}, {"kw"}, kw},
  };
  char path[1024], got[64];
  sb_t h, m;
  sb_init(&h);
  sb_init(&m);
  snprintf(path, sizeof path, "%s/sparsegen_params.h", dir);
  gen_slurp(path, &h);
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  gen_slurp(path, &m);
  for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
    if (ex[i].hdr[0]) {
      gen_find_value(h.buf, ex[i].hdr, 0, got, sizeof got);
      ck_assert_msg(got[0] && strtoul(got, NULL, 0) == ex[i].value,
                    "%s: sparsegen_params.h has %s = '%s', expected %lu", settings, ex[i].name, got, ex[i].value);
    }
    gen_find_value(m.buf, ex[i].json, 1, got, sizeof got);
    ck_assert_msg(got[0] && strtoul(got, NULL, 0) == ex[i].value,
                  "%s: manifest.json has %s = '%s', expected %lu", settings, ex[i].name, got, ex[i].value);
  }
  static const char *const hp[] = {"SG_PRESET", NULL}, *const jp[] = {"preset", NULL};
  gen_find_value(h.buf, hp, 0, got, sizeof got);
  ck_assert_msg(!strcmp(got, preset), "%s: SG_PRESET is \"%s\", expected \"%s\"", settings, got, preset);
  gen_find_value(m.buf, jp, 1, got, sizeof got);
  ck_assert_msg(!strcmp(got, preset), "%s: manifest preset is '%s', expected '%s'", settings, got, preset);
  sb_free(&h);
  sb_free(&m);
}

/* Checks every generated text file: printable ASCII, no trailing blanks, and each .v file ends
 * with `default_nettype wire. */
static void gen_check_text(const char *dir, const char *what) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  ck_assert_msg(n >= 0, "cannot list %s", dir);
  for (int i = 0; i < n; i++) {
    const char *nm = names[i]->d_name;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, nm);
    struct stat st;
    if (strcmp(nm, ".") && strcmp(nm, "..") && stat(path, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        gen_check_text(path, what);
      } else {
        sb_t t;
        sb_init(&t);
        gen_slurp(path, &t);
        int line = 1;
        for (size_t k = 0; k < t.len; k++) {
          if (t.buf[k] == '\n') {
            ck_assert_msg(k == 0 || (t.buf[k - 1] != ' ' && t.buf[k - 1] != '\t'),
                          "%s: %s:%d ends in whitespace", what, nm, line);
            line++;
          }
        }
        ck_assert_msg(t.len > 0 && t.buf[t.len - 1] == '\n', "%s: %s does not end in a newline", what, nm);
        size_t l = strlen(nm);
        if (l > 2 && !strcmp(nm + l - 2, ".v")) {
          const char *tail = "\n`default_nettype wire\n";
          ck_assert_msg(t.len > strlen(tail) && !strcmp(t.buf + t.len - strlen(tail), tail),
                        "%s: %s does not end with `default_nettype wire", what, nm);
          ck_assert_msg(strstr(t.buf, "`default_nettype none") != NULL, "%s: %s lacks `default_nettype none", what, nm);
        }
        sb_free(&t);
      }
    }
    free(names[i]);
  }
  free(names);
}

START_TEST(test_values_every_preset) {
  static char help[32768];
  ck_assert_int_eq(gen_run("--help", help, sizeof help), 0);
  const char *p = strstr(help, "\nPresets");
  ck_assert_msg(p != NULL, "--help lists no presets");
  p = strchr(p + 1, '\n');
  int npresets = 0;
  /* preset lines: "  NAME  purpose" then "               key=value ..." */
  while (p && p[1] == ' ' && p[2] == ' ' && p[3] != ' ') {
    char name[64], settings[512];
    ck_assert(sscanf(p + 1, "%63s", name) == 1);
    const char *s2 = strchr(p + 1, '\n');
    ck_assert_msg(s2 && sscanf(s2 + 1, " %511[^\n]", settings) == 1, "preset %s has no settings line", name);
    char args[1024], dir[512], out[8192];
    snprintf(dir, sizeof dir, "%s/p_%s", gen_tmp, name);
    snprintf(args, sizeof args, "--preset %s --out %s", name, dir);
    ck_assert_msg(gen_run(args, out, sizeof out) == 0, "preset %s: %s", name, out);
    gen_check_values(dir, settings, name);
    gen_check_text(dir, name);
    npresets++;
    p = strchr(s2 + 1, '\n');
  }
  ck_assert_msg(npresets >= 5, "only %d presets found in --help", npresets);
  /* and some variants given by options (dense-only, odd widths) */
  static const char *const opts[][2] = {
      {"--rows 3 --cols 5 --kmax 64 --window 8 --sparsity dense", "rows=3 cols=5 kmax=64 window=8"},
      {"--rows 2 --cols 7 --data-width 12 --acc-width 64 --kmax 32 --window 2 --stream-width 16",
       "rows=2 cols=7 data_width=12 acc_width=64 kmax=32 window=2 stream_width=16"},
      {"--rows 1 --cols 32 --data-width 3 --acc-width 6 --kmax 64 --stream-width 8",
       "rows=1 cols=32 data_width=3 acc_width=6 kmax=64 stream_width=8"},
  };
  for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
    char args[1024], dir[512], out[8192];
    snprintf(dir, sizeof dir, "%s/o%zu", gen_tmp, i);
    snprintf(args, sizeof args, "%s --out %s", opts[i][0], dir);
    ck_assert_msg(gen_run(args, out, sizeof out) == 0, "%s: %s", args, out);
    gen_check_values(dir, opts[i][1], "default");
    gen_check_text(dir, opts[i][0]);
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
  TCase *tc = tb_tcase(s, "bad_params", gen_setup, gen_teardown, 30);
  tcase_add_loop_test(tc, test_bad_params, 0, GEN_NBAD);
  tcase_add_test(tc, test_missing_out);
  tc = tb_tcase(s, "outputs", gen_setup, gen_teardown, 60);
  tcase_add_test(tc, test_deterministic);
  tcase_add_test(tc, test_config_equals_options);
  tcase_add_test(tc, test_refuses_foreign_folder);
  tcase_add_test(tc, test_help_and_presets);
  tcase_add_test(tc, test_out_paths);
  tcase_add_test(tc, test_cmdline_escaped);
  tcase_add_test(tc, test_foreign_files);
  tcase_add_test(tc, test_values_every_preset);
  tcase_add_test(tb_tcase(s, "templates", NULL, NULL, 0), test_template_holes);
  return s;
}

int main(void) { return tb_check_run(make_gen_suite()); }
