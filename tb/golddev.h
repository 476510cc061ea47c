/* golddev.h - a host_dev_t implemented in C over the golden model: the device model used by
 * the software tests and by sim_run to cross-check a Verilated run.
 *
 * Registers: the contract's register-file model (sg_regfile_write/read over
 * contract/sg_regs.def), so value rules, reset values, W1C, SLVERR and the START rules
 * (STATUS.READY, K, the SG_NEED conditions B_RESIDENT and A_FORMAT) are the table's.  The
 * device adds the jobs and the stream protocol (docs/data-formats.md): START allocates a job in
 * LOAD; operand beats are accepted only in LOAD (extra beats: the send fails as a timeout
 * would); a TLAST mismatch sets ERR.TLAST; results come from gold_run (accumulators kept
 * between jobs for FLAGS.ACCUMULATE).
 *
 * Jobs overlap as on the hardware: a START is accepted once the previous job's operands are
 * all in (STATUS.READY); its results wait in a queue until received, and a job's counters
 * become readable (and DONE is set) when its last result beat is received.  FLAGS.TRAILER
 * appends the job's counters to its results.  Stream sections (FLAGS.KEEP_B,
 * FLAGS.A_COMPRESSED) as the hardware: a resident B kept between jobs, compressed A entries
 * checked (ERR.AFMT).  ABORT drops every job.
 *
 * Architectural counters are golden's.  The cycle counters are the cycle model's
 * (host_cycles_job: sg_cycle_model with the test bench's source latency); on the RTL they
 * match it exactly when nothing stalls.
 */
#ifndef SPARSEGEN_GOLDDEV_H
#define SPARSEGEN_GOLDDEV_H

#include <stddef.h>
#include <stdint.h>

#include "gold.h"
#include "host_driver.h"

#define GOLDDEV_MAX_PENDING 4u /* computed jobs whose results are not all received */

typedef struct golddev {
    host_variant_t v;
    sg_regfile_t rf;
    int loading; /* a job is in LOAD */
    /* job in LOAD */
    int64_t acc[SG_MAX_ROWS * SG_MAX_COLS];
    uint32_t *in_words;
    uint8_t *in_last;
    uint64_t in_beats, in_got, in_cap;
    int32_t *a, *b;
    uint32_t job_flags, job_k, job_mode, job_thresh; /* latched at START */
    sg_out_stage_t job_os;                           /* OUT_* registers, latched at START */
    /* resident B (kmax x cols) */
    int32_t *b_res;
    int b_valid;
    uint32_t b_k;
    /* result queue: the result (and trailer) beats of computed jobs not yet received, in
       order; a job is done (DONE, its counters readable) once its last beat is received */
    uint32_t *out_words;
    uint8_t *out_last;
    uint64_t out_beats, out_sent, out_cap;
    struct golddev_pending {
        uint64_t end;        /* out_sent value at which the job's last beat has been received */
        host_counters_t cnt; /* its counters (cyc_* from the cycle model) */
    } pend[GOLDDEV_MAX_PENDING];
    uint32_t npend;
} golddev_t;

/* Set up g for variant v (derived fields must be consistent) and fill *dev with operations on
 * g.  version is what the VERSION register reads.  Free with golddev_free. */
int golddev_init(golddev_t *g, const host_variant_t *v, uint32_t version, host_dev_t *dev,
                 char *err, size_t errlen);
void golddev_free(golddev_t *g);

#endif
