/* host_cycles.c - the contract's cycle model over the stream format; see host_cycles.h. */
#include "host_cycles.h"

#include <string.h>

static uint64_t out_beats(const host_variant_t *v, uint32_t flags)
{
    return host_out_beats_os(v, (flags & HOST_FLAGS_OUT_STAGE) != 0) + ((flags & HOST_FLAGS_TRAILER) ? host_trailer_beats(v) : 0u);
}

static sg_counters_t counters(const host_cycles_job_t *j)
{
    sg_counters_t c;
    memset(&c, 0, sizeof c);
    c.mode_used = j->mode_used;
    c.max_row_nnz = j->max_row_nnz;
    c.issue_cycles = j->issue_cycles;
    return c;
}

/* Cycles of the DRAIN stage: the result beats, or with the output stage one result a cycle
 * (sg_os_drain_cycles); then the trailer beats. */
static uint64_t drain_cycles(const host_variant_t *v, uint32_t flags)
{
    if (!(flags & HOST_FLAGS_OUT_STAGE))
        return out_beats(v, flags);
    return sg_os_drain_cycles(&v->p, v->os_group) + ((flags & HOST_FLAGS_TRAILER) ? host_trailer_beats(v) : 0u);
}

void host_cycles_job(const host_variant_t *v, const host_cycles_job_t *j, host_cycles_t *c)
{
    const sg_counters_t cn = counters(j);
    *c = sg_cycle_model(&v->p, host_in_beats_fmt(v, j->k, j->flags, j->a_ents),
                        drain_cycles(v, j->flags), j->k, &cn, HOST_CYCLES_LOAD_LATENCY);
}

uint64_t host_cycles_job_bound(const host_variant_t *v, const host_cycles_job_t *j)
{
    const sg_counters_t cn = counters(j);
    return sg_cycle_bound(&v->p, host_in_beats_fmt(v, j->k, j->flags, j->a_ents),
                          out_beats(v, j->flags), j->k, &cn);
}

void host_cycles_gemm_add(host_cycles_gemm_t *g, const host_variant_t *v, const host_cycles_job_t *j)
{
    const sg_counters_t cn = counters(j);
    g->in_beats += host_in_beats_fmt(v, j->k, j->flags, j->a_ents);
    g->compute += sg_compute_bound(&v->p, j->k, &cn);
    g->out_beats += out_beats(v, j->flags);
}

uint64_t host_cycles_gemm_bound(const host_cycles_gemm_t *g)
{
    uint64_t b = g->in_beats;
    if (g->compute > b)
        b = g->compute;
    if (g->out_beats > b)
        b = g->out_beats;
    return b;
}
