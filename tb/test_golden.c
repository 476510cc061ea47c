/* test_golden.c - golden model (golden/gold.[ch]) against an independently written reference.
 *
 * State space covered: operand widths data_w 2..16 (incl. garbage above data_w in the int32
 * inputs), accumulator widths 2*data_w..64 with wrap-around, shapes 1x1..16x16 (random up to
 * 12x12), K = 1..kmax, densities 0..1 of A and B, modes DENSE/SPARSE/AUTO (thresh 0, 256 and
 * random) with and without FLAGS.ACCUMULATE; all counters; sg_check_job / sg_check_params
 * error cases (result and counters untouched on error); sg_sext and the mode name table.
 * The reference below computes with __int128 and explicit masking, and counts per MAC slot in a
 * different loop order (k outer), so it shares no code with gold.c.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gold.h"

Suite *make_golden_suite(void);

/* ---------------------------------------------------------------- independent reference */

typedef struct ref_cnt {
    uint32_t mode_used, issued, gated, skipped, nnz_a, nnz_b, max_row_nnz;
    uint32_t row_nnz[SG_MAX_ROWS];
} ref_cnt_t;

/* low w bits of x as signed, by explicit masking */
static int64_t ref_val(int32_t x, uint32_t w)
{
    int64_t mask = ((int64_t)1 << w) - 1;
    int64_t v = (int64_t)x & mask;
    if (v >> (w - 1))
        v -= (int64_t)1 << w;
    return v;
}

/* v mod 2^w as signed, with __int128 */
static int64_t ref_wrap(__int128 v, uint32_t w)
{
    __int128 m = (__int128)1 << w;
    __int128 r = v % m;
    if (r < 0)
        r += m;
    if (r >= m / 2)
        r -= m;
    return (int64_t)r;
}

static void ref_run(uint32_t R, uint32_t C, uint32_t dw, uint32_t aw, uint32_t K, uint32_t mode,
                    uint32_t thresh, int accumulate, const int32_t *a, const int32_t *b,
                    int64_t *c, ref_cnt_t *n)
{
    /* results: exact sum in __int128, one wrap at the end (same value mod 2^aw) */
    for (uint32_t i = 0; i < R * C; i++) {
        uint32_t r = i / C, col = i % C;
        __int128 s = accumulate ? (__int128)c[i] : 0;
        for (uint32_t kk = 0; kk < K; kk++)
            s += (__int128)ref_val(a[r * K + kk], dw) * ref_val(b[kk * C + col], dw);
        c[i] = ref_wrap(s, aw);
    }
    memset(n, 0, sizeof *n);
    for (uint32_t kk = 0; kk < K; kk++)
        for (uint32_t r = 0; r < R; r++)
            n->row_nnz[r] += ref_val(a[r * K + kk], dw) != 0;
    for (uint32_t r = 0; r < R; r++) {
        n->nnz_a += n->row_nnz[r];
        n->max_row_nnz = n->row_nnz[r] > n->max_row_nnz ? n->row_nnz[r] : n->max_row_nnz;
    }
    for (uint32_t col = 0; col < C; col++)
        for (uint32_t kk = 0; kk < K; kk++)
            n->nnz_b += ref_val(b[kk * C + col], dw) != 0;
    if (mode == 2)
        n->mode_used = (int64_t)thresh * K - (int64_t)256 * n->max_row_nnz > 0 ? 1u : 0u;
    else
        n->mode_used = mode;
    /* per slot, k outermost */
    for (uint32_t kk = 0; kk < K; kk++)
        for (uint32_t col = 0; col < C; col++)
            for (uint32_t r = 0; r < R; r++) {
                int az = ref_val(a[r * K + kk], dw) == 0, bz = ref_val(b[kk * C + col], dw) == 0;
                int issued = n->mode_used == 0 ? 1 : !az;
                n->issued += issued;
                n->gated += issued && (az || bz);
                n->skipped += !issued;
            }
}

/* ---------------------------------------------------------------- helpers */

static uint64_t g_seed;

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}
static uint32_t rng_below(uint64_t *s, uint32_t n) { return (uint32_t)(rng_next(s) % n); }
static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) / 9007199254740992.0; }

/* Compares golden with the reference; writes a description of the first difference into msg
 * and returns 0 if equal.  c_prev is the accumulate input (may be NULL). */
static int compare_case(const sg_params_t *p, const sg_job_t *j, const int64_t *c_prev,
                        char *msg, size_t len)
{
    const uint32_t n = p->rows * p->cols;
    int64_t *cg = calloc(n, sizeof *cg), *cr = calloc(n, sizeof *cr);
    if (!cg || !cr) {
        snprintf(msg, len, "out of memory");
        free(cg);
        free(cr);
        return 1;
    }
    if (c_prev) {
        memcpy(cg, c_prev, n * sizeof *cg);
        memcpy(cr, c_prev, n * sizeof *cr);
    }
    sg_counters_t gc;
    ref_cnt_t rc;
    int bad = 0;
    uint32_t e = gold_run(p, j, cg, &gc);
    ref_run(p->rows, p->cols, p->data_w, p->acc_w, j->k, j->mode, j->thresh, j->accumulate, j->a,
            j->b, cr, &rc);
    if (e != 0) {
        snprintf(msg, len, "gold_run returned error 0x%x", e);
        bad = 1;
    }
    for (uint32_t i = 0; !bad && i < n; i++)
        if (cg[i] != cr[i]) {
            snprintf(msg, len, "c[%u][%u]: gold %" PRId64 " ref %" PRId64, i / p->cols,
                     i % p->cols, cg[i], cr[i]);
            bad = 1;
        }
#define CNT_(G, R)                                                                          \
    if (!bad && gc.G != rc.R) {                                                            \
        snprintf(msg, len, "counter " #G ": gold %u ref %u", gc.G, rc.R);                 \
        bad = 1;                                                                           \
    }
    CNT_(mode_used, mode_used)
    CNT_(macs_issued, issued)
    CNT_(macs_gated, gated)
    CNT_(macs_skipped, skipped)
    CNT_(nnz_a, nnz_a)
    CNT_(nnz_b, nnz_b)
    CNT_(max_row_nnz, max_row_nnz)
#undef CNT_
    for (uint32_t r = 0; !bad && r < SG_MAX_ROWS; r++)
        if (gc.row_nnz[r] != (r < p->rows ? rc.row_nnz[r] : 0u)) {
            snprintf(msg, len, "row_nnz[%u]: gold %u ref %u", r, gc.row_nnz[r], rc.row_nnz[r]);
            bad = 1;
        }
    free(cg);
    free(cr);
    return bad;
}

/* Results of all three modes must be bit-identical. */
static int modes_agree(const sg_params_t *p, const sg_job_t *j0, const int64_t *c_prev,
                       char *msg, size_t len)
{
    const uint32_t n = p->rows * p->cols;
    int64_t *c[3];
    int bad = 0;
    for (int m = 0; m < 3; m++) {
        c[m] = calloc(n, sizeof *c[m]);
        if (c_prev && c[m])
            memcpy(c[m], c_prev, n * sizeof *c[m]);
    }
    for (int m = 0; m < 3 && !bad; m++) {
        if (!c[m]) {
            snprintf(msg, len, "out of memory");
            bad = 1;
            break;
        }
        sg_job_t j = *j0;
        j.mode = (uint32_t)m;
        uint32_t e = gold_run(p, &j, c[m], NULL);
        if (e) {
            snprintf(msg, len, "mode %s: error 0x%x", sg_mode_name(j.mode), e);
            bad = 1;
        }
    }
    for (int m = 1; m < 3 && !bad; m++)
        for (uint32_t i = 0; i < n; i++)
            if (c[m][i] != c[0][i]) {
                snprintf(msg, len, "mode %s differs from dense at c[%u][%u]: %" PRId64 " vs %" PRId64,
                         sg_mode_name((uint32_t)m), i / p->cols, i % p->cols, c[m][i], c[0][i]);
                bad = 1;
                break;
            }
    for (int m = 0; m < 3; m++)
        free(c[m]);
    return bad;
}

/* ---------------------------------------------------------------- directed cases */

enum pat {
    P_ZEROS,      /* all zero */
    P_LAST_K,     /* single non-zero A[R-1][K-1] = 3, B[K-1][*] = -5 */
    P_MOST_NEG,   /* every element -2^(w-1) */
    P_RAMP,       /* deterministic mixed values incl. junk bits above data_w */
    P_DIAG_SPARSE /* A row r non-zero only at k == r % K; B dense ramp */
};

typedef struct dcase {
    const char *name;
    uint32_t rows, cols, data_w, acc_w, kmax, k;
    enum pat pat;
    uint32_t mode, thresh;
    int accumulate;
    int check_c00; /* 1: c[0][0] must equal expect_c00 (hand-computed) */
    int64_t expect_c00;
    int check_mode_used;
    uint32_t expect_mode_used;
} dcase_t;

static const dcase_t dcases[] = {
    {"zeros 1x1 K=1", 1, 1, 8, 32, 4, 1, P_ZEROS, 0, 256, 0, 1, 0, 1, 0},
    {"zeros 3x5 sparse", 3, 5, 8, 32, 16, 16, P_ZEROS, 1, 256, 0, 1, 0, 1, 1},
    {"zeros auto t256 -> sparse", 3, 5, 8, 32, 16, 7, P_ZEROS, 2, 256, 0, 0, 0, 1, 1},
    {"zeros auto t0 -> dense", 3, 5, 8, 32, 16, 7, P_ZEROS, 2, 0, 0, 0, 0, 1, 0},
    {"single nz at last k, 3x5", 3, 5, 8, 32, 8, 8, P_LAST_K, 1, 256, 0, 1, 0, 1, 1},
    {"single nz at last k, 1x1", 1, 1, 8, 32, 8, 8, P_LAST_K, 0, 256, 0, 1, -15, 0, 0},
    {"most neg w8 acc16 K=2 wraps to -32768", 1, 1, 8, 16, 4, 2, P_MOST_NEG, 0, 256, 0, 1, -32768, 0, 0},
    {"most neg w8 acc16 K=4 wraps to 0", 2, 2, 8, 16, 4, 4, P_MOST_NEG, 1, 256, 0, 1, 0, 0, 0},
    {"most neg w8 acc16 K=3 -> -16384", 3, 5, 8, 16, 4, 3, P_MOST_NEG, 2, 256, 0, 1, -16384, 1, 0},
    {"most neg w16 acc32 K=2 wraps to INT32_MIN", 2, 3, 16, 32, 4, 2, P_MOST_NEG, 0, 256, 0, 1, INT32_MIN, 0, 0},
    {"most neg w16 acc32 K=3", 2, 3, 16, 32, 4, 3, P_MOST_NEG, 0, 256, 0, 1, -1073741824, 0, 0},
    {"most neg w2 acc4 K=1..", 3, 3, 2, 4, 9, 9, P_MOST_NEG, 1, 256, 0, 1, 4, 0, 0},
    {"most neg w16 acc64 K=kmax", 4, 4, 16, 64, 1000, 1000, P_MOST_NEG, 0, 256, 0, 1, INT64_C(1073741824000), 0, 0},
    {"most neg w8 acc16 accumulate", 2, 2, 8, 16, 4, 2, P_MOST_NEG, 0, 256, 1, 0, 0, 0, 0},
    {"ramp w2 acc4", 3, 5, 2, 4, 8, 8, P_RAMP, 0, 256, 0, 0, 0, 0, 0},
    {"ramp w4 acc8 K=1", 3, 5, 4, 8, 8, 1, P_RAMP, 1, 256, 0, 0, 0, 0, 0},
    {"ramp w8 acc16", 16, 16, 8, 16, 64, 64, P_RAMP, 0, 256, 0, 0, 0, 0, 0},
    {"ramp w8 acc32 accumulate", 16, 16, 8, 32, 64, 33, P_RAMP, 2, 128, 1, 0, 0, 0, 0},
    {"ramp w16 acc32", 3, 5, 16, 32, 100, 100, P_RAMP, 1, 256, 0, 0, 0, 0, 0},
    {"ramp w16 acc64 accumulate", 3, 5, 16, 64, 50, 50, P_RAMP, 0, 256, 1, 0, 0, 0, 0},
    {"ramp 32x32 K=kmax", 32, 32, 8, 32, 40, 40, P_RAMP, 2, 200, 0, 0, 0, 0, 0},
    {"diag sparse auto t256 -> sparse", 16, 16, 8, 32, 16, 16, P_DIAG_SPARSE, 2, 256, 0, 0, 0, 1, 1},
    {"diag sparse auto t0 -> dense", 16, 16, 8, 32, 16, 16, P_DIAG_SPARSE, 2, 0, 0, 0, 0, 1, 0},
    /* 256*1 < 17*16=272 -> sparse; 256*1 < 16*16=256 false -> dense */
    {"diag sparse auto t17 K16 -> sparse", 4, 4, 8, 32, 16, 16, P_DIAG_SPARSE, 2, 17, 0, 0, 0, 1, 1},
    {"diag sparse auto t16 K16 -> dense", 4, 4, 8, 32, 16, 16, P_DIAG_SPARSE, 2, 16, 0, 0, 0, 1, 0},
    {"dense A auto t256 -> dense", 3, 5, 8, 32, 8, 8, P_MOST_NEG, 2, 256, 0, 0, 0, 1, 0},
};
#define N_DCASES ((int)(sizeof dcases / sizeof dcases[0]))

static void fill(const dcase_t *d, int32_t *a, int32_t *b)
{
    const uint32_t R = d->rows, C = d->cols, K = d->k;
    const int32_t mn = -(int32_t)(1u << (d->data_w - 1));
    for (uint32_t r = 0; r < R; r++)
        for (uint32_t kk = 0; kk < K; kk++) {
            int32_t v = 0;
            switch (d->pat) {
            case P_ZEROS: v = 0; break;
            case P_LAST_K: v = (r == R - 1 && kk == K - 1) ? 3 : 0; break;
            case P_MOST_NEG: v = mn; break;
            case P_RAMP: v = (int32_t)((r * 7u + kk * 13u) % 11u) - 5 + (int32_t)(kk % 3u == 0 ? 0x10000 : 0) * (int32_t)(d->data_w < 16); break;
            case P_DIAG_SPARSE: v = kk == r % K ? (int32_t)r + 1 : 0; break;
            }
            a[r * K + kk] = v;
        }
    for (uint32_t kk = 0; kk < K; kk++)
        for (uint32_t c = 0; c < C; c++) {
            int32_t v = 0;
            switch (d->pat) {
            case P_ZEROS: v = 0; break;
            case P_LAST_K: v = kk == K - 1 ? -5 : 0; break;
            case P_MOST_NEG: v = mn; break;
            case P_RAMP: v = (int32_t)((kk * 5u + c * 3u) % 9u) - 4; break;
            case P_DIAG_SPARSE: v = (int32_t)(kk + c) % 5 - 2; break;
            }
            b[kk * C + c] = v;
        }
}

START_TEST(test_directed)
{
    const dcase_t *d = &dcases[_i];
    sg_params_t p = {d->rows, d->cols, d->data_w, d->acc_w, d->kmax, true, 2, 2,
                     sg_out_w_default(d->acc_w)};
    ck_assert_msg(sg_check_params(&p) == 0, "case '%s': params invalid", d->name);
    int32_t *a = calloc((size_t)d->rows * d->k, sizeof *a);
    int32_t *b = calloc((size_t)d->k * d->cols, sizeof *b);
    int64_t *prev = calloc((size_t)d->rows * d->cols, sizeof *prev);
    ck_assert(a && b && prev);
    fill(d, a, b);
    for (uint32_t i = 0; i < d->rows * d->cols; i++) /* accumulate input: in-range values */
        prev[i] = d->accumulate ? sg_sext(UINT64_C(0x9E3779B97F4A7C15) * (i + 1), d->acc_w) : 0;
    sg_job_t j = {d->k, d->mode, d->thresh, d->accumulate != 0, a, b};
    char msg[256];
    int bad = compare_case(&p, &j, d->accumulate ? prev : NULL, msg, sizeof msg);
    ck_assert_msg(!bad, "directed case %d '%s' (mode %s): %s", _i, d->name, sg_mode_name(d->mode), msg);
    bad = modes_agree(&p, &j, d->accumulate ? prev : NULL, msg, sizeof msg);
    ck_assert_msg(!bad, "directed case %d '%s': %s", _i, d->name, msg);
    int64_t *c = calloc((size_t)d->rows * d->cols, sizeof *c);
    ck_assert(c != NULL);
    if (d->accumulate)
        memcpy(c, prev, (size_t)d->rows * d->cols * sizeof *c);
    sg_counters_t cnt;
    ck_assert_uint_eq(gold_run(&p, &j, c, &cnt), 0);
    if (d->check_c00)
        ck_assert_msg(c[0] == d->expect_c00, "directed case '%s': c[0][0] = %" PRId64 ", expected %" PRId64,
                      d->name, c[0], d->expect_c00);
    if (d->check_mode_used)
        ck_assert_msg(cnt.mode_used == d->expect_mode_used, "directed case '%s': mode_used %u, expected %u",
                      d->name, cnt.mode_used, d->expect_mode_used);
    free(a);
    free(b);
    free(prev);
    free(c);
}
END_TEST

/* accumulate over two chunks == one job over the concatenated K */
START_TEST(test_accumulate_split)
{
    const uint32_t R = 5, C = 7, K1 = 9, K2 = 6, K = K1 + K2;
    sg_params_t p = {R, C, 8, 16, 16, true, 4, 2, 16};
    int32_t a[5 * 15], b[15 * 7], a1[5 * 9], a2[5 * 6];
    uint64_t s = 42;
    for (uint32_t i = 0; i < R * K; i++)
        a[i] = (int32_t)rng_below(&s, 256) - 128;
    for (uint32_t i = 0; i < K * C; i++)
        b[i] = (int32_t)rng_below(&s, 256) - 128;
    for (uint32_t r = 0; r < R; r++) {
        for (uint32_t k = 0; k < K1; k++)
            a1[r * K1 + k] = a[r * K + k];
        for (uint32_t k = 0; k < K2; k++)
            a2[r * K2 + k] = a[r * K + K1 + k];
    }
    int64_t whole[35], split[35];
    sg_job_t jw = {K, SG_MODE_DENSE, 256, false, a, b};
    sg_job_t j1 = {K1, SG_MODE_SPARSE, 256, false, a1, b};
    sg_job_t j2 = {K2, SG_MODE_AUTO, 128, true, a2, b + K1 * C};
    ck_assert_uint_eq(gold_run(&p, &jw, whole, NULL), 0);
    ck_assert_uint_eq(gold_run(&p, &j1, split, NULL), 0);
    ck_assert_uint_eq(gold_run(&p, &j2, split, NULL), 0);
    int bad = -1;
    for (int i = 0; i < 35 && bad < 0; i++)
        if (whole[i] != split[i])
            bad = i;
    ck_assert_msg(bad < 0, "accumulate split differs at c[%d]", bad);
}
END_TEST

/* ---------------------------------------------------------------- random */

START_TEST(test_random)
{
    const int ncases = 400;
    for (int t = 0; t < ncases; t++) {
        uint64_t s = g_seed ^ (UINT64_C(0x5851F42D4C957F2D) * (uint64_t)(t + 1));
        sg_params_t p;
        p.rows = 1 + rng_below(&s, 12);
        p.cols = 1 + rng_below(&s, 12);
        p.data_w = 2 + rng_below(&s, 15);
        uint32_t pick = rng_below(&s, 4);
        p.acc_w = pick == 0 ? 2 * p.data_w : pick == 1 ? 64 : 2 * p.data_w + rng_below(&s, 65 - 2 * p.data_w);
        p.kmax = SG_kmax_MIN + rng_below(&s, 65 - SG_kmax_MIN);
        p.sparse_capable = true;
        p.out_w = sg_out_w_default(p.acc_w);
        uint32_t k = rng_below(&s, 4) == 0 ? p.kmax : 1 + rng_below(&s, p.kmax);
        double da = rng_unit(&s), db = rng_unit(&s);
        if (rng_below(&s, 8) == 0)
            da = 0.0;
        if (rng_below(&s, 8) == 0)
            db = 1.0;
        int junk = rng_below(&s, 3) == 0; /* random bits above data_w */
        int32_t *a = calloc((size_t)p.rows * k, sizeof *a), *b = calloc((size_t)k * p.cols, sizeof *b);
        int64_t *prev = calloc((size_t)p.rows * p.cols, sizeof *prev);
        ck_assert(a && b && prev);
        for (uint32_t i = 0; i < p.rows * k; i++)
            if (rng_unit(&s) < da)
                a[i] = junk ? (int32_t)(uint32_t)rng_next(&s) : (int32_t)sg_sext(rng_next(&s), p.data_w);
        for (uint32_t i = 0; i < k * p.cols; i++)
            if (rng_unit(&s) < db)
                b[i] = junk ? (int32_t)(uint32_t)rng_next(&s) : (int32_t)sg_sext(rng_next(&s), p.data_w);
        int acc = rng_below(&s, 3) == 0;
        for (uint32_t i = 0; i < p.rows * p.cols; i++)
            prev[i] = sg_sext(rng_next(&s), p.acc_w);
        sg_job_t j = {k, rng_below(&s, 3), rng_below(&s, 4) == 0 ? 256 : rng_below(&s, 257), acc != 0, a, b};
        char msg[256];
        int bad = compare_case(&p, &j, acc ? prev : NULL, msg, sizeof msg);
        if (!bad)
            bad = modes_agree(&p, &j, acc ? prev : NULL, msg, sizeof msg);
        free(a);
        free(b);
        free(prev);
        ck_assert_msg(!bad,
                      "random case %d (%ux%u data_w=%u acc_w=%u K=%u mode=%s thresh=%u acc=%d "
                      "dens %.2f/%.2f): %s\n  reproduce: SG_SEED=%" PRIu64 " build/bin/test_sw golden",
                      t, p.rows, p.cols, p.data_w, p.acc_w, k, sg_mode_name(j.mode), j.thresh, acc,
                      da, db, msg, g_seed);
    }
}
END_TEST

/* ---------------------------------------------------------------- error cases */

typedef struct ecase {
    const char *name;
    uint32_t k, mode, thresh;
    bool sparse_capable;
    uint32_t expect;
} ecase_t;

static const ecase_t ecases[] = {
    {"valid dense", 4, 0, 256, false, 0},
    {"valid auto", 8, 2, 0, true, 0},
    {"K=0", 0, 0, 256, true, SG_ERR(K)},
    {"K=kmax+1", 9, 1, 256, true, SG_ERR(K)},
    {"K=kmax ok", 8, 1, 256, true, 0},
    {"mode 3", 1, 3, 256, true, SG_ERR(MODE)},
    {"mode 7", 1, 7, 256, true, SG_ERR(MODE)},
    {"sparse on dense-only", 1, 1, 256, false, SG_ERR(MODE)},
    {"auto on dense-only", 1, 2, 256, false, SG_ERR(MODE)},
    {"thresh 257", 1, 0, 257, true, SG_ERR(THRESH)},
    {"thresh 256 ok", 1, 2, 256, true, 0},
    {"all three", 0, 3, 1000, true, SG_ERR(K) | SG_ERR(MODE) | SG_ERR(THRESH)},
    {"K too big + thresh", 100, 0, 0xffffffffu, false, SG_ERR(K) | SG_ERR(THRESH)},
};
#define N_ECASES ((int)(sizeof ecases / sizeof ecases[0]))

START_TEST(test_check_job)
{
    const ecase_t *e = &ecases[_i];
    sg_params_t p = {2, 3, 8, 32, 8, e->sparse_capable, 4, 2, 16};
    int32_t a[2 * 100] = {1, 2, 3}, b[100 * 3] = {4, 5, 6};
    sg_job_t j = {e->k, e->mode, e->thresh, false, a, b};
    uint32_t got = sg_check_job(&p, &j);
    ck_assert_msg(got == e->expect, "check_job '%s': 0x%x, expected 0x%x", e->name, got, e->expect);
    int64_t c[6] = {11, 12, 13, 14, 15, 16};
    sg_counters_t cnt;
    memset(&cnt, 0xA5, sizeof cnt);
    uint32_t rr = gold_run(&p, &j, c, &cnt);
    ck_assert_msg(rr == e->expect, "gold_run '%s' returned 0x%x, expected 0x%x", e->name, rr, e->expect);
    if (e->expect != 0) {
        sg_counters_t sent;
        memset(&sent, 0xA5, sizeof sent);
        ck_assert_msg(c[0] == 11 && c[5] == 16 && memcmp(&cnt, &sent, sizeof cnt) == 0,
                      "gold_run '%s' touched c or cnt on error", e->name);
    }
}
END_TEST

START_TEST(test_check_params)
{
    static const struct {
        sg_params_t p;
        uint32_t expect;
    } t[] = {
        {{1, 1, 2, 4, 4, false, 2, 2, 4}, 0},
        {{1, 1, 2, 4, 3, false, 2, 2, 4}, SG_PERR_KMAX}, /* the generator's minimum */
        {{32, 32, 16, 64, 65536, true, 2, 2, 16}, 0},
        {{0, 1, 8, 32, 4, true, 2, 2, 16}, SG_PERR_ROWS},
        {{33, 1, 8, 32, 4, true, 2, 2, 16}, SG_PERR_ROWS},
        {{1, 0, 8, 32, 4, true, 2, 2, 16}, SG_PERR_COLS},
        {{1, 33, 8, 32, 4, true, 2, 2, 16}, SG_PERR_COLS},
        {{1, 1, 1, 32, 4, true, 2, 2, 16}, SG_PERR_DATA_W},
        {{1, 1, 17, 64, 4, true, 2, 2, 16}, SG_PERR_DATA_W},
        {{1, 1, 8, 15, 4, true, 2, 2, 15}, SG_PERR_ACC_W},
        {{1, 1, 8, 65, 4, true, 2, 2, 16}, SG_PERR_ACC_W},
        {{1, 1, 8, 16, 0, true, 2, 2, 16}, SG_PERR_KMAX},
        {{1, 1, 8, 16, 65537, true, 2, 2, 16}, SG_PERR_KMAX},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint32_t got = sg_check_params(&t[i].p);
        ck_assert_msg(got == t[i].expect, "check_params row %zu: 0x%x expected 0x%x", i, got, t[i].expect);
    }
    ck_assert_uint_eq(sg_check_params(NULL), SG_PERR_NULL);
    sg_params_t bad = {0, 1, 8, 32, 1, true, 0, 0, 16};
    int32_t a[1] = {0};
    sg_job_t j = {1, 0, 0, false, a, a};
    ck_assert_uint_eq(sg_check_job(&bad, &j), SG_ERR_PARAMS);
    sg_params_t ok = {1, 1, 8, 32, 4, true, 2, 2, 16};
    sg_job_t jn = {1, 0, 0, false, NULL, a};
    ck_assert_uint_eq(sg_check_job(&ok, &jn), SG_ERR_PARAMS);
    ck_assert_uint_eq(gold_run(&ok, &j, NULL, NULL), SG_ERR_PARAMS);
}
END_TEST

START_TEST(test_sext_and_names)
{
    static const struct {
        uint64_t v;
        uint32_t w;
        int64_t expect;
    } t[] = {
        {0xff, 8, -1},
        {0x7f, 8, 127},
        {0x80, 8, -128},
        {0x1ff, 8, -1},
        {0x100, 8, 0},
        {1, 1, -1},
        {0, 1, 0},
        {2, 2, -2},
        {UINT64_C(0x8000000000000000), 64, INT64_MIN},
        {UINT64_MAX, 64, -1},
        {UINT64_C(0x7fffffffffffffff), 64, INT64_MAX},
        {UINT64_C(0x80000000), 32, INT32_MIN},
        {UINT64_C(0xffffffff7fffffff), 32, INT32_MAX},
        {UINT64_C(0x0000008000000000), 40, -(INT64_C(1) << 39)},
        {12345, 0, 0},
        {UINT64_MAX, 99, -1},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int64_t got = sg_sext(t[i].v, t[i].w);
        ck_assert_msg(got == t[i].expect, "sg_sext(0x%" PRIx64 ", %u) = %" PRId64 ", expected %" PRId64,
                      t[i].v, t[i].w, got, t[i].expect);
    }
    ck_assert_str_eq(sg_mode_name(SG_MODE_DENSE), "dense");
    ck_assert_str_eq(sg_mode_name(SG_MODE_SPARSE), "sparse");
    ck_assert_str_eq(sg_mode_name(SG_MODE_AUTO), "auto");
    ck_assert_str_eq(sg_mode_name(3), "invalid");
    uint32_t m = 99;
    ck_assert_int_eq(sg_mode_parse("auto", &m), 0);
    ck_assert_uint_eq(m, SG_MODE_AUTO);
    ck_assert_int_eq(sg_mode_parse("AUTO", &m), -1);
    ck_assert_uint_eq(gold_decide(SG_MODE_AUTO, 256, 65536, 65535), SG_MODE_SPARSE);
    ck_assert_uint_eq(gold_decide(SG_MODE_AUTO, 256, 65536, 65536), SG_MODE_DENSE);
    ck_assert_uint_eq(gold_decide(SG_MODE_AUTO, 0, 65536, 0), SG_MODE_DENSE);
}
END_TEST

/* ---------------------------------------------------------------- output stage */

/* Reference of the output stage, written differently from gold_out_stage: an arithmetic right
 * shift of the __int128 sum instead of a floor division, the bounds as one [lo, hi] interval. */
static int64_t ref_out_stage(uint32_t out_w, int64_t acc, int32_t bias, uint32_t shift,
                             uint32_t clamp, int relu)
{
    __int128 half = shift ? (__int128)1 << (shift - 1) : 0;
    __int128 v = ((__int128)acc + bias + half) >> shift; /* gcc: arithmetic shift */
    __int128 lo = relu ? 0 : -((__int128)1 << (out_w - 1));
    __int128 hi = ((__int128)1 << (out_w - 1)) - 1;
    if ((__int128)clamp < hi)
        hi = clamp;
    return (int64_t)(v < lo ? lo : v > hi ? hi : v);
}

/* Directed corner cases, expected values worked out by hand (rounding ties, negatives, clamp
 * edges, shift 0 and the largest shift, bias extremes, the GraphChallenge layer rule). */
static const struct os_case {
    const char *name;
    uint32_t acc_w, out_w;
    int64_t acc;
    int32_t bias;
    uint32_t shift, clamp;
    int relu;
    int64_t expect;
} os_cases[] = {
    {"shift 0 passes", 32, 16, 5, 0, 0, 0x7FFFFFFFu, 0, 5},
    {"shift 0 negative", 32, 16, -100, 0, 0, 0x7FFFFFFFu, 0, -100},
    {"relu negative", 32, 16, -100, 0, 0, 0x7FFFFFFFu, 1, 0},
    {"tie 1.5 up", 32, 16, 3, 0, 1, 0x7FFFFFFFu, 0, 2},
    {"tie -1.5 up", 32, 16, -3, 0, 1, 0x7FFFFFFFu, 0, -1},
    {"tie 0.5 up", 32, 16, 1, 0, 1, 0x7FFFFFFFu, 0, 1},
    {"tie -0.5 up", 32, 16, -1, 0, 1, 0x7FFFFFFFu, 0, 0},
    {"1.25 down", 32, 16, 5, 0, 2, 0x7FFFFFFFu, 0, 1},
    {"-1.25 up", 32, 16, -5, 0, 2, 0x7FFFFFFFu, 0, -1},
    {"-1.5 tie", 32, 16, -6, 0, 2, 0x7FFFFFFFu, 0, -1},
    {"-1.75 down", 32, 16, -7, 0, 2, 0x7FFFFFFFu, 0, -2},
    {"out_w max", 32, 16, 40000, 0, 0, 0x7FFFFFFFu, 0, 32767},
    {"out_w min", 32, 16, -40000, 0, 0, 0x7FFFFFFFu, 0, -32768},
    {"out_w min relu", 32, 16, -40000, 0, 0, 0x7FFFFFFFu, 1, 0},
    {"clamp equal", 32, 16, 16384, 0, 0, 16384, 0, 16384},
    {"clamp above", 32, 16, 16385, 0, 0, 16384, 0, 16384},
    {"clamp below", 32, 16, 16383, 0, 0, 16384, 0, 16383},
    {"clamp 0", 32, 16, 7, 0, 0, 0, 0, 0},
    {"clamp 0 negative", 32, 16, -7, 0, 0, 0, 0, -7},
    {"clamp over out_w", 32, 16, 40000, 0, 0, 20000000, 0, 32767},
    {"max shift +", 32, 16, 2147483647, 0, 31, 0x7FFFFFFFu, 0, 1},
    {"max shift -", 32, 16, -2147483647 - 1, 0, 31, 0x7FFFFFFFu, 0, -1},
    {"max shift tie", 32, 16, -1073741824, 0, 31, 0x7FFFFFFFu, 0, 0},
    {"bias max", 32, 32, 2147483647, 2147483647, 0, 0x7FFFFFFFu, 0, 2147483647},
    {"bias min", 32, 32, -2147483647 - 1, -2147483647 - 1, 0, 0x7FFFFFFFu, 0, -2147483647 - 1},
    {"bias min shifted", 32, 32, -2147483647 - 1, -2147483647 - 1, 31, 0x7FFFFFFFu, 0, -2},
    {"acc 64 min", 64, 64, INT64_MIN, -2147483647 - 1, 63, 0x7FFFFFFFu, 0, -1},
    {"acc 64 max", 64, 64, INT64_MAX, 2147483647, 0, 0x7FFFFFFFu, 0, 2147483647},
    {"acc 64 max shifted", 64, 64, INT64_MAX, 2147483647, 63, 0x7FFFFFFFu, 0, 1},
    {"narrow 4 bits +", 8, 4, 100, 0, 0, 0x7FFFFFFFu, 0, 7},
    {"narrow 4 bits -", 8, 4, -100, 0, 0, 0x7FFFFFFFu, 0, -8},
    {"narrow shift 7", 8, 4, -128, 0, 7, 0x7FFFFFFFu, 0, -1},
    /* GraphChallenge layer rule: acc in 2^-13 (Q9 x Q4), bias -0.3 = -2458, Q9 out */
    {"gc 0 inputs", 32, 16, 0, -2458, 4, 16384, 1, 0},
    {"gc 5 inputs", 32, 16, 5 * 512, -2458, 4, 16384, 1, 6},
    {"gc 40 inputs", 32, 16, 40 * 512, -2458, 4, 16384, 1, 1126},
    {"gc 600 inputs", 32, 16, 600 * 512, -2458, 4, 16384, 1, 16384},
};
#define N_OS_CASES ((int)(sizeof os_cases / sizeof os_cases[0]))

START_TEST(test_out_stage_directed)
{
    const struct os_case *t = &os_cases[_i];
    sg_params_t p = {1, 1, 2, t->acc_w, 4, true, 4, 2, t->out_w};
    ck_assert_msg(sg_check_params(&p) == 0, "case '%s': params invalid", t->name);
    sg_out_stage_t o = {t->bias, t->shift, t->clamp, t->relu != 0};
    ck_assert_msg(sg_check_out_stage(&p, &o) == 0, "case '%s': settings rejected", t->name);
    int64_t got = gold_out_stage(&p, &o, t->acc);
    ck_assert_msg(got == t->expect, "out stage '%s': acc %" PRId64 " bias %d shift %u clamp %u relu %d: got %" PRId64 ", expected %" PRId64,
                  t->name, t->acc, t->bias, t->shift, t->clamp, t->relu, got, t->expect);
    int64_t ref = ref_out_stage(t->out_w, t->acc, t->bias, t->shift, t->clamp, t->relu);
    ck_assert_msg(ref == t->expect, "reference '%s': got %" PRId64 ", expected %" PRId64, t->name, ref, t->expect);
}
END_TEST

START_TEST(test_out_stage_rules)
{
    sg_params_t p = {2, 2, 8, 20, 16, true, 4, 2, 12};
    sg_out_stage_t ok = {0, 19, 0x7FFFFFFFu, false}, sh = {0, 20, 0, false}, cl = {0, 0, 0x80000000u, false};
    ck_assert_uint_eq(sg_check_out_stage(&p, &ok), 0);
    ck_assert_uint_eq(sg_check_out_stage(&p, &sh), SG_ERR(OUT));
    ck_assert_uint_eq(sg_check_out_stage(&p, &cl), SG_ERR(OUT));
    ck_assert_uint_eq(sg_check_out_stage(&p, NULL), SG_ERR_PARAMS);
    p.out_w = 21;
    ck_assert_uint_eq(sg_check_params(&p), SG_PERR_OUT_W);
    p.out_w = 1;
    ck_assert_uint_eq(sg_check_params(&p), SG_PERR_OUT_W);
    ck_assert_uint_eq(sg_out_w_default(8), 8);
    ck_assert_uint_eq(sg_out_w_default(32), 16);
    /* gold_results: NULL stage copies, else the stage of each */
    p.out_w = 12;
    int64_t acc[4] = {-5000, 3, 2047 * 4 + 2, 9}, y[4];
    gold_results(&p, NULL, acc, y);
    ck_assert_int_eq(memcmp(acc, y, sizeof y), 0);
    sg_out_stage_t o = {1, 2, 100, true};
    gold_results(&p, &o, acc, y);
    ck_assert(y[0] == 0 && y[1] == 1 && y[2] == 100 && y[3] == 3);
}
END_TEST

/* random settings and accumulators, every width: golden against the reference; the result
 * always fits out_w bits */
START_TEST(test_out_stage_random)
{
    uint64_t s = g_seed ^ UINT64_C(0x0D57A6E5);
    uint64_t bad = 0;
    char first[256] = "";
    const int n = 200000;
    for (int t = 0; t < n; t++) {
        sg_params_t p = {1, 1, 2, 4 + rng_below(&s, 61), 4, true, 4, 2, 0};
        p.out_w = 2 + rng_below(&s, p.acc_w - 1);
        uint32_t pick = rng_below(&s, 8);
        int64_t acc = sg_sext(rng_next(&s), p.acc_w);
        if (pick == 0)
            acc = sg_sext(UINT64_C(1) << (p.acc_w - 1), p.acc_w); /* most negative */
        else if (pick == 1)
            acc = -sg_sext(UINT64_C(1) << (p.acc_w - 1), p.acc_w) - 1; /* most positive */
        else if (pick == 2)
            acc = (int64_t)rng_below(&s, 64) - 32;
        uint32_t sh = rng_below(&s, 3) == 0 ? p.acc_w - 1 : rng_below(&s, p.acc_w);
        int32_t bias = (int32_t)(uint32_t)rng_next(&s);
        if (rng_below(&s, 2))
            bias = (int32_t)rng_below(&s, 65) - 32;
        uint32_t clamp = rng_below(&s, 4) == 0 ? 0x7FFFFFFFu : (uint32_t)(rng_next(&s) >> 33);
        if (rng_below(&s, 4) == 0)
            clamp = rng_below(&s, 9);
        int relu = (int)rng_below(&s, 2);
        sg_out_stage_t o = {bias, sh, clamp, relu != 0};
        int64_t g = gold_out_stage(&p, &o, acc);
        int64_t r = ref_out_stage(p.out_w, acc, bias, sh, clamp, relu);
        if (g != r || sg_sext((uint64_t)g, p.out_w) != g) {
            if (bad++ == 0)
                snprintf(first, sizeof first,
                         "acc_w %u out_w %u acc %" PRId64 " bias %d shift %u clamp %u relu %d: golden %" PRId64 ", reference %" PRId64,
                         p.acc_w, p.out_w, acc, bias, sh, clamp, relu, g, r);
        }
    }
    ck_assert_msg(bad == 0, "%" PRIu64 " of %d output-stage cases differ; first: %s (SG_SEED=%" PRIu64 " build/bin/test_sw golden)",
                  bad, n, first, g_seed);
}
END_TEST

Suite *make_golden_suite(void)
{
    const char *env = getenv("SG_SEED");
    if (env != NULL && *env != '\0')
        g_seed = strtoull(env, NULL, 0);
    else
        g_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    printf("golden: random seed %" PRIu64 " (reproduce: SG_SEED=%" PRIu64 " build/bin/test_sw golden)\n",
           g_seed, g_seed);
    fflush(stdout);

    Suite *s = suite_create("golden");
    TCase *tc = tcase_create("directed");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_directed, 0, N_DCASES);
    tcase_add_test(tc, test_accumulate_split);
    tcase_add_test(tc, test_sext_and_names);
    tcase_add_loop_test(tc, test_out_stage_directed, 0, N_OS_CASES);
    tcase_add_test(tc, test_out_stage_rules);
    tcase_add_test(tc, test_out_stage_random);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_set_timeout(tc, 10);
    tcase_add_loop_test(tc, test_check_job, 0, N_ECASES);
    tcase_add_test(tc, test_check_params);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_random);
    suite_add_tcase(s, tc);
    return s;
}
