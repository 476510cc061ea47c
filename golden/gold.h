/* gold.h - bit-exact golden model of one sparsegen job (docs/architecture.md).
 *
 * Pure C11: no I/O, no allocation, no global state.  The variant, job and counter types, the
 * parameter and job rules and the operand arithmetic (sg_sext, sg_trunc, sg_operand) are the
 * hardware contract's (contract/sg_contract.h); this file adds the machine's semantics: the
 * AUTO mode decision and the results and counters of a job.
 */
#ifndef SPARSEGEN_GOLD_H
#define SPARSEGEN_GOLD_H

#include <stdbool.h>
#include <stdint.h>

#include "sg_contract.h"

/* Mode the DECIDE state picks given the already-counted max_row_nnz (job must be valid):
 * SPARSE, DENSE, or for AUTO SPARSE iff 256 * max_row_nnz < thresh * k. */
uint32_t gold_decide(uint32_t mode, uint32_t thresh, uint32_t k, uint32_t max_row_nnz);

/* Run one job.  c: rows*cols, row-major.  If j->accumulate, c holds the previous result on
 * entry (only its low acc_w bits matter).  On exit c holds the acc_w-bit wrapped result
 * sign-extended to int64.  cnt may be NULL.  Returns sg_check_job(), or SG_ERR_PARAMS if c is
 * NULL; on error c and cnt are untouched. */
uint32_t gold_run(const sg_params_t *p, const sg_job_t *j, int64_t *c, sg_counters_t *cnt);

/* The output stage (FLAGS.OUT_STAGE, docs/architecture.md "Arithmetic") applied to one
 * accumulator value acc (its acc_w-bit value, sign-extended), computed without overflow:
 *   s = acc + bias                                  (exact)
 *   q = floor((s + 2^(shift-1)) / 2^shift)          (shift > 0: round half up; shift 0: q = s)
 *   q = max(q, 0) with relu
 *   q = min(q, clamp, 2^(out_w-1) - 1), q = max(q, -2^(out_w-1))
 * The result fits out_w bits signed.  o must pass sg_check_out_stage (shift < acc_w). */
int64_t gold_out_stage(const sg_params_t *p, const sg_out_stage_t *o, int64_t acc);

/* The results a job sends on the result stream, from its accumulators acc (rows*cols, as
 * gold_run leaves c): with o == NULL (FLAGS.OUT_STAGE clear) acc as is, else
 * gold_out_stage of each.  acc and y may be the same array. */
void gold_results(const sg_params_t *p, const sg_out_stage_t *o, const int64_t *acc, int64_t *y);

#endif /* SPARSEGEN_GOLD_H */
