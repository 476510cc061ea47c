/* gold.c - bit-exact golden model of one sparsegen job.  See gold.h and docs/architecture.md. */
#include "gold.h"

#include <string.h>

static const struct {
    uint32_t value;
    const char *name;
} gold_mode_table[] = {
#define GOLD_MODE_ROW_(N, V, S) {V, S},
    GOLD_MODES(GOLD_MODE_ROW_)
#undef GOLD_MODE_ROW_
};

#define GOLD_NMODES (sizeof gold_mode_table / sizeof gold_mode_table[0])

const char *gold_mode_name(uint32_t mode)
{
    for (size_t i = 0; i < GOLD_NMODES; i++)
        if (gold_mode_table[i].value == mode)
            return gold_mode_table[i].name;
    return "invalid";
}

int gold_mode_parse(const char *name, uint32_t *mode)
{
    if (name == NULL || mode == NULL)
        return -1;
    for (size_t i = 0; i < GOLD_NMODES; i++)
        if (strcmp(gold_mode_table[i].name, name) == 0) {
            *mode = gold_mode_table[i].value;
            return 0;
        }
    return -1;
}

uint64_t gold_trunc(uint64_t v, uint32_t width)
{
    if (width >= 64)
        return v;
    return v & ((UINT64_C(1) << width) - 1u);
}

int64_t gold_sext(uint64_t v, uint32_t width)
{
    if (width == 0)
        return 0;
    if (width > 64)
        width = 64;
    uint64_t mask = width == 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1u;
    uint64_t sign = UINT64_C(1) << (width - 1);
    v &= mask;
    if (v & sign) {
        /* negative: value = -(2^width - v) = -((~v & mask) + 1); (~v & mask) < 2^63 */
        return -(int64_t)(~v & mask) - 1;
    }
    return (int64_t)v;
}

int64_t gold_operand(int32_t x, uint32_t data_w)
{
    return gold_sext((uint64_t)(uint32_t)x, data_w);
}

uint32_t gold_check_params(const gold_params_t *p)
{
    if (p == NULL)
        return GOLD_PERR_NULL;
    uint32_t e = 0;
    if (p->rows < GOLD_ROWS_MIN || p->rows > GOLD_ROWS_MAX)
        e |= GOLD_PERR_ROWS;
    if (p->cols < GOLD_COLS_MIN || p->cols > GOLD_COLS_MAX)
        e |= GOLD_PERR_COLS;
    if (p->data_w < GOLD_DATA_W_MIN || p->data_w > GOLD_DATA_W_MAX)
        e |= GOLD_PERR_DATA_W;
    if (p->acc_w < 2u * p->data_w || p->acc_w > GOLD_ACC_W_MAX)
        e |= GOLD_PERR_ACC_W;
    if (p->kmax < GOLD_KMAX_MIN || p->kmax > GOLD_KMAX_MAX)
        e |= GOLD_PERR_KMAX;
    if ((uint64_t)p->rows * p->cols * p->kmax >= (UINT64_C(1) << 32))
        e |= GOLD_PERR_SIZE;
    return e;
}

uint32_t gold_check_job(const gold_params_t *p, const gold_job_t *j)
{
    if (gold_check_params(p) != 0 || j == NULL || j->a == NULL || j->b == NULL)
        return GOLD_ERR_PARAMS;
    uint32_t e = 0;
    if (j->k == 0 || j->k > p->kmax)
        e |= GOLD_ERR_K;
    if (j->mode > GOLD_MODE_AUTO || (!p->sparse_capable && j->mode != GOLD_MODE_DENSE))
        e |= GOLD_ERR_MODE;
    if (j->thresh > GOLD_THRESH_MAX)
        e |= GOLD_ERR_THRESH;
    return e;
}

uint32_t gold_decide(uint32_t mode, uint32_t thresh, uint32_t k, uint32_t max_row_nnz)
{
    if (mode == GOLD_MODE_SPARSE)
        return GOLD_MODE_SPARSE;
    if (mode == GOLD_MODE_AUTO) {
        uint64_t lhs = UINT64_C(256) * max_row_nnz;
        uint64_t rhs = (uint64_t)thresh * k;
        return lhs < rhs ? GOLD_MODE_SPARSE : GOLD_MODE_DENSE;
    }
    return GOLD_MODE_DENSE;
}

uint32_t gold_run(const gold_params_t *p, const gold_job_t *j, int64_t *c, gold_counters_t *cnt)
{
    uint32_t e = gold_check_job(p, j);
    if (e != 0)
        return e;
    if (c == NULL)
        return GOLD_ERR_PARAMS;

    const uint32_t R = p->rows, C = p->cols, K = j->k, W = p->data_w, AW = p->acc_w;

    /* Results: acc = (acc + a*b) mod 2^acc_w, computed in uint64 (mod 2^64, then truncated). */
    for (uint32_t r = 0; r < R; r++) {
        for (uint32_t col = 0; col < C; col++) {
            uint64_t acc = j->accumulate ? gold_trunc((uint64_t)c[r * C + col], AW) : 0u;
            for (uint32_t kk = 0; kk < K; kk++) {
                int64_t a = gold_operand(j->a[(size_t)r * K + kk], W);
                int64_t b = gold_operand(j->b[(size_t)kk * C + col], W);
                int64_t prod = a * b; /* |a*b| <= 2^30 for data_w <= 16: exact */
                acc = gold_trunc(acc + (uint64_t)prod, AW);
            }
            c[r * C + col] = gold_sext(acc, AW);
        }
    }

    if (cnt == NULL)
        return 0;

    /* Counters. */
    gold_counters_t n;
    memset(&n, 0, sizeof n);
    for (uint32_t r = 0; r < R; r++) {
        for (uint32_t kk = 0; kk < K; kk++)
            if (gold_operand(j->a[(size_t)r * K + kk], W) != 0)
                n.row_nnz[r]++;
        n.nnz_a += n.row_nnz[r];
        if (n.row_nnz[r] > n.max_row_nnz)
            n.max_row_nnz = n.row_nnz[r];
    }
    for (uint32_t kk = 0; kk < K; kk++)
        for (uint32_t col = 0; col < C; col++)
            if (gold_operand(j->b[(size_t)kk * C + col], W) != 0)
                n.nnz_b++;

    n.mode_used = gold_decide(j->mode, j->thresh, K, n.max_row_nnz);
    uint64_t total = (uint64_t)R * C * K;
    uint64_t issued, gsum = 0;
    /* Gating, per k: DENSE issues every slot and gates it if a == 0 (all C columns of a row
     * with a zero a) or b == 0; SPARSE issues only the a != 0 slots and gates those with b == 0. */
    for (uint32_t kk = 0; kk < K; kk++) {
        uint32_t bzero = 0, anz = 0;
        for (uint32_t col = 0; col < C; col++)
            if (gold_operand(j->b[(size_t)kk * C + col], W) == 0)
                bzero++;
        for (uint32_t r = 0; r < R; r++)
            if (gold_operand(j->a[(size_t)r * K + kk], W) != 0)
                anz++;
        if (n.mode_used == GOLD_MODE_SPARSE)
            gsum += (uint64_t)anz * bzero;
        else
            gsum += (uint64_t)(R - anz) * C + (uint64_t)anz * bzero;
    }
    if (n.mode_used == GOLD_MODE_SPARSE)
        issued = (uint64_t)C * n.nnz_a;
    else
        issued = total;
    /* total < 2^32 is guaranteed by gold_check_params (rows*cols*kmax < 2^32) */
    n.macs_issued = (uint32_t)issued;
    n.macs_gated = (uint32_t)gsum;
    n.macs_skipped = (uint32_t)(total - issued);
    *cnt = n;
    return 0;
}
