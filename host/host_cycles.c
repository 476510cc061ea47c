/* host_cycles.c - the cycle model; see host_cycles.h. */
#include "host_cycles.h"

static uint64_t tokens(const host_cycles_job_t *j)
{
    return j->mode_used == GOLD_MODE_SPARSE ? j->max_row_nnz : j->k;
}

void host_cycles_job(const host_variant_t *v, const host_cycles_job_t *j, host_cycles_t *c)
{
    c->load = host_in_beats_fmt(v, j->k, j->flags, j->nnz_a) + HOST_CYCLES_LOAD_LATENCY;
    c->compute = tokens(j) + v->p.cols + 4u;
    c->drain = host_out_beats(v);
    c->total = c->load + c->compute + c->drain;
}

uint64_t host_cycles_job_bound(const host_variant_t *v, const host_cycles_job_t *j)
{
    return host_in_beats_fmt(v, j->k, j->flags, j->nnz_a) + tokens(j) + v->p.cols +
           host_out_beats(v);
}
