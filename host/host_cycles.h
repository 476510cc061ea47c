/* host_cycles.h - THE cycle model of the generated machine (docs/architecture.md, "Timing").
 *
 * One place gives a job's LOAD / COMPUTE / DRAIN / TOTAL cycles from its counters and the
 * variant, and the end-to-end bound of a whole GEMM.  The test bench asserts the job model
 * exactly against the CYC_* registers on every job run without back-pressure, the golden
 * device reports it as its cycle counters, and the benchmarks compare measured totals with
 * the bound.
 */
#ifndef SPARSEGEN_HOST_CYCLES_H
#define SPARSEGEN_HOST_CYCLES_H

#include <stdint.h>

#include "host_stream.h"

typedef struct host_cycles {
    uint64_t load, compute, drain, total;
} host_cycles_t;

/* What the model needs of one job: its shape, its stream flags and golden's counters. */
typedef struct host_cycles_job {
    uint32_t k;
    uint32_t flags;       /* HOST_FLAGS_KEEP_B | HOST_FLAGS_A_COMPRESSED | HOST_FLAGS_TRAILER */
    uint32_t mode_used;   /* GOLD_MODE_DENSE or GOLD_MODE_SPARSE */
    uint32_t max_row_nnz; /* MAX_ROW_NNZ */
    uint64_t nnz_a;       /* NNZ_A (sets the compressed A section's length) */
} host_cycles_job_t;

/* Source latency the model adds to LOAD: cycles from the job's START reaching the controller
 * (one cycle after the CSR takes the CTRL write) to its first operand beat with the test
 * bench's bus models (tb/bus.c), which present it 3 cycles after the write. */
#define HOST_CYCLES_LOAD_LATENCY 2u

/* Cycles of one job, alone in the pipeline, when the source never pauses and the sink is
 * always ready:
 *   LOAD    = operand beats (host_in_beats_fmt) + HOST_CYCLES_LOAD_LATENCY + 1 (the cycle after
 *             the last beat, in which the job's last B non-zero count arrives and it moves to
 *             COMPUTE)
 *   COMPUTE = n + C + 4, n = K (DENSE) or MAX_ROW_NNZ (SPARSE): 2 DECIDE cycles, the cycle
 *             the registered run pulse reaches the rows, n issue cycles, the cycle in which
 *             the controller sees no row busy, then C FLUSH cycles
 *   DRAIN   = result beats, ceil(R*C / results_per_beat), plus the trailer beats with
 *             FLAGS.TRAILER (host_trailer_beats)
 *   TOTAL   = LOAD + COMPUTE + DRAIN (a job is in exactly one stage each cycle; with jobs
 *             overlapped, a job's LOAD and COMPUTE also count the cycles it waits for the next
 *             stage to free). */
void host_cycles_job(const host_variant_t *v, const host_cycles_job_t *j, host_cycles_t *c);

/* Lower bound on the same job alone: operand beats + compute bound (n + C: the slowest row's
 * tokens and the trip along the row; the R term of the first design was never paid) + result
 * beats. */
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
