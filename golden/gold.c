/* gold.c - bit-exact golden model of one sparsegen job.  See gold.h and docs/architecture.md. */
#include "gold.h"

#include <string.h>

uint32_t gold_decide(uint32_t mode, uint32_t thresh, uint32_t k, uint32_t max_row_nnz)
{
    if (mode == SG_MODE_SPARSE)
        return SG_MODE_SPARSE;
    if (mode == SG_MODE_AUTO) {
        uint64_t lhs = UINT64_C(256) * max_row_nnz;
        uint64_t rhs = (uint64_t)thresh * k;
        return lhs < rhs ? SG_MODE_SPARSE : SG_MODE_DENSE;
    }
    return SG_MODE_DENSE;
}

uint32_t gold_run(const sg_params_t *p, const sg_job_t *j, int64_t *c, sg_counters_t *cnt)
{
    uint32_t e = sg_check_job(p, j);
    if (e != 0)
        return e;
    if (c == NULL)
        return SG_ERR_PARAMS;

    const uint32_t R = p->rows, C = p->cols, K = j->k, W = p->data_w, AW = p->acc_w;

    /* Results: acc = (acc + a*b) mod 2^acc_w, computed in uint64 (mod 2^64, then truncated). */
    for (uint32_t r = 0; r < R; r++) {
        for (uint32_t col = 0; col < C; col++) {
            uint64_t acc = j->accumulate ? sg_trunc((uint64_t)c[r * C + col], AW) : 0u;
            for (uint32_t kk = 0; kk < K; kk++) {
                int64_t a = sg_operand(j->a[(size_t)r * K + kk], W);
                int64_t b = sg_operand(j->b[(size_t)kk * C + col], W);
                int64_t prod = a * b; /* |a*b| <= 2^30 for data_w <= 16: exact */
                acc = sg_trunc(acc + (uint64_t)prod, AW);
            }
            c[r * C + col] = sg_sext(acc, AW);
        }
    }

    if (cnt == NULL)
        return 0;

    /* Counters. */
    sg_counters_t n;
    memset(&n, 0, sizeof n);
    for (uint32_t r = 0; r < R; r++) {
        for (uint32_t kk = 0; kk < K; kk++)
            if (sg_operand(j->a[(size_t)r * K + kk], W) != 0)
                n.row_nnz[r]++;
        n.nnz_a += n.row_nnz[r];
        if (n.row_nnz[r] > n.max_row_nnz)
            n.max_row_nnz = n.row_nnz[r];
    }
    for (uint32_t kk = 0; kk < K; kk++)
        for (uint32_t col = 0; col < C; col++)
            if (sg_operand(j->b[(size_t)kk * C + col], W) != 0)
                n.nnz_b++;

    n.mode_used = gold_decide(j->mode, j->thresh, K, n.max_row_nnz);
    n.issue_cycles = (p->window && p->wdepth) ? sg_issue_cycles(p, K, n.mode_used, j->a) : 0u;
    uint64_t total = (uint64_t)R * C * K;
    uint64_t issued, gsum = 0;
    /* Gating, per k: DENSE issues every slot and gates it if a == 0 (all C columns of a row
     * with a zero a) or b == 0; SPARSE issues only the a != 0 slots and gates those with b == 0. */
    for (uint32_t kk = 0; kk < K; kk++) {
        uint32_t bzero = 0, anz = 0;
        for (uint32_t col = 0; col < C; col++)
            if (sg_operand(j->b[(size_t)kk * C + col], W) == 0)
                bzero++;
        for (uint32_t r = 0; r < R; r++)
            if (sg_operand(j->a[(size_t)r * K + kk], W) != 0)
                anz++;
        if (n.mode_used == SG_MODE_SPARSE)
            gsum += (uint64_t)anz * bzero;
        else
            gsum += (uint64_t)(R - anz) * C + (uint64_t)anz * bzero;
    }
    if (n.mode_used == SG_MODE_SPARSE)
        issued = (uint64_t)C * n.nnz_a;
    else
        issued = total;
    /* total < 2^32 is guaranteed by sg_check_params (rows*cols*kmax < 2^32) */
    n.macs_issued = (uint32_t)issued;
    n.macs_gated = (uint32_t)gsum;
    n.macs_skipped = (uint32_t)(total - issued);
    *cnt = n;
    return 0;
}

/* Wide enough for any acc_w-bit accumulator plus a 32-bit bias and the rounding term. */
__extension__ typedef __int128 gold_wide_t;

/* floor(n / 2^s) written as a division, so the rounding direction is visible. */
static gold_wide_t gold_floor_div_pow2(gold_wide_t n, uint32_t s)
{
    const gold_wide_t d = (gold_wide_t)1 << s;
    gold_wide_t q = n / d; /* C division truncates toward zero */
    if (n % d != 0 && n < 0)
        q -= 1; /* ... so step down for negative n with a remainder */
    return q;
}

int64_t gold_out_stage(const sg_params_t *p, const sg_out_stage_t *o, int64_t acc)
{
    const gold_wide_t out_max = ((gold_wide_t)1 << (p->out_w - 1)) - 1;
    const gold_wide_t out_min = -((gold_wide_t)1 << (p->out_w - 1));

    gold_wide_t s = (gold_wide_t)acc + (gold_wide_t)o->bias;
    if (o->shift > 0)
        s += (gold_wide_t)1 << (o->shift - 1); /* half an output unit: ties round up */
    gold_wide_t q = gold_floor_div_pow2(s, o->shift);

    if (o->relu && q < 0)
        q = 0;
    gold_wide_t hi = (gold_wide_t)o->clamp < out_max ? (gold_wide_t)o->clamp : out_max;
    if (q > hi)
        q = hi;
    if (q < out_min)
        q = out_min;
    return (int64_t)q; /* |q| < 2^63: out_w <= 64 and q is within the out_w range */
}

void gold_results(const sg_params_t *p, const sg_out_stage_t *o, const int64_t *acc, int64_t *y)
{
    const size_t n = (size_t)p->rows * p->cols;
    for (size_t i = 0; i < n; i++)
        y[i] = o == NULL ? acc[i] : gold_out_stage(p, o, acc[i]);
}
