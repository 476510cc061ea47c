/* gold.h - bit-exact golden model of one sparsegen job (docs/architecture.md).
 *
 * Pure C11: no I/O, no allocation, no global state.  Every width/sign/wrap rule goes through
 * gold_sext().  All arithmetic is done wide (uint64 modular) and then truncated explicitly.
 */
#ifndef SPARSEGEN_GOLD_H
#define SPARSEGEN_GOLD_H

#include <stdbool.h>
#include <stdint.h>

#define GOLD_MAX_ROWS 64
#define GOLD_MAX_COLS 64

/* Generator parameter ranges (must match gen/): */
#define GOLD_ROWS_MIN 1u
#define GOLD_ROWS_MAX 32u
#define GOLD_COLS_MIN 1u
#define GOLD_COLS_MAX 32u
#define GOLD_DATA_W_MIN 2u
#define GOLD_DATA_W_MAX 16u
#define GOLD_ACC_W_MAX 64u /* min is 2*data_w */
#define GOLD_KMAX_MIN 1u
#define GOLD_KMAX_MAX 65536u
#define GOLD_THRESH_MAX 256u

/* X-macro of the MODE register values: X(NAME, value, "name") */
#define GOLD_MODES(X)            \
    X(DENSE, 0, "dense")         \
    X(SPARSE, 1, "sparse")       \
    X(AUTO, 2, "auto")

typedef enum {
#define GOLD_MODE_ENUM_(N, V, S) GOLD_MODE_##N = V,
    GOLD_MODES(GOLD_MODE_ENUM_)
#undef GOLD_MODE_ENUM_
    GOLD_MODE_COUNT
} gold_mode_t;

/* "dense", "sparse", "auto"; "invalid" for any other value. */
const char *gold_mode_name(uint32_t mode);
/* Inverse of gold_mode_name (exact, lower case). Returns 0 and sets *mode, or -1. */
int gold_mode_parse(const char *name, uint32_t *mode);

typedef struct gold_params {
    uint32_t rows, cols, data_w, acc_w, kmax;
    bool sparse_capable;
} gold_params_t;

typedef struct gold_job {
    uint32_t k;
    uint32_t mode;   /* gold_mode_t value as written to MODE */
    uint32_t thresh; /* THRESH, 0..256 */
    bool accumulate; /* FLAGS.ACCUMULATE */
    const int32_t *a; /* rows x k, a[r*k + kk]; only the low data_w bits are used, sign-extended */
    const int32_t *b; /* k x cols, b[kk*cols + c]; same */
} gold_job_t;

typedef struct gold_counters {
    uint32_t mode_used; /* GOLD_MODE_DENSE or GOLD_MODE_SPARSE */
    uint32_t macs_issued, macs_gated, macs_skipped;
    uint32_t nnz_a, nnz_b, max_row_nnz;
    uint32_t row_nnz[GOLD_MAX_ROWS]; /* entries >= rows are 0 */
} gold_counters_t;

/* Error bits, same values as the hardware ERR register. */
#define GOLD_ERR_K 0x1u
#define GOLD_ERR_BUSY 0x2u   /* hardware only (START while busy); never returned by golden */
#define GOLD_ERR_MODE 0x4u
#define GOLD_ERR_THRESH 0x8u
#define GOLD_ERR_ADDR 0x10u  /* hardware only */
#define GOLD_ERR_TLAST 0x20u /* hardware only */
#define GOLD_ERR_RESIDENT 0x40u /* hardware only: FLAGS.KEEP_B without a resident B of this K */
#define GOLD_ERR_AFMT 0x80u  /* hardware only: compressed A unsupported or malformed */
#define GOLD_ERR_ALL 0xffu
/* Not a hardware bit: invalid gold_params_t or NULL pointer passed to gold_check_job/gold_run. */
#define GOLD_ERR_PARAMS 0x80000000u

/* gold_check_params() result bits (0 = valid). */
#define GOLD_PERR_ROWS 0x01u   /* rows not in 1..32 */
#define GOLD_PERR_COLS 0x02u   /* cols not in 1..32 */
#define GOLD_PERR_DATA_W 0x04u /* data_w not in 2..16 */
#define GOLD_PERR_ACC_W 0x08u  /* acc_w not in 2*data_w..64 */
#define GOLD_PERR_KMAX 0x10u   /* kmax not in 1..65536 */
#define GOLD_PERR_SIZE 0x20u   /* rows*cols*kmax >= 2^32 */
#define GOLD_PERR_NULL 0x40u   /* p == NULL */

uint32_t gold_check_params(const gold_params_t *p);

/* ERR bits the hardware raises for this job configuration:
 *   K == 0 or K > kmax                          -> GOLD_ERR_K
 *   mode > 2, or mode 1/2 on !sparse_capable    -> GOLD_ERR_MODE
 *   thresh > 256                                -> GOLD_ERR_THRESH
 * Invalid params, or NULL p/j/j->a/j->b         -> GOLD_ERR_PARAMS (alone). */
uint32_t gold_check_job(const gold_params_t *p, const gold_job_t *j);

/* Mode the DECIDE state picks given the already-counted max_row_nnz (job must be valid). */
uint32_t gold_decide(uint32_t mode, uint32_t thresh, uint32_t k, uint32_t max_row_nnz);

/* Run one job.  c: rows*cols, row-major.  If j->accumulate, c holds the previous result on
 * entry (only its low acc_w bits matter).  On exit c holds the acc_w-bit wrapped result
 * sign-extended to int64.  cnt may be NULL.  Returns gold_check_job(); on error c and cnt are
 * untouched. */
uint32_t gold_run(const gold_params_t *p, const gold_job_t *j, int64_t *c, gold_counters_t *cnt);

/* The low `width` bits of v read as two's complement.  width 1..64; width 0 gives 0,
 * width > 64 is treated as 64. */
int64_t gold_sext(uint64_t v, uint32_t width);

/* Low `width` bits of v (width 0..64, > 64 treated as 64). */
uint64_t gold_trunc(uint64_t v, uint32_t width);

/* Operand as the hardware sees it: low data_w bits of x, sign-extended. */
int64_t gold_operand(int32_t x, uint32_t data_w);

#endif /* SPARSEGEN_GOLD_H */
