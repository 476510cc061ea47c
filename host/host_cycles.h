/* host_cycles.h - the cycle model (contract/sg_contract.h, sg_cycle_model: THE timing rule of
 * the generated machine; docs/architecture.md, "Timing") applied to jobs as host/ sends them:
 * their operand and result beats come from the stream format (host_stream.h).
 *
 * The test bench asserts the job model exactly against the CYC_* registers on every job run
 * without back-pressure, the golden device reports it as its cycle counters, and the
 * benchmarks compare measured totals with the bound.
 */
#ifndef SPARSEGEN_HOST_CYCLES_H
#define SPARSEGEN_HOST_CYCLES_H

#include <stdint.h>

#include "host_stream.h"

typedef sg_cycles_t host_cycles_t;

/* What the model needs of one job: its shape, its stream flags and golden's counters. */
typedef struct host_cycles_job {
    uint32_t k;
    uint32_t flags;       /* HOST_FLAGS_KEEP_B | HOST_FLAGS_A_COMPRESSED | HOST_FLAGS_TRAILER |
                             HOST_FLAGS_OUT_STAGE */
    uint32_t mode_used;   /* SG_MODE_DENSE or SG_MODE_SPARSE */
    uint32_t max_row_nnz; /* MAX_ROW_NNZ */
    uint64_t a_ents;      /* compressed A entries, fillers included (host_job_a_ents; sets the
                             compressed A section's length) */
    uint32_t issue_cycles; /* sg_issue_cycles of the job (golden computes it) */
} host_cycles_job_t;

/* Source latency the model adds to LOAD: cycles from the job's START reaching the controller
 * (two cycles after the CSRs take the CTRL write: it is decoded from registers) to its first
 * operand beat with the test bench's bus models (tb/bus.c) and host_run_job, which reads ERR
 * after the write response (a read answers two cycles after it is taken) before it streams. */
#define HOST_CYCLES_LOAD_LATENCY 3u

/* Cycles of one job, alone in the pipeline, when the source never pauses and the sink is
 * always ready: sg_cycle_model with in_beats = host_in_beats_fmt (the job's stream flags),
 * out_beats = ceil(R*C / results_per_beat) plus the trailer beats with FLAGS.TRAILER
 * (host_trailer_beats), source_gap = HOST_CYCLES_LOAD_LATENCY; with FLAGS.OUT_STAGE the
 * results' DRAIN is sg_os_drain_cycles (one result a cycle) instead of their beats. */
void host_cycles_job(const host_variant_t *v, const host_cycles_job_t *j, host_cycles_t *c);

/* Lower bound on the same job alone: sg_cycle_bound (operand beats + compute bound n + C +
 * result beats). */
uint64_t host_cycles_job_bound(const host_variant_t *v, const host_cycles_job_t *j);

/* End-to-end bound of a sequence of jobs run overlapped (LOAD of job n+1, COMPUTE of job n and
 * DRAIN of job n-1 at once): what must cross the operand stream, the compute bounds and what
 * must cross the result stream are each a lower bound on the whole; the bound is the largest
 * of the three sums.  Accumulate jobs with host_cycles_gemm_add, read host_cycles_gemm_bound. */
typedef struct host_cycles_gemm {
    uint64_t in_beats, compute, out_beats;
} host_cycles_gemm_t;
void host_cycles_gemm_add(host_cycles_gemm_t *g, const host_variant_t *v, const host_cycles_job_t *j);
uint64_t host_cycles_gemm_bound(const host_cycles_gemm_t *g);

#endif
