/* test_host_mtx.c - host_mtx, the Matrix Market reader: every file of the shared data set
 * (real/integer/pattern x general/symmetric, 1024x1024 GraphChallenge layers, 1200x1024
 * pattern images), hand-written valid files (skew-symmetric, comments/blank lines/CRLF,
 * duplicates), ~30 broken files (each error names file and line), missing file, directory,
 * dense-size cap, and random byte mutations of a valid file (must never crash).
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

#include "host_err.h"
#include "host_mtx.h"
#include "test_sw.h"

/* ================================================================ data directory */

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* SG_DATA_DIR, else <repo root>/../shared/data, the repo root being the first directory holding
 * contract/sg_regs.def among: the current directory and up to 3 parents, then the directory of this
 * executable (/proc/self/exe) and up to 3 parents. */
static int find_root(const char *start, char *out, size_t len)
{
    static const char *const ups[] = {"", "/..", "/../..", "/../../.."};
    for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
        char probe[1200];
        snprintf(probe, sizeof probe, "%s%s/contract/sg_regs.def", start, ups[i]);
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

Suite *make_host_mtx_suite(void)
{
    TSW_SUITE("host_mtx", 60, {test_mtx_shared, N_SHARED}, {test_mtx_broken, N_BAD},
              {test_mtx_valid_small, 0}, {test_mtx_mutations, 0});
}
