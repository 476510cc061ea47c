/* golddev.h - a host_dev_t implemented in C over the golden model: the device model used by
 * the software tests and by sim_run to cross-check a Verilated run.
 *
 * Registers: the contract's register-file model (sg_regfile_write/read over
 * contract/sg_regs.def), so value rules, reset values, W1C and SLVERR are the table's.  The
 * device adds the job: START allocates it (state LOAD), operand beats are accepted only in
 * LOAD (extra beats: the send fails as a timeout would), a TLAST mismatch sets ERR.TLAST,
 * results come from gold_run (accumulators kept between jobs for FLAGS.ACCUMULATE), DONE is
 * set after the last result beat (DRAIN -> IDLE); ABORT drops the job.
 *
 * Architectural counters are golden's.  The cycle counters are sg_cycle_model() with a
 * source that is ready at once (source_gap 0).
 */
#ifndef SPARSEGEN_GOLDDEV_H
#define SPARSEGEN_GOLDDEV_H

#include <stddef.h>
#include <stdint.h>

#include "gold.h"
#include "host_driver.h"

typedef struct golddev {
    host_variant_t v;
    sg_regfile_t rf;
    sg_counters_t arch;
    /* job */
    uint32_t k;
    int64_t acc[SG_MAX_ROWS * SG_MAX_COLS];
    uint32_t *in_words;
    uint8_t *in_last;
    uint64_t in_beats, in_got;
    uint32_t *out_words;
    uint8_t *out_last;
    uint64_t out_beats, out_sent;
    int32_t *a, *b;
} golddev_t;

/* Set up g for variant v (derived fields must be consistent) and fill *dev with operations on
 * g.  version is what the VERSION register reads.  Free with golddev_free. */
int golddev_init(golddev_t *g, const host_variant_t *v, uint32_t version, host_dev_t *dev,
                 char *err, size_t errlen);
void golddev_free(golddev_t *g);

#endif
