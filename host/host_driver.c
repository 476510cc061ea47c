/* host_driver.c - job sequence, probe and tiled GEMM over a host_dev_t.  See host_driver.h. */
#include "host_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    uint32_t id, p0, p1, p2, p3;
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
        (rc = rd(dev, SG_ADDR_PARAM3, &p3, err, errlen)) != 0)
        return rc;
    sg_regfile_t rf;
    memset(&rf, 0, sizeof rf);
    sg_regfile_unpack(&rf, SG_REG_PARAM0, p0);
    sg_regfile_unpack(&rf, SG_REG_PARAM1, p1);
    sg_regfile_unpack(&rf, SG_REG_PARAM2, p2);
    sg_regfile_unpack(&rf, SG_REG_PARAM3, p3);
    host_variant_t t;
    memset(&t, 0, sizeof t);
    t.p.rows = rf.f[SG_FLD_PARAM0_ROWS];
    t.p.cols = rf.f[SG_FLD_PARAM0_COLS];
    t.p.data_w = rf.f[SG_FLD_PARAM0_DATA_W];
    t.p.acc_w = rf.f[SG_FLD_PARAM0_ACC_W];
    t.p.kmax = rf.f[SG_FLD_PARAM1_KMAX];
    t.window = rf.f[SG_FLD_PARAM2_WINDOW];
    t.p.sparse_capable = rf.f[SG_FLD_PARAM2_SPARSE_CAPABLE] != 0;
    t.in_stream_w = rf.f[SG_FLD_PARAM2_IN_STREAM_W];
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
    if (!dev_ok(dev) || v == NULL || job == NULL || job->a == NULL || job->b == NULL ||
        c_out == NULL)
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
        (rc = wr(dev, SG_ADDR_MODE, job->mode, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_K, job->k, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_THRESH, job->thresh, err, errlen)) != 0 ||
        (rc = wr(dev, SG_ADDR_FLAGS, job->accumulate ? SG_FMASK(FLAGS, ACCUMULATE) : 0u, err,
                 errlen)) != 0 ||
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
                           "START rejected (K=%u, KMAX=%u): ERR=0x%x (%s); nothing streamed",
                           job->k, v->p.kmax, e, sg_err_str(e, bits, sizeof bits));
    }

    /* operands */
    const uint64_t in_beats = host_in_beats(v, job->k);
    const uint32_t iwpb = host_in_words_per_beat(v), owpb = host_out_words_per_beat(v);
    const uint64_t out_beats = (uint64_t)v->p.rows * v->p.cols;
    if (in_beats > UINT32_MAX)
        return host_seterr(err, errlen, HOST_E_ARG, "job too large: %llu operand beats",
                           (unsigned long long)in_beats);
    uint32_t *iw = malloc((size_t)in_beats * iwpb * sizeof *iw);
    uint8_t *il = malloc((size_t)in_beats);
    uint32_t *ow = malloc((size_t)out_beats * owpb * sizeof *ow);
    uint8_t *ol = calloc((size_t)out_beats, 1);
    int64_t *res = malloc((size_t)out_beats * sizeof *res);
    if (iw == NULL || il == NULL || ow == NULL || ol == NULL || res == NULL) {
        rc = host_seterr(err, errlen, HOST_E_NOMEM, "out of memory for %llu operand beats",
                         (unsigned long long)in_beats);
        goto out;
    }
    rc = host_stream_encode(v, job, iw, il, in_beats, err, errlen);
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
    rc = host_stream_decode_results(v, ow, ol, out_beats, res, err, errlen);
    if (rc != 0)
        goto out;
    memcpy(c_out, res, (size_t)out_beats * sizeof *res);
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
    host_gemm_opts_t dflt = {SG_MODE_DENSE, SG_THRESH_MAX, NULL, NULL};
    if (opt == NULL)
        opt = &dflt;
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
    const uint32_t kchunk_max = K < KM ? K : KM;
    int32_t *at = malloc((size_t)R * kchunk_max * sizeof *at);
    int32_t *bt = malloc((size_t)kchunk_max * Cc * sizeof *bt);
    int64_t *prev = malloc((size_t)R * Cc * sizeof *prev);
    int64_t *tile = malloc((size_t)R * Cc * sizeof *tile);
    if (at == NULL || bt == NULL || prev == NULL || tile == NULL) {
        rc = host_seterr(err, errlen, HOST_E_NOMEM, "host_gemm: out of memory");
        goto out;
    }
    for (uint32_t m0 = 0; m0 < M; m0 += R) {
        for (uint32_t n0 = 0; n0 < N; n0 += Cc) {
            const uint32_t mv = M - m0 < R ? M - m0 : R, nv = N - n0 < Cc ? N - n0 : Cc;
            for (uint32_t k0 = 0; k0 < K; k0 += KM) {
                const uint32_t kc = K - k0 < KM ? K - k0 : KM;
                for (uint32_t r = 0; r < R; r++)
                    for (uint32_t kk = 0; kk < kc; kk++)
                        at[(size_t)r * kc + kk] = r < mv ? A[(size_t)(m0 + r) * K + k0 + kk] : 0;
                for (uint32_t kk = 0; kk < kc; kk++)
                    for (uint32_t c = 0; c < Cc; c++)
                        bt[(size_t)kk * Cc + c] = c < nv ? B[(size_t)(k0 + kk) * N + n0 + c] : 0;
                sg_job_t job = {kc, opt->mode, opt->thresh, k0 > 0, at, bt};
                host_counters_t cnt;
                char sub[384];
                rc = host_run_job(dev, v, &job, tile, &cnt, sub, sizeof sub);
                if (rc != 0) {
                    host_seterr(err, errlen, rc, "gemm job %llu (m0=%u n0=%u k0=%u k=%u): %s",
                                (unsigned long long)st.jobs, m0, n0, k0, kc, sub);
                    goto out;
                }
                if (opt->on_job != NULL) {
                    host_job_info_t info = {(uint32_t)st.jobs, m0, n0, k0, mv, nv, &job,
                                            k0 > 0 ? prev : NULL, tile, &cnt};
                    if (opt->on_job(opt->user, &info) != 0) {
                        rc = host_seterr(err, errlen, HOST_E_CALLBACK,
                                         "gemm stopped by the job callback at job %llu "
                                         "(m0=%u n0=%u k0=%u)",
                                         (unsigned long long)st.jobs, m0, n0, k0);
                        goto out;
                    }
                }
                memcpy(prev, tile, (size_t)R * Cc * sizeof *tile);
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
