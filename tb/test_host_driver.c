/* test_host_driver.c - host_driver over a fake device written here: probe (ok, bad magic,
 * PARAM3 mismatch), run_job (all modes, accumulate, counters, register sequence), device
 * rejections (K, MODE, THRESH: nothing streamed), transport faults (SLVERR, stream timeout,
 * DONE never set, missing result TLAST, bad sign extension), and host_gemm on a 7x11 output
 * with K > kmax against a plain reference, over the fake device and over golddev (tile-by-tile
 * check of c_prev/c_tile against gold_run in the callback).
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gold.h"
#include "golddev.h"
#include "host_driver.h"
#include "host_err.h"
#include "host_stream.h"
#include "test_sw.h"

/* ================================================================ fake device */

/* Registers: the contract's register-file model (the same table the RTL is generated from);
 * the stream protocol is written here from docs/data-formats.md, decoding beats byte by byte
 * (independent of host_stream.c); results from gold_run.  What is the fake's own is its log
 * and its fault injection. */
typedef struct fake {
    host_variant_t v;
    sg_regfile_t rf;
    sg_counters_t cnt;
    int64_t acc[SG_MAX_ROWS * SG_MAX_COLS];
    int32_t *a, *b;
    uint32_t k;
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

static uint32_t fake_state(const fake_t *f)
{
    return f->rf.f[SG_FLD_STATUS_STATE];
}

static void fake_set_state(fake_t *f, uint32_t st)
{
    f->rf.f[SG_FLD_STATUS_STATE] = st;
    f->rf.f[SG_FLD_STATUS_BUSY] = st != SG_STATE_IDLE;
}

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
    const sg_params_t *p = &f->v.p;
    uint32_t pulse;
    int rc = sg_regfile_write(&f->rf, addr, data, &pulse);
    f->starts += addr == SG_ADDR_CTRL && SG_FGET(CTRL, START, data) && !SG_FGET(CTRL, ABORT, data);
    if (pulse == SG_FMASK(CTRL, ABORT))
        fake_set_state(f, SG_STATE_IDLE);
    if (pulse != SG_FMASK(CTRL, START))
        return rc;
    f->k = f->rf.f[SG_FLD_K_K];
    free(f->a);
    free(f->b);
    f->a = calloc((size_t)p->rows * f->k, sizeof *f->a);
    f->b = calloc((size_t)f->k * p->cols, sizeof *f->b);
    if (!f->a || !f->b)
        return -1;
    memset(&f->cnt, 0, sizeof f->cnt);
    f->beats_need = (uint64_t)f->k * ((p->rows + p->cols + f->v.elems_per_beat - 1) / f->v.elems_per_beat);
    f->beats_got = f->res_sent = 0;
    fake_set_state(f, SG_STATE_LOAD);
    return rc;
}

static int fake_read(void *ctx, uint32_t addr, uint32_t *d)
{
    fake_t *f = ctx;
    fake_log(f, "R %03x%.0u", addr, 0);
    int rc = sg_regfile_read(&f->rf, addr, d);
    if (addr == SG_ADDR_ID && f->f_id)
        *d = f->f_id;
    if (addr == SG_ADDR_PARAM3)
        *d ^= f->f_param3_xor;
    return rc;
}

static int fake_send(void *ctx, const uint32_t *words, uint32_t wpb, uint32_t nbeats, const uint8_t *last)
{
    fake_t *f = ctx;
    fake_log(f, "SEND %u", nbeats, 0);
    f->sends++;
    const host_variant_t *v = &f->v;
    const uint32_t R = v->p.rows, C = v->p.cols, dw = v->p.data_w;
    const uint32_t lane_bytes = v->in_lane_w / 8, beat_bytes = v->in_stream_w / 8;
    if (f->f_send_timeout || fake_state(f) != SG_STATE_LOAD || wpb != (v->in_stream_w + 31) / 32 || nbeats > f->beats_need - f->beats_got)
        return -1;
    const uint32_t bps = (uint32_t)(f->beats_need / f->k);
    for (uint32_t i = 0; i < nbeats; i++, f->beats_got++) {
        const uint32_t *w = words + (size_t)i * wpb;
        uint32_t kk = (uint32_t)(f->beats_got / bps), beat_in_slice = (uint32_t)(f->beats_got % bps);
        if ((last[i] != 0) != (f->beats_got + 1 == f->beats_need))
            f->rf.f[SG_FLD_ERR_TLAST] = 1, f->enc_violation = 1;
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
        const uint32_t *r = f->rf.f;
        sg_job_t j = {f->k, r[SG_FLD_MODE_MODE], r[SG_FLD_THRESH_THRESH],
                      r[SG_FLD_FLAGS_ACCUMULATE] != 0, f->a, f->b};
        if (gold_run(&v->p, &j, f->acc, &f->cnt) != 0)
            return -2;
        sg_regfile_counters(&f->rf, &f->cnt, 1000, 100, 800, 100); /* recognisable cycles */
        fake_set_state(f, SG_STATE_DRAIN);
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
    if (fake_state(f) != SG_STATE_DRAIN || wpb != (v->out_stream_w + 31) / 32 || nbeats > n - f->res_sent)
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
        fake_set_state(f, SG_STATE_IDLE);
        f->rf.f[SG_FLD_STATUS_DONE] = !f->f_never_done;
    }
    return 0;
}

static void fake_init(fake_t *f, host_dev_t *dev, const host_variant_t *v)
{
    memset(f, 0, sizeof *f);
    f->v = *v;
    const sg_ident_t id = {0x000100u, v->window, v->in_stream_w, v->in_lane_w, v->elems_per_beat,
                           v->out_stream_w, v->a_cap};
    sg_regfile_init(&f->rf, &v->p, &id);
    *dev = (host_dev_t){f, fake_write, fake_read, fake_send, fake_recv, 0, NULL};
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
    {"1x1 w2 sw8 K=1", 1, 1, 2, 4, 4, 8, 1, 0, 256, 1.0},
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
        x[i] = u < density ? (int32_t)sg_sext(*s >> 20, dw) : 0;
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
        sg_job_t j = {c->k, c->mode, c->thresh, round == 1, a, b};
        host_counters_t cnt;
        f.nops = 0;
        int rc = host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err);
        ck_assert_msg(rc == 0, "job '%s' round %d: %s", c->name, round, err);
        ck_assert_msg(!f.enc_violation, "job '%s': host broke the operand encoding", c->name);
        sg_counters_t gc;
        ck_assert_uint_eq(gold_run(&v.p, &j, ref, &gc), 0);
        gc.issue_cycles = 0; /* the cycle model's input, not a register: a device does not report it */
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
        ck_assert(cnt.err == 0 && (cnt.status & SG_FMASK(STATUS, DONE)));
        /* register sequence: ERR cleared first, config, START after config, one send, one recv */
        char clr[32];
        snprintf(clr, sizeof clr, "W %03x=%x", SG_ADDR_ERR, SG_ERR_ALL);
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
    {"K=0", 0, 0, 256, true, SG_ERR(K), 1},
    {"K>kmax", 9, 0, 256, true, SG_ERR(K), 1},
    {"mode 3", 2, 3, 256, true, SG_ERR(MODE), 0},
    {"sparse on dense-only", 2, 1, 256, false, SG_ERR(MODE), 0},
    {"auto on dense-only", 2, 2, 256, false, SG_ERR(MODE), 0},
    {"thresh 257", 2, 2, 257, true, SG_ERR(THRESH), 0},
    {"mode 3 + thresh", 2, 3, 999, true, SG_ERR(MODE) | SG_ERR(THRESH), 0},
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
    sg_job_t j = {c->k, c->mode, c->thresh, false, a, b};
    host_counters_t cnt;
    char err[256] = "";
    int rc = host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err);
    ck_assert_msg(rc == HOST_E_JOB, "'%s': status %s: %s", c->name, host_status_name(rc), err);
    ck_assert_msg(cnt.err == c->expect_err, "'%s': cnt.err 0x%x expected 0x%x", c->name, cnt.err, c->expect_err);
    ck_assert_msg(sg_check_job(&v.p, &j) == c->expect_err, "'%s': golden disagrees", c->name);
    ck_assert_msg(f.sends == 0 && f.recvs == 0, "'%s': streamed although rejected", c->name);
    ck_assert_msg(f.starts == c->started, "'%s': START written %d times", c->name, f.starts);
    ck_assert_msg(out[0] == 77 && out[5] == 77, "'%s': c_out written on failure", c->name);
    ck_assert_msg(strstr(err, "ERR=") != NULL, "'%s': message: %s", c->name, err);
    fake_free(&f);
}
END_TEST

/* Transport faults the fake injects, what host_run_job must return and say. */
typedef enum { FT_SLVERR_MODE, FT_SEND_TIMEOUT, FT_NEVER_DONE, FT_NO_TLAST, FT_BAD_EXT, FT_NONE } fault_t;
static const struct {
    fault_t fault;
    int rc;
    const char *says[2];
} faults[] = {
    {FT_SLVERR_MODE, HOST_E_SLVERR, {"MODE", "SLVERR"}},
    {FT_SEND_TIMEOUT, HOST_E_TIMEOUT, {"operand stream", "failed"}},
    {FT_NEVER_DONE, HOST_E_TIMEOUT, {"DONE", "5 polls"}},
    {FT_NO_TLAST, HOST_E_PROTO, {"TLAST", "TLAST"}},
    {FT_BAD_EXT, HOST_E_PROTO, {"sign-extended", "beat"}},
    {FT_NONE, HOST_OK, {"", ""}}, /* works again; a stale ERR bit is cleared by the driver */
};
#define N_FAULTS ((int)(sizeof faults / sizeof faults[0]))

START_TEST(test_run_job_faults)
{
    host_variant_t v = mkvar(2, 3, 8, 20, 8, true, 4, 32); /* out_stream_w 24: 4 extension bits */
    fake_t f;
    host_dev_t dev;
    int32_t a[2 * 4] = {1, -2, 3, 4, 5, 6, -7, 8}, b[4 * 3] = {1, 2, 3, 4, 5, 6, 7, 8, 9, -10, -11, -12};
    int64_t out[6];
    sg_job_t j = {4, 0, 256, false, a, b};
    host_counters_t cnt;
    char err[256] = "";

    fake_init(&f, &dev, &v);
    switch (faults[_i].fault) {
    case FT_SLVERR_MODE: f.f_slverr_addr = SG_ADDR_MODE; break;
    case FT_SEND_TIMEOUT: f.f_send_timeout = 1; break;
    case FT_NEVER_DONE: f.f_never_done = 1, dev.done_polls = 5; break;
    case FT_NO_TLAST: f.f_no_tlast = 1; break;
    case FT_BAD_EXT: f.f_bad_ext = 1; break;
    case FT_NONE: f.rf.f[SG_FLD_ERR_ADDR] = 1; break;
    }
    int rc = host_run_job(&dev, &v, &j, out, &cnt, err, sizeof err);
    ck_assert_msg(rc == faults[_i].rc, "fault %d: rc %d, expected %d (%s)", _i, rc, faults[_i].rc, err);
    ck_assert_msg(strstr(err, faults[_i].says[0]) && strstr(err, faults[_i].says[1]),
                  "fault %d: message lacks '%s'/'%s': %s", _i, faults[_i].says[0], faults[_i].says[1], err);
    if (faults[_i].fault == FT_NEVER_DONE)
        ck_assert_int_eq(fake_find(&f, "R 040", 0) >= 0, 1);
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
            C[m * N + n] = sg_sext((uint64_t)s, aw);
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
    int64_t g[SG_MAX_ROWS * SG_MAX_COLS];
    uint32_t n = st->v->p.rows * st->v->p.cols;
    if (info->c_prev)
        memcpy(g, info->c_prev, n * sizeof *g);
    sg_counters_t gc;
    int grc = gold_run(&st->v->p, info->job, g, &gc);
    gold_results(&st->v->p, info->os, g, g); /* the output stage, on the tile's last chunk */
    if (grc != 0 || memcmp(g, info->c_tile, n * sizeof *g) != 0 ||
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

    /* 0: fake device, 1: golddev, 2: golddev with resident B and compressed A (overlapped) */
    for (int which = 0; which < 3; which++) {
        fake_t f;
        golddev_t g;
        host_dev_t dev;
        if (which == 0)
            fake_init(&f, &dev, &v);
        else
            ck_assert_int_eq(golddev_init(&g, &v, 0x010203, &dev, err, sizeof err), 0);
        cb_state_t st = {&v, 0, 0, 0, -1};
        host_gemm_opts_t opt = {which == 0 ? SG_MODE_AUTO : SG_MODE_SPARSE, 200, on_job, &st,
                                which == 2 ? HOST_GEMM_STREAM_FAST : 0, NULL};
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
            golddev_free(&g);
        } else {
            ck_assert(!f.enc_violation);
            fake_free(&f);
        }
    }

    /* golden device in DENSE mode gives the same C */
    golddev_t g;
    host_dev_t dev;
    ck_assert_int_eq(golddev_init(&g, &v, 0, &dev, err, sizeof err), 0);
    ck_assert_int_eq(host_gemm(&dev, &v, NULL, M, N, K, A, B, C2, NULL, err, sizeof err), 0);
    ck_assert(memcmp(C2, R, sizeof C2) == 0);
    golddev_free(&g);

    /* the output stage on each tile's last K chunk (earlier chunks accumulate the raw sums),
     * one job at a time and overlapped: C is the stage of the plain product */
    const sg_out_stage_t os = {100, 3, 500, true};
    for (int fast = 0; fast < 2; fast++) {
        ck_assert_int_eq(golddev_init(&g, &v, 0, &dev, err, sizeof err), 0);
        cb_state_t ost = {&v, 0, 0, 0, -1};
        host_gemm_opts_t oo = {SG_MODE_SPARSE, 256, on_job, &ost, fast ? HOST_GEMM_STREAM_FAST : 0, &os};
        host_gemm_stats_t ogs;
        ck_assert_int_eq(host_gemm(&dev, &v, &oo, M, N, K, A, B, C2, &ogs, err, sizeof err), 0);
        for (uint32_t i = 0; i < M * N; i++)
            ck_assert_msg(C2[i] == gold_out_stage(&v.p, &os, R[i]), "output-stage gemm (%s): C[%u][%u] = %" PRId64 ", expected %" PRId64,
                          fast ? "overlapped" : "one at a time", i / N, i % N, C2[i], gold_out_stage(&v.p, &os, R[i]));
        ck_assert_msg(ost.mismatches == 0 && ost.jobs == 27, "output-stage gemm: %u mismatches in %u jobs", ost.mismatches, ost.jobs);
        /* results of the 9 last chunks are 16-bit: 12 per tile in 3 beats of 4 lanes */
        ck_assert_uint_eq(ogs.out_beats, 18u * host_out_beats(&v) + 9u * host_out_beats_os(&v, 1) +
                                             (fast ? 27u * host_trailer_beats(&v) : 0u));
        golddev_free(&g);
    }
    ck_assert_int_eq(golddev_init(&g, &v, 0, &dev, err, sizeof err), 0);

    /* callback stop, out-of-range element, empty gemm */
    cb_state_t st = {&v, 0, 0, 0, 4};
    host_gemm_opts_t opt = {SG_MODE_DENSE, 256, on_job, &st, 0, NULL};
    ck_assert_int_eq(host_gemm(&dev, &v, &opt, M, N, K, A, B, C2, NULL, err, sizeof err), HOST_E_CALLBACK);
    ck_assert_msg(strstr(err, "job 4") != NULL, "%s", err);
    A[3 * K + 2] = 128;
    ck_assert_int_eq(host_gemm(&dev, &v, NULL, M, N, K, A, B, C2, NULL, err, sizeof err), HOST_E_RANGE);
    ck_assert_msg(strstr(err, "A[3][2] = 128") != NULL, "%s", err);
    ck_assert_int_eq(host_gemm(&dev, &v, NULL, 0, N, K, A, B, C2, NULL, err, sizeof err), HOST_E_ARG);
    golddev_free(&g);
}
END_TEST

Suite *make_host_driver_suite(void)
{
    TSW_SUITE("host_driver", 60, {test_probe, 0}, {test_run_job, N_JCASES},
              {test_run_job_rejected, N_RCASES}, {test_run_job_faults, N_FAULTS}, {test_gemm, 0});
}
