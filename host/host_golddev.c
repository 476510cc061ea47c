/* host_golddev.c - register/stream device model over gold_run.  See host_golddev.h. */
#include "host_golddev.h"

#include <stdlib.h>
#include <string.h>

#include "host_cycles.h"

enum { ST_IDLE = 0, ST_LOAD = 1, ST_DRAIN = 5 };

static uint32_t status_of(const host_golddev_t *g)
{
    uint32_t st = g->state == ST_LOAD ? ST_LOAD : g->npend ? ST_DRAIN : ST_IDLE;
    return (st != ST_IDLE ? HOST_STATUS_BUSY : 0u) | (g->done ? HOST_STATUS_DONE : 0u) |
           (g->err != 0 ? HOST_STATUS_ERROR : 0u) |
           (g->state != ST_LOAD ? HOST_STATUS_READY : 0u) | (g->mode_used & 3u) << 4 | st << 8;
}

/* the operand side of the job in LOAD */
static void free_load(host_golddev_t *g)
{
    free(g->in_words);
    free(g->in_last);
    free(g->a);
    free(g->b);
    g->in_words = NULL;
    g->in_last = NULL;
    g->a = g->b = NULL;
    g->in_beats = g->in_got = 0;
    if (g->state == ST_LOAD)
        g->state = ST_IDLE;
}

static void free_out(host_golddev_t *g)
{
    free(g->out_words);
    free(g->out_last);
    g->out_words = NULL;
    g->out_last = NULL;
    g->out_beats = g->out_sent = g->out_cap = 0;
    g->npend = 0;
}

static void free_job(host_golddev_t *g)
{
    free_load(g);
    free_out(g);
}

static int start(host_golddev_t *g)
{
    const host_variant_t *v = &g->v;
    if (g->state == ST_LOAD || g->npend == sizeof g->pend / sizeof g->pend[0]) {
        g->err |= GOLD_ERR_BUSY;
        return 0;
    }
    if (g->k == 0 || g->k > v->p.kmax) {
        g->err |= GOLD_ERR_K;
        return 0;
    }
    if ((g->flags & HOST_FLAGS_KEEP_B) && !(g->b_valid && g->b_k == g->k)) {
        g->err |= GOLD_ERR_RESIDENT;
        return 0;
    }
    if ((g->flags & HOST_FLAGS_A_COMPRESSED) && v->a_ents == 0) {
        g->err |= GOLD_ERR_AFMT;
        return 0;
    }
    free_load(g);
    g->done = 0;
    g->job_flags = g->flags;
    g->job_k = g->k;
    g->job_mode = g->mode;
    g->job_thresh = g->thresh;
    if (!(g->flags & HOST_FLAGS_KEEP_B))
        g->b_valid = 0; /* B is being replaced */
    /* the most beats this job can have (compressed A: every element a non-zero) */
    g->in_cap = host_in_beats_fmt(v, g->k, g->flags, (uint64_t)v->p.rows * g->k);
    g->in_beats = 0;
    g->in_words = calloc((size_t)g->in_cap * host_in_words_per_beat(v), sizeof *g->in_words);
    g->in_last = calloc((size_t)g->in_cap, 1);
    g->a = calloc((size_t)v->p.rows * g->k, sizeof *g->a);
    g->b = calloc((size_t)g->k * v->p.cols, sizeof *g->b);
    if (!g->in_words || !g->in_last || !g->a || !g->b) {
        free_load(g);
        return -1;
    }
    g->state = ST_LOAD;
    return 0;
}

/* Append n beats to the result queue. */
static int out_push(host_golddev_t *g, const uint32_t *words, const uint8_t *last, uint64_t n)
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
static int compute(host_golddev_t *g)
{
    const host_variant_t *v = &g->v;
    const uint32_t C = v->p.cols, K = g->job_k;
    for (uint64_t i = 0; i < g->in_beats; i++)
        if ((g->in_last[i] != 0) != (i + 1 == g->in_beats))
            g->err |= GOLD_ERR_TLAST;
    uint64_t need = 0;
    int afmt = 0;
    if (host_stream_decode_fmt(v, K, g->job_flags, g->in_words, g->in_beats, g->a, g->b, &need,
                               &afmt) != 0)
        return -1;
    if (afmt)
        g->err |= GOLD_ERR_AFMT;
    if (g->job_flags & HOST_FLAGS_KEEP_B) {
        memcpy(g->b, g->b_res, (size_t)K * C * sizeof *g->b);
    } else {
        memcpy(g->b_res, g->b, (size_t)K * C * sizeof *g->b);
        g->b_valid = 1;
        g->b_k = K;
    }
    gold_job_t job = {K, g->job_mode, g->job_thresh,
                      (g->job_flags & HOST_FLAGS_ACCUMULATE) != 0, g->a, g->b};
    host_counters_t cnt;
    memset(&cnt, 0, sizeof cnt);
    if (gold_run(&v->p, &job, g->acc, &cnt.arch) != 0)
        return -1;
    host_cycles_job_t cj = {K, g->job_flags, cnt.arch.mode_used, cnt.arch.max_row_nnz,
                            cnt.arch.nnz_a};
    host_cycles_t cy;
    host_cycles_job(v, &cj, &cy);
    cnt.cyc_load = (uint32_t)cy.load;
    cnt.cyc_compute = (uint32_t)cy.compute;
    cnt.cyc_drain = (uint32_t)cy.drain;
    cnt.cyc_total = (uint32_t)cy.total;
    /* result beats, then with TRAILER the counters */
    const uint64_t nres = host_out_beats(v), ntr = host_trailer_beats(v);
    const uint32_t wpb = host_out_words_per_beat(v);
    uint32_t *w = calloc((size_t)(nres + ntr) * wpb, sizeof *w);
    uint8_t *l = calloc((size_t)(nres + ntr), 1);
    int rc = -1;
    if (w != NULL && l != NULL &&
        host_stream_encode_results(v, g->acc, w, l, NULL, 0) == 0) {
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
    if (rc != 0)
        return -1;
    free_load(g);
    return 0;
}

static int gd_write(void *ctx, uint32_t addr, uint32_t data)
{
    host_golddev_t *g = ctx;
    const gold_params_t *p = &g->v.p;
    switch (addr) {
    case HOST_REG_CTRL:
        if (data & HOST_CTRL_ABORT) {
            free_job(g);
            g->state = ST_IDLE;
            g->done = 0;
            return 0;
        }
        if (data & HOST_CTRL_START)
            return start(g) == 0 ? 0 : -1;
        return 0;
    case HOST_REG_MODE: {
        uint32_t m = data & 3u;
        if (m > GOLD_MODE_AUTO || (!p->sparse_capable && m != GOLD_MODE_DENSE))
            g->err |= GOLD_ERR_MODE;
        else
            g->mode = m;
        return 0;
    }
    case HOST_REG_K:
        g->k = data;
        return 0;
    case HOST_REG_THRESH:
        if (data > GOLD_THRESH_MAX)
            g->err |= GOLD_ERR_THRESH;
        else
            g->thresh = data;
        return 0;
    case HOST_REG_FLAGS:
        g->flags = data & (HOST_FLAGS_ACCUMULATE | HOST_FLAGS_STREAM | HOST_FLAGS_TRAILER);
        return 0;
    case HOST_REG_ERR:
        g->err &= ~data;
        return 0;
    default:
        g->err |= GOLD_ERR_ADDR;
        return 1;
    }
}

static int gd_read(void *ctx, uint32_t addr, uint32_t *data)
{
    host_golddev_t *g = ctx;
    const host_variant_t *v = &g->v;
    const gold_counters_t *a = &g->cnt.arch;
    switch (addr) {
    case HOST_REG_ID: *data = HOST_ID_MAGIC; return 0;
    case HOST_REG_VERSION: *data = g->version; return 0;
    case HOST_REG_PARAM0:
        *data = v->p.rows | v->p.cols << 8 | v->p.data_w << 16 | v->p.acc_w << 24;
        return 0;
    case HOST_REG_PARAM1: *data = v->p.kmax; return 0;
    case HOST_REG_PARAM2:
        *data = v->window | (v->p.sparse_capable ? 1u : 0u) << 8 | v->in_stream_w << 16;
        return 0;
    case HOST_REG_PARAM3:
        *data = v->out_stream_w | v->in_lane_w << 16 | v->elems_per_beat << 24;
        return 0;
    case HOST_REG_CTRL: *data = 0; return 0;
    case HOST_REG_MODE: *data = g->mode; return 0;
    case HOST_REG_K: *data = g->k; return 0;
    case HOST_REG_THRESH: *data = g->thresh; return 0;
    case HOST_REG_FLAGS: *data = g->flags; return 0;
    case HOST_REG_STATUS: *data = status_of(g); return 0;
    case HOST_REG_ERR: *data = g->err; return 0;
    case HOST_REG_CYC_TOTAL: *data = g->cnt.cyc_total; return 0;
    case HOST_REG_CYC_LOAD: *data = g->cnt.cyc_load; return 0;
    case HOST_REG_CYC_COMPUTE: *data = g->cnt.cyc_compute; return 0;
    case HOST_REG_CYC_DRAIN: *data = g->cnt.cyc_drain; return 0;
    case HOST_REG_MACS_ISSUED: *data = a->macs_issued; return 0;
    case HOST_REG_MACS_GATED: *data = a->macs_gated; return 0;
    case HOST_REG_MACS_SKIPPED: *data = a->macs_skipped; return 0;
    case HOST_REG_NNZ_A: *data = a->nnz_a; return 0;
    case HOST_REG_NNZ_B: *data = a->nnz_b; return 0;
    case HOST_REG_MAX_ROW_NNZ: *data = a->max_row_nnz; return 0;
    default:
        if (addr >= HOST_REG_ROW_NNZ0 && addr % 4u == 0 &&
            (addr - HOST_REG_ROW_NNZ0) / 4u < v->p.rows) {
            *data = a->row_nnz[(addr - HOST_REG_ROW_NNZ0) / 4u];
            return 0;
        }
        g->err |= GOLD_ERR_ADDR;
        *data = 0;
        return 1;
    }
}

static int gd_send(void *ctx, const uint32_t *words, uint32_t wpb, uint32_t nbeats,
                   const uint8_t *last)
{
    host_golddev_t *g = ctx;
    const uint32_t mywpb = host_in_words_per_beat(&g->v);
    if (wpb != mywpb)
        return -2;
    if (g->state != ST_LOAD || nbeats > g->in_cap - g->in_got)
        return -1; /* TREADY low: a real sender would time out */
    memcpy(g->in_words + (size_t)g->in_got * wpb, words, (size_t)nbeats * wpb * sizeof *words);
    memcpy(g->in_last + g->in_got, last, nbeats);
    g->in_got += nbeats;
    /* how many beats this job has (known once the compressed header is in) */
    uint64_t need = 0;
    int afmt = 0;
    int drc = host_stream_decode_fmt(&g->v, g->job_k, g->job_flags, g->in_words, g->in_got, g->a,
                                     g->b, &need, &afmt);
    if (drc < 0)
        return -3;
    if (g->in_got > need)
        return -1; /* more beats than the job has: TREADY low after its last beat */
    if (drc == 0) {
        g->in_beats = need;
        return compute(g) == 0 ? 0 : -3;
    }
    return 0;
}

static int gd_recv(void *ctx, uint32_t *words, uint32_t wpb, uint32_t nbeats, uint8_t *last)
{
    host_golddev_t *g = ctx;
    const uint32_t mywpb = host_out_words_per_beat(&g->v);
    if (wpb != mywpb)
        return -2;
    if (nbeats > g->out_beats - g->out_sent)
        return -1; /* TVALID low: a real receiver would time out */
    memcpy(words, g->out_words + (size_t)g->out_sent * wpb, (size_t)nbeats * wpb * sizeof *words);
    memcpy(last, g->out_last + g->out_sent, nbeats);
    g->out_sent += nbeats;
    /* jobs whose last beat is in: done, their counters become the readable ones */
    while (g->npend > 0 && g->pend[0].end <= g->out_sent) {
        g->cnt = g->pend[0].cnt;
        g->mode_used = g->cnt.arch.mode_used;
        g->done = 1;
        memmove(g->pend, g->pend + 1, (g->npend - 1) * sizeof g->pend[0]);
        g->npend--;
    }
    if (g->npend == 0 && g->out_sent == g->out_beats) {
        g->out_beats = g->out_sent = 0; /* queue empty: reuse the buffer from its start */
    }
    return 0;
}

int host_golddev_init(host_golddev_t *g, const host_variant_t *v, uint32_t version,
                      host_dev_t *dev, char *err, size_t errlen)
{
    if (g == NULL || v == NULL || dev == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_golddev_init: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    memset(g, 0, sizeof *g);
    g->v = *v;
    g->b_res = calloc((size_t)v->p.kmax * v->p.cols, sizeof *g->b_res);
    if (g->b_res == NULL)
        return host_seterr(err, errlen, HOST_E_NOMEM, "host_golddev_init: out of memory");
    g->version = version;
    g->mode = GOLD_MODE_DENSE;
    g->k = 1;
    g->thresh = GOLD_THRESH_MAX;
    memset(dev, 0, sizeof *dev);
    dev->ctx = g;
    dev->reg_write = gd_write;
    dev->reg_read = gd_read;
    dev->stream_send = gd_send;
    dev->stream_recv = gd_recv;
    return HOST_OK;
}

void host_golddev_free(host_golddev_t *g)
{
    if (g != NULL) {
        free_job(g);
        free(g->b_res);
        g->b_res = NULL;
    }
}
