/* test_host.c - host library (host/): Matrix Market reader, quantizer, stream format, driver.
 *
 * State space covered:
 *  - host_mtx: every file of the shared data set (real/integer/pattern x general/symmetric,
 *    1024x1024 GraphChallenge layers, 1200x1024 pattern images), hand-written valid files
 *    (skew-symmetric, comments/blank lines/CRLF, duplicates), ~30 broken files (each error
 *    names file and line), missing file, directory, dense-size cap, and random byte mutations
 *    of a valid file (must never crash).
 *  - host_quant: scaling, rounding half away from zero, clamping, all-zero and non-finite input.
 *  - host_stream: variant derivation (values and rejected inputs), a hand-computed 2x3
 *    data_w=8 stream_w=32 example written out literally, result sign-extension checks, random
 *    round trips over odd stream widths.
 *  - host_driver over a fake device written here (register file + stream protocol decoded by
 *    byte-level code independent of host_stream.c, results from gold_run): probe (ok, bad
 *    magic, PARAM3 mismatch), run_job (all modes, accumulate, counters, register sequence),
 *    device rejections (K, MODE, THRESH: nothing streamed), transport faults (SLVERR, stream
 *    timeout, DONE never set, missing result TLAST, bad sign extension), and host_gemm on a
 *    7x11 output with K > kmax against a plain reference, over the fake device and over
 *    host_golddev (tile-by-tile check of c_prev/c_tile against gold_run in the callback).
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gold.h"
#include "host_driver.h"
#include "host_err.h"
#include "host_golddev.h"
#include "host_mtx.h"
#include "host_quant.h"
#include "host_stream.h"

Suite *make_host_suite(void);

/* ================================================================ data directory */

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* SG_DATA_DIR, else <repo root>/../shared/data, the repo root being the first directory holding
 * gen/sg_regs.def among: the current directory and up to 3 parents, then the directory of this
 * executable (/proc/self/exe) and up to 3 parents. */
static int find_root(const char *start, char *out, size_t len)
{
    static const char *const ups[] = {"", "/..", "/../..", "/../../.."};
    for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
        char probe[1200];
        snprintf(probe, sizeof probe, "%s%s/gen/sg_regs.def", start, ups[i]);
        if (is_file(probe)) {
            snprintf(out, len, "%s%s", start, ups[i]);
            return 1;
        }
    }
    return 0;
}

static void data_dir(char *out, size_t len)
{
    const char *env = getenv("SG_DATA_DIR");
    if (env != NULL && *env != '\0') {
        snprintf(out, len, "%s", env);
        return;
    }
    char root[1200];
    char exe[1024];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
    } else {
        exe[0] = '\0';
    }
    if (find_root(".", root, sizeof root) || (exe[0] != '\0' && find_root(exe, root, sizeof root)))
        snprintf(out, len, "%s/../shared/data", root);
    else
        snprintf(out, len, "../shared/data");
}

/* ================================================================ Matrix Market */

typedef struct mtx_expect {
    const char *rel;
    uint32_t rows, cols;
    uint64_t nnz_file, nnz;
    host_mtx_field_t field;
    host_mtx_sym_t sym;
    double sum; /* sum of all expanded values */
    uint32_t per_row; /* if non-zero: every row has exactly this many entries */
} mtx_expect_t;

static const mtx_expect_t shared_files[] = {
    {"graphchallenge/n1024-l1.mtx", 1024, 1024, 32768, 32768, HOST_MTX_REAL, HOST_MTX_GENERAL, 2048.0, 32},
    {"graphchallenge/n1024-l2.mtx", 1024, 1024, 32768, 32768, HOST_MTX_REAL, HOST_MTX_GENERAL, 2048.0, 32},
    {"graphchallenge/sparse-images-1024_subset.mtx", 1200, 1024, 122713, 122713, HOST_MTX_PATTERN, HOST_MTX_GENERAL, 122713.0, 0},
    {"suitesparse/GD97_b.mtx", 47, 47, 132, 264, HOST_MTX_REAL, HOST_MTX_SYMMETRIC, 40224.8182, 0},
    {"suitesparse/arrow.mtx", 100, 100, 298, 298, HOST_MTX_INTEGER, HOST_MTX_GENERAL, 300, 0},
    {"suitesparse/ash219.mtx", 219, 85, 438, 438, HOST_MTX_PATTERN, HOST_MTX_GENERAL, 438, 0},
    {"suitesparse/bcspwr03.mtx", 118, 118, 297, 476, HOST_MTX_PATTERN, HOST_MTX_SYMMETRIC, 476, 0},
    {"suitesparse/cage5.mtx", 37, 37, 233, 233, HOST_MTX_REAL, HOST_MTX_GENERAL, 37, 0},
    {"suitesparse/can___24.mtx", 24, 24, 92, 160, HOST_MTX_PATTERN, HOST_MTX_SYMMETRIC, 160, 0},
    {"suitesparse/gent113.mtx", 113, 113, 655, 655, HOST_MTX_PATTERN, HOST_MTX_GENERAL, 655, 0},
    {"suitesparse/lp_afiro.mtx", 27, 51, 102, 102, HOST_MTX_REAL, HOST_MTX_GENERAL, 44.37, 0},
    {"suitesparse/west0067.mtx", 67, 67, 294, 294, HOST_MTX_REAL, HOST_MTX_GENERAL, 34.3087486, 0},
};
#define N_SHARED ((int)(sizeof shared_files / sizeof shared_files[0]))

START_TEST(test_mtx_shared)
{
    const mtx_expect_t *x = &shared_files[_i];
    char dir[1400], path[1600], err[2048] = "";
    data_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, x->rel);
    if (!is_file(path))
        ck_abort_msg("shared data file missing: %s (expected the shared data set in shared/data "
                     "beside the repository; set SG_DATA_DIR to the folder holding "
                     "graphchallenge/ and suitesparse/)",
                     path);
    host_mtx_t m;
    int rc = host_mtx_read(path, &m, err, sizeof err);
    ck_assert_msg(rc == 0, "%s: %s", x->rel, err);
    ck_assert_msg(m.rows == x->rows && m.cols == x->cols && m.nnz_file == x->nnz_file &&
                      m.nnz == x->nnz && m.field == x->field && m.symmetry == x->sym,
                  "%s: got %ux%u nnz %" PRIu64 "/%" PRIu64 " %s %s", x->rel, m.rows, m.cols,
                  m.nnz_file, m.nnz, host_mtx_field_name(m.field),
                  host_mtx_symmetry_name(m.symmetry));
    double sum = 0;
    uint32_t *rowcnt = calloc(m.rows, sizeof *rowcnt);
    ck_assert(rowcnt != NULL);
    int bad_idx = 0, bad_val = 0;
    for (uint64_t e = 0; e < m.nnz; e++) {
        bad_idx |= m.row[e] >= m.rows || m.col[e] >= m.cols;
        if (!bad_idx)
            rowcnt[m.row[e]]++;
        sum += m.val[e];
        if (x->per_row)
            bad_val |= m.val[e] != 0.0625;
    }
    ck_assert_msg(!bad_idx, "%s: index out of range in result", x->rel);
    ck_assert_msg(!bad_val, "%s: value other than 0.0625", x->rel);
    ck_assert_msg(fabs(sum - x->sum) <= 1e-6 * fmax(1.0, fabs(x->sum)), "%s: sum %.10g expected %.10g",
                  x->rel, sum, x->sum);
    for (uint32_t r = 0; x->per_row && r < m.rows; r++)
        ck_assert_msg(rowcnt[r] == x->per_row, "%s: row %u has %u entries, expected %u", x->rel, r,
                      rowcnt[r], x->per_row);
    double *d = NULL;
    rc = host_mtx_to_dense(&m, &d, err, sizeof err);
    ck_assert_msg(rc == 0, "%s: to_dense: %s", x->rel, err);
    double dsum = 0;
    for (uint64_t i = 0; i < (uint64_t)m.rows * m.cols; i++)
        dsum += d[i];
    ck_assert_msg(fabs(dsum - x->sum) <= 1e-6 * fmax(1.0, fabs(x->sum)), "%s: dense sum %.10g", x->rel, dsum);
    free(d);
    free(rowcnt);
    host_mtx_free(&m);
}
END_TEST

typedef struct mtx_bad {
    const char *name, *text;
    int status;
    const char *where; /* ":<line>:" expected in the message, or NULL */
    const char *what;  /* substring expected in the message */
} mtx_bad_t;

#define HDR "%%MatrixMarket matrix coordinate real general\n"
static const mtx_bad_t bad_files[] = {
    {"empty", "", HOST_E_FORMAT, ":1:", "empty file"},
    {"no banner", "3 3 1\n1 1 1\n", HOST_E_FORMAT, ":1:", "%%MatrixMarket"},
    {"banner short", "%%MatrixMarket matrix coordinate real\n1 1 0\n", HOST_E_FORMAT, ":1:", "5 words"},
    {"banner long", "%%MatrixMarket matrix coordinate real general extra\n", HOST_E_FORMAT, ":1:", "bad header"},
    {"object vector", "%%MatrixMarket vector coordinate real general\n", HOST_E_FORMAT, ":1:", "object"},
    {"array format", "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", HOST_E_FORMAT, ":1:", "'array'"},
    {"bogus format", "%%MatrixMarket matrix dense real general\n", HOST_E_FORMAT, ":1:", "format"},
    {"complex", "%%MatrixMarket matrix coordinate complex general\n", HOST_E_FORMAT, ":1:", "complex"},
    {"hermitian", "%%MatrixMarket matrix coordinate real hermitian\n", HOST_E_FORMAT, ":1:", "hermitian"},
    {"no size line", HDR "% only a comment\n", HOST_E_FORMAT, ":3:", "missing size line"},
    {"size 2 numbers", HDR "% c\n3 3\n", HOST_E_FORMAT, ":3:", "bad size line"},
    {"size negative", HDR "3 -3 1\n", HOST_E_FORMAT, ":2:", "bad size line"},
    {"size letters", HDR "3 x 1\n", HOST_E_FORMAT, ":2:", "bad size line"},
    {"size overflow", HDR "99999999999999999999999 3 1\n", HOST_E_FORMAT, ":2:", "bad size line"},
    {"size too big", HDR "5000000000 3 0\n", HOST_E_RANGE, ":2:", "too large"},
    {"nnz over cap", HDR "10 10 999999999999\n1 1 1\n", HOST_E_RANGE, ":2:", "limit"},
    {"sym not square", "%%MatrixMarket matrix coordinate real symmetric\n3 4 1\n1 1 1\n", HOST_E_FORMAT, ":2:", "square"},
    {"row 0", HDR "3 3 1\n0 1 1.5\n", HOST_E_RANGE, ":3:", "out of range"},
    {"col too big", HDR "3 3 2\n1 1 1\n% c\n2 4 1\n", HOST_E_RANGE, ":5:", "out of range"},
    {"negative index", HDR "3 3 1\n-1 1 1\n", HOST_E_FORMAT, ":3:", "malformed index"},
    {"too few", HDR "3 3 3\n1 1 1\n2 2 2\n", HOST_E_FORMAT, ":4:", "too few"},
    {"too many", HDR "3 3 1\n1 1 1\n2 2 2\n", HOST_E_FORMAT, ":4:", "too many"},
    {"bad real", HDR "3 3 1\n1 1 1.2.3\n", HOST_E_FORMAT, ":3:", "'1.2.3'"},
    {"nan", HDR "3 3 1\n1 1 nan\n", HOST_E_FORMAT, ":3:", "non-finite"},
    {"overflow real", HDR "3 3 1\n1 1 1e999\n", HOST_E_FORMAT, ":3:", "non-finite"},
    {"missing value", HDR "3 3 1\n1 1\n", HOST_E_FORMAT, ":3:", "expected 3 fields"},
    {"extra value", HDR "3 3 1\n1 1 1 1\n", HOST_E_FORMAT, ":3:", "expected 3 fields"},
    {"integer with dot", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 2.5\n", HOST_E_FORMAT, ":3:", "malformed integer"},
    {"integer overflow", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 99999999999999999999\n", HOST_E_FORMAT, ":3:", "malformed integer"},
    {"pattern with value", "%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 3\n", HOST_E_FORMAT, ":3:", "expected 2 fields"},
    {"symmetric upper", "%%MatrixMarket matrix coordinate real symmetric\n3 3 1\n1 2 1\n", HOST_E_FORMAT, ":3:", "above the diagonal"},
    {"skew diagonal", "%%MatrixMarket matrix coordinate real skew-symmetric\n3 3 1\n2 2 1\n", HOST_E_FORMAT, ":3:", "diagonal"},
    {"nul byte", HDR "2 2 1\n1 1 \0001\n", HOST_E_FORMAT, ":3:", "NUL"},
};
#define N_BAD ((int)(sizeof bad_files / sizeof bad_files[0]))

/* Writes n bytes to <tmpdir>/<name>; returns the path in out. */
static void write_tmp(const char *dir, const char *name, const char *text, size_t n, char *out, size_t len)
{
    snprintf(out, len, "%s/%s.mtx", dir, name);
    FILE *f = fopen(out, "wb");
    ck_assert_msg(f != NULL, "cannot create %s: %s", out, strerror(errno));
    ck_assert(fwrite(text, 1, n, f) == n);
    fclose(f);
}

static size_t text_len(const mtx_bad_t *b)
{
    /* the NUL case embeds a NUL byte: its length is known from the literal's structure */
    if (strcmp(b->name, "nul byte") == 0)
        return strlen(HDR "2 2 1\n1 1 ") + 1 + 2;
    return strlen(b->text);
}

START_TEST(test_mtx_broken)
{
    const mtx_bad_t *b = &bad_files[_i];
    char dir[] = "/tmp/sg_mtx_XXXXXX", path[512], err[512] = "";
    ck_assert(mkdtemp(dir) != NULL);
    char name[64];
    snprintf(name, sizeof name, "bad%02d", _i);
    write_tmp(dir, name, b->text, text_len(b), path, sizeof path);
    host_mtx_t m;
    int rc = host_mtx_read(path, &m, err, sizeof err);
    unlink(path);
    rmdir(dir);
    ck_assert_msg(rc == b->status, "broken file '%s': status %s (%d), expected %s; message: %s", b->name,
                  host_status_name(rc), rc, host_status_name(b->status), err);
    ck_assert_msg(strstr(err, path) == err, "broken file '%s': message does not start with the file name: %s",
                  b->name, err);
    ck_assert_msg(b->where == NULL || strstr(err, b->where) != NULL,
                  "broken file '%s': message lacks line '%s': %s", b->name, b->where, err);
    ck_assert_msg(strstr(err, b->what) != NULL, "broken file '%s': message lacks '%s': %s", b->name,
                  b->what, err);
    ck_assert_msg(m.row == NULL && m.nnz == 0, "broken file '%s': result not empty", b->name);
    host_mtx_free(&m); /* safe after failure */
}
END_TEST

START_TEST(test_mtx_valid_small)
{
    char dir[] = "/tmp/sg_mtx_XXXXXX", path[512], err[512] = "";
    ck_assert(mkdtemp(dir) != NULL);
    /* skew-symmetric, comments and blank lines between entries, CRLF, duplicate entries summed */
    static const char skew[] =
        "%%MatrixMarket matrix coordinate real skew-symmetric\r\n"
        "% comment\r\n"
        "\r\n"
        "3 3 3\r\n"
        "2 1 1.5\r\n"
        "% between entries\r\n"
        "3 1 -2\r\n"
        "\r\n"
        "3 2 4e-1\r\n";
    write_tmp(dir, "skew", skew, strlen(skew), path, sizeof path);
    double *d = NULL;
    uint32_t r = 0, c = 0;
    uint64_t nnz = 0;
    int rc = host_mtx_read_dense(path, &d, &r, &c, &nnz, err, sizeof err);
    ck_assert_msg(rc == 0, "skew: %s", err);
    ck_assert(r == 3 && c == 3 && nnz == 6);
    const double es[9] = {0, -1.5, 2, 1.5, 0, -0.4, -2, 0.4, 0};
    for (int i = 0; i < 9; i++)
        ck_assert_msg(d[i] == es[i], "skew dense[%d] = %g, expected %g", i, d[i], es[i]);
    free(d);
    unlink(path);

    static const char sym[] =
        "%%matrixmarket MATRIX Coordinate Integer Symmetric\n"
        "2 2 3\n"
        "1 1 7\n"
        "2 1 -3\n"
        "2 1 1\n"; /* duplicate: summed in dense */
    write_tmp(dir, "sym", sym, strlen(sym), path, sizeof path);
    rc = host_mtx_read_dense(path, &d, &r, &c, &nnz, err, sizeof err);
    ck_assert_msg(rc == 0, "sym: %s", err);
    ck_assert(nnz == 5);
    ck_assert_msg(d[0] == 7 && d[1] == -2 && d[2] == -2 && d[3] == 0, "sym dense %g %g %g %g", d[0], d[1], d[2], d[3]);
    free(d);
    unlink(path);

    /* 0 x 0, no entries, no final newline */
    static const char empty[] = "%%MatrixMarket matrix coordinate pattern general\n0 0 0";
    write_tmp(dir, "zero", empty, strlen(empty), path, sizeof path);
    rc = host_mtx_read_dense(path, &d, &r, &c, &nnz, err, sizeof err);
    ck_assert_msg(rc == 0 && r == 0 && c == 0 && nnz == 0, "0x0: %s", err);
    free(d);
    unlink(path);

    /* dense cap */
    static const char huge[] = HDR "100000 100000 1\n5 5 1\n";
    write_tmp(dir, "huge", huge, strlen(huge), path, sizeof path);
    host_mtx_t m;
    rc = host_mtx_read(path, &m, err, sizeof err);
    ck_assert_msg(rc == 0, "huge: %s", err);
    rc = host_mtx_to_dense(&m, &d, err, sizeof err);
    ck_assert_msg(rc == HOST_E_RANGE && strstr(err, "dense limit") != NULL, "huge to_dense: %d %s", rc, err);
    host_mtx_free(&m);
    rc = host_mtx_read_dense(path, &d, &r, &c, &nnz, err, sizeof err);
    ck_assert_msg(rc == HOST_E_RANGE && strstr(err, path) != NULL && d == NULL, "huge read_dense: %s", err);
    unlink(path);

    /* missing file, directory */
    snprintf(path, sizeof path, "%s/does-not-exist.mtx", dir);
    rc = host_mtx_read(path, &m, err, sizeof err);
    ck_assert_msg(rc == HOST_E_IO && strstr(err, path) && strstr(err, "No such file"), "missing: %s", err);
    rc = host_mtx_read(dir, &m, err, sizeof err);
    ck_assert_msg(rc != 0 && strstr(err, dir) != NULL, "directory: %d %s", rc, err);
    rmdir(dir);
}
END_TEST

/* random byte mutations of a valid file: any status, never a crash (run under ASan too) */
START_TEST(test_mtx_mutations)
{
    static const char base[] =
        "%%MatrixMarket matrix coordinate real symmetric\n"
        "% c\n"
        "4 4 5\n"
        "1 1 1.0\n"
        "2 1 -2.5\n"
        "3 2 3e2\n"
        "4 4 4\n"
        "4 3 .5\n";
    static const char alphabet[] = "0123456789 -+.eE%\n\r\t\0xa";
    char dir[] = "/tmp/sg_mtx_XXXXXX", path[512], err[512];
    ck_assert(mkdtemp(dir) != NULL);
    uint64_t s = 12345;
    char buf[sizeof base + 8];
    for (int t = 0; t < 400; t++) {
        size_t n = sizeof base - 1;
        memcpy(buf, base, n);
        int edits = 1 + (int)(t % 4);
        for (int e = 0; e < edits; e++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t pos = (size_t)(s >> 33) % n;
            buf[pos] = alphabet[(s >> 13) % (sizeof alphabet - 1)];
        }
        if (t % 7 == 0)
            n = (size_t)(s >> 40) % n; /* truncation */
        write_tmp(dir, "mut", buf, n, path, sizeof path);
        host_mtx_t m;
        int rc = host_mtx_read(path, &m, err, sizeof err);
        if (rc == 0) {
            double *d = NULL;
            rc = host_mtx_to_dense(&m, &d, err, sizeof err);
            free(d);
        } else {
            ck_assert_msg(strstr(err, path) != NULL, "mutation %d: message lacks file name: %s", t, err);
        }
        host_mtx_free(&m);
    }
    unlink(path);
    rmdir(dir);
}
END_TEST

/* ================================================================ quantizer */

START_TEST(test_quant)
{
    char err[256];
    const double x[5] = {1.0, -0.5, 0.25, 0.0, -1.0};
    int32_t q[5];
    double scale = 0;
    ck_assert_int_eq(host_quant(x, 5, 8, q, &scale, err, sizeof err), 0);
    ck_assert(fabs(scale - 1.0 / 127) < 1e-15);
    /* -0.5*127 = -63.5 -> -64 (half away from zero); 0.25*127 = 31.75 -> 32 */
    const int32_t eq[5] = {127, -64, 32, 0, -127};
    for (int i = 0; i < 5; i++)
        ck_assert_msg(q[i] == eq[i], "q[%d] = %d, expected %d", i, q[i], eq[i]);
    /* determinism */
    int32_t q2[5];
    double s2;
    ck_assert_int_eq(host_quant(x, 5, 8, q2, &s2, err, sizeof err), 0);
    ck_assert(s2 == scale && memcmp(q, q2, sizeof q) == 0);
    /* data_w 2: qmax 1 */
    const double y[4] = {3.0, -3.0, 1.4, -1.6};
    ck_assert_int_eq(host_quant(y, 4, 2, q, &scale, err, sizeof err), 0);
    ck_assert(scale == 3.0 && q[0] == 1 && q[1] == -1 && q[2] == 0 && q[3] == -1);
    /* all zero */
    const double z[3] = {0, -0.0, 0};
    ck_assert_int_eq(host_quant(z, 3, 8, q, &scale, err, sizeof err), 0);
    ck_assert(scale == 1.0 && q[0] == 0 && q[1] == 0 && q[2] == 0);
    /* clamping with an explicit scale; data_w 16 */
    const double w[3] = {1e6, -1e6, 32766.5};
    ck_assert_int_eq(host_quant_with_scale(w, 3, 16, 1.0, q, err, sizeof err), 0);
    ck_assert(q[0] == 32767 && q[1] == -32767 && q[2] == 32767);
    /* errors */
    const double bad[2] = {1.0, NAN};
    ck_assert_int_eq(host_quant(bad, 2, 8, q, &scale, err, sizeof err), HOST_E_RANGE);
    ck_assert_msg(strstr(err, "element 1") != NULL, "%s", err);
    ck_assert_int_eq(host_quant(x, 5, 1, q, &scale, err, sizeof err), HOST_E_RANGE);
    ck_assert_int_eq(host_quant_with_scale(x, 5, 8, 0.0, q, err, sizeof err), HOST_E_RANGE);
    ck_assert_int_eq(host_quant(NULL, 0, 8, NULL, &scale, err, sizeof err), 0);
}
END_TEST

/* ================================================================ stream format */

static host_variant_t mkvar(uint32_t R, uint32_t C, uint32_t dw, uint32_t aw, uint32_t kmax,
                            bool sparse, uint32_t window, uint32_t sw)
{
    host_variant_t v;
    memset(&v, 0, sizeof v);
    v.p = (gold_params_t){R, C, dw, aw, kmax, sparse};
    v.window = window;
    v.in_stream_w = sw;
    ck_assert_msg(host_variant_derive(&v) == 0, "variant %ux%u dw%u aw%u sw%u invalid", R, C, dw, aw, sw);
    return v;
}

START_TEST(test_variant_derive)
{
    host_variant_t v = mkvar(2, 3, 8, 32, 16, true, 4, 32);
    ck_assert(v.in_lane_w == 8 && v.elems_per_beat == 4 && v.beats_per_slice == 2 && v.out_stream_w == 32);
    v = mkvar(16, 16, 12, 36, 256, true, 8, 64);
    ck_assert(v.in_lane_w == 16 && v.elems_per_beat == 4 && v.beats_per_slice == 8 && v.out_stream_w == 40);
    v = mkvar(4, 4, 16, 64, 8, false, 0, 48);
    ck_assert(v.in_lane_w == 16 && v.elems_per_beat == 3 && v.beats_per_slice == 3 && v.out_stream_w == 64);
    ck_assert_uint_eq(host_in_words_per_beat(&v), 2);
    ck_assert_uint_eq(host_out_words_per_beat(&v), 2);
    static const struct {
        gold_params_t p;
        uint32_t window, sw;
        const char *what;
    } bad[] = {
        {{0, 3, 8, 32, 16, true}, 4, 32, "rows=0"},
        {{2, 40, 8, 32, 16, true}, 4, 32, "cols=40"},
        {{2, 3, 17, 40, 16, true}, 4, 32, "data_w=17"},
        {{2, 3, 8, 15, 16, true}, 4, 32, "acc_w=15"},
        {{2, 3, 8, 32, 0, true}, 4, 32, "kmax=0"},
        {{2, 3, 8, 32, 16, true}, 0, 32, "window=0"},
        {{2, 3, 8, 32, 16, true}, 256, 32, "window=256"},
        {{2, 3, 16, 32, 16, true}, 4, 8, "in_stream_w=8"},
        {{2, 3, 8, 32, 16, true}, 4, 36, "in_stream_w=36"},
        {{2, 3, 8, 32, 16, true}, 4, 4096, "elements per beat"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        host_variant_t b;
        memset(&b, 0, sizeof b);
        b.p = bad[i].p;
        b.window = bad[i].window;
        b.in_stream_w = bad[i].sw;
        char err[256] = "";
        ck_assert_msg(host_variant_derive(&b) != 0, "bad variant %zu (%s) accepted", i, bad[i].what);
        ck_assert_int_ne(host_variant_derive_msg(&b, err, sizeof err), 0);
        ck_assert_msg(strstr(err, bad[i].what) != NULL, "bad variant %zu: message '%s' lacks '%s'", i, err, bad[i].what);
    }
    v = mkvar(2, 3, 8, 32, 16, true, 4, 32);
    v.beats_per_slice = 3;
    char err[256];
    ck_assert_int_eq(host_variant_check(&v, err, sizeof err), HOST_E_RANGE);
    ck_assert_msg(strstr(err, "beats_per_slice") != NULL, "%s", err);
}
END_TEST

/* Hand-computed example: 2x3 array, data_w 8, stream_w 32 -> lanes of 8 bits, 4 per beat,
 * 2 beats per slice.  A = [[1, -2], [3, 0x1FF (low 8 bits: -1)]], B = [[4, 5, 6], [-1, 0, -128]]. */
START_TEST(test_stream_literal)
{
    host_variant_t v = mkvar(2, 3, 8, 16, 4, true, 2, 32);
    const int32_t a[4] = {1, -2, 3, 0x1FF};
    const int32_t b[6] = {4, 5, 6, -1, 0, -128};
    gold_job_t j = {2, GOLD_MODE_DENSE, 256, false, a, b};
    uint32_t words[4];
    uint8_t last[4];
    char err[256];
    ck_assert_int_eq(host_stream_encode(&v, &j, words, last, 4, err, sizeof err), 0);
    /* slice 0: A[0][0]=1 A[1][0]=3 B[0][0]=4 B[0][1]=5 | B[0][2]=6 pad pad pad
     * slice 1: A[0][1]=-2 A[1][1]=-1 B[1][0]=-1 B[1][1]=0 | B[1][2]=-128 pad pad pad */
    const uint32_t ew[4] = {0x05040301u, 0x00000006u, 0x00FFFFFEu, 0x00000080u};
    const uint8_t el[4] = {0, 0, 0, 1};
    for (int i = 0; i < 4; i++)
        ck_assert_msg(words[i] == ew[i] && last[i] == el[i], "beat %d: 0x%08x last %u, expected 0x%08x last %u",
                      i, words[i], last[i], ew[i], el[i]);
    ck_assert_int_eq(host_stream_encode(&v, &j, words, last, 3, err, sizeof err), HOST_E_ARG);

    /* results C = [[6, 5, 262], [13, 15, 146]] on 16-bit beats */
    const uint32_t rw[6] = {0x0006, 0x0005, 0x0106, 0x000D, 0x000F, 0x0092};
    const uint8_t rl[6] = {0, 0, 0, 0, 0, 1};
    int64_t c[6];
    ck_assert_int_eq(host_stream_decode_results(&v, rw, rl, 6, c, err, sizeof err), 0);
    const int64_t ec[6] = {6, 5, 262, 13, 15, 146};
    for (int i = 0; i < 6; i++)
        ck_assert_msg(c[i] == ec[i], "c[%d] = %" PRId64 ", expected %" PRId64, i, c[i], ec[i]);
    int64_t g[6];
    ck_assert_uint_eq(gold_run(&v.p, &j, g, NULL), 0);
    ck_assert(memcmp(g, ec, sizeof g) == 0);
    uint32_t back[6];
    uint8_t bl[6];
    ck_assert_int_eq(host_stream_encode_results(&v, ec, back, bl, err, sizeof err), 0);
    ck_assert(memcmp(back, rw, sizeof back) == 0 && memcmp(bl, rl, sizeof bl) == 0);
    /* negative values, missing TLAST */
    const uint32_t nw[6] = {0xFFFF, 0x8000, 0x7FFF, 0, 1, 0xFFFE};
    ck_assert_int_eq(host_stream_decode_results(&v, nw, rl, 6, c, err, sizeof err), 0);
    ck_assert(c[0] == -1 && c[1] == -32768 && c[2] == 32767 && c[5] == -2);
    const uint8_t nol[6] = {0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(host_stream_decode_results(&v, nw, nol, 6, c, err, sizeof err), HOST_E_PROTO);
    ck_assert_int_eq(host_stream_decode_results(&v, nw, rl, 5, c, err, sizeof err), HOST_E_ARG);

    /* acc_w 12 on a 16-bit beat: bits 12..15 must copy bit 11 */
    host_variant_t v12 = mkvar(1, 1, 4, 12, 4, true, 2, 32);
    uint32_t one = 0xF800; /* -2048 */
    ck_assert_int_eq(host_stream_decode_results(&v12, &one, NULL, 1, c, err, sizeof err), 0);
    ck_assert(c[0] == -2048);
    one = 0x0800; /* bit 11 set, extension bits clear */
    ck_assert_int_eq(host_stream_decode_results(&v12, &one, NULL, 1, c, err, sizeof err), HOST_E_PROTO);
    ck_assert_msg(strstr(err, "beat 0") != NULL, "%s", err);

    /* acc_w 40: two words per beat, -2 = 0xFF_FFFFFFFE */
    host_variant_t v40 = mkvar(1, 2, 16, 40, 4, true, 2, 64);
    const int64_t c40[2] = {-2, (INT64_C(1) << 39) - 1};
    uint32_t w40[4];
    uint8_t l40[2];
    ck_assert_int_eq(host_stream_encode_results(&v40, c40, w40, l40, err, sizeof err), 0);
    ck_assert_msg(w40[0] == 0xFFFFFFFEu && w40[1] == 0xFFu && w40[2] == 0xFFFFFFFFu && w40[3] == 0x7Fu,
                  "acc_w 40 words %08x %08x %08x %08x", w40[0], w40[1], w40[2], w40[3]);
    int64_t d40[2];
    ck_assert_int_eq(host_stream_decode_results(&v40, w40, l40, 2, d40, err, sizeof err), 0);
    ck_assert(d40[0] == -2 && d40[1] == c40[1]);
}
END_TEST

START_TEST(test_stream_roundtrip)
{
    static const uint32_t widths[][2] = {{2, 8}, {3, 8}, {8, 8}, {8, 24}, {9, 16}, {12, 48}, {16, 16}, {16, 80}, {5, 40}};
    uint64_t s = 99;
    char err[256];
    for (size_t t = 0; t < 60; t++) {
        uint32_t dw = widths[t % 9][0], sw = widths[t % 9][1];
        s = s * 6364136223846793005ULL + 1;
        uint32_t R = 1 + (uint32_t)(s >> 60), C = 1 + (uint32_t)((s >> 50) & 15), K = 1 + (uint32_t)((s >> 40) & 7);
        uint32_t aw = 2 * dw + (uint32_t)((s >> 20) % (65 - 2 * dw));
        host_variant_t v = mkvar(R, C, dw, aw, 8, true, 4, sw);
        int32_t a[16 * 8], b[8 * 16], a2[16 * 8], b2[8 * 16];
        for (uint32_t i = 0; i < R * K; i++) {
            s = s * 6364136223846793005ULL + 1;
            a[i] = (int32_t)(uint32_t)(s >> 17);
        }
        for (uint32_t i = 0; i < K * C; i++) {
            s = s * 6364136223846793005ULL + 1;
            b[i] = (int32_t)(uint32_t)(s >> 19);
        }
        gold_job_t j = {K, 0, 256, false, a, b};
        uint64_t nb = host_in_beats(&v, K);
        uint32_t *w = calloc((size_t)nb * host_in_words_per_beat(&v), sizeof *w);
        uint8_t *l = calloc((size_t)nb, 1);
        ck_assert(w && l);
        ck_assert_int_eq(host_stream_encode(&v, &j, w, l, nb, err, sizeof err), 0);
        ck_assert_int_eq(host_stream_decode_operands(&v, K, w, l, a2, b2, err, sizeof err), 0);
        for (uint32_t i = 0; i < R * K; i++)
            ck_assert_msg(a2[i] == (int32_t)gold_operand(a[i], dw), "roundtrip %zu: a[%u]", t, i);
        for (uint32_t i = 0; i < K * C; i++)
            ck_assert_msg(b2[i] == (int32_t)gold_operand(b[i], dw), "roundtrip %zu: b[%u]", t, i);
        if (nb > 1) {
            l[0] = 1;
            ck_assert_int_eq(host_stream_decode_operands(&v, K, w, l, a2, b2, err, sizeof err), HOST_E_PROTO);
        }
        free(w);
        free(l);
        int64_t c[16 * 16], c2[16 * 16];
        for (uint32_t i = 0; i < R * C; i++) {
            s = s * 6364136223846793005ULL + 1;
            c[i] = gold_sext(s, aw);
        }
        uint32_t *rw = calloc((size_t)R * C * host_out_words_per_beat(&v), sizeof *rw);
        uint8_t *rl = calloc((size_t)R * C, 1);
        ck_assert(rw && rl);
        ck_assert_int_eq(host_stream_encode_results(&v, c, rw, rl, err, sizeof err), 0);
        ck_assert_int_eq(host_stream_decode_results(&v, rw, rl, (uint64_t)R * C, c2, err, sizeof err), 0);
        ck_assert_msg(memcmp(c, c2, (size_t)R * C * sizeof *c) == 0, "result roundtrip %zu (aw %u)", t, aw);
        free(rw);
        free(rl);
    }
}
END_TEST

/* ================================================================ fake device */

/* Register file + stream protocol written from docs/registers.md and docs/data-formats.md,
 * decoding beats byte by byte (independent of host_stream.c); results from gold_run. */
typedef struct fake {
    host_variant_t v;
    uint32_t mode, k, thresh, flags, err;
    int loading, draining, done;
    uint32_t mode_used;
    gold_counters_t cnt;
    int64_t acc[GOLD_MAX_ROWS * GOLD_MAX_COLS];
    int32_t *a, *b;
    uint64_t beats_need, beats_got, res_sent;
    int enc_violation; /* the host broke the lane/padding/TLAST encoding */
    /* log */
    int nops;
    char ops[256][32];
    int sends, recvs, starts;
    /* faults */
    uint32_t f_id;           /* non-zero: ID reads this */
    uint32_t f_param3_xor;   /* XORed into PARAM3 */
    uint32_t f_slverr_addr;  /* non-zero: writes to this address answer SLVERR */
    int f_never_done, f_no_tlast, f_bad_ext, f_send_timeout;
} fake_t;

static void fake_log(fake_t *f, const char *fmt, uint32_t a, uint32_t b)
{
    if (f->nops < 256)
        snprintf(f->ops[f->nops++], sizeof f->ops[0], fmt, a, b);
}

static int fake_find(const fake_t *f, const char *prefix, int from)
{
    for (int i = from; i < f->nops; i++)
        if (strncmp(f->ops[i], prefix, strlen(prefix)) == 0)
            return i;
    return -1;
}

static int fake_write(void *ctx, uint32_t addr, uint32_t data)
{
    fake_t *f = ctx;
    fake_log(f, "W %03x=%x", addr, data);
    if (f->f_slverr_addr && addr == f->f_slverr_addr)
        return 1;
    const gold_params_t *p = &f->v.p;
    if (addr == 0x020) { /* CTRL */
        if (data & 2u) {
            f->loading = f->draining = f->done = 0;
            return 0;
        }
        if (!(data & 1u))
            return 0;
        f->starts++;
        if (f->loading || f->draining) {
            f->err |= 0x2u;
            return 0;
        }
        if (f->k < 1 || f->k > p->kmax) {
            f->err |= 0x1u;
            return 0;
        }
        free(f->a);
        free(f->b);
        f->a = calloc((size_t)p->rows * f->k, sizeof *f->a);
        f->b = calloc((size_t)f->k * p->cols, sizeof *f->b);
        if (!f->a || !f->b)
            return -1;
        memset(&f->cnt, 0, sizeof f->cnt);
        f->beats_need = (uint64_t)f->k * ((p->rows + p->cols + f->v.elems_per_beat - 1) / f->v.elems_per_beat);
        f->beats_got = f->res_sent = 0;
        f->loading = 1;
        f->done = 0;
        return 0;
    }
    if (addr == 0x024) {
        if (data > 2u || (data != 0 && !p->sparse_capable))
            f->err |= 0x4u;
        else
            f->mode = data;
        return 0;
    }
    if (addr == 0x028) {
        f->k = data;
        return 0;
    }
    if (addr == 0x02C) {
        if (data > 256u)
            f->err |= 0x8u;
        else
            f->thresh = data;
        return 0;
    }
    if (addr == 0x030) {
        f->flags = data & 1u;
        return 0;
    }
    if (addr == 0x044) {
        f->err &= ~data;
        return 0;
    }
    f->err |= 0x10u;
    return 1;
}

static int fake_read(void *ctx, uint32_t addr, uint32_t *d)
{
    fake_t *f = ctx;
    fake_log(f, "R %03x%.0u", addr, 0);
    const host_variant_t *v = &f->v;
    const gold_counters_t *c = &f->cnt;
    uint32_t status = (uint32_t)(f->loading || f->draining) | (uint32_t)f->done << 1 |
                      (uint32_t)(f->err != 0) << 2 | f->mode_used << 4 |
                      (uint32_t)(f->loading ? 1 : f->draining ? 5 : 0) << 8;
    switch (addr) {
    case 0x000: *d = f->f_id ? f->f_id : 0x5350474Eu; return 0;
    case 0x004: *d = 0x000100u; return 0;
    case 0x008: *d = v->p.rows | v->p.cols << 8 | v->p.data_w << 16 | v->p.acc_w << 24; return 0;
    case 0x00C: *d = v->p.kmax; return 0;
    case 0x010: *d = v->window | (uint32_t)v->p.sparse_capable << 8 | v->in_stream_w << 16; return 0;
    case 0x014: *d = (v->out_stream_w | v->in_lane_w << 16 | v->elems_per_beat << 24) ^ f->f_param3_xor; return 0;
    case 0x040: *d = status; return 0;
    case 0x044: *d = f->err; return 0;
    case 0x060: *d = 1000; return 0;
    case 0x064: *d = 100; return 0;
    case 0x068: *d = 800; return 0;
    case 0x06C: *d = 100; return 0;
    case 0x070: *d = c->macs_issued; return 0;
    case 0x074: *d = c->macs_gated; return 0;
    case 0x078: *d = c->macs_skipped; return 0;
    case 0x07C: *d = c->nnz_a; return 0;
    case 0x080: *d = c->nnz_b; return 0;
    case 0x084: *d = c->max_row_nnz; return 0;
    }
    if (addr >= 0x100 && addr < 0x100 + 4 * v->p.rows && addr % 4 == 0) {
        *d = c->row_nnz[(addr - 0x100) / 4];
        return 0;
    }
    f->err |= 0x10u;
    return 1;
}

static int fake_send(void *ctx, const uint32_t *words, uint32_t wpb, uint32_t nbeats, const uint8_t *last)
{
    fake_t *f = ctx;
    fake_log(f, "SEND %u", nbeats, 0);
    f->sends++;
    const host_variant_t *v = &f->v;
    const uint32_t R = v->p.rows, C = v->p.cols, dw = v->p.data_w;
    const uint32_t lane_bytes = v->in_lane_w / 8, beat_bytes = v->in_stream_w / 8;
    if (f->f_send_timeout || !f->loading || wpb != (v->in_stream_w + 31) / 32 || nbeats > f->beats_need - f->beats_got)
        return -1;
    const uint32_t bps = (uint32_t)(f->beats_need / f->k);
    for (uint32_t i = 0; i < nbeats; i++, f->beats_got++) {
        const uint32_t *w = words + (size_t)i * wpb;
        uint32_t kk = (uint32_t)(f->beats_got / bps), beat_in_slice = (uint32_t)(f->beats_got % bps);
        if ((last[i] != 0) != (f->beats_got + 1 == f->beats_need))
            f->err |= 0x20u, f->enc_violation = 1;
        for (uint32_t lane = 0; lane < v->elems_per_beat; lane++) {
            uint64_t val = 0;
            for (uint32_t by = 0; by < lane_bytes; by++) {
                uint32_t pos = lane * lane_bytes + by;
                uint64_t byte = (w[pos / 4] >> (8 * (pos % 4))) & 0xFFu;
                val |= byte << (8 * by);
            }
            uint32_t e = beat_in_slice * v->elems_per_beat + lane;
            int64_t x = (int64_t)(val & ((UINT64_C(1) << dw) - 1));
            if (x >= (INT64_C(1) << (dw - 1)))
                x -= INT64_C(1) << dw;
            /* the host must sign-extend into the whole lane and send 0 in padding lanes */
            uint64_t lane_mask = lane_bytes == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * lane_bytes)) - 1;
            if (e >= R + C) {
                if (val != 0)
                    f->enc_violation = 1;
                continue;
            }
            if (((uint64_t)x & lane_mask) != val)
                f->enc_violation = 1;
            if (e < R)
                f->a[(size_t)e * f->k + kk] = (int32_t)x;
            else
                f->b[(size_t)kk * C + (e - R)] = (int32_t)x;
        }
        /* bytes past the lanes up to the bus width, and bits past the bus, must be 0 */
        for (uint32_t pos = v->elems_per_beat * lane_bytes; pos < wpb * 4; pos++)
            if ((w[pos / 4] >> (8 * (pos % 4))) & 0xFFu)
                f->enc_violation = 1;
        (void)beat_bytes;
    }
    if (f->beats_got == f->beats_need) {
        gold_job_t j = {f->k, f->mode, f->thresh, f->flags & 1u, f->a, f->b};
        if (gold_run(&v->p, &j, f->acc, &f->cnt) != 0)
            return -2;
        f->mode_used = f->cnt.mode_used;
        f->loading = 0;
        f->draining = 1;
    }
    return 0;
}

static int fake_recv(void *ctx, uint32_t *words, uint32_t wpb, uint32_t nbeats, uint8_t *last)
{
    fake_t *f = ctx;
    fake_log(f, "RECV %u", nbeats, 0);
    f->recvs++;
    const host_variant_t *v = &f->v;
    const uint32_t n = v->p.rows * v->p.cols, out_bytes = v->out_stream_w / 8;
    if (!f->draining || wpb != (v->out_stream_w + 31) / 32 || nbeats > n - f->res_sent)
        return -1;
    for (uint32_t i = 0; i < nbeats; i++, f->res_sent++) {
        uint32_t *w = words + (size_t)i * wpb;
        memset(w, 0, wpb * 4);
        uint64_t u = (uint64_t)f->acc[f->res_sent];
        for (uint32_t by = 0; by < out_bytes; by++)
            w[by / 4] |= (uint32_t)((u >> (8 * by)) & 0xFFu) << (8 * (by % 4));
        if (f->f_bad_ext && f->res_sent == 0)
            w[(out_bytes - 1) / 4] ^= 0x80u << (8 * ((out_bytes - 1) % 4));
        last[i] = f->res_sent + 1 == n && !f->f_no_tlast;
    }
    if (f->res_sent == n) {
        f->draining = 0;
        f->done = !f->f_never_done;
    }
    return 0;
}

static void fake_init(fake_t *f, host_dev_t *dev, const host_variant_t *v)
{
    memset(f, 0, sizeof *f);
    f->v = *v;
    f->k = 1;
    f->thresh = 256;
    memset(dev, 0, sizeof *dev);
    dev->ctx = f;
    dev->reg_write = fake_write;
    dev->reg_read = fake_read;
    dev->stream_send = fake_send;
    dev->stream_recv = fake_recv;
}

static void fake_free(fake_t *f)
{
    free(f->a);
    free(f->b);
    f->a = f->b = NULL;
}

/* ================================================================ driver tests */

START_TEST(test_probe)
{
    host_variant_t v = mkvar(4, 6, 12, 30, 100, true, 8, 64), got;
    fake_t f;
    host_dev_t dev;
    char err[256];
    fake_init(&f, &dev, &v);
    ck_assert_msg(host_probe(&dev, &got, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(memcmp(&got, &v, sizeof v) == 0, "probed variant differs");
    uint32_t ver = 0;
    ck_assert_int_eq(host_read_version(&dev, &ver, err, sizeof err), 0);
    ck_assert_uint_eq(ver, 0x100);
    f.f_id = 0xDEADBEEF;
    ck_assert_int_eq(host_probe(&dev, &got, err, sizeof err), HOST_E_ID);
    ck_assert_msg(strstr(err, "0xdeadbeef") && strstr(err, "SPGN"), "%s", err);
    f.f_id = 0;
    f.f_param3_xor = 0x10000000u;
    ck_assert_int_eq(host_probe(&dev, &got, err, sizeof err), HOST_E_PROTO);
    ck_assert_msg(strstr(err, "PARAM3") != NULL, "%s", err);
    fake_free(&f);
}
END_TEST

typedef struct jcase {
    const char *name;
    uint32_t R, C, dw, aw, kmax, sw, k, mode, thresh;
    double density;
} jcase_t;

static const jcase_t jcases[] = {
    {"2x3 w8 sw32 dense", 2, 3, 8, 16, 4, 32, 4, 0, 256, 1.0},
    {"4x4 w8 sw64 sparse", 4, 4, 8, 32, 16, 64, 16, 1, 256, 0.3},
    {"3x5 w16 sw48 auto", 3, 5, 16, 40, 9, 48, 7, 2, 128, 0.2},
    {"1x1 w2 sw8 K=1", 1, 1, 2, 4, 1, 8, 1, 0, 256, 1.0},
    {"16x16 w12 sw128 auto t256", 16, 16, 12, 64, 32, 128, 32, 2, 256, 0.05},
    {"8x2 w4 sw24 sparse empty", 8, 2, 4, 8, 8, 24, 8, 1, 256, 0.0},
};
#define N_JCASES ((int)(sizeof jcases / sizeof jcases[0]))

static void rand_fill(int32_t *x, size_t n, uint32_t dw, double density, uint64_t *s)
{
    for (size_t i = 0; i < n; i++) {
        *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(*s >> 11) / 9007199254740992.0;
        *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = u < density ? (int32_t)gold_sext(*s >> 20, dw) : 0;
    }
}

START_TEST(test_run_job)
{
    const jcase_t *c = &jcases[_i];
    host_variant_t v = mkvar(c->R, c->C, c->dw, c->aw, c->kmax, true, 4, c->sw);
    fake_t f;
    host_dev_t dev;
    fake_init(&f, &dev, &v);
    uint64_t s = 7 + (uint64_t)_i;
    int32_t *a = calloc((size_t)c->R * c->k, 4), *b = calloc((size_t)c->k * c->C, 4);
    int64_t out[256], ref[256];
    ck_assert(a && b);
    char err[256];
    for (int round = 0; round < 2; round++) { /* round 1 accumulates onto round 0 */
        rand_fill(a, (size_t)c->R * c->k, c->dw, c->density, &s);
        rand_fill(b, (size_t)c->k * c->C, c->dw, 0.7, &s);
        gold_job_t j = {c->k, c->mode, c->thresh, round == 1, a, b};
        host_counters_t cnt;
        f.nops = 0;
        int rc = host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err);
        ck_assert_msg(rc == 0, "job '%s' round %d: %s", c->name, round, err);
        ck_assert_msg(!f.enc_violation, "job '%s': host broke the operand encoding", c->name);
        gold_counters_t gc;
        ck_assert_uint_eq(gold_run(&v.p, &j, ref, &gc), 0);
        int bad = -1;
        for (uint32_t i = 0; i < c->R * c->C && bad < 0; i++)
            if (out[i] != ref[i])
                bad = (int)i;
        ck_assert_msg(bad < 0, "job '%s' round %d: c[%d] = %" PRId64 ", golden %" PRId64, c->name, round, bad,
                      out[bad], ref[bad]);
        ck_assert_msg(memcmp(&cnt.arch, &gc, sizeof gc) == 0, "job '%s': counters differ from golden (issued %u/%u "
                      "gated %u/%u mode %u/%u)", c->name, cnt.arch.macs_issued, gc.macs_issued,
                      cnt.arch.macs_gated, gc.macs_gated, cnt.arch.mode_used, gc.mode_used);
        ck_assert(cnt.cyc_total == 1000 && cnt.cyc_load == 100 && cnt.cyc_compute == 800 && cnt.cyc_drain == 100);
        ck_assert(cnt.err == 0 && (cnt.status & HOST_STATUS_DONE));
        /* register sequence: ERR cleared first, config, START after config, one send, one recv */
        char clr[32];
        snprintf(clr, sizeof clr, "W %03x=%x", HOST_REG_ERR, GOLD_ERR_ALL);
        ck_assert_msg(strcmp(f.ops[0], clr) == 0, "first op is '%s', expected '%s'", f.ops[0], clr);
        int start = fake_find(&f, "W 020=1", 0);
        ck_assert(start > 0);
        ck_assert(fake_find(&f, "W 024=", 0) < start && fake_find(&f, "W 028=", 0) < start &&
                  fake_find(&f, "W 02c=", 0) < start && fake_find(&f, "W 030=", 0) < start);
        ck_assert(f.sends == round + 1 && f.recvs == round + 1);
        ck_assert(fake_find(&f, "SEND", 0) > start);
    }
    free(a);
    free(b);
    fake_free(&f);
}
END_TEST

typedef struct rcase {
    const char *name;
    uint32_t k, mode, thresh;
    bool sparse_capable;
    uint32_t expect_err;
    int started; /* whether CTRL.START must have been written */
} rcase_t;

static const rcase_t rcases[] = {
    {"K=0", 0, 0, 256, true, GOLD_ERR_K, 1},
    {"K>kmax", 9, 0, 256, true, GOLD_ERR_K, 1},
    {"mode 3", 2, 3, 256, true, GOLD_ERR_MODE, 0},
    {"sparse on dense-only", 2, 1, 256, false, GOLD_ERR_MODE, 0},
    {"auto on dense-only", 2, 2, 256, false, GOLD_ERR_MODE, 0},
    {"thresh 257", 2, 2, 257, true, GOLD_ERR_THRESH, 0},
    {"mode 3 + thresh", 2, 3, 999, true, GOLD_ERR_MODE | GOLD_ERR_THRESH, 0},
};
#define N_RCASES ((int)(sizeof rcases / sizeof rcases[0]))

START_TEST(test_run_job_rejected)
{
    const rcase_t *c = &rcases[_i];
    host_variant_t v = mkvar(2, 3, 8, 32, 8, c->sparse_capable, c->sparse_capable ? 4 : 0, 32);
    fake_t f;
    host_dev_t dev;
    fake_init(&f, &dev, &v);
    int32_t a[2 * 16] = {1}, b[16 * 3] = {1};
    int64_t out[6] = {77, 77, 77, 77, 77, 77};
    gold_job_t j = {c->k, c->mode, c->thresh, false, a, b};
    host_counters_t cnt;
    char err[256] = "";
    int rc = host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err);
    ck_assert_msg(rc == HOST_E_JOB, "'%s': status %s: %s", c->name, host_status_name(rc), err);
    ck_assert_msg(cnt.err == c->expect_err, "'%s': cnt.err 0x%x expected 0x%x", c->name, cnt.err, c->expect_err);
    ck_assert_msg(gold_check_job(&v.p, &j) == c->expect_err, "'%s': golden disagrees", c->name);
    ck_assert_msg(f.sends == 0 && f.recvs == 0, "'%s': streamed although rejected", c->name);
    ck_assert_msg(f.starts == c->started, "'%s': START written %d times", c->name, f.starts);
    ck_assert_msg(out[0] == 77 && out[5] == 77, "'%s': c_out written on failure", c->name);
    ck_assert_msg(strstr(err, "ERR=") != NULL, "'%s': message: %s", c->name, err);
    fake_free(&f);
}
END_TEST

START_TEST(test_run_job_faults)
{
    host_variant_t v = mkvar(2, 3, 8, 20, 8, true, 4, 32); /* out_stream_w 24: 4 extension bits */
    fake_t f;
    host_dev_t dev;
    int32_t a[2 * 4] = {1, -2, 3, 4, 5, 6, -7, 8}, b[4 * 3] = {1, 2, 3, 4, 5, 6, 7, 8, 9, -10, -11, -12};
    int64_t out[6];
    gold_job_t j = {4, 0, 256, false, a, b};
    host_counters_t cnt;
    char err[256];

    fake_init(&f, &dev, &v);
    f.f_slverr_addr = HOST_REG_MODE;
    ck_assert_int_eq(host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err), HOST_E_SLVERR);
    ck_assert_msg(strstr(err, "MODE") != NULL, "%s", err);
    fake_free(&f);

    fake_init(&f, &dev, &v);
    f.f_send_timeout = 1;
    ck_assert_int_eq(host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err), HOST_E_TIMEOUT);
    ck_assert_msg(strstr(err, "operand stream") != NULL, "%s", err);
    fake_free(&f);

    fake_init(&f, &dev, &v);
    f.f_never_done = 1;
    dev.done_polls = 5;
    ck_assert_int_eq(host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err), HOST_E_TIMEOUT);
    ck_assert_msg(strstr(err, "DONE") != NULL && strstr(err, "5 polls") != NULL, "%s", err);
    ck_assert_int_eq(fake_find(&f, "R 040", 0) >= 0, 1);
    fake_free(&f);

    fake_init(&f, &dev, &v);
    f.f_no_tlast = 1;
    ck_assert_int_eq(host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err), HOST_E_PROTO);
    ck_assert_msg(strstr(err, "TLAST") != NULL, "%s", err);
    fake_free(&f);

    fake_init(&f, &dev, &v);
    f.f_bad_ext = 1;
    ck_assert_int_eq(host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err), HOST_E_PROTO);
    ck_assert_msg(strstr(err, "sign-extended") != NULL, "%s", err);
    fake_free(&f);

    /* the fake works again without faults; a stale ERR bit is cleared by the driver */
    fake_init(&f, &dev, &v);
    f.err = 0x10u;
    ck_assert_msg(host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err) == 0, "%s", err);
    fake_free(&f);
}
END_TEST

/* plain reference GEMM, wrapped to acc_w at the end */
static void ref_gemm(uint32_t M, uint32_t N, uint32_t K, const int32_t *A, const int32_t *B, uint32_t aw, int64_t *C)
{
    for (uint32_t m = 0; m < M; m++)
        for (uint32_t n = 0; n < N; n++) {
            int64_t s = 0;
            for (uint32_t k = 0; k < K; k++)
                s += (int64_t)A[m * K + k] * B[k * N + n];
            C[m * N + n] = gold_sext((uint64_t)s, aw);
        }
}

typedef struct cb_state {
    const host_variant_t *v;
    uint32_t jobs, accumulating, mismatches;
    int stop_at;
} cb_state_t;

static int on_job(void *user, const host_job_info_t *info)
{
    cb_state_t *st = user;
    st->jobs++;
    st->accumulating += info->job->accumulate;
    if ((info->c_prev != NULL) != info->job->accumulate || info->index != st->jobs - 1)
        st->mismatches++;
    /* tile-by-tile check against golden */
    int64_t g[GOLD_MAX_ROWS * GOLD_MAX_COLS];
    uint32_t n = st->v->p.rows * st->v->p.cols;
    if (info->c_prev)
        memcpy(g, info->c_prev, n * sizeof *g);
    gold_counters_t gc;
    if (gold_run(&st->v->p, info->job, g, &gc) != 0 || memcmp(g, info->c_tile, n * sizeof *g) != 0 ||
        gc.macs_issued != info->cnt->arch.macs_issued || gc.nnz_a != info->cnt->arch.nnz_a)
        st->mismatches++;
    return st->stop_at >= 0 && (int)info->index == st->stop_at;
}

START_TEST(test_gemm)
{
    /* 7x11 output on a 3x4 array, K = 13 > kmax = 5: 3x3 tiles x 3 K chunks = 27 jobs.
     * data_w 8, acc_w 16: products of +-127 wrap the 16-bit accumulator. */
    const uint32_t M = 7, N = 11, K = 13;
    host_variant_t v = mkvar(3, 4, 8, 16, 5, true, 2, 32);
    int32_t A[7 * 13], B[13 * 11];
    uint64_t s = 2024;
    rand_fill(A, M * K, 8, 0.6, &s);
    rand_fill(B, K * N, 8, 0.8, &s);
    A[0] = -128;
    B[0] = -128;
    int64_t C[7 * 11], R[7 * 11], C2[7 * 11];
    ref_gemm(M, N, K, A, B, 16, R);
    char err[256];

    /* 0: fake device, 1: host_golddev, 2: host_golddev with resident B and compressed A */
    for (int which = 0; which < 3; which++) {
        fake_t f;
        host_golddev_t g;
        host_dev_t dev;
        if (which == 0)
            fake_init(&f, &dev, &v);
        else
            ck_assert_int_eq(host_golddev_init(&g, &v, 0x010203, &dev, err, sizeof err), 0);
        cb_state_t st = {&v, 0, 0, 0, -1};
        host_gemm_opts_t opt = {which == 0 ? GOLD_MODE_AUTO : GOLD_MODE_SPARSE, 200, on_job, &st,
                                which == 2 ? HOST_GEMM_STREAM_FAST : 0};
        host_gemm_stats_t gs;
        int rc = host_gemm(&dev, &v, &opt, M, N, K, A, B, C, &gs, err, sizeof err);
        ck_assert_msg(rc == 0, "gemm (%s): %s", which ? "golddev" : "fake", err);
        int bad = -1;
        for (uint32_t i = 0; i < M * N && bad < 0; i++)
            if (C[i] != R[i])
                bad = (int)i;
        ck_assert_msg(bad < 0, "gemm (%s): C[%d][%d] = %" PRId64 ", reference %" PRId64,
                      which ? "golddev" : "fake", bad / (int)N, bad % (int)N, C[bad], R[bad]);
        ck_assert_msg(st.jobs == 27 && gs.jobs == 27 && st.accumulating == 18 && st.mismatches == 0,
                      "gemm: jobs %u/%" PRIu64 " accumulating %u mismatches %u", st.jobs, gs.jobs,
                      st.accumulating, st.mismatches);
        /* summed counters: 27 jobs of 3*4*k slots, k = 5,5,3 per tile */
        ck_assert_uint_eq(gs.macs_issued + gs.macs_skipped, 9u * 12u * 13u);
        /* padding is zero: every B element is seen once per row of tiles, A once per column */
        uint64_t nzA = 0, nzB = 0;
        for (uint32_t i = 0; i < M * K; i++)
            nzA += A[i] != 0;
        for (uint32_t i = 0; i < K * N; i++)
            nzB += B[i] != 0;
        ck_assert_msg(gs.nnz_a == 3 * nzA && gs.nnz_b == 3 * nzB, "gemm: summed nnz_a %" PRIu64
                      " (expected %" PRIu64 "), nnz_b %" PRIu64 " (expected %" PRIu64 ")",
                      gs.nnz_a, 3 * nzA, gs.nnz_b, 3 * nzB);
        if (which >= 1) {
            ck_assert_uint_eq(gs.jobs_sparse, 27);
            /* overlapped (which 2): no per-job total, the device's clock measures the GEMM */
            ck_assert(which == 2 ||
                      (gs.cyc_total > 0 && gs.cyc_total == gs.cyc_load + gs.cyc_compute + gs.cyc_drain));
            host_variant_t pv;
            ck_assert_int_eq(host_probe(&dev, &pv, err, sizeof err), 0);
            ck_assert(memcmp(&pv, &v, sizeof v) == 0);
            host_golddev_free(&g);
        } else {
            ck_assert(!f.enc_violation);
            fake_free(&f);
        }
    }

    /* golden device in DENSE mode gives the same C */
    host_golddev_t g;
    host_dev_t dev;
    ck_assert_int_eq(host_golddev_init(&g, &v, 0, &dev, err, sizeof err), 0);
    ck_assert_int_eq(host_gemm(&dev, &v, NULL, M, N, K, A, B, C2, NULL, err, sizeof err), 0);
    ck_assert(memcmp(C2, R, sizeof C2) == 0);

    /* callback stop, out-of-range element, empty gemm */
    cb_state_t st = {&v, 0, 0, 0, 4};
    host_gemm_opts_t opt = {GOLD_MODE_DENSE, 256, on_job, &st, 0};
    ck_assert_int_eq(host_gemm(&dev, &v, &opt, M, N, K, A, B, C2, NULL, err, sizeof err), HOST_E_CALLBACK);
    ck_assert_msg(strstr(err, "job 4") != NULL, "%s", err);
    A[3 * K + 2] = 128;
    ck_assert_int_eq(host_gemm(&dev, &v, NULL, M, N, K, A, B, C2, NULL, err, sizeof err), HOST_E_RANGE);
    ck_assert_msg(strstr(err, "A[3][2] = 128") != NULL, "%s", err);
    ck_assert_int_eq(host_gemm(&dev, &v, NULL, 0, N, K, A, B, C2, NULL, err, sizeof err), HOST_E_ARG);
    host_golddev_free(&g);
}
END_TEST

/* host_golddev register semantics seen through the raw host_dev_t */
START_TEST(test_golddev_regs)
{
    host_variant_t v = mkvar(2, 2, 8, 16, 4, false, 0, 16);
    host_golddev_t g;
    host_dev_t dev;
    char err[256];
    ck_assert_int_eq(host_golddev_init(&g, &v, 7, &dev, err, sizeof err), 0);
    uint32_t d;
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_THRESH, &d), 0);
    ck_assert_uint_eq(d, 256);
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_K, &d), 0);
    ck_assert_uint_eq(d, 1);
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_ID, 1), 1); /* read-only */
    ck_assert_int_eq(dev.reg_read(dev.ctx, 0x0F0, &d), 1);       /* unmapped */
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_ROW_NNZ(2), &d), 1); /* rows = 2 */
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_ERR, &d), 0);
    ck_assert_uint_eq(d, GOLD_ERR_ADDR);
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_MODE, 1), 0); /* dense-only variant */
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_MODE, &d), 0);
    ck_assert_uint_eq(d, 0);
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_STATUS, &d), 0);
    ck_assert_uint_eq(d, HOST_STATUS_ERROR | HOST_STATUS_READY);
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_ERR, GOLD_ERR_ADDR), 0); /* W1C, one bit */
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_ERR, &d), 0);
    ck_assert_uint_eq(d, GOLD_ERR_MODE);
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_ERR, 0x3f), 0);
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_K, 2), 0);
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_CTRL, HOST_CTRL_START), 0);
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_STATUS, &d), 0);
    ck_assert_uint_eq(d, HOST_STATUS_BUSY | (1u << 8));
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_CTRL, HOST_CTRL_START), 0); /* busy */
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_ERR, &d), 0);
    ck_assert_uint_eq(d, GOLD_ERR_BUSY);
    uint32_t recvw[1];
    uint8_t recvl[1];
    ck_assert_int_lt(dev.stream_recv(dev.ctx, recvw, 1, 1, recvl), 0); /* nothing to drain */
    ck_assert_int_eq(dev.reg_write(dev.ctx, HOST_REG_CTRL, HOST_CTRL_ABORT), 0);
    ck_assert_int_eq(dev.reg_read(dev.ctx, HOST_REG_STATUS, &d), 0);
    ck_assert_uint_eq(d & 0x703u, 0);
    host_golddev_free(&g);
}
END_TEST

START_TEST(test_misc_names)
{
    char buf[64];
    ck_assert_str_eq(host_errbits_str(0, buf, sizeof buf), "0");
    ck_assert_str_eq(host_errbits_str(GOLD_ERR_K | GOLD_ERR_TLAST, buf, sizeof buf), "K|TLAST");
    ck_assert_str_eq(host_errbits_str(0x145, buf, sizeof buf), "K|MODE|RESIDENT|bit8");
    ck_assert_str_eq(host_status_name(HOST_E_JOB), "HOST_E_JOB");
    ck_assert_str_eq(host_status_name(12345), "HOST_E_?");
    ck_assert_str_eq(host_reg_name(0x044, 4), "ERR");
    ck_assert_str_eq(host_reg_name(0x10C, 4), "ROW_NNZ");
    ck_assert_ptr_null(host_reg_name(0x110, 4));
    ck_assert_uint_eq(HOST_REG_ROW_NNZ(3), 0x10C);
    ck_assert_uint_eq(HOST_REG_MAX_ROW_NNZ, 0x084);
}
END_TEST

Suite *make_host_suite(void)
{
    Suite *s = suite_create("host");
    TCase *tc = tcase_create("mtx");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_mtx_shared, 0, N_SHARED);
    tcase_add_loop_test(tc, test_mtx_broken, 0, N_BAD);
    tcase_add_test(tc, test_mtx_valid_small);
    tcase_add_test(tc, test_mtx_mutations);
    suite_add_tcase(s, tc);

    tc = tcase_create("quant_stream");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_quant);
    tcase_add_test(tc, test_variant_derive);
    tcase_add_test(tc, test_stream_literal);
    tcase_add_test(tc, test_stream_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("driver");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_probe);
    tcase_add_loop_test(tc, test_run_job, 0, N_JCASES);
    tcase_add_loop_test(tc, test_run_job_rejected, 0, N_RCASES);
    tcase_add_test(tc, test_run_job_faults);
    tcase_add_test(tc, test_gemm);
    tcase_add_test(tc, test_golddev_regs);
    tcase_add_test(tc, test_misc_names);
    suite_add_tcase(s, tc);
    return s;
}
