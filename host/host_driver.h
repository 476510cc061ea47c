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
    const int64_t *c_prev;  /* tile before this job (rows*cols) if job->accumulate, else NULL */
    const int64_t *c_tile;  /* tile after this job (rows*cols) */
    const host_counters_t *cnt;
} host_job_info_t;

/* Called after every job; a non-zero return stops the GEMM with HOST_E_CALLBACK. */
typedef int (*host_job_cb_t)(void *user, const host_job_info_t *info);

typedef struct host_gemm_opts {
    uint32_t mode;   /* MODE for every job (sg_mode_t) */
    uint32_t thresh; /* THRESH for every job */
    host_job_cb_t on_job; /* may be NULL */
    void *user;
} host_gemm_opts_t;

typedef struct host_gemm_stats {
    uint64_t jobs, jobs_sparse; /* jobs run, jobs whose MODE_USED was SPARSE */
    uint64_t macs_issued, macs_gated, macs_skipped, nnz_a, nnz_b; /* summed over jobs */
    uint64_t cyc_total, cyc_load, cyc_compute, cyc_drain;         /* summed over jobs */
    uint32_t max_row_nnz;                                         /* max over jobs */
} host_gemm_stats_t;

/* opt may be NULL (DENSE, thresh 256, no callback); stats may be NULL. */
int host_gemm(const host_dev_t *dev, const host_variant_t *v, const host_gemm_opts_t *opt,
              uint32_t M, uint32_t N, uint32_t K, const int32_t *A, const int32_t *B, int64_t *C,
              host_gemm_stats_t *stats, char *err, size_t errlen);

#endif
