/* host_driver.c - job sequence, probe and tiled GEMM over a host_dev_t.  See host_driver.h. */
#include "host_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_cycles.h"

/* The status of a register access that answered rc (0 OKAY, 1 SLVERR, < 0 transport), with
 * a message naming the register.  `what` is "write of" or "read of"; data is shown for writes. */
static int access_status(int rc, const char *what, uint32_t addr, const char *data, char *err,
                         size_t errlen)
{
    if (rc == 0)
        return HOST_OK;
    const char *nm = sg_reg_name(addr, SG_MAX_ROWS);
    if (rc == 1)
        return host_seterr(err, errlen, HOST_E_SLVERR, "%s %s (0x%03x)%s answered SLVERR", what,
                           nm ? nm : "?", addr, data);
    return host_seterr(err, errlen, HOST_E_DEV, "%s %s (0x%03x) failed: transport error %d", what,
                       nm ? nm : "?", addr, rc);
}

static int wr(const host_dev_t *d, uint32_t addr, uint32_t val, char *err, size_t errlen)
{
    char data[24];
    snprintf(data, sizeof data, " = 0x%x", val);
    return access_status(d->reg_write(d->ctx, addr, val), "write of", addr, data, err, errlen);
}

static int rd(const host_dev_t *d, uint32_t addr, uint32_t *val, char *err, size_t errlen)
{
    return access_status(d->reg_read(d->ctx, addr, val), "read of", addr, "", err, errlen);
}

static int dev_ok(const host_dev_t *d)
{
    return d != NULL && d->reg_write != NULL && d->reg_read != NULL && d->stream_send != NULL &&
           d->stream_recv != NULL;
}

int host_read_version(const host_dev_t *dev, uint32_t *version, char *err, size_t errlen)
{
    if (!dev_ok(dev) || version == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_read_version: bad argument");
    return rd(dev, SG_ADDR_VERSION, version, err, errlen);
}

int host_probe(const host_dev_t *dev, host_variant_t *v, char *err, size_t errlen)
{
    if (!dev_ok(dev) || v == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_probe: bad argument");
    uint32_t id, p0, p1, p2, p3, p4, p5;
    int rc;
    if ((rc = rd(dev, SG_ADDR_ID, &id, err, errlen)) != 0)
        return rc;
    if (id != sg_fields[SG_FLD_ID_MAGIC].reset)
        return host_seterr(err, errlen, HOST_E_ID,
                           "ID register reads 0x%08x, expected 0x%08x (\"SPGN\"): not a sparsegen "
                           "device",
                           id, sg_fields[SG_FLD_ID_MAGIC].reset);
    if ((rc = rd(dev, SG_ADDR_PARAM0, &p0, err, errlen)) != 0 ||
        (rc = rd(dev, SG_ADDR_PARAM1, &p1, err, errlen)) != 0 ||
        (rc = rd(dev, SG_ADDR_PARAM2, &p2, err, errlen)) != 0 ||
        (rc = rd(dev, SG_ADDR_PARAM3, &p3, err, errlen)) != 0 ||
        (rc = rd(dev, SG_ADDR_PARAM4, &p4, err, errlen)) != 0 ||
        (rc = rd(dev, SG_ADDR_PARAM5, &p5, err, errlen)) != 0)
        return rc;
    sg_regfile_t rf;
    memset(&rf, 0, sizeof rf);
    sg_regfile_unpack(&rf, SG_REG_PARAM0, p0);
    sg_regfile_unpack(&rf, SG_REG_PARAM1, p1);
    sg_regfile_unpack(&rf, SG_REG_PARAM2, p2);
    sg_regfile_unpack(&rf, SG_REG_PARAM3, p3);
    sg_regfile_unpack(&rf, SG_REG_PARAM4, p4);
    sg_regfile_unpack(&rf, SG_REG_PARAM5, p5);
    host_variant_t t;
    memset(&t, 0, sizeof t);
    t.p.rows = rf.f[SG_FLD_PARAM0_ROWS];
    t.p.cols = rf.f[SG_FLD_PARAM0_COLS];
    t.p.data_w = rf.f[SG_FLD_PARAM0_DATA_W];
    t.p.acc_w = rf.f[SG_FLD_PARAM0_ACC_W];
    t.p.kmax = rf.f[SG_FLD_PARAM1_KMAX];
    t.p.out_w = rf.f[SG_FLD_PARAM5_OUT_W];
    t.window = rf.f[SG_FLD_PARAM2_WINDOW];
    t.p.window = t.window;
    t.p.wdepth = rf.f[SG_FLD_PARAM2_WDEPTH];
    t.p.sparse_capable = rf.f[SG_FLD_PARAM2_SPARSE_CAPABLE] != 0;
    t.in_stream_w = rf.f[SG_FLD_PARAM2_IN_STREAM_W];
    t.out_stream_w = rf.f[SG_FLD_PARAM3_OUT_STREAM_W];
    t.a_cap = rf.f[SG_FLD_PARAM4_A_CAP];
    char msg[256];
    rc = host_variant_derive_msg(&t, msg, sizeof msg);
    if (rc != 0)
        return host_seterr(err, errlen, HOST_E_PROTO,
                           "device parameters invalid (PARAM0=0x%08x PARAM1=0x%08x PARAM2=0x%08x): %s",
                           p0, p1, p2, msg);
    uint32_t ow = rf.f[SG_FLD_PARAM3_OUT_STREAM_W], lw = rf.f[SG_FLD_PARAM3_IN_LANE_W],
             epb = rf.f[SG_FLD_PARAM3_ELEMS_PER_BEAT];
    if (ow != t.out_stream_w || lw != t.in_lane_w || epb != t.elems_per_beat)
        return host_seterr(err, errlen, HOST_E_PROTO,
                           "PARAM3=0x%08x (out_stream_w=%u in_lane_w=%u elems_per_beat=%u) "
                           "disagrees with the values derived from PARAM0..2 (%u, %u, %u)",
                           p3, ow, lw, epb, t.out_stream_w, t.in_lane_w, t.elems_per_beat);
    *v = t;
    return HOST_OK;
}

static int read_counters(const host_dev_t *dev, const host_variant_t *v, host_counters_t *c,
                         char *err, size_t errlen)
{
    static const struct {
        uint32_t addr;
        size_t off;
        int arch;
    } regs[] = {
        {SG_ADDR_CYC_TOTAL, offsetof(host_counters_t, cyc_total), 0},
        {SG_ADDR_CYC_LOAD, offsetof(host_counters_t, cyc_load), 0},
        {SG_ADDR_CYC_COMPUTE, offsetof(host_counters_t, cyc_compute), 0},
        {SG_ADDR_CYC_DRAIN, offsetof(host_counters_t, cyc_drain), 0},
        {SG_ADDR_MACS_ISSUED, offsetof(sg_counters_t, macs_issued), 1},
        {SG_ADDR_MACS_GATED, offsetof(sg_counters_t, macs_gated), 1},
        {SG_ADDR_MACS_SKIPPED, offsetof(sg_counters_t, macs_skipped), 1},
        {SG_ADDR_NNZ_A, offsetof(sg_counters_t, nnz_a), 1},
        {SG_ADDR_NNZ_B, offsetof(sg_counters_t, nnz_b), 1},
        {SG_ADDR_MAX_ROW_NNZ, offsetof(sg_counters_t, max_row_nnz), 1},
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        uint32_t val;
        int rc = rd(dev, regs[i].addr, &val, err, errlen);
        if (rc != 0)
            return rc;
        unsigned char *base = regs[i].arch ? (unsigned char *)&c->arch : (unsigned char *)c;
        memcpy(base + regs[i].off, &val, sizeof val);
    }
    for (uint32_t r = 0; r < v->p.rows; r++) {
        int rc = rd(dev, SG_ADDR_ROW_NNZ(r), &c->arch.row_nnz[r], err, errlen);
        if (rc != 0)
            return rc;
    }
    c->arch.mode_used = SG_FGET(STATUS, MODE_USED, c->status);
    return HOST_OK;
}

int host_run_job(const host_dev_t *dev, const host_variant_t *v, const sg_job_t *job,
                 int64_t *c_out, host_counters_t *cnt, char *err, size_t errlen)
{
    return host_run_job_fmt(dev, v, job, 0, c_out, cnt, err, errlen);
}

int host_run_job_fmt(const host_dev_t *dev, const host_variant_t *v, const sg_job_t *job,
                     uint32_t flags, int64_t *c_out, host_counters_t *cnt, char *err,
                     size_t errlen)
{
    return host_run_job_os(dev, v, job, flags, NULL, c_out, cnt, err, errlen);
}

/* FLAGS bits of the output stage os (NULL: none). */
static uint32_t os_flags(const sg_out_stage_t *os)
{
    if (os == NULL)
        return 0u;
    return HOST_FLAGS_OUT_STAGE | (os->relu ? HOST_FLAGS_OUT_RELU : 0u);
}

/* Writes the output stage registers of os. */
static int os_write(const host_dev_t *dev, const sg_out_stage_t *os, char *err, size_t errlen)
{
    int rc;
    if ((rc = wr(dev, SG_ADDR_OUT_BIAS, (uint32_t)os->bias, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_OUT_SHIFT, os->shift, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_OUT_CLAMP, os->clamp, err, errlen)) != 0)
        return rc;
    return HOST_OK;
}

int host_run_job_os(const host_dev_t *dev, const host_variant_t *v, const sg_job_t *job,
                    uint32_t flags, const sg_out_stage_t *os, int64_t *c_out,
                    host_counters_t *cnt, char *err, size_t errlen)
{
    flags = (flags & HOST_FLAGS_STREAM) | os_flags(os);
    if (!dev_ok(dev) || v == NULL || job == NULL || job->a == NULL ||
        (job->b == NULL && !(flags & HOST_FLAGS_KEEP_B)) || c_out == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_run_job: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    host_counters_t local;
    host_counters_t *c = cnt ? cnt : &local;
    memset(c, 0, sizeof *c);
    char bits[64];
    uint32_t e;

    /* configure */
    if ((rc = wr(dev, SG_ADDR_ERR, SG_ERR_ALL, err, errlen)) != 0 ||
        (os != NULL && (rc = os_write(dev, os, err, errlen)) != 0) ||
        (rc = wr(dev, SG_ADDR_MODE, job->mode, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_K, job->k, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_THRESH, job->thresh, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_FLAGS, (job->accumulate ? SG_FMASK(FLAGS, ACCUMULATE) : 0u) | flags,
                 err, errlen)) != 0 ||
        (rc = rd(dev, SG_ADDR_ERR, &e, err, errlen)) != 0)
        return rc;
    if (e != 0) {
        c->err = e;
        return host_seterr(err, errlen, HOST_E_JOB,
                           "configuration rejected (MODE=%u K=%u THRESH=%u): ERR=0x%x (%s); job "
                           "not started",
                           job->mode, job->k, job->thresh, e, sg_err_str(e, bits, sizeof bits));
    }
    /* start */
    if ((rc = wr(dev, SG_ADDR_CTRL, SG_FMASK(CTRL, START), err, errlen)) != 0 ||
        (rc = rd(dev, SG_ADDR_ERR, &e, err, errlen)) != 0)
        return rc;
    if (e != 0) {
        c->err = e;
        (void)rd(dev, SG_ADDR_STATUS, &c->status, NULL, 0);
        return host_seterr(err, errlen, HOST_E_JOB,
                           "START rejected (K=%u, KMAX=%u, FLAGS=0x%x): ERR=0x%x (%s); nothing "
                           "streamed",
                           job->k, v->p.kmax, flags, e, sg_err_str(e, bits, sizeof bits));
    }

    /* operands */
    const uint64_t in_beats = host_in_beats_fmt(v, job->k, flags, host_job_a_ents(v, job));
    const uint32_t iwpb = host_in_words_per_beat(v), owpb = host_out_words_per_beat(v);
    const uint64_t out_beats = host_out_beats_os(v, os != NULL);
    if (in_beats > UINT32_MAX)
        return host_seterr(err, errlen, HOST_E_ARG, "job too large: %llu operand beats",
                           (unsigned long long)in_beats);
    uint32_t *iw = malloc((size_t)in_beats * iwpb * sizeof *iw);
    uint8_t *il = malloc((size_t)in_beats);
    uint32_t *ow = malloc((size_t)out_beats * owpb * sizeof *ow);
    uint8_t *ol = calloc((size_t)out_beats, 1);
    int64_t *res = malloc((size_t)v->p.rows * v->p.cols * sizeof *res);
    if (iw == NULL || il == NULL || ow == NULL || ol == NULL || res == NULL) {
        rc = host_seterr(err, errlen, HOST_E_NOMEM, "out of memory for %llu operand beats",
                         (unsigned long long)in_beats);
        goto out;
    }
    rc = host_stream_encode_fmt(v, job, flags, iw, il, in_beats, err, errlen);
    if (rc != 0)
        goto out;
    int drc = dev->stream_send(dev->ctx, iw, iwpb, (uint32_t)in_beats, il);
    if (drc != 0) {
        rc = host_seterr(err, errlen, drc < 0 ? HOST_E_TIMEOUT : HOST_E_DEV,
                         "operand stream: sending %llu beats failed (%d)",
                         (unsigned long long)in_beats, drc);
        goto out;
    }
    /* results */
    drc = dev->stream_recv(dev->ctx, ow, owpb, (uint32_t)out_beats, ol);
    if (drc != 0) {
        rc = host_seterr(err, errlen, drc < 0 ? HOST_E_TIMEOUT : HOST_E_DEV,
                         "result stream: receiving %llu beats failed (%d)",
                         (unsigned long long)out_beats, drc);
        goto out;
    }
    /* DONE */
    uint32_t polls = dev->done_polls ? dev->done_polls : HOST_DEFAULT_DONE_POLLS, st = 0, i;
    for (i = 0; i < polls; i++) {
        if ((rc = rd(dev, SG_ADDR_STATUS, &st, err, errlen)) != 0)
            goto out;
        if (st & SG_FMASK(STATUS, DONE))
            break;
    }
    c->status = st;
    if (i == polls) {
        rc = host_seterr(err, errlen, HOST_E_TIMEOUT,
                         "STATUS.DONE not set after %u polls (STATUS=0x%x, state %u)", polls, st,
                         SG_FGET(STATUS, STATE, st));
        goto out;
    }
    if ((rc = rd(dev, SG_ADDR_ERR, &e, err, errlen)) != 0)
        goto out;
    c->err = e;
    if ((rc = read_counters(dev, v, c, err, errlen)) != 0)
        goto out;
    if (e != 0) {
        rc = host_seterr(err, errlen, HOST_E_JOB, "job finished with ERR=0x%x (%s)", e,
                         sg_err_str(e, bits, sizeof bits));
        goto out;
    }
    rc = host_stream_decode_results_os(v, os != NULL, ow, ol, out_beats, res, err, errlen);
    if (rc != 0)
        goto out;
    memcpy(c_out, res, (size_t)v->p.rows * v->p.cols * sizeof *res);
out:
    free(iw);
    free(il);
    free(ow);
    free(ol);
    free(res);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */

static int fits(int32_t x, uint32_t w)
{
    return sg_operand(x, w) == (int64_t)x;
}

/* ------------------------------------------------------------------------------------------ */
/* Overlapped GEMM (HOST_GEMM_STREAM_FAST): three jobs in flight, one per pipeline stage.  Job n
 * is started and its operands sent while job n-1 computes and job n-2 drains; job n-2's results
 * and trailer (its counters) are collected during that send, so the wait for a job's results
 * does not include its own COMPUTE.  The START of job n is accepted once job n-1 leaves LOAD
 * (the CTRL write is held until then, docs/architecture.md), which needs only job n-3's results
 * received.  Jobs are checked in order; the last two are received after the loop.  Registers are
 * written only when their value changes; no register is read per job. */

#define GEMM_INFLIGHT 3u /* jobs started and not yet finished: LOAD, COMPUTE, DRAIN */

/* The B the device holds: the column block n0 and K chunk (k0, kc) of the job that loaded it. */
typedef struct gemm_resb {
    int have;
    uint32_t n0, k0, kc;
} gemm_resb_t;

static int resb_keeps(const gemm_resb_t *r, uint32_t n0, uint32_t k0, uint32_t kc)
{
    return r->have && r->n0 == n0 && r->k0 == k0 && r->kc == kc;
}

static void resb_note(gemm_resb_t *r, uint32_t flags, uint32_t n0, uint32_t k0, uint32_t kc)
{
    if (!(flags & HOST_FLAGS_KEEP_B))
        *r = (gemm_resb_t){1, n0, k0, kc};
}

/* Stream flags of a GEMM job sent fast: KEEP_B when the resident B is this job's, and
 * A_COMPRESSED when that is shorter (DENSE mode is the dense machine: it moves A as stored,
 * zeros too). */
static uint32_t gemm_flags(const host_variant_t *v, uint32_t mode, uint32_t kc, uint64_t a_ents,
                           int keep_b)
{
    uint32_t flags = keep_b ? HOST_FLAGS_KEEP_B : 0u;
    if (v->a_ents > 0 && mode != SG_MODE_DENSE &&
        host_in_beats_fmt(v, kc, HOST_FLAGS_A_COMPRESSED | HOST_FLAGS_KEEP_B, a_ents) <
            host_in_beats_fmt(v, kc, HOST_FLAGS_KEEP_B, a_ents))
        flags |= HOST_FLAGS_A_COMPRESSED;
    return flags;
}

typedef struct gemm_job {
    uint32_t index, m0, n0, k0, mv, nv, kc, flags;
    int32_t *at, *bt;
    sg_job_t job;
} gemm_job_t;

typedef struct gemm_state {
    const host_dev_t *dev;
    const host_variant_t *v;
    const host_gemm_opts_t *opt;
    uint32_t N;
    int64_t *C, *prev, *tile;
    uint32_t *rw;
    uint8_t *rl;
    host_gemm_stats_t *st;
} gemm_state_t;

/* The results and trailer of job j are in gs->rw/rl: check, decode, report, account. */
static int gemm_finish(gemm_state_t *gs, const gemm_job_t *j, char *err, size_t errlen)
{
    const host_variant_t *v = gs->v;
    const uint32_t R = v->p.rows, Cc = v->p.cols, owpb = host_out_words_per_beat(v);
    const int os = (j->flags & HOST_FLAGS_OUT_STAGE) != 0;
    const uint64_t nres = host_out_beats_os(v, os), nout = nres + host_trailer_beats(v);
    char sub[256];
    for (uint64_t i = 0; i < nout; i++)
        if ((gs->rl[i] != 0) != (i + 1 == nout))
            return host_seterr(err, errlen, HOST_E_PROTO,
                               "gemm job %u: result stream TLAST %s on beat %llu of %llu",
                               j->index, gs->rl[i] ? "set" : "missing", (unsigned long long)i,
                               (unsigned long long)nout);
    host_counters_t cnt;
    memset(&cnt, 0, sizeof cnt);
    int rc = host_stream_decode_results_os(v, os, gs->rw, NULL, nres, gs->tile, sub, sizeof sub);
    if (rc == 0)
        rc = host_stream_decode_trailer(v, gs->rw + (size_t)nres * owpb, &cnt.arch, &cnt.cyc_load,
                                        &cnt.cyc_compute, sub, sizeof sub);
    if (rc != 0)
        return host_seterr(err, errlen, rc, "gemm job %u: %s", j->index, sub);
    cnt.status = SG_FMASK(STATUS, DONE) | SG_FPUT(STATUS, MODE_USED, cnt.arch.mode_used);
    if (gs->opt->on_job != NULL) {
        host_job_info_t info = {j->index, j->m0, j->n0, j->k0, j->mv, j->nv, &j->job, j->flags,
                                j->k0 > 0 ? gs->prev : NULL, gs->tile, &cnt,
                                os ? gs->opt->os : NULL};
        if (gs->opt->on_job(gs->opt->user, &info) != 0)
            return host_seterr(err, errlen, HOST_E_CALLBACK,
                               "gemm stopped by the job callback at job %u (m0=%u n0=%u k0=%u)",
                               j->index, j->m0, j->n0, j->k0);
    }
    memcpy(gs->prev, gs->tile, (size_t)R * Cc * sizeof *gs->tile);
    host_gemm_stats_t *st = gs->st;
    host_cycles_job_t cj = {j->kc, j->flags | HOST_FLAGS_TRAILER, cnt.arch.mode_used,
                            cnt.arch.max_row_nnz, host_job_a_ents(v, &j->job), cnt.arch.issue_cycles};
    host_cycles_gemm_t one = {0, 0, 0};
    host_cycles_gemm_add(&one, v, &cj);
    st->in_beats += one.in_beats;
    st->out_beats += one.out_beats;
    st->bound_compute += one.compute;
    st->jobs_keep_b += (j->flags & HOST_FLAGS_KEEP_B) != 0;
    st->jobs_a_compressed += (j->flags & HOST_FLAGS_A_COMPRESSED) != 0;
    st->jobs++;
    st->jobs_sparse += cnt.arch.mode_used == SG_MODE_SPARSE;
    st->macs_issued += cnt.arch.macs_issued;
    st->macs_gated += cnt.arch.macs_gated;
    st->macs_skipped += cnt.arch.macs_skipped;
    st->nnz_a += cnt.arch.nnz_a;
    st->nnz_b += cnt.arch.nnz_b;
    st->cyc_load += cnt.cyc_load;
    st->cyc_compute += cnt.cyc_compute;
    if (cnt.arch.max_row_nnz > st->max_row_nnz)
        st->max_row_nnz = cnt.arch.max_row_nnz;
    /* the tile after its last K chunk is what the GEMM keeps (later chunks overwrite) */
    for (uint32_t r = 0; r < j->mv; r++)
        for (uint32_t c = 0; c < j->nv; c++)
            gs->C[(size_t)(j->m0 + r) * gs->N + j->n0 + c] = gs->tile[(size_t)r * Cc + c];
    return HOST_OK;
}

static int gemm_overlapped(const host_dev_t *dev, const host_variant_t *v,
                           const host_gemm_opts_t *opt, uint32_t M, uint32_t N, uint32_t K,
                           const int32_t *A, const int32_t *B, int64_t *C, host_gemm_stats_t *st,
                           char *err, size_t errlen)
{
    const uint32_t R = v->p.rows, Cc = v->p.cols, KM = v->p.kmax;
    const uint32_t kchunk_max = K < KM ? K : KM;
    const uint32_t iwpb = host_in_words_per_beat(v), owpb = host_out_words_per_beat(v);
    const uint64_t nout = host_out_beats(v) + host_trailer_beats(v);
    /* the largest operand stream of a job: dense A or every element as an entry, plus B */
    uint64_t in_cap = host_in_beats_fmt(v, kchunk_max, 0, 0);
    uint64_t alt = host_in_beats_fmt(v, kchunk_max, HOST_FLAGS_A_COMPRESSED,
                                     (uint64_t)R * kchunk_max);
    if (v->a_ents > 0 && alt > in_cap)
        in_cap = alt;
    alt = host_in_beats_fmt(v, kchunk_max, HOST_FLAGS_KEEP_B, 0);
    if (alt > in_cap)
        in_cap = alt;
    gemm_job_t jb[GEMM_INFLIGHT];
    memset(jb, 0, sizeof jb);
    uint32_t *iw = malloc((size_t)in_cap * iwpb * sizeof *iw);
    uint8_t *il = malloc((size_t)in_cap);
    gemm_state_t gs = {dev, v, opt, N, C, malloc((size_t)R * Cc * sizeof(int64_t)),
                       malloc((size_t)R * Cc * sizeof(int64_t)),
                       malloc((size_t)nout * owpb * sizeof(uint32_t)), malloc((size_t)nout), st};
    int rc = HOST_OK;
    for (uint32_t i = 0; i < GEMM_INFLIGHT; i++) {
        jb[i].at = malloc((size_t)R * kchunk_max * sizeof(int32_t));
        jb[i].bt = malloc((size_t)kchunk_max * Cc * sizeof(int32_t));
        if (jb[i].at == NULL || jb[i].bt == NULL)
            rc = HOST_E_NOMEM;
    }
    if (rc != 0 || iw == NULL || il == NULL || gs.prev == NULL || gs.tile == NULL ||
        gs.rw == NULL || gs.rl == NULL) {
        rc = host_seterr(err, errlen, HOST_E_NOMEM, "host_gemm: out of memory");
        goto out;
    }
    /* registers as last written (UINT32_MAX: not yet) */
    uint32_t w_mode = UINT32_MAX, w_thresh = UINT32_MAX, w_k = UINT32_MAX, w_flags = UINT32_MAX;
    if ((rc = wr(dev, SG_ADDR_ERR, SG_ERR_ALL, err, errlen)) != 0 ||
        (opt->os != NULL && (rc = os_write(dev, opt->os, err, errlen)) != 0))
        goto out;
    uint32_t njob = 0;
    gemm_resb_t resb = {0, 0, 0, 0};
    const uint32_t n_mt = (M + R - 1) / R, n_nt = (N + Cc - 1) / Cc;
    for (uint64_t t = 0; t < (uint64_t)n_mt * n_nt; t++) {
        const uint32_t m0 = (uint32_t)(t % n_mt) * R, n0 = (uint32_t)(t / n_mt) * Cc;
        const uint32_t mv = M - m0 < R ? M - m0 : R, nv = N - n0 < Cc ? N - n0 : Cc;
        /* K chunks of at most KMAX in which every row of the tile fits the list capacity */
        for (uint32_t k0 = 0, kc = 0; k0 < K; k0 += kc) {
            kc = sg_a_cap_chunk(&v->p, v->a_cap, mv, K, A + (size_t)m0 * K, k0);
            gemm_job_t *j = &jb[njob % GEMM_INFLIGHT];
            for (uint32_t r = 0; r < R; r++)
                for (uint32_t kk = 0; kk < kc; kk++)
                    j->at[(size_t)r * kc + kk] = r < mv ? A[(size_t)(m0 + r) * K + k0 + kk] : 0;
            for (uint32_t kk = 0; kk < kc; kk++)
                for (uint32_t c = 0; c < Cc; c++)
                    j->bt[(size_t)kk * Cc + c] = c < nv ? B[(size_t)(k0 + kk) * N + n0 + c] : 0;
            j->index = njob;
            j->m0 = m0;
            j->n0 = n0;
            j->k0 = k0;
            j->mv = mv;
            j->nv = nv;
            j->kc = kc;
            j->job = (sg_job_t){kc, opt->mode, opt->thresh, k0 > 0, j->at, j->bt};
            const uint64_t ents = host_job_a_ents(v, &j->job);
            const uint32_t flags = gemm_flags(v, opt->mode, kc, ents,
                                              resb_keeps(&resb, n0, k0, kc)) |
                                   (k0 + kc == K ? os_flags(opt->os) : 0u);
            j->flags = flags;
            const uint64_t nin = host_in_beats_fmt(v, kc, flags, ents);
            char sub[256];
            if ((rc = host_stream_encode_fmt(v, &j->job, flags, iw, il, in_cap, sub, sizeof sub)) != 0) {
                host_seterr(err, errlen, rc, "gemm job %u: %s", njob, sub);
                goto out;
            }
            const uint32_t fl = flags | HOST_FLAGS_TRAILER | (k0 > 0 ? SG_FMASK(FLAGS, ACCUMULATE) : 0u);
            if ((w_mode != opt->mode && (rc = wr(dev, SG_ADDR_MODE, opt->mode, err, errlen)) != 0) ||
                (w_thresh != opt->thresh &&
                 (rc = wr(dev, SG_ADDR_THRESH, opt->thresh, err, errlen)) != 0) ||
                (w_k != kc && (rc = wr(dev, SG_ADDR_K, kc, err, errlen)) != 0) ||
                (w_flags != fl && (rc = wr(dev, SG_ADDR_FLAGS, fl, err, errlen)) != 0) ||
                (rc = wr(dev, SG_ADDR_CTRL, SG_FMASK(CTRL, START), err, errlen)) != 0)
                goto out;
            w_mode = opt->mode;
            w_thresh = opt->thresh;
            w_k = kc;
            w_flags = fl;
            if (njob == 0) {
                uint32_t e = 0;
                if ((rc = rd(dev, SG_ADDR_ERR, &e, err, errlen)) != 0)
                    goto out;
                if (e != 0) {
                    char bits[64];
                    rc = host_seterr(err, errlen, HOST_E_JOB,
                                     "gemm job 0: START rejected (K=%u): ERR=0x%x (%s)", kc, e,
                                     sg_err_str(e, bits, sizeof bits));
                    goto out;
                }
            }
            /* send this job while job njob-2's results come back */
            int drc;
            const int pending = njob >= GEMM_INFLIGHT - 1;
            gemm_job_t *old = &jb[(njob + 1) % GEMM_INFLIGHT]; /* job njob-2 */
            const uint64_t nprev = pending ? host_out_beats_os(v, (old->flags & HOST_FLAGS_OUT_STAGE) != 0) +
                                                 host_trailer_beats(v)
                                           : 0;
            if (pending && dev->stream_xfer != NULL) {
                drc = dev->stream_xfer(dev->ctx, iw, iwpb, (uint32_t)nin, il, gs.rw, owpb,
                                       (uint32_t)nprev, gs.rl);
            } else {
                drc = dev->stream_send(dev->ctx, iw, iwpb, (uint32_t)nin, il);
                if (drc == 0 && pending)
                    drc = dev->stream_recv(dev->ctx, gs.rw, owpb, (uint32_t)nprev, gs.rl);
            }
            if (drc != 0) {
                uint32_t e = 0;
                char bits[64];
                (void)rd(dev, SG_ADDR_ERR, &e, NULL, 0);
                rc = host_seterr(err, errlen, drc < 0 ? HOST_E_TIMEOUT : HOST_E_DEV,
                                 "gemm job %u (m0=%u n0=%u k0=%u): streams stalled (%d); ERR=0x%x (%s)",
                                 njob, m0, n0, k0, drc, e, sg_err_str(e, bits, sizeof bits));
                goto out;
            }
            resb_note(&resb, flags, n0, k0, kc);
            if (pending && (rc = gemm_finish(&gs, old, err, errlen)) != 0)
                goto out;
            njob++;
        }
    }
    /* the tail: the jobs still in flight (the last two, or the only one), in order */
    for (uint32_t jn = njob > GEMM_INFLIGHT - 1 ? njob - (GEMM_INFLIGHT - 1) : 0; jn < njob; jn++) {
        const gemm_job_t *j = &jb[jn % GEMM_INFLIGHT];
        const uint64_t nprev = host_out_beats_os(v, (j->flags & HOST_FLAGS_OUT_STAGE) != 0) +
                               host_trailer_beats(v);
        int drc = dev->stream_recv(dev->ctx, gs.rw, owpb, (uint32_t)nprev, gs.rl);
        if (drc != 0) {
            rc = host_seterr(err, errlen, drc < 0 ? HOST_E_TIMEOUT : HOST_E_DEV,
                             "gemm job %u: receiving its results failed (%d)", jn, drc);
            goto out;
        }
        if ((rc = gemm_finish(&gs, j, err, errlen)) != 0)
            goto out;
    }
    {
        uint32_t e = 0;
        char bits[64];
        if ((rc = rd(dev, SG_ADDR_ERR, &e, err, errlen)) != 0)
            goto out;
        if (e != 0) {
            rc = host_seterr(err, errlen, HOST_E_JOB, "gemm finished with ERR=0x%x (%s)", e,
                             sg_err_str(e, bits, sizeof bits));
            goto out;
        }
    }
    rc = HOST_OK;
out:
    for (uint32_t i = 0; i < GEMM_INFLIGHT; i++) {
        free(jb[i].at);
        free(jb[i].bt);
    }
    free(iw);
    free(il);
    free(gs.prev);
    free(gs.tile);
    free(gs.rw);
    free(gs.rl);
    return rc;
}

int host_gemm(const host_dev_t *dev, const host_variant_t *v, const host_gemm_opts_t *opt,
              uint32_t M, uint32_t N, uint32_t K, const int32_t *A, const int32_t *B, int64_t *C,
              host_gemm_stats_t *stats, char *err, size_t errlen)
{
    if (!dev_ok(dev) || v == NULL || A == NULL || B == NULL || C == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_gemm: NULL argument");
    if (M == 0 || N == 0 || K == 0)
        return host_seterr(err, errlen, HOST_E_ARG, "host_gemm: empty GEMM %u x %u x %u", M, N, K);
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    host_gemm_opts_t dflt = {SG_MODE_DENSE, SG_THRESH_MAX, NULL, NULL, 0, NULL};
    if (opt == NULL)
        opt = &dflt;
    /* refused before any job: the device would refuse only the START of each tile's last K
       chunk (ERR.OUT), in the middle of the overlapped jobs */
    if (opt->os != NULL && v->p.out_w == 0)
        return host_seterr(err, errlen, HOST_E_ARG,
                           "host_gemm: an output stage was asked for, but the variant has none "
                           "(PARAM5.OUT_W = 0: FLAGS.OUT_STAGE is refused with ERR.OUT)");
    const uint32_t R = v->p.rows, Cc = v->p.cols, KM = v->p.kmax, W = v->p.data_w;
    for (uint64_t i = 0; i < (uint64_t)M * K; i++)
        if (!fits(A[i], W))
            return host_seterr(err, errlen, HOST_E_RANGE,
                               "host_gemm: A[%llu][%llu] = %d does not fit in %u-bit signed",
                               (unsigned long long)(i / K), (unsigned long long)(i % K), A[i], W);
    for (uint64_t i = 0; i < (uint64_t)K * N; i++)
        if (!fits(B[i], W))
            return host_seterr(err, errlen, HOST_E_RANGE,
                               "host_gemm: B[%llu][%llu] = %d does not fit in %u-bit signed",
                               (unsigned long long)(i / N), (unsigned long long)(i % N), B[i], W);

    host_gemm_stats_t st;
    memset(&st, 0, sizeof st);
    if (opt->stream == HOST_GEMM_STREAM_FAST) {
        rc = gemm_overlapped(dev, v, opt, M, N, K, A, B, C, &st, err, errlen);
        host_cycles_gemm_t gb = {st.in_beats, st.bound_compute, st.out_beats};
        st.bound_cycles = host_cycles_gemm_bound(&gb);
        if (stats != NULL)
            *stats = st;
        return rc;
    }
    const uint32_t kchunk_max = K < KM ? K : KM;
    int32_t *at = malloc((size_t)R * kchunk_max * sizeof *at);
    int32_t *bt = malloc((size_t)kchunk_max * Cc * sizeof *bt);
    int64_t *prev = malloc((size_t)R * Cc * sizeof *prev);
    int64_t *tile = malloc((size_t)R * Cc * sizeof *tile);
    if (at == NULL || bt == NULL || prev == NULL || tile == NULL) {
        rc = host_seterr(err, errlen, HOST_E_NOMEM, "host_gemm: out of memory");
        goto out;
    }
    const int fast = opt->stream == HOST_GEMM_STREAM_FAST;
    /* the B chunk resident in the device: (n0, k0, kc) of the last job that loaded B */
    gemm_resb_t resb = {0, 0, 0, 0};
    const uint32_t n_mt = (M + R - 1) / R, n_nt = (N + Cc - 1) / Cc;
    for (uint64_t t = 0; t < (uint64_t)n_mt * n_nt; t++) {
        /* stream 0: row tiles outer; fast: column blocks outer, so B stays resident */
        const uint32_t m0 = (uint32_t)(fast ? t % n_mt : t / n_nt) * R;
        const uint32_t n0 = (uint32_t)(fast ? t / n_mt : t % n_nt) * Cc;
        {
            const uint32_t mv = M - m0 < R ? M - m0 : R, nv = N - n0 < Cc ? N - n0 : Cc;
            /* K chunks of at most KMAX in which every row of the tile fits the list capacity */
            for (uint32_t k0 = 0, kc = 0; k0 < K; k0 += kc) {
                kc = sg_a_cap_chunk(&v->p, v->a_cap, mv, K, A + (size_t)m0 * K, k0);
                for (uint32_t r = 0; r < R; r++)
                    for (uint32_t kk = 0; kk < kc; kk++)
                        at[(size_t)r * kc + kk] = r < mv ? A[(size_t)(m0 + r) * K + k0 + kk] : 0;
                for (uint32_t kk = 0; kk < kc; kk++)
                    for (uint32_t c = 0; c < Cc; c++)
                        bt[(size_t)kk * Cc + c] = c < nv ? B[(size_t)(k0 + kk) * N + n0 + c] : 0;
                sg_job_t job = {kc, opt->mode, opt->thresh, k0 > 0, at, bt};
                const uint64_t ents = host_job_a_ents(v, &job);
                const uint32_t flags =
                    fast ? gemm_flags(v, opt->mode, kc, ents,
                                      resb_keeps(&resb, n0, k0, kc))
                         : 0u;
                host_counters_t cnt;
                char sub[384];
                const sg_out_stage_t *jos = k0 + kc == K ? opt->os : NULL;
                rc = host_run_job_os(dev, v, &job, flags, jos, tile, &cnt, sub, sizeof sub);
                if (rc != 0) {
                    host_seterr(err, errlen, rc, "gemm job %llu (m0=%u n0=%u k0=%u k=%u): %s",
                                (unsigned long long)st.jobs, m0, n0, k0, kc, sub);
                    goto out;
                }
                resb_note(&resb, flags, n0, k0, kc);
                if (opt->on_job != NULL) {
                    host_job_info_t info = {(uint32_t)st.jobs, m0, n0, k0, mv, nv, &job,
                                            flags | os_flags(jos), k0 > 0 ? prev : NULL, tile,
                                            &cnt, jos};
                    if (opt->on_job(opt->user, &info) != 0) {
                        rc = host_seterr(err, errlen, HOST_E_CALLBACK,
                                         "gemm stopped by the job callback at job %llu "
                                         "(m0=%u n0=%u k0=%u)",
                                         (unsigned long long)st.jobs, m0, n0, k0);
                        goto out;
                    }
                }
                memcpy(prev, tile, (size_t)R * Cc * sizeof *tile);
                host_cycles_job_t cj = {kc, flags | os_flags(jos), cnt.arch.mode_used,
                                        cnt.arch.max_row_nnz, ents, cnt.arch.issue_cycles};
                st.bound_cycles += host_cycles_job_bound(v, &cj);
                st.in_beats += host_in_beats_fmt(v, kc, flags, ents);
                st.out_beats += host_out_beats_os(v, jos != NULL);
                st.jobs_keep_b += (flags & HOST_FLAGS_KEEP_B) != 0;
                st.jobs_a_compressed += (flags & HOST_FLAGS_A_COMPRESSED) != 0;
                st.jobs++;
                st.jobs_sparse += cnt.arch.mode_used == SG_MODE_SPARSE;
                st.macs_issued += cnt.arch.macs_issued;
                st.macs_gated += cnt.arch.macs_gated;
                st.macs_skipped += cnt.arch.macs_skipped;
                st.nnz_a += cnt.arch.nnz_a;
                st.nnz_b += cnt.arch.nnz_b;
                st.cyc_total += cnt.cyc_total;
                st.cyc_load += cnt.cyc_load;
                st.cyc_compute += cnt.cyc_compute;
                st.cyc_drain += cnt.cyc_drain;
                if (cnt.arch.max_row_nnz > st.max_row_nnz)
                    st.max_row_nnz = cnt.arch.max_row_nnz;
            }
            for (uint32_t r = 0; r < mv; r++)
                for (uint32_t c = 0; c < nv; c++)
                    C[(size_t)(m0 + r) * N + n0 + c] = tile[(size_t)r * Cc + c];
        }
    }
    rc = HOST_OK;
out:
    if (stats != NULL)
        *stats = st;
    free(at);
    free(bt);
    free(prev);
    free(tile);
    return rc;
}
