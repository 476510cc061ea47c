/* host_driver.h - runs jobs and tiled GEMMs on a sparsegen device through a small table of
 * operations (host_dev_t), so the same code drives a Verilator model, a real board, or a
 * model of the device (tb/golddev.h).
 *
 * Register addresses (SG_ADDR_*), field macros (SG_FMASK, SG_FGET, SG_ERR) and register
 * names come from the hardware contract, contract/sg_contract.h.  Nothing here prints or
 * exits: every function returns a host_status_t and fills `err` (see host_err.h).
 */
#ifndef SPARSEGEN_HOST_DRIVER_H
#define SPARSEGEN_HOST_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "host_err.h"
#include "host_stream.h"
#include "sg_contract.h"

/* Default bound on STATUS polls waiting for DONE after the last result beat. */
#define HOST_DEFAULT_DONE_POLLS 100000u

typedef struct host_dev {
    void *ctx;
    /* 0 OKAY, 1 SLVERR, < 0 transport error/timeout */
    int (*reg_write)(void *ctx, uint32_t addr, uint32_t data);
    int (*reg_read)(void *ctx, uint32_t addr, uint32_t *data);
    /* sends nbeats beats of words_per_beat words (TLAST flags in last); 0 ok, < 0 timeout/error */
    int (*stream_send)(void *ctx, const uint32_t *words, uint32_t words_per_beat, uint32_t nbeats,
                       const uint8_t *last);
    /* receives nbeats beats; 0 ok, < 0 timeout/error */
    int (*stream_recv)(void *ctx, uint32_t *words, uint32_t words_per_beat, uint32_t nbeats,
                       uint8_t *last);
    uint32_t done_polls; /* STATUS polls for DONE; 0 = HOST_DEFAULT_DONE_POLLS */
    /* Optional (may be NULL): send nsend operand beats while receiving nrecv result beats, both
     * streams moving at once (what a DMA engine does); returns when both are done. 0 ok, < 0
     * timeout/error.  host_gemm's overlapped path uses it to collect job n-2's results while it
     * sends job n's operands; without it, it sends, then receives. */
    int (*stream_xfer)(void *ctx, const uint32_t *swords, uint32_t swpb, uint32_t nsend,
                       const uint8_t *slast, uint32_t *rwords, uint32_t rwpb, uint32_t nrecv,
                       uint8_t *rlast);
} host_dev_t;

typedef struct host_counters {
    sg_counters_t arch; /* mode_used from STATUS.MODE_USED, the rest from the counter registers */
    uint32_t cyc_total, cyc_load, cyc_compute, cyc_drain;
    uint32_t status; /* STATUS after DONE (or when the job failed) */
    uint32_t err;    /* ERR register value (non-zero when the device rejected the job) */
} host_counters_t;

/* Read ID (must read the reset value of ID.MAGIC, else HOST_E_ID), PARAM0..3, fill *v and
 * check PARAM3 against the values derived from PARAM0..2 (HOST_E_PROTO on mismatch). */
int host_probe(const host_dev_t *dev, host_variant_t *v, char *err, size_t errlen);
/* VERSION register. */
int host_read_version(const host_dev_t *dev, uint32_t *version, char *err, size_t errlen);

/* Run one job (A rows x k, B k x cols as in sg_job_t).  Sequence:
 *   write ERR=SG_ERR_ALL (clear stale bits), MODE, K, THRESH, FLAGS; read ERR (MODE/THRESH
 *   rejections) -> non-zero: HOST_E_JOB, job not started;
 *   write CTRL.START; read ERR (K, BUSY) -> non-zero: HOST_E_JOB, nothing streamed;
 *   send k*beats_per_slice operand beats; receive rows*cols result beats (TLAST checked on the
 *   last one); poll STATUS until DONE (dev->done_polls, then HOST_E_TIMEOUT); read ERR
 *   (non-zero, e.g. TLAST: HOST_E_JOB); read every counter register incl. ROW_NNZ[r].
 * c_out (rows*cols, row-major) gets the results; with job->accumulate the device adds to its
 * accumulators (c_out is output only).  cnt may be NULL; on HOST_E_JOB cnt->err holds ERR.
 * On failure c_out is not written. */
int host_run_job(const host_dev_t *dev, const host_variant_t *v, const sg_job_t *job,
                 int64_t *c_out, host_counters_t *cnt, char *err, size_t errlen);
/* The same with stream flags (HOST_FLAGS_KEEP_B, HOST_FLAGS_A_COMPRESSED, host_stream.h),
 * written to FLAGS next to ACCUMULATE; the operands go out as host_stream_encode_fmt encodes
 * them (job->b is not read with KEEP_B).  A START refused for a missing resident B
 * (ERR.RESIDENT) or an unsupported format (ERR.AFMT) is HOST_E_JOB, nothing streamed. */
int host_run_job_fmt(const host_dev_t *dev, const host_variant_t *v, const sg_job_t *job,
                     uint32_t flags, int64_t *c_out, host_counters_t *cnt, char *err,
                     size_t errlen);
/* The same with the output stage: os != NULL writes OUT_BIAS, OUT_SHIFT, OUT_CLAMP and sets
 * FLAGS.OUT_STAGE (and OUT_RELU with os->relu); c_out gets the OUT_W-bit results
 * (gold_out_stage of the accumulators; the accumulators themselves stay in the device for a
 * following ACCUMULATE job).  Settings the device rejects (ERR.OUT) are HOST_E_JOB. */
int host_run_job_os(const host_dev_t *dev, const host_variant_t *v, const sg_job_t *job,
                    uint32_t flags, const sg_out_stage_t *os, int64_t *c_out,
                    host_counters_t *cnt, char *err, size_t errlen);

/* ------------------------------------------------------------------------------------------ */
/* Tiled GEMM: C[M x N] = A[M x K] * B[K x N] (A, B row-major int32, C row-major int64).
 * Output tiles of rows x cols (zero-padded at the edges), tiles in row-major order; for each
 * tile K is cut into chunks of kmax (last one shorter), chunks after the first use
 * FLAGS.ACCUMULATE.  Results are the device's ACC_W-bit wrapped sums, i.e. the plain product
 * mod 2^acc_w read as signed.  Every A and B element must be a data_w-bit signed value
 * (HOST_E_RANGE otherwise, naming the element). */

typedef struct host_job_info {
    uint32_t index;         /* job number within this GEMM, 0-based */
    uint32_t m0, n0, k0;    /* GEMM coordinates of the tile origin and of the K chunk */
    uint32_t m_valid, n_valid; /* rows/cols of the tile inside the GEMM (rest is padding) */
    const sg_job_t *job;  /* the job as sent: a rows x job->k, b job->k x cols, padded */
    uint32_t flags;         /* stream flags it was sent with (HOST_FLAGS_KEEP_B, ...) */
    const int64_t *c_prev;  /* tile before this job (rows*cols) if job->accumulate, else NULL */
    const int64_t *c_tile;  /* tile after this job (rows*cols) */
    const host_counters_t *cnt;
    const sg_out_stage_t *os; /* the output stage of this job (c_tile holds its OUT_W-bit
                                 results), NULL when FLAGS.OUT_STAGE was clear */
} host_job_info_t;

/* Called after every job; a non-zero return stops the GEMM with HOST_E_CALLBACK. */
typedef int (*host_job_cb_t)(void *user, const host_job_info_t *info);

typedef struct host_gemm_opts {
    uint32_t mode;   /* MODE for every job (sg_mode_t) */
    uint32_t thresh; /* THRESH for every job */
    host_job_cb_t on_job; /* may be NULL */
    void *user;
    /* 0: every job streams A and B densely, interleaved (the first format), one job at a time.
     * HOST_GEMM_STREAM_FAST: jobs overlapped (job n+1 is started and its operands sent while
     * job n computes and job n-1's results come back; every job's counters come back on the
     * result stream, FLAGS.TRAILER, so no register is read per job); tiles ordered column block
     * by column block so that B stays resident (FLAGS.KEEP_B) while the row tiles of A stream
     * past it; A compressed
     * (FLAGS.A_COMPRESSED) when the variant has the format, the mode is not DENSE (DENSE is
     * the dense baseline: it moves A as stored, zeros included) and the job's compressed A
     * section is shorter than its dense one. */
    uint32_t stream;
    /* NULL, or the output stage applied to every tile's results: on the tile's last K chunk
     * (earlier chunks return the raw accumulators, which the device keeps to accumulate), so
     * C gets the OUT_W-bit results. */
    const sg_out_stage_t *os;
} host_gemm_opts_t;
#define HOST_GEMM_STREAM_FAST 1u

typedef struct host_gemm_stats {
    uint64_t jobs, jobs_sparse; /* jobs run, jobs whose MODE_USED was SPARSE */
    uint64_t macs_issued, macs_gated, macs_skipped, nnz_a, nnz_b; /* summed over jobs */
    uint64_t cyc_total, cyc_load, cyc_compute, cyc_drain;         /* summed over jobs */
    uint64_t bound_cycles;   /* end-to-end bound: stream 0, the sum of host_cycles_job_bound;
                                overlapped, host_cycles_gemm_bound over the jobs */
    uint64_t bound_compute;  /* sum of the jobs' compute bounds (n + C) */
    uint64_t in_beats, out_beats; /* stream beats moved */
    uint64_t jobs_keep_b, jobs_a_compressed;
    uint32_t max_row_nnz;                                         /* max over jobs */
} host_gemm_stats_t;

/* Tile order: stream 0: row tiles outer, column tiles inner; HOST_GEMM_STREAM_FAST: column
 * blocks outer, row tiles inner (B reused).  Overlapped (FAST), the per-job counters come from
 * the trailer: the architectural ones, CYC_LOAD and CYC_COMPUTE (cyc_drain and cyc_total are 0
 * in host_counters_t and in the stats: with jobs overlapped they are not per job; measure the
 * whole GEMM's cycles on the device side).  opt may be NULL (DENSE, thresh 256, no callback,
 * stream 0); stats may be NULL. */
int host_gemm(const host_dev_t *dev, const host_variant_t *v, const host_gemm_opts_t *opt,
              uint32_t M, uint32_t N, uint32_t K, const int32_t *A, const int32_t *B, int64_t *C,
              host_gemm_stats_t *stats, char *err, size_t errlen);

#endif
