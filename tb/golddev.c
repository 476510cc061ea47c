/* golddev.c - register/stream device model over gold_run.  See golddev.h. */
#include "golddev.h"

#include <stdlib.h>
#include <string.h>

#include "host_cycles.h"

/* STATUS fields from the jobs: STATE is the oldest job's (LOAD while one loads, DRAIN while
 * results wait), READY while no job loads (and the result queue has room). */
static void update_status(golddev_t *g)
{
    const uint32_t st = g->loading ? SG_STATE_LOAD : g->npend ? SG_STATE_DRAIN : SG_STATE_IDLE;
    g->rf.f[SG_FLD_STATUS_STATE] = st;
    g->rf.f[SG_FLD_STATUS_BUSY] = st != SG_STATE_IDLE;
    g->rf.f[SG_FLD_STATUS_READY] = !g->loading && g->npend < GOLDDEV_MAX_PENDING;
}

/* The device conditions of the SG_NEED rules, for the K register's value. */
static void update_conds(golddev_t *g)
{
    g->rf.cond[SG_COND_B_RESIDENT] = g->b_valid && g->b_k == g->rf.f[SG_FLD_K_K];
    g->rf.cond[SG_COND_A_FORMAT] = g->v.a_ents > 0;
    g->rf.cond[SG_COND_OUT_STAGE] = sg_has_out_stage(&g->v.p);
}

/* the operand side of the job in LOAD */
static void free_load(golddev_t *g)
{
    free(g->in_words);
    free(g->in_last);
    free(g->a);
    free(g->b);
    g->in_words = NULL;
    g->in_last = NULL;
    g->a = g->b = NULL;
    g->in_beats = g->in_got = g->in_cap = 0;
    g->loading = 0;
}

static void free_out(golddev_t *g)
{
    free(g->out_words);
    free(g->out_last);
    g->out_words = NULL;
    g->out_last = NULL;
    g->out_beats = g->out_sent = g->out_cap = 0;
    g->npend = 0;
}

/* START accepted by the register file: latch the job, set up its buffers. */
static int start(golddev_t *g)
{
    const host_variant_t *v = &g->v;
    const sg_regfile_t *rf = &g->rf;
    free_load(g);
    g->job_k = rf->f[SG_FLD_K_K];
    g->job_mode = rf->f[SG_FLD_MODE_MODE];
    g->job_thresh = rf->f[SG_FLD_THRESH_THRESH];
    g->job_flags = sg_regfile_word(rf, SG_REG_FLAGS);
    g->job_os = (sg_out_stage_t){(int32_t)rf->f[SG_FLD_OUT_BIAS_BIAS], rf->f[SG_FLD_OUT_SHIFT_SHIFT],
                                 rf->f[SG_FLD_OUT_CLAMP_CLAMP], (g->job_flags & HOST_FLAGS_OUT_RELU) != 0};
    if (!(g->job_flags & HOST_FLAGS_KEEP_B))
        g->b_valid = 0; /* B is being replaced */
    /* the most beats this job can have (compressed A: every row count at its field's maximum) */
    g->in_cap = host_in_beats_fmt(v, g->job_k, g->job_flags,
                                  (uint64_t)v->p.rows * ((UINT64_C(1) << v->a_cnt_w) - 1u));
    g->in_words = calloc((size_t)g->in_cap * host_in_words_per_beat(v), sizeof *g->in_words);
    g->in_last = calloc((size_t)g->in_cap, 1);
    g->a = calloc((size_t)v->p.rows * g->job_k, sizeof *g->a);
    g->b = calloc((size_t)g->job_k * v->p.cols, sizeof *g->b);
    if (!g->in_words || !g->in_last || !g->a || !g->b) {
        free_load(g);
        return -1;
    }
    g->loading = 1;
    return 0;
}

/* Append n beats to the result queue. */
static int out_push(golddev_t *g, const uint32_t *words, const uint8_t *last, uint64_t n)
{
    const uint32_t wpb = host_out_words_per_beat(&g->v);
    if (g->out_beats + n > g->out_cap) {
        uint64_t cap = 2 * (g->out_beats + n);
        uint32_t *w = realloc(g->out_words, (size_t)cap * wpb * sizeof *w);
        if (w == NULL)
            return -1;
        g->out_words = w;
        uint8_t *l = realloc(g->out_last, (size_t)cap);
        if (l == NULL)
            return -1;
        g->out_last = l;
        g->out_cap = cap;
    }
    memcpy(g->out_words + (size_t)g->out_beats * wpb, words, (size_t)n * wpb * sizeof *words);
    memcpy(g->out_last + g->out_beats, last, (size_t)n);
    g->out_beats += n;
    return 0;
}

/* All operand beats are in: compute, fill counters and queue the result beats. */
static int compute(golddev_t *g)
{
    const host_variant_t *v = &g->v;
    const uint32_t C = v->p.cols, K = g->job_k;
    for (uint64_t i = 0; i < g->in_beats; i++)
        if ((g->in_last[i] != 0) != (i + 1 == g->in_beats))
            g->rf.f[SG_FLD_ERR_TLAST] = 1;
    uint64_t need = 0, a_ents = 0;
    int afmt = 0;
    if (host_stream_decode_fmt(v, K, g->job_flags, g->in_words, g->in_beats, g->a, g->b, &need,
                               &a_ents, &afmt) != 0)
        return -1;
    /* the rows' list capacity: a row keeps its first A_CAP non-zeros (as the RTL's rows do) */
    if (afmt || sg_a_cap_apply(&v->p, v->a_cap, K, g->a) != 0)
        g->rf.f[SG_FLD_ERR_AFMT] = 1;
    if (g->job_flags & HOST_FLAGS_KEEP_B) {
        memcpy(g->b, g->b_res, (size_t)K * C * sizeof *g->b);
    } else {
        memcpy(g->b_res, g->b, (size_t)K * C * sizeof *g->b);
        g->b_valid = 1;
        g->b_k = K;
    }
    sg_job_t job = {K, g->job_mode, g->job_thresh, SG_FGET(FLAGS, ACCUMULATE, g->job_flags) != 0,
                    g->a, g->b};
    host_counters_t cnt;
    memset(&cnt, 0, sizeof cnt);
    if (gold_run(&v->p, &job, g->acc, &cnt.arch) != 0)
        return -1;
    host_cycles_job_t cj = {K, g->job_flags, cnt.arch.mode_used, cnt.arch.max_row_nnz, a_ents,
                            cnt.arch.issue_cycles};
    host_cycles_t cy;
    host_cycles_job(v, &cj, &cy);
    cnt.cyc_load = (uint32_t)cy.load;
    cnt.cyc_compute = (uint32_t)cy.compute;
    cnt.cyc_drain = (uint32_t)cy.drain;
    cnt.cyc_total = (uint32_t)cy.total;
    /* result beats, then with TRAILER the counters */
    const int os = (g->job_flags & HOST_FLAGS_OUT_STAGE) != 0;
    const uint64_t nres = host_out_beats_os(v, os), ntr = host_trailer_beats(v);
    const uint32_t wpb = host_out_words_per_beat(v);
    uint32_t *w = calloc((size_t)(nres + ntr) * wpb, sizeof *w);
    uint8_t *l = calloc((size_t)(nres + ntr), 1);
    int64_t *y = malloc((size_t)v->p.rows * v->p.cols * sizeof *y);
    int rc = -1;
    if (y != NULL)
        gold_results(&v->p, os ? &g->job_os : NULL, g->acc, y);
    if (w != NULL && l != NULL && y != NULL &&
        host_stream_encode_results_os(v, os, y, w, l, NULL, 0) == 0) {
        uint64_t n = nres;
        if (g->job_flags & HOST_FLAGS_TRAILER) {
            host_stream_encode_trailer(v, &cnt.arch, cnt.cyc_load, cnt.cyc_compute,
                                       w + (size_t)nres * wpb);
            l[nres - 1] = 0;
            l[nres + ntr - 1] = 1;
            n += ntr;
        }
        rc = out_push(g, w, l, n);
        if (rc == 0) {
            g->pend[g->npend].end = g->out_beats;
            g->pend[g->npend].cnt = cnt;
            g->npend++;
        }
    }
    free(w);
    free(l);
    free(y);
    if (rc != 0)
        return -1;
    free_load(g);
    return 0;
}

static int gd_write(void *ctx, uint32_t addr, uint32_t data)
{
    golddev_t *g = ctx;
    uint32_t pulse;
    update_conds(g);
    int rc = sg_regfile_write(&g->rf, addr, data, &pulse);
    if (pulse == SG_FMASK(CTRL, ABORT)) {
        free_load(g);
        free_out(g);
    } else if (pulse == SG_FMASK(CTRL, START) && start(g) != 0) {
        return -1;
    }
    update_status(g);
    return rc;
}

static int gd_read(void *ctx, uint32_t addr, uint32_t *data)
{
    golddev_t *g = ctx;
    return sg_regfile_read(&g->rf, addr, data);
}

static int gd_send(void *ctx, const uint32_t *words, uint32_t wpb, uint32_t nbeats,
                   const uint8_t *last)
{
    golddev_t *g = ctx;
    if (wpb != host_in_words_per_beat(&g->v))
        return -2;
    if (!g->loading || nbeats > g->in_cap - g->in_got)
        return -1; /* TREADY low: a real sender would time out */
    memcpy(g->in_words + (size_t)g->in_got * wpb, words, (size_t)nbeats * wpb * sizeof *words);
    memcpy(g->in_last + g->in_got, last, nbeats);
    g->in_got += nbeats;
    /* how many beats this job has (known once the compressed header is in) */
    uint64_t need = 0;
    int afmt = 0;
    int drc = host_stream_decode_fmt(&g->v, g->job_k, g->job_flags, g->in_words, g->in_got, g->a,
                                     g->b, &need, NULL, &afmt);
    if (drc < 0)
        return -3;
    if (g->in_got > need)
        return -1; /* more beats than the job has: TREADY low after its last beat */
    if (drc == 0) {
        g->in_beats = need;
        if (compute(g) != 0)
            return -3;
        update_status(g);
    }
    return 0;
}

static int gd_recv(void *ctx, uint32_t *words, uint32_t wpb, uint32_t nbeats, uint8_t *last)
{
    golddev_t *g = ctx;
    if (wpb != host_out_words_per_beat(&g->v))
        return -2;
    if (nbeats > g->out_beats - g->out_sent)
        return -1; /* TVALID low: a real receiver would time out */
    memcpy(words, g->out_words + (size_t)g->out_sent * wpb, (size_t)nbeats * wpb * sizeof *words);
    memcpy(last, g->out_last + g->out_sent, nbeats);
    g->out_sent += nbeats;
    /* jobs whose last beat is in: done, their counters become the readable ones */
    while (g->npend > 0 && g->pend[0].end <= g->out_sent) {
        const host_counters_t *c = &g->pend[0].cnt;
        sg_regfile_counters(&g->rf, &c->arch, c->cyc_total, c->cyc_load, c->cyc_compute,
                            c->cyc_drain);
        g->rf.f[SG_FLD_STATUS_DONE] = 1;
        memmove(g->pend, g->pend + 1, (g->npend - 1) * sizeof g->pend[0]);
        g->npend--;
    }
    if (g->npend == 0 && g->out_sent == g->out_beats)
        g->out_beats = g->out_sent = 0; /* queue empty: reuse the buffer from its start */
    update_status(g);
    return 0;
}

int golddev_init(golddev_t *g, const host_variant_t *v, uint32_t version, host_dev_t *dev,
                 char *err, size_t errlen)
{
    if (g == NULL || v == NULL || dev == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "golddev_init: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    memset(g, 0, sizeof *g);
    g->v = *v;
    g->b_res = calloc((size_t)v->p.kmax * v->p.cols, sizeof *g->b_res);
    if (g->b_res == NULL)
        return host_seterr(err, errlen, HOST_E_NOMEM, "golddev_init: out of memory");
    const sg_ident_t id = {version,        v->window,        v->in_stream_w,
                           v->in_lane_w,   v->elems_per_beat, v->out_stream_w,
                           v->a_cap};
    sg_regfile_init(&g->rf, &v->p, &id);
    update_status(g);
    update_conds(g);
    memset(dev, 0, sizeof *dev);
    dev->ctx = g;
    dev->reg_write = gd_write;
    dev->reg_read = gd_read;
    dev->stream_send = gd_send;
    dev->stream_recv = gd_recv;
    return HOST_OK;
}

void golddev_free(golddev_t *g)
{
    if (g != NULL) {
        free_load(g);
        free_out(g);
        free(g->b_res);
        g->b_res = NULL;
    }
}
