/* devcheck.h - checks of the register contract that run unchanged against every device model
 * behind a host_dev_t: the Verilated RTL (tb/test_rtl.c through the bus models) and the
 * golden-backed device (tb/golddev.c, in the contract suite of test_sw). */
#ifndef SPARSEGEN_DEVCHECK_H
#define SPARSEGEN_DEVCHECK_H

#include <stddef.h>

#include "host_driver.h"

/* MODE writes the variant must reject: 3, 4, 5, 0xFFFFFFFF, and 1, 2 on a dense-only variant.
 * Each must set ERR.MODE (only) and keep the MODE written before it (SPARSE where the variant
 * has it, so a masked write that lands on SPARSE/AUTO/DENSE is seen).  Returns the number of
 * failures; the first is described in msg.  Leaves ERR clear and MODE at DENSE. */
int devcheck_mode_rejects(const host_dev_t *dev, const sg_params_t *p, char *msg, size_t n);

/* The SG_NEED rules at START on a device that holds no B yet (after reset, before any job
 * loaded one): FLAGS.KEEP_B must set ERR.RESIDENT (only) and start nothing; FLAGS.A_COMPRESSED
 * must set ERR.AFMT on a variant without the format (v->a_ents == 0), else start the job (it is
 * aborted again).  Returns the number of failures (first in msg); leaves ERR clear, FLAGS 0
 * and K as it was. */
int devcheck_start_needs(const host_dev_t *dev, const host_variant_t *v, char *msg, size_t n);

/* The output stage's value rules (SG_CHECK of OUT_SHIFT and OUT_CLAMP): OUT_SHIFT = ACC_W,
 * 127, 0xFFFFFFFF and OUT_CLAMP = 2^31, 0xFFFFFFFF must each set ERR.OUT (only) and keep the
 * value written before (the largest valid one: ACC_W - 1, 2^31 - 1); OUT_BIAS takes any
 * value.  Returns the number of failures (first in msg); leaves ERR clear and the OUT_*
 * registers at their reset values. */
int devcheck_out_rejects(const host_dev_t *dev, const sg_params_t *p, char *msg, size_t n);

#endif
