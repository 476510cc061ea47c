/* golddev.c - register/stream device model over gold_run.  See golddev.h. */
#include "golddev.h"

#include <stdlib.h>
#include <string.h>

static void set_state(golddev_t *g, uint32_t st)
{
    g->rf.f[SG_FLD_STATUS_STATE] = st;
    g->rf.f[SG_FLD_STATUS_BUSY] = st != SG_STATE_IDLE;
}

static void free_job(golddev_t *g)
{
    free(g->in_words);
    free(g->in_last);
    free(g->out_words);
    free(g->out_last);
    free(g->a);
    free(g->b);
    g->in_words = g->out_words = NULL;
    g->in_last = g->out_last = NULL;
    g->a = g->b = NULL;
    g->in_beats = g->in_got = g->out_beats = g->out_sent = 0;
}

/* START accepted by the register file: set up the job's buffers. */
static int start(golddev_t *g)
{
    const host_variant_t *v = &g->v;
    free_job(g);
    g->k = g->rf.f[SG_FLD_K_K];
    memset(&g->arch, 0, sizeof g->arch);
    sg_regfile_counters(&g->rf, &g->arch, 0, 0, 0, 0);
    g->in_beats = host_in_beats(v, g->k);
    g->out_beats = (uint64_t)v->p.rows * v->p.cols;
    g->in_words = calloc((size_t)g->in_beats * host_in_words_per_beat(v), sizeof *g->in_words);
    g->in_last = calloc((size_t)g->in_beats, 1);
    g->out_words = calloc((size_t)g->out_beats * host_out_words_per_beat(v), sizeof *g->out_words);
    g->out_last = calloc((size_t)g->out_beats, 1);
    g->a = calloc((size_t)v->p.rows * g->k, sizeof *g->a);
    g->b = calloc((size_t)g->k * v->p.cols, sizeof *g->b);
    if (!g->in_words || !g->in_last || !g->out_words || !g->out_last || !g->a || !g->b) {
        free_job(g);
        return -1;
    }
    set_state(g, SG_STATE_LOAD);
    return 0;
}

/* All operand beats are in: compute, fill counters and the result beats. */
static int compute(golddev_t *g)
{
    const host_variant_t *v = &g->v;
    const sg_regfile_t *rf = &g->rf;
    for (uint64_t i = 0; i < g->in_beats; i++)
        if ((g->in_last[i] != 0) != (i + 1 == g->in_beats))
            g->rf.f[SG_FLD_ERR_TLAST] = 1;
    if (host_stream_decode_operands(v, g->k, g->in_words, NULL, g->a, g->b, NULL, 0) != 0)
        return -1;
    sg_job_t job = {g->k, rf->f[SG_FLD_MODE_MODE], rf->f[SG_FLD_THRESH_THRESH],
                    rf->f[SG_FLD_FLAGS_ACCUMULATE] != 0, g->a, g->b};
    if (gold_run(&v->p, &job, g->acc, &g->arch) != 0)
        return -1;
    sg_cycles_t y = sg_cycle_model(&v->p, v->beats_per_slice, g->k, &g->arch, 0);
    sg_regfile_counters(&g->rf, &g->arch, y.total, y.load, y.compute, y.drain);
    if (host_stream_encode_results(v, g->acc, g->out_words, g->out_last, NULL, 0) != 0)
        return -1;
    set_state(g, SG_STATE_DRAIN);
    return 0;
}

static int gd_write(void *ctx, uint32_t addr, uint32_t data)
{
    golddev_t *g = ctx;
    uint32_t pulse;
    int rc = sg_regfile_write(&g->rf, addr, data, &pulse);
    if (pulse == SG_FMASK(CTRL, ABORT)) {
        free_job(g);
        set_state(g, SG_STATE_IDLE);
    } else if (pulse == SG_FMASK(CTRL, START) && start(g) != 0) {
        return -1;
    }
    return rc;
}

static int gd_read(void *ctx, uint32_t addr, uint32_t *data)
{
    golddev_t *g = ctx;
    return sg_regfile_read(&g->rf, addr, data);
}

/* Whether a stream transfer of nbeats beats of wpb words can happen now: -2 wrong beat size,
 * -1 not in the state that moves this stream or more beats than the job has left (the
 * handshake would never complete: a real master/slave would time out), else 0. */
static int stream_ready(const golddev_t *g, uint32_t wpb, uint32_t want_wpb, uint32_t state,
                        uint64_t nbeats, uint64_t left)
{
    if (wpb != want_wpb)
        return -2;
    return g->rf.f[SG_FLD_STATUS_STATE] != state || nbeats > left ? -1 : 0;
}

static int gd_send(void *ctx, const uint32_t *words, uint32_t wpb, uint32_t nbeats,
                   const uint8_t *last)
{
    golddev_t *g = ctx;
    int rc = stream_ready(g, wpb, host_in_words_per_beat(&g->v), SG_STATE_LOAD, nbeats,
                          g->in_beats - g->in_got);
    if (rc != 0)
        return rc;
    memcpy(g->in_words + (size_t)g->in_got * wpb, words, (size_t)nbeats * wpb * sizeof *words);
    memcpy(g->in_last + g->in_got, last, nbeats);
    g->in_got += nbeats;
    if (g->in_got == g->in_beats)
        return compute(g) == 0 ? 0 : -3;
    return 0;
}

static int gd_recv(void *ctx, uint32_t *words, uint32_t wpb, uint32_t nbeats, uint8_t *last)
{
    golddev_t *g = ctx;
    int rc = stream_ready(g, wpb, host_out_words_per_beat(&g->v), SG_STATE_DRAIN, nbeats,
                          g->out_beats - g->out_sent);
    if (rc != 0)
        return rc;
    memcpy(words, g->out_words + (size_t)g->out_sent * wpb, (size_t)nbeats * wpb * sizeof *words);
    memcpy(last, g->out_last + g->out_sent, nbeats);
    g->out_sent += nbeats;
    if (g->out_sent == g->out_beats) {
        free_job(g);
        set_state(g, SG_STATE_IDLE);
        g->rf.f[SG_FLD_STATUS_DONE] = 1;
    }
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
    const sg_ident_t id = {version,        v->window,        v->in_stream_w,
                           v->in_lane_w,   v->elems_per_beat, v->out_stream_w};
    sg_regfile_init(&g->rf, &v->p, &id);
    *dev = (host_dev_t){g, gd_write, gd_read, gd_send, gd_recv, 0};
    return HOST_OK;
}

void golddev_free(golddev_t *g)
{
    if (g != NULL)
        free_job(g);
}
