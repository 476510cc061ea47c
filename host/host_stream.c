/* host_stream.c - operand and result beats (docs/data-formats.md). */
#include "host_stream.h"

#include <string.h>

#include "host_err.h"

static uint32_t ceil_div(uint32_t a, uint32_t b) { return (a + b - 1u) / b; }

/* Write the low `width` (<= 64) bits of val at TDATA bit `pos` of a beat. */
static void put_bits(uint32_t *beat, uint32_t pos, uint32_t width, uint64_t val)
{
    for (uint32_t i = 0; i < width; i++) {
        uint32_t bit = pos + i;
        uint32_t m = UINT32_C(1) << (bit % 32u);
        if ((val >> i) & 1u)
            beat[bit / 32u] |= m;
        else
            beat[bit / 32u] &= ~m;
    }
}

/* Read `width` (<= 64) bits at TDATA bit `pos`. */
static uint64_t get_bits(const uint32_t *beat, uint32_t pos, uint32_t width)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < width; i++) {
        uint32_t bit = pos + i;
        if ((beat[bit / 32u] >> (bit % 32u)) & 1u)
            v |= UINT64_C(1) << i;
    }
    return v;
}

int host_variant_derive_msg(host_variant_t *v, char *err, size_t errlen)
{
    if (v == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "variant is NULL");
    const sg_params_t *p = &v->p;
    uint32_t pe = sg_check_params(p);
    if (pe & SG_PERR_ROWS)
        return host_seterr(err, errlen, HOST_E_RANGE, "rows=%u out of range %u..%u", p->rows,
                           SG_rows_MIN, SG_rows_MAX);
    if (pe & SG_PERR_COLS)
        return host_seterr(err, errlen, HOST_E_RANGE, "cols=%u out of range %u..%u", p->cols,
                           SG_cols_MIN, SG_cols_MAX);
    if (pe & SG_PERR_DATA_W)
        return host_seterr(err, errlen, HOST_E_RANGE, "data_w=%u out of range %u..%u",
                           p->data_w, SG_data_w_MIN, SG_data_w_MAX);
    if (pe & SG_PERR_ACC_W)
        return host_seterr(err, errlen, HOST_E_RANGE, "acc_w=%u out of range %u..%u (2*data_w..64)",
                           p->acc_w, 2u * p->data_w, SG_acc_w_MAX);
    if (pe & SG_PERR_KMAX)
        return host_seterr(err, errlen, HOST_E_RANGE, "kmax=%u out of range %u..%u", p->kmax,
                           SG_kmax_MIN, SG_kmax_MAX);
    if (pe & SG_PERR_SIZE)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "rows*cols*kmax = %u*%u*%u must be < 2^32", p->rows, p->cols, p->kmax);
    if (pe != 0)
        return host_seterr(err, errlen, HOST_E_RANGE, "invalid parameters (0x%x)", pe);
    if (v->window > 255u)
        return host_seterr(err, errlen, HOST_E_RANGE, "window=%u out of range 0..255", v->window);
    if (p->sparse_capable && v->window == 0)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "window=0 on a sparse-capable variant (must be 1..255)");
    uint32_t lane = 8u * ceil_div(p->data_w, 8u);
    if (v->in_stream_w < lane || v->in_stream_w > 65535u || v->in_stream_w % 8u != 0)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "in_stream_w=%u must be a multiple of 8 in %u..65535", v->in_stream_w,
                           lane);
    uint32_t epb = v->in_stream_w / lane;
    if (epb > 255u)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "in_stream_w=%u gives %u elements per beat (max 255)", v->in_stream_w,
                           epb);
    v->in_lane_w = lane;
    v->elems_per_beat = epb;
    v->beats_per_slice = ceil_div(p->rows + p->cols, epb);
    v->out_stream_w = 8u * ceil_div(p->acc_w, 8u);
    return HOST_OK;
}

uint32_t host_variant_derive(host_variant_t *v)
{
    return (uint32_t)(host_variant_derive_msg(v, NULL, 0) != 0 ? 1 : 0);
}

int host_variant_check(const host_variant_t *v, char *err, size_t errlen)
{
    if (v == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "variant is NULL");
    host_variant_t d = *v;
    int rc = host_variant_derive_msg(&d, err, errlen);
    if (rc != 0)
        return rc;
#define CHK_(F)                                                                              \
    if (d.F != v->F)                                                                        \
        return host_seterr(err, errlen, HOST_E_RANGE, #F "=%u inconsistent (expected %u)",   \
                           v->F, d.F);
    CHK_(in_lane_w)
    CHK_(elems_per_beat)
    CHK_(beats_per_slice)
    CHK_(out_stream_w)
#undef CHK_
    return HOST_OK;
}

uint32_t host_in_words_per_beat(const host_variant_t *v) { return ceil_div(v->in_stream_w, 32u); }
uint32_t host_out_words_per_beat(const host_variant_t *v) { return ceil_div(v->out_stream_w, 32u); }
uint64_t host_in_beats(const host_variant_t *v, uint32_t k) { return (uint64_t)k * v->beats_per_slice; }

int host_stream_encode(const host_variant_t *v, const sg_job_t *j, uint32_t *words,
                       uint8_t *last, uint64_t cap_beats, char *err, size_t errlen)
{
    if (v == NULL || j == NULL || words == NULL || last == NULL || j->a == NULL || j->b == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_encode: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    uint64_t nbeats = host_in_beats(v, j->k);
    if (j->k == 0)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_encode: k = 0");
    if (nbeats > cap_beats)
        return host_seterr(err, errlen, HOST_E_ARG,
                           "host_stream_encode: %llu beats needed, buffer holds %llu",
                           (unsigned long long)nbeats, (unsigned long long)cap_beats);
    const uint32_t R = v->p.rows, C = v->p.cols, K = j->k, wpb = host_in_words_per_beat(v);
    memset(words, 0, (size_t)nbeats * wpb * sizeof *words);
    memset(last, 0, (size_t)nbeats);
    for (uint32_t kk = 0; kk < K; kk++) {
        uint32_t *slice = words + (size_t)kk * v->beats_per_slice * wpb;
        for (uint32_t e = 0; e < R + C; e++) {
            int32_t x = e < R ? j->a[(size_t)e * K + kk] : j->b[(size_t)kk * C + (e - R)];
            uint32_t beat = e / v->elems_per_beat, lane = e % v->elems_per_beat;
            uint64_t lanev = sg_trunc((uint64_t)sg_operand(x, v->p.data_w), v->in_lane_w);
            put_bits(slice + (size_t)beat * wpb, lane * v->in_lane_w, v->in_lane_w, lanev);
        }
    }
    last[nbeats - 1] = 1;
    return HOST_OK;
}

int host_stream_decode_results(const host_variant_t *v, const uint32_t *words,
                               const uint8_t *last, uint64_t nbeats, int64_t *c, char *err,
                               size_t errlen)
{
    if (v == NULL || words == NULL || c == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_decode_results: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    uint64_t n = (uint64_t)v->p.rows * v->p.cols;
    if (nbeats != n)
        return host_seterr(err, errlen, HOST_E_ARG,
                           "result stream: %llu beats given, a job has rows*cols = %llu",
                           (unsigned long long)nbeats, (unsigned long long)n);
    if (last != NULL && !last[n - 1])
        return host_seterr(err, errlen, HOST_E_PROTO,
                           "result stream: TLAST missing on the last beat (%llu)",
                           (unsigned long long)(n - 1));
    const uint32_t wpb = host_out_words_per_beat(v), AW = v->p.acc_w, OW = v->out_stream_w;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t raw = get_bits(words + (size_t)i * wpb, 0, OW);
        int64_t val = sg_sext(raw, AW);
        if (sg_trunc((uint64_t)val, OW) != raw)
            return host_seterr(err, errlen, HOST_E_PROTO,
                               "result beat %llu (row %llu col %llu): 0x%llx is not a %u-bit value "
                               "sign-extended to %u bits",
                               (unsigned long long)i, (unsigned long long)(i / v->p.cols),
                               (unsigned long long)(i % v->p.cols), (unsigned long long)raw, AW,
                               OW);
        c[i] = val;
    }
    return HOST_OK;
}

int host_stream_encode_results(const host_variant_t *v, const int64_t *c, uint32_t *words,
                               uint8_t *last, char *err, size_t errlen)
{
    if (v == NULL || words == NULL || c == NULL || last == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_encode_results: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    const uint64_t n = (uint64_t)v->p.rows * v->p.cols;
    const uint32_t wpb = host_out_words_per_beat(v);
    memset(words, 0, (size_t)n * wpb * sizeof *words);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t val = sg_trunc((uint64_t)sg_sext((uint64_t)c[i], v->p.acc_w), v->out_stream_w);
        put_bits(words + (size_t)i * wpb, 0, v->out_stream_w, val);
        last[i] = i + 1 == n;
    }
    return HOST_OK;
}

int host_stream_decode_operands(const host_variant_t *v, uint32_t k, const uint32_t *words,
                                const uint8_t *last, int32_t *a, int32_t *b, char *err,
                                size_t errlen)
{
    if (v == NULL || words == NULL || a == NULL || b == NULL || k == 0)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_decode_operands: bad argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    const uint32_t R = v->p.rows, C = v->p.cols, wpb = host_in_words_per_beat(v);
    const uint64_t nbeats = host_in_beats(v, k);
    for (uint64_t i = 0; last != NULL && i < nbeats; i++)
        if ((last[i] != 0) != (i + 1 == nbeats))
            return host_seterr(err, errlen, HOST_E_PROTO,
                               "operand stream: TLAST %s on beat %llu of %llu",
                               last[i] ? "set" : "missing", (unsigned long long)i,
                               (unsigned long long)nbeats);
    for (uint32_t kk = 0; kk < k; kk++) {
        const uint32_t *slice = words + (size_t)kk * v->beats_per_slice * wpb;
        for (uint32_t e = 0; e < R + C; e++) {
            uint32_t beat = e / v->elems_per_beat, lane = e % v->elems_per_beat;
            uint64_t raw = get_bits(slice + (size_t)beat * wpb, lane * v->in_lane_w, v->in_lane_w);
            int32_t x = (int32_t)sg_sext(raw, v->p.data_w);
            if (e < R)
                a[(size_t)e * k + kk] = x;
            else
                b[(size_t)kk * C + (e - R)] = x;
        }
    }
    return HOST_OK;
}
