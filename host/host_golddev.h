/* host_golddev.h - a host_dev_t implemented in C over the golden model.
 *
 * It implements the register map (docs/registers.md) and the stream protocol
 * (docs/data-formats.md) of one variant: MODE/THRESH rejection with ERR bits and value kept,
 * K checked at START, START while busy -> ERR.BUSY, RW1C ERR, SLVERR + ERR.ADDR on unmapped or
 * read-only writes and unmapped reads, operand beats accepted only in LOAD (extra beats: the
 * send fails as a timeout would), TLAST mismatch -> ERR.TLAST, results computed by gold_run
 * (accumulators kept between jobs for FLAGS.ACCUMULATE), DONE after the last result beat.
 *
 * Jobs overlap as on the hardware: a START is accepted once the previous job's operands are
 * all in (STATUS.READY); its results wait in a queue until received, and a job's counters
 * become readable (and DONE is set) when its last result beat is received.  FLAGS.TRAILER
 * appends the job's counters to its results.
 * Stream sections (FLAGS.KEEP_B, FLAGS.A_COMPRESSED) as the hardware: a resident B kept
 * between jobs (ERR.RESIDENT at START when it is missing or was loaded with another K),
 * compressed A entries checked (ERR.AFMT), A_COMPRESSED without the format: ERR.AFMT at START.
 *
 * Architectural counters are golden's.  The cycle counters are the cycle model's
 * (host_cycles.h: no back-pressure, streams presented at once); on the RTL they match it
 * exactly when nothing stalls; LOAD and DRAIN also count cycles spent waiting for the buses.
 */
#ifndef SPARSEGEN_HOST_GOLDDEV_H
#define SPARSEGEN_HOST_GOLDDEV_H

#include <stddef.h>
#include <stdint.h>

#include "host_driver.h"

typedef struct host_golddev {
    host_variant_t v;
    uint32_t version;
    /* registers */
    uint32_t mode, k, thresh, flags, err;
    uint32_t state, done, mode_used;
    host_counters_t cnt;
    /* job */
    int64_t acc[GOLD_MAX_ROWS * GOLD_MAX_COLS];
    uint32_t *in_words;
    uint8_t *in_last;
    uint64_t in_beats, in_got;
    /* result queue: the result (and trailer) beats of computed jobs not yet received, in order;
       a job is done (DONE, its counters readable) once its last beat is received */
    uint32_t *out_words;
    uint8_t *out_last;
    uint64_t out_beats, out_sent, out_cap;
    struct host_golddev_pending {
        uint64_t end;        /* out_sent value at which the job's last beat has been received */
        host_counters_t cnt; /* its counters (cyc_* from the cycle model) */
    } pend[4];
    uint32_t npend;
    int32_t *a, *b;
    uint32_t job_flags;     /* FLAGS latched at START */
    uint32_t job_k, job_mode, job_thresh; /* K, MODE, THRESH latched at START */
    uint64_t in_cap;        /* operand beats the buffer holds */
    int32_t *b_res;         /* resident B (kmax x cols) */
    int b_valid;
    uint32_t b_k;
} host_golddev_t;

/* Set up g for variant v (derived fields must be consistent) and fill *dev with operations on
 * g.  version is what the VERSION register reads.  Free with host_golddev_free. */
int host_golddev_init(host_golddev_t *g, const host_variant_t *v, uint32_t version,
                      host_dev_t *dev, char *err, size_t errlen);
void host_golddev_free(host_golddev_t *g);

#endif
