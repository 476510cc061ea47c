/* test_inputs: the two parsers of untrusted text, the generator's config-file reader
 * (gen/cfg.c) and the Matrix Market reader (host/host_mtx.c), linked in directly and built
 * under ASan + UBSan by `make verify` (build/bin/test_inputs_san).
 *
 *  - mtx_limits: directed cases of the caller-supplied size limits (rows, columns, entries,
 *    elements, empty matrices), each a file that declares more than the caller allows: the
 *    reader must fail on the size line with HOST_E_RANGE, naming file, line, value and limit,
 *    and quickly (a 67-byte file declaring 8 x 67108864 must not take time or memory).
 *  - fuzz_cfg, fuzz_mtx: a bounded, seeded fuzz run. Each case is a file built from the seed
 *    and the case number: mostly well-formed text with random damage (bad values, repeated keys,
 *    huge sizes, NUL bytes, CR, long lines, truncation, byte flips). Every case must end in
 *    success or a clean error with a message naming the file; "clean" cases (text whose correct
 *    reading the case generator knows) must read back exactly what was written.
 * Seed: SG_SEED (make verify exports it), else the time; printed with a reproduce command.
 * Bounds: SG_FUZZ_CASES cases per parser (default 40000), at most SG_FUZZ_SECONDS (default 4) each.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "host_err.h"
#include "host_mtx.h"
#include "sb.h"
#include "tb_check.h"

static uint64_t in_seed;
static char in_dir[64];

/* Scratch files in /dev/shm when there is one: on this kind of machine a file round trip in
 * /tmp costs about 2 ms, in /dev/shm about 10 us. */
static void in_setup(void) {
  snprintf(in_dir, sizeof in_dir, "%s/sg_inputs.XXXXXX",
           access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
  ck_assert_msg(mkdtemp(in_dir) != NULL, "mkdtemp: %s", strerror(errno));
}

static void in_teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", in_dir);
  if (system(cmd)) {
  }
}

/* A passing ck_assert costs a message to the parent process: the fuzz loops check with this and
 * only talk to Check when something fails. */
#define IN_REQUIRE(cond, ...)               \
  do {                                      \
    if (!(cond)) ck_abort_msg(__VA_ARGS__); \
  } while (0)

static void in_write(const char *path, const char *text, size_t n) {
  FILE *f = fopen(path, "wb");
  IN_REQUIRE(f != NULL, "cannot create %s: %s", path, strerror(errno));
  size_t w = fwrite(text, 1, n, f);
  IN_REQUIRE(fclose(f) == 0 && w == n, "cannot write %s", path);
}

static double in_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* splitmix64: one independent stream per (seed, parser, case) */
static uint64_t in_rand(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static uint32_t in_below(uint64_t *s, uint32_t n) { return (uint32_t)(in_rand(s) % n); }

static unsigned in_env(const char *name, unsigned dflt) {
  const char *v = getenv(name);
  return v && *v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

/* ------------------------------------------------------------------ directed: mtx limits */
typedef struct in_lim_case {
  const char *name, *text;
  host_mtx_limits_t lim;
  int status;
  const char *expect[3];
} in_lim_case_t;

#define GEN_HDR "%%MatrixMarket matrix coordinate real general\n"
#define SYM_HDR "%%MatrixMarket matrix coordinate real symmetric\n"
/* clang-format off */
static const in_lim_case_t in_lim_cases[] = {
    /* name, file, {max_rows, max_cols, max_entries, max_elems, nonempty, why}, status, message */
    {"cols over limit (8 x 67108864)", GEN_HDR "8 67108864 1\n1 1 1.0\n", {UINT32_MAX, 1u << 20, 1u << 24, 0, 1, "the K this caller runs"},
     HOST_E_RANGE, {":2:", "67108864 columns", "limit 1048576 (the K this caller runs)"}},
    {"rows over limit", GEN_HDR "1000 4 1\n1 1 1\n", {999, 10, 10, 0, 0, NULL}, HOST_E_RANGE, {":2:", "1000 rows", "limit 999"}},
    {"entries over limit", GEN_HDR "% c\n4 4 17\n", {10, 10, 16, 0, 0, "sixteen"}, HOST_E_RANGE, {":3:", "17 entries", "limit 16 (sixteen)"}},
    {"elements over limit", GEN_HDR "300 300 1\n1 1 1\n", {1000, 1000, 10, 89999, 0, NULL}, HOST_E_RANGE, {":2:", "90000 elements", "limit 89999"}},
    {"2^31 rows and columns", GEN_HDR "2147483648 2147483648 1\n1 1 1\n", {1u << 20, 1u << 20, 1u << 24, 0, 1, NULL}, HOST_E_RANGE, {":2:", "2147483648 rows", NULL}},
    {"2^32 rows", GEN_HDR "4294967296 8 1\n", {UINT32_MAX, UINT32_MAX, 10, 0, 0, NULL}, HOST_E_RANGE, {":2:", "too large", NULL}},
    {"0 rows when non-empty needed", GEN_HDR "0 5 0\n", {10, 10, 10, 0, 1, NULL}, HOST_E_RANGE, {":2:", "empty 0 x 5", "at least 1 x 1"}},
    {"0 x 0 when non-empty needed", GEN_HDR "0 0 0", {10, 10, 10, 0, 1, NULL}, HOST_E_RANGE, {":2:", "empty 0 x 0", NULL}},
    {"0 x 0 allowed", GEN_HDR "0 0 0\n", {10, 10, 10, 0, 0, NULL}, HOST_OK, {NULL, NULL, NULL}},
    {"at the limits", GEN_HDR "3 4 2\n3 4 1\n1 1 2\n", {3, 4, 2, 12, 1, NULL}, HOST_OK, {NULL, NULL, NULL}},
    {"entry limit before mirroring", SYM_HDR "3 3 2\n2 1 1\n3 1 1\n", {3, 3, 2, 0, 1, NULL}, HOST_OK, {NULL, NULL, NULL}},
};
/* clang-format on */
#define IN_NLIM ((int)(sizeof in_lim_cases / sizeof in_lim_cases[0]))

START_TEST(test_mtx_limits) {
  const in_lim_case_t *c = &in_lim_cases[_i];
  char path[128], err[512] = "";
  snprintf(path, sizeof path, "%s/lim%02d.mtx", in_dir, _i);
  in_write(path, c->text, strlen(c->text));
  host_mtx_t m;
  double t0 = in_now();
  int rc = host_mtx_read_limited(path, &c->lim, &m, err, sizeof err);
  double dt = in_now() - t0;
  ck_assert_msg(rc == c->status, "%s: status %s, expected %s; message: %s", c->name,
                host_status_name(rc), host_status_name(c->status), err);
  ck_assert_msg(dt < 0.5, "%s: took %.3f s", c->name, dt);
  if (rc != HOST_OK) {
    ck_assert_msg(strstr(err, path) == err, "%s: message does not start with the file: %s", c->name,
                  err);
    ck_assert_msg(m.row == NULL && m.nnz == 0 && m.rows == 0, "%s: result not empty after failure",
                  c->name);
  }
  for (int k = 0; k < 3 && c->expect[k]; k++)
    ck_assert_msg(strstr(err, c->expect[k]) != NULL, "%s: message lacks '%s': %s", c->name,
                  c->expect[k], err);
  host_mtx_free(&m);
}
END_TEST

/* ------------------------------------------------------------------ fuzz: shared */
/* Byte-level damage of a case's text, or none; returns the length to write. */
static size_t in_damage(uint64_t *s, sb_t *t) {
  size_t len = t->len;
  switch (in_below(s, 6)) {
    case 0:
      if (len) t->buf[in_below(s, (uint32_t)len)] = (char)in_below(s, 256);
      break;
    case 1:
      if (len) t->buf[in_below(s, (uint32_t)len)] = '\0';
      break;
    case 2: /* a line longer than any limit */
      for (int i = 0; i < 1100; i++) sb_puts(t, "7");
      len = t->len;
      break;
    case 3:
      len = len ? in_below(s, (uint32_t)len) : 0;
      break;
    default:
      break;
  }
  return len;
}

typedef struct in_fuzz {
  unsigned ncases, secs;
  double t0;
  char path[128];
} in_fuzz_t;

/* Bounds from the environment, the banner with seed and reproduce command, the scratch file. */
static void in_fuzz_begin(in_fuzz_t *f, const char *name, const char *ext) {
  f->ncases = in_env("SG_FUZZ_CASES", 40000);
  f->secs = in_env("SG_FUZZ_SECONDS", 4);
  printf(
      "%s: seed %llu, up to %u cases, %u s; reproduce: SG_SEED=%llu CK_RUN_CASE=%s "
      "build/bin/test_inputs_san\n",
      name, (unsigned long long)in_seed, f->ncases, f->secs, (unsigned long long)in_seed, name);
  snprintf(f->path, sizeof f->path, "%s/f.%s", in_dir, ext);
  f->t0 = in_now();
}

static int in_fuzz_more(const in_fuzz_t *f, unsigned i) {
  return i < f->ncases && in_now() - f->t0 < f->secs;
}

/* ------------------------------------------------------------------ fuzz: config files */
static const char *const in_keys[] = {"rows",   "cols",         "data_width", "acc-width", "kmax",
                                      "window", "stream_width", "sparsity",   "name"};
#define IN_NKEYS ((int)(sizeof in_keys / sizeof in_keys[0]))

/* A value that is valid for key k on its own (not necessarily with the others). */
static void in_cfg_value(uint64_t *s, int k, char *v, size_t n) {
  static const uint32_t lo[] = {1, 1, 2, 4, 4, 2, 8}, hi[] = {32, 32, 16, 64, 65536, 64, 1024};
  if (k < 7) {
    uint32_t x = lo[k] + in_below(s, hi[k] - lo[k] + 1);
    if (k >= 4) { /* powers of two */
      uint32_t p = lo[k];
      while (p * 2 <= x) p *= 2;
      x = p;
    }
    snprintf(v, n, "%u", x);
  } else if (k == 7) {
    snprintf(v, n, "%s", in_below(s, 2) ? "dense" : "weight");
  } else {
    snprintf(v, n, "n%u_x", in_below(s, 1000));
  }
}

/* Damaged values and lines. */
static void in_cfg_junk(uint64_t *s, sb_t *t) {
  static const char *const junk[] = {"rows = -1",
                                     "rows = 4294967296",
                                     "cols = 99999999999999999999",
                                     "kmax = 0x40",
                                     "window = 3",
                                     "data_width = ",
                                     " = 5",
                                     "=",
                                     "name = Bad-Name",
                                     "name = 123456789012345678901234",
                                     "sparsity = both",
                                     "preset = nosuch",
                                     "preset = asic16",
                                     "frobnicate = 1",
                                     "rows 4",
                                     "rows == 4",
                                     "rows = 4 5",
                                     "acc_width = 65",
                                     "stream-width = 48",
                                     "kmax = 65536",
                                     "# only a comment",
                                     "   ",
                                     "\t\t# tab",
                                     "rows = 8\r",
                                     "out = x",
                                     "config = y"};
  sb_puts(t, junk[in_below(s, sizeof junk / sizeof junk[0])]);
}

static size_t in_cfg_case(uint64_t *s, sb_t *t, cfg_t *expect, int *clean) {
  cfg_defaults(expect);
  int used[IN_NKEYS] = {0};
  *clean = in_below(s, 3) == 0;
  int nl = (int)in_below(s, 12);
  for (int l = 0; l < nl; l++) {
    int k = (int)in_below(s, IN_NKEYS);
    if (*clean && used[k]) continue;
    if (!*clean && in_below(s, 4) == 0) {
      in_cfg_junk(s, t);
    } else {
      char v[64];
      in_cfg_value(s, k, v, sizeof v);
      sb_printf(t, "%s%s%s=%s%s%s", in_below(s, 2) ? "" : "  ", in_keys[k],
                in_below(s, 2) ? " " : "", in_below(s, 2) ? " " : "", v,
                in_below(s, 3) ? "" : "   # note");
      used[k] = 1;
      char where[16];
      snprintf(where, sizeof where, "x:%d", l + 1);
      char err[256];
      if (*clean)
        IN_REQUIRE(!cfg_set(expect, in_keys[k], v, CFG_SRC_OPTION, where, err, sizeof err), "%s",
                   err);
    }
    sb_puts(t, in_below(s, 8) ? "\n" : "\r\n");
  }
  return *clean ? t->len : in_damage(s, t);
}

START_TEST(test_fuzz_cfg) {
  in_fuzz_t fz;
  in_fuzz_begin(&fz, "fuzz_cfg", "cfg");
  const char *path = fz.path;
  unsigned i, nok = 0, nclean = 0;
  for (i = 0; in_fuzz_more(&fz, i); i++) {
    uint64_t s = in_seed * 1000003u + i;
    sb_t t;
    sb_init(&t);
    cfg_t expect, c;
    int clean;
    size_t len = in_cfg_case(&s, &t, &expect, &clean);
    in_write(path, sb_str(&t), len);
    cfg_defaults(&c);
    char err[512] = "", msgs[4096];
    int rc = cfg_load_file(&c, path, err, sizeof err);
    IN_REQUIRE(rc == 0 || rc == -1, "case %u: cfg_load_file returned %d", i, rc);
    if (rc) {
      IN_REQUIRE(
          err[0] && strlen(err) < sizeof err - 1 && (strstr(err, path) || strstr(err, "--config")),
          "case %u (seed %llu): error message does not name the file: '%s'", i,
          (unsigned long long)in_seed, err);
      IN_REQUIRE(!clean, "case %u (seed %llu): a clean file was rejected: %s\n%s", i,
                 (unsigned long long)in_seed, err, sb_str(&t));
    } else {
      nok++;
      int nv = cfg_validate(&c, msgs, sizeof msgs);
      int lines = 0;
      for (const char *p = msgs; *p; p++) lines += *p == '\n';
      IN_REQUIRE(nv >= 0 && lines == nv, "case %u: %d violations, %d message lines", i, nv, lines);
      if (clean) {
        nclean++;
#define X(f, o, d, lo, hi, h)                                                      \
  IN_REQUIRE(c.f == expect.f, "case %u (seed %llu): %s read as %u, written %u", i, \
             (unsigned long long)in_seed, o, c.f, expect.f);
        CFG_UINT_KEYS(X)
#undef X
        IN_REQUIRE(c.sparsity == expect.sparsity && !strcmp(c.name, expect.name),
                   "case %u: sparsity/name read back wrong", i);
      }
      if (nv == 0) {
        cfg_derived_t d;
        cfg_derive(&c, &d);
        IN_REQUIRE(c.acc_w >= 2 * c.data_w && 2 * c.window <= c.kmax && d.f.elems_per_beat >= 1 &&
                       d.f.beats_per_slice * d.f.elems_per_beat >= c.rows + c.cols &&
                       (1u << d.kw) == c.kmax && d.f.in_lane_w >= c.data_w,
                   "case %u (seed %llu): a config that passed validation breaks a rule", i,
                   (unsigned long long)in_seed);
      }
    }
    sb_free(&t);
  }
  printf(
      "fuzz_cfg: %u cases in %.1f s: %u read, %u clean ones read back exactly, %u rejected with a "
      "message\n",
      i, in_now() - fz.t0, nok, nclean, i - nok);
  IN_REQUIRE(i >= 200 && nclean > 0 && nok < i, "fuzz_cfg ran too few or too one-sided cases (%u)",
             i);
}
END_TEST

/* ------------------------------------------------------------------ fuzz: Matrix Market */
typedef struct in_entry {
  uint32_t i, j;
  int v;
} in_entry_t;

/* Mostly small sizes, sometimes one from the edges (0, 2^26, 2^31, 2^32 - 1, 2^32, 2^64 - 1). */
static uint64_t in_mtx_dim(uint64_t *s) {
  static const uint64_t big[] = {0,
                                 1,
                                 7,
                                 1000,
                                 65536,
                                 67108864,
                                 2147483648ull,
                                 4294967295ull,
                                 4294967296ull,
                                 18446744073709551615ull};
  return in_below(s, 4) ? 1 + in_below(s, 12) : big[in_below(s, 10)];
}

static size_t in_mtx_case(uint64_t *s, sb_t *t, in_entry_t *e, uint32_t *ne, uint64_t *rows,
                          uint64_t *cols, int *clean) {
  static const char *const banners[] = {"%%MatrixMarket matrix coordinate integer general",
                                        "%%MatrixMarket matrix coordinate real general",
                                        "%%MatrixMarket matrix coordinate pattern general",
                                        "%%MatrixMarket matrix coordinate real symmetric",
                                        "%%MatrixMarket matrix array real general",
                                        "%%MatrixMarket matrix coordinate complex general",
                                        "%%MatrixMarket vector coordinate real general",
                                        "%MatrixMarket matrix coordinate real general",
                                        ""};
  *clean = in_below(s, 3) == 0;
  int b = *clean ? 0 : (int)in_below(s, 9);
  sb_printf(t, "%s\n", banners[b]);
  if (in_below(s, 4) == 0) sb_puts(t, "% a comment\n\n");
  *rows = in_mtx_dim(s);
  *cols = in_mtx_dim(s);
  if (*clean && (*rows > 12 || *cols > 12)) *rows = *cols = 5;
  *ne = in_below(s, 20);
  if (*clean && *rows * *cols == 0) *ne = 0;
  uint32_t declared = *clean || in_below(s, 3) ? *ne : in_below(s, 40);
  sb_printf(t, "%llu %llu %u\n", (unsigned long long)*rows, (unsigned long long)*cols, declared);
  for (uint32_t k = 0; k < *ne; k++) {
    uint64_t r = *rows ? 1 + in_rand(s) % *rows : 1, c = *cols ? 1 + in_rand(s) % *cols : 1;
    if (!*clean && in_below(s, 10) == 0) r = in_below(s, 3) ? 0 : *rows + 1;
    e[k] = (in_entry_t){(uint32_t)r, (uint32_t)c, (int)in_below(s, 200) - 100};
    sb_printf(t, "%llu %llu %d\n", (unsigned long long)r, (unsigned long long)c, e[k].v);
    if (in_below(s, 6) == 0) sb_puts(t, "% between\n");
  }
  return *clean ? t->len : in_damage(s, t);
}

START_TEST(test_fuzz_mtx) {
  in_fuzz_t fz;
  in_fuzz_begin(&fz, "fuzz_mtx", "mtx");
  const char *path = fz.path;
  unsigned i, nok = 0, nclean = 0, nlimit = 0;
  for (i = 0; in_fuzz_more(&fz, i); i++) {
    uint64_t s = in_seed * 2000003u + i;
    sb_t t;
    sb_init(&t);
    in_entry_t e[20];
    uint32_t ne;
    uint64_t rows, cols;
    int clean;
    size_t len = in_mtx_case(&s, &t, e, &ne, &rows, &cols, &clean);
    in_write(path, sb_str(&t), len);
    host_mtx_limits_t lim = {in_below(&s, 2) ? UINT32_MAX : 1 + in_below(&s, 12),
                             in_below(&s, 2) ? UINT32_MAX : 1 + in_below(&s, 12),
                             in_below(&s, 2) ? 1u << 20 : in_below(&s, 20),
                             in_below(&s, 3) ? 0 : 1 + in_below(&s, 100),
                             (int)in_below(&s, 2),
                             in_below(&s, 2) ? "fuzz" : NULL};
    host_mtx_t m;
    char err[512] = "";
    int rc = host_mtx_read_limited(path, &lim, &m, err, sizeof err);
    int within = rows <= lim.max_rows && cols <= lim.max_cols && ne <= lim.max_entries &&
                 (!lim.max_elems || rows * cols <= lim.max_elems) &&
                 (!lim.nonempty || (rows && cols));
    if (rc == HOST_OK) {
      nok++;
      IN_REQUIRE(m.rows <= lim.max_rows && m.cols <= lim.max_cols &&
                     m.nnz_file <= lim.max_entries && (!lim.nonempty || (m.rows && m.cols)) &&
                     (!lim.max_elems || (uint64_t)m.rows * m.cols <= lim.max_elems),
                 "case %u (seed %llu): a file beyond the limits was read", i,
                 (unsigned long long)in_seed);
      IN_REQUIRE(m.nnz >= m.nnz_file && m.nnz <= 2 * m.nnz_file, "case %u: nnz %llu of %llu listed",
                 i, (unsigned long long)m.nnz, (unsigned long long)m.nnz_file);
      for (uint64_t k = 0; k < m.nnz; k++)
        IN_REQUIRE(m.row[k] < m.rows && m.col[k] < m.cols, "case %u: entry %llu out of range", i,
                   (unsigned long long)k);
      if (clean) {
        nclean++;
        IN_REQUIRE(m.rows == rows && m.cols == cols && m.nnz == ne, "case %u: size read back wrong",
                   i);
        for (uint32_t k = 0; k < ne; k++)
          IN_REQUIRE(m.row[k] == e[k].i - 1 && m.col[k] == e[k].j - 1 && m.val[k] == e[k].v,
                     "case %u (seed %llu): entry %u read back wrong", i,
                     (unsigned long long)in_seed, k);
      }
    } else {
      IN_REQUIRE(rc == HOST_E_FORMAT || rc == HOST_E_RANGE, "case %u (seed %llu): status %s: %s", i,
                 (unsigned long long)in_seed, host_status_name(rc), err);
      IN_REQUIRE(strstr(err, path) == err,
                 "case %u (seed %llu): message does not start with the file: %s", i,
                 (unsigned long long)in_seed, err);
      IN_REQUIRE(m.row == NULL && m.nnz == 0, "case %u: result not empty after failure", i);
      IN_REQUIRE(!clean || !within,
                 "case %u (seed %llu): a clean file within the limits was rejected: %s\n%s", i,
                 (unsigned long long)in_seed, err, sb_str(&t));
      if (clean) {
        nlimit++;
        IN_REQUIRE(rc == HOST_E_RANGE && strstr(err, "the size line declares"),
                   "case %u (seed %llu): over-limit file not "
                   "rejected on its size line: %s",
                   i, (unsigned long long)in_seed, err);
      }
    }
    host_mtx_free(&m);
    sb_free(&t);
  }
  printf(
      "fuzz_mtx: %u cases in %.1f s: %u read (%u clean ones read back exactly), %u clean ones over "
      "the limits rejected, %u rejected with a message\n",
      i, in_now() - fz.t0, nok, nclean, nlimit, i - nok);
  IN_REQUIRE(i >= 200 && nclean > 0 && nlimit > 0 && nok < i,
             "fuzz_mtx ran too few or too one-sided cases (%u)", i);
}
END_TEST

static Suite *make_inputs_suite(void) {
  Suite *s = suite_create("inputs");
  tcase_add_loop_test(tb_tcase(s, "mtx_limits", in_setup, in_teardown, 0), test_mtx_limits, 0,
                      IN_NLIM);
  tcase_add_test(tb_tcase(s, "fuzz_cfg", in_setup, in_teardown, 60), test_fuzz_cfg);
  tcase_add_test(tb_tcase(s, "fuzz_mtx", in_setup, in_teardown, 60), test_fuzz_mtx);
  return s;
}

int main(void) {
  const char *e = getenv("SG_SEED");
  in_seed = e && *e ? strtoull(e, NULL, 10) : (uint64_t)time(NULL) % 1000000 + 1;
  printf("test_inputs: seed %llu (reproduce: SG_SEED=%llu build/bin/test_inputs_san)\n",
         (unsigned long long)in_seed, (unsigned long long)in_seed);
  fflush(stdout);
  return tb_check_run(make_inputs_suite());
}
