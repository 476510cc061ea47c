/* host_cycles.c - the cycle model; see host_cycles.h. */
#include "host_cycles.h"

static uint64_t tokens(const host_cycles_job_t *j)
{
    return j->mode_used == GOLD_MODE_SPARSE ? j->max_row_nnz : j->k;
}

static uint64_t out_beats(const host_variant_t *v, uint32_t flags)
{
    return host_out_beats(v) + ((flags & HOST_FLAGS_TRAILER) ? host_trailer_beats(v) : 0u);
}

void host_cycles_job(const host_variant_t *v, const host_cycles_job_t *j, host_cycles_t *c)
{
    c->load = host_in_beats_fmt(v, j->k, j->flags, j->nnz_a) + HOST_CYCLES_LOAD_LATENCY + 1u;
    c->compute = tokens(j) + v->p.cols + 4u;
    c->drain = out_beats(v, j->flags);
    c->total = c->load + c->compute + c->drain;
}

uint64_t host_cycles_job_bound(const host_variant_t *v, const host_cycles_job_t *j)
{
    return host_in_beats_fmt(v, j->k, j->flags, j->nnz_a) + tokens(j) + v->p.cols +
           out_beats(v, j->flags);
}

void host_cycles_gemm_add(host_cycles_gemm_t *g, const host_variant_t *v, const host_cycles_job_t *j)
{
    g->in_beats += host_in_beats_fmt(v, j->k, j->flags, j->nnz_a);
    g->compute += tokens(j) + v->p.cols;
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
