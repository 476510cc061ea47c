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
    sg_stream_fmt_t f;
    sg_stream_fmt(p, v->in_stream_w, v->out_stream_w, &f);
    const uint32_t lane = f.in_lane_w;
    if (v->in_stream_w < lane || v->in_stream_w > 65535u || v->in_stream_w % 8u != 0)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "in_stream_w=%u must be a multiple of 8 in %u..65535", v->in_stream_w,
                           lane);
    const uint32_t epb = f.elems_per_beat;
    if (epb > 255u)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "in_stream_w=%u gives %u elements per beat (max 255)", v->in_stream_w,
                           epb);
    v->in_lane_w = f.in_lane_w;
    v->elems_per_beat = f.elems_per_beat;
    v->beats_per_slice = f.beats_per_slice;
    v->out_lane_w = f.out_lane_w;
    if (v->out_stream_w == 0)
        v->out_stream_w = v->out_lane_w;
    if (v->out_stream_w < v->out_lane_w || v->out_stream_w > 65535u || v->out_stream_w % 8u != 0)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "out_stream_w=%u must be a multiple of 8 in %u..65535 (one %u-bit result "
                           "lane at least)",
                           v->out_stream_w, v->out_lane_w, v->out_lane_w);
    sg_stream_fmt(p, v->in_stream_w, v->out_stream_w, &f);
    v->results_per_beat = f.results_per_beat;
    v->os_lane_w = f.os_lane_w;
    v->os_per_beat = f.os_per_beat;
    v->os_group = f.os_group;
    v->beats_a = f.beats_a;
    v->beats_b = f.beats_b;
    v->a_cnt_w = f.a_cnt_w;
    v->a_hdr_beats = f.a_hdr_beats;
    v->a_gap_w = f.a_gap_w;
    v->a_ent_w = f.a_ent_w;
    v->a_ents = f.a_ents;
    v->a_ebits = f.a_ebits;
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
    CHK_(out_lane_w)
    CHK_(results_per_beat)
    CHK_(os_lane_w)
    CHK_(os_per_beat)
    CHK_(os_group)
    CHK_(beats_a)
    CHK_(beats_b)
    CHK_(a_cnt_w)
    CHK_(a_hdr_beats)
    CHK_(a_gap_w)
    CHK_(a_ent_w)
    CHK_(a_ents)
    CHK_(a_ebits)
#undef CHK_
    return HOST_OK;
}

uint32_t host_in_words_per_beat(const host_variant_t *v) { return ceil_div(v->in_stream_w, 32u); }
uint32_t host_out_words_per_beat(const host_variant_t *v) { return ceil_div(v->out_stream_w, 32u); }
uint64_t host_out_beats(const host_variant_t *v)
{
    return host_out_beats_os(v, 0);
}
uint64_t host_out_beats_os(const host_variant_t *v, int os)
{
    uint64_t n = (uint64_t)v->p.rows * v->p.cols, rpb = os ? v->os_per_beat : v->results_per_beat;
    if (rpb == 0)
        rpb = 1u;
    return (n + rpb - 1u) / rpb;
}
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
    return host_stream_decode_results_os(v, 0, words, last, nbeats, c, err, errlen);
}

int host_stream_decode_results_os(const host_variant_t *v, int os, const uint32_t *words,
                                  const uint8_t *last, uint64_t nbeats, int64_t *c, char *err,
                                  size_t errlen)
{
    if (v == NULL || words == NULL || c == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_decode_results: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    const uint64_t n = (uint64_t)v->p.rows * v->p.cols, nb = host_out_beats_os(v, os);
    if (nbeats != nb)
        return host_seterr(err, errlen, HOST_E_ARG,
                           "result stream: %llu beats given, a job has %llu (rows*cols = %llu, %u "
                           "per beat)",
                           (unsigned long long)nbeats, (unsigned long long)nb,
                           (unsigned long long)n, os ? v->os_per_beat : v->results_per_beat);
    if (last != NULL && !last[nb - 1])
        return host_seterr(err, errlen, HOST_E_PROTO,
                           "result stream: TLAST missing on the last beat (%llu)",
                           (unsigned long long)(nb - 1));
    const uint32_t wpb = host_out_words_per_beat(v), AW = os ? v->p.out_w : v->p.acc_w;
    const uint32_t OW = os ? v->os_lane_w : v->out_lane_w;
    const uint32_t rpb = os ? v->os_per_beat : v->results_per_beat;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t raw = get_bits(words + (size_t)(i / rpb) * wpb, (uint32_t)(i % rpb) * OW, OW);
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
    return host_stream_encode_results_os(v, 0, c, words, last, err, errlen);
}

int host_stream_encode_results_os(const host_variant_t *v, int os, const int64_t *c,
                                  uint32_t *words, uint8_t *last, char *err, size_t errlen)
{
    if (v == NULL || words == NULL || c == NULL || last == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_encode_results: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    const uint64_t n = (uint64_t)v->p.rows * v->p.cols, nb = host_out_beats_os(v, os);
    const uint32_t wpb = host_out_words_per_beat(v);
    const uint32_t rpb = os ? v->os_per_beat : v->results_per_beat;
    const uint32_t OW = os ? v->os_lane_w : v->out_lane_w, AW = os ? v->p.out_w : v->p.acc_w;
    memset(words, 0, (size_t)nb * wpb * sizeof *words);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t val = sg_trunc((uint64_t)sg_sext((uint64_t)c[i], AW), OW);
        put_bits(words + (size_t)(i / rpb) * wpb, (uint32_t)(i % rpb) * OW, OW, val);
    }
    for (uint64_t b = 0; b < nb; b++)
        last[b] = b + 1 == nb;
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

/* ------------------------------------------------------------------ stream sections */

/* The stream format of v as the contract derives it (the section length rule lives there). */
static sg_stream_fmt_t fmt_of(const host_variant_t *v)
{
    sg_stream_fmt_t f;
    sg_stream_fmt(&v->p, v->in_stream_w, v->out_stream_w, &f);
    return f;
}

uint64_t host_in_beats_fmt(const host_variant_t *v, uint32_t k, uint32_t flags, uint64_t a_ents)
{
    if ((flags & HOST_FLAGS_STREAM) == 0)
        return host_in_beats(v, k);
    const sg_stream_fmt_t f = fmt_of(v);
    uint64_t n = (flags & HOST_FLAGS_A_COMPRESSED) ? sg_stream_a_beats(&f, a_ents)
                                                   : (uint64_t)k * v->beats_a;
    if (!(flags & HOST_FLAGS_KEEP_B))
        n += (uint64_t)k * v->beats_b;
    return n;
}

uint64_t host_job_nnz_a(const host_variant_t *v, const sg_job_t *j)
{
    uint64_t n = 0;
    for (uint64_t i = 0; i < (uint64_t)v->p.rows * j->k; i++)
        n += sg_operand(j->a[i], v->p.data_w) != 0;
    return n;
}

/* The entry rule of format 2: a non-zero at k follows the row's previous entry at kp (-1 before
 * the first) with gap k - kp - 1; a gap above gmax = 2^a_gap_w - 1 first takes zero-valued
 * fillers of gap gmax, each advancing k by 2^a_gap_w. Calls put(ctx, gap, value) per entry. */
typedef void (*ent_fn)(void *ctx, uint32_t gap, int64_t val);
static uint32_t row_entries(const host_variant_t *v, const int32_t *a, uint32_t k, ent_fn put,
                            void *ctx)
{
    const uint32_t gmax = (UINT32_C(1) << v->a_gap_w) - 1u;
    uint32_t n = 0;
    int64_t kp = -1;
    for (uint32_t kk = 0; kk < k; kk++) {
        int64_t x = sg_operand(a[kk], v->p.data_w);
        if (x == 0)
            continue;
        uint64_t g = (uint64_t)((int64_t)kk - kp - 1);
        for (; g > gmax; g -= (uint64_t)gmax + 1u, n++)
            if (put) put(ctx, gmax, 0);
        if (put) put(ctx, (uint32_t)g, x);
        n++;
        kp = kk;
    }
    return n;
}

uint32_t host_row_a_ents(const host_variant_t *v, const int32_t *a, uint32_t k)
{
    return row_entries(v, a, k, NULL, NULL);
}

uint64_t host_job_a_ents(const host_variant_t *v, const sg_job_t *j)
{
    uint64_t n = 0;
    for (uint32_t r = 0; r < v->p.rows; r++)
        n += host_row_a_ents(v, j->a + (size_t)r * j->k, j->k);
    return n;
}

/* Bit `pos` of a section whose beats carry `bpb` bits each (from TDATA bit 0), from beat0. */
static void sec_put(uint32_t *words, uint32_t wpb, uint64_t beat0, uint32_t bpb, uint64_t pos,
                    uint32_t width, uint64_t val)
{
    for (uint32_t i = 0; i < width; i++, pos++)
        put_bits(words + (size_t)(beat0 + pos / bpb) * wpb, (uint32_t)(pos % bpb), 1,
                 (val >> i) & 1u);
}

static uint64_t sec_get(const uint32_t *words, uint32_t wpb, uint64_t beat0, uint32_t bpb,
                        uint64_t pos, uint32_t width)
{
    uint64_t val = 0;
    for (uint32_t i = 0; i < width; i++, pos++)
        val |= get_bits(words + (size_t)(beat0 + pos / bpb) * wpb, (uint32_t)(pos % bpb), 1) << i;
    return val;
}

/* the entry writer of the encoder */
typedef struct ent_sink {
    const host_variant_t *v;
    uint32_t *words;
    uint64_t i; /* entries written */
} ent_sink_t;

static void ent_put(void *ctx, uint32_t gap, int64_t val)
{
    ent_sink_t *s = ctx;
    const host_variant_t *v = s->v;
    uint64_t ent = sg_trunc((uint64_t)val, v->p.data_w) | (uint64_t)gap << v->p.data_w;
    sec_put(s->words, host_in_words_per_beat(v), v->a_hdr_beats, v->a_ebits, s->i * v->a_ent_w,
            v->a_ent_w, ent);
    s->i++;
}

void host_stream_pack_a(const host_variant_t *v, const uint32_t *counts, const uint32_t *gap,
                        const int32_t *val, uint64_t n, uint32_t *words)
{
    const uint32_t wpb = host_in_words_per_beat(v);
    const sg_stream_fmt_t f = fmt_of(v);
    memset(words, 0, (size_t)sg_stream_a_beats(&f, n) * wpb * sizeof *words);
    for (uint32_t r = 0; r < v->p.rows; r++)
        sec_put(words, wpb, 0, v->in_stream_w, (uint64_t)r * v->a_cnt_w, v->a_cnt_w, counts[r]);
    ent_sink_t s = {v, words, 0};
    for (uint64_t i = 0; i < n; i++)
        ent_put(&s, gap[i], val[i]);
}

static void put_elem(const host_variant_t *v, uint32_t *beat, uint32_t lane, int32_t x)
{
    uint64_t lanev = sg_trunc((uint64_t)sg_operand(x, v->p.data_w), v->in_lane_w);
    put_bits(beat, lane * v->in_lane_w, v->in_lane_w, lanev);
}

int host_stream_encode_fmt(const host_variant_t *v, const sg_job_t *j, uint32_t flags,
                           uint32_t *words, uint8_t *last, uint64_t cap_beats, char *err,
                           size_t errlen)
{
    if ((flags & HOST_FLAGS_STREAM) == 0)
        return host_stream_encode(v, j, words, last, cap_beats, err, errlen);
    if (v == NULL || j == NULL || words == NULL || last == NULL || j->a == NULL ||
        (!(flags & HOST_FLAGS_KEEP_B) && j->b == NULL))
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_encode_fmt: NULL argument");
    int rc = host_variant_check(v, err, errlen);
    if (rc != 0)
        return rc;
    if (j->k == 0)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_encode_fmt: k = 0");
    if ((flags & HOST_FLAGS_A_COMPRESSED) && v->a_ents == 0)
        return host_seterr(err, errlen, HOST_E_ARG,
                           "compressed A needs a sparse-capable variant whose stream (%u bits) "
                           "holds an entry (%u bits)",
                           v->in_stream_w, v->a_ent_w);
    const uint32_t R = v->p.rows, C = v->p.cols, K = j->k, wpb = host_in_words_per_beat(v);
    const uint64_t nents = (flags & HOST_FLAGS_A_COMPRESSED) ? host_job_a_ents(v, j) : 0u;
    const uint64_t nbeats = host_in_beats_fmt(v, K, flags, nents);
    if (nbeats > cap_beats)
        return host_seterr(err, errlen, HOST_E_ARG,
                           "host_stream_encode_fmt: %llu beats needed, buffer holds %llu",
                           (unsigned long long)nbeats, (unsigned long long)cap_beats);
    memset(words, 0, (size_t)nbeats * wpb * sizeof *words);
    memset(last, 0, (size_t)nbeats);
    uint64_t beat = 0;
    if (flags & HOST_FLAGS_A_COMPRESSED) {
        /* header: the rows' entry counts; then the entries {gap, value}, rows in order, packed
           across beats from entry bit 0; the bits after the last entry are zero */
        ent_sink_t s = {v, words, 0};
        for (uint32_t r = 0; r < R; r++) {
            uint32_t n = row_entries(v, j->a + (size_t)r * K, K, ent_put, &s);
            sec_put(words, wpb, 0, v->in_stream_w, (uint64_t)r * v->a_cnt_w, v->a_cnt_w, n);
        }
        const sg_stream_fmt_t f = fmt_of(v);
        beat = sg_stream_a_beats(&f, nents);
    } else {
        for (uint32_t kk = 0; kk < K; kk++, beat += v->beats_a)
            for (uint32_t r = 0; r < R; r++)
                put_elem(v, words + (size_t)(beat + r / v->elems_per_beat) * wpb,
                         r % v->elems_per_beat, j->a[(size_t)r * K + kk]);
    }
    if (!(flags & HOST_FLAGS_KEEP_B))
        for (uint32_t kk = 0; kk < K; kk++, beat += v->beats_b)
            for (uint32_t c = 0; c < C; c++)
                put_elem(v, words + (size_t)(beat + c / v->elems_per_beat) * wpb,
                         c % v->elems_per_beat, j->b[(size_t)kk * C + c]);
    last[nbeats - 1] = 1;
    return HOST_OK;
}

static int32_t get_elem(const host_variant_t *v, const uint32_t *beat, uint32_t lane)
{
    return (int32_t)sg_sext(get_bits(beat, lane * v->in_lane_w, v->in_lane_w), v->p.data_w);
}

int host_stream_decode_fmt(const host_variant_t *v, uint32_t k, uint32_t flags,
                           const uint32_t *words, uint64_t avail, int32_t *a, int32_t *b,
                           uint64_t *need, uint64_t *a_ents, int *afmt)
{
    const uint32_t R = v->p.rows, C = v->p.cols, wpb = host_in_words_per_beat(v);
    *afmt = 0;
    if (a_ents != NULL)
        *a_ents = 0;
    if ((flags & HOST_FLAGS_STREAM) == 0) {
        *need = host_in_beats(v, k);
        if (avail < *need)
            return 1;
        return host_stream_decode_operands(v, k, words, NULL, a, b, NULL, 0) == 0 ? 0 : -1;
    }
    uint64_t nents = 0;
    uint32_t counts[SG_MAX_ROWS];
    if (flags & HOST_FLAGS_A_COMPRESSED) {
        if (avail < v->a_hdr_beats) {
            *need = v->a_hdr_beats;
            return 1;
        }
        for (uint32_t r = 0; r < R; r++) {
            counts[r] = (uint32_t)sec_get(words, wpb, 0, v->in_stream_w,
                                          (uint64_t)r * v->a_cnt_w, v->a_cnt_w);
            nents += counts[r];
        }
    }
    if (a_ents != NULL)
        *a_ents = nents;
    *need = host_in_beats_fmt(v, k, flags, nents);
    if (avail < *need)
        return 1;
    memset(a, 0, (size_t)R * k * sizeof *a);
    uint64_t beat = 0;
    if (flags & HOST_FLAGS_A_COMPRESSED) {
        const uint32_t EW = v->a_ent_w, DW = v->p.data_w;
        const sg_stream_fmt_t f = fmt_of(v);
        uint64_t i = 0;
        for (uint32_t r = 0; r < R; r++) {
            if (counts[r] > k)
                *afmt = 1; /* a row holds at most K entries */
            int64_t kp = -1;
            for (uint32_t e = 0; e < counts[r]; e++, i++) {
                uint64_t ent = sec_get(words, wpb, v->a_hdr_beats, v->a_ebits, i * EW, EW);
                int64_t kk = kp + 1 + (int64_t)(ent >> DW);
                int32_t x = (int32_t)sg_sext(ent, DW);
                if (kk >= (int64_t)k)
                    *afmt = 1; /* not stored */
                else if (x != 0)
                    a[(size_t)r * k + (size_t)kk] = x;
                kp = kk;
            }
        }
        /* entries left over: bits after the last entry of the last entry beat */
        beat = sg_stream_a_beats(&f, nents);
        for (uint64_t pos = nents * EW; pos < (beat - v->a_hdr_beats) * v->a_ebits; pos++)
            if (sec_get(words, wpb, v->a_hdr_beats, v->a_ebits, pos, 1))
                *afmt = 1;
    } else {
        for (uint32_t kk = 0; kk < k; kk++, beat += v->beats_a)
            for (uint32_t r = 0; r < R; r++)
                a[(size_t)r * k + kk] =
                    get_elem(v, words + (size_t)(beat + r / v->elems_per_beat) * wpb,
                             r % v->elems_per_beat);
    }
    if (!(flags & HOST_FLAGS_KEEP_B))
        for (uint32_t kk = 0; kk < k; kk++, beat += v->beats_b)
            for (uint32_t c = 0; c < C; c++)
                b[(size_t)kk * C + c] =
                    get_elem(v, words + (size_t)(beat + c / v->elems_per_beat) * wpb,
                             c % v->elems_per_beat);
    return 0;
}

/* ------------------------------------------------------------------ trailer */

uint32_t host_trailer_words(const host_variant_t *v) { return SG_TRAILER_FIXED_WORDS + v->p.rows; }

uint32_t host_trailer_beats(const host_variant_t *v)
{
    return ceil_div(32u * host_trailer_words(v), v->out_stream_w);
}

/* Trailer word i lives at trailer bit 32*i: beat (32*i) / out_stream_w, bit (32*i) % width. */
static void trailer_put(const host_variant_t *v, uint32_t *words, uint32_t i, uint32_t val)
{
    const uint32_t wpb = host_out_words_per_beat(v), bit = 32u * i;
    for (uint32_t b = 0; b < 32; b++) {
        uint32_t tb = bit + b, beat = tb / v->out_stream_w, off = tb % v->out_stream_w;
        put_bits(words + (size_t)beat * wpb, off, 1, (val >> b) & 1u);
    }
}

static uint32_t trailer_get(const host_variant_t *v, const uint32_t *words, uint32_t i)
{
    const uint32_t wpb = host_out_words_per_beat(v), bit = 32u * i;
    uint32_t val = 0;
    for (uint32_t b = 0; b < 32; b++) {
        uint32_t tb = bit + b, beat = tb / v->out_stream_w, off = tb % v->out_stream_w;
        val |= (uint32_t)get_bits(words + (size_t)beat * wpb, off, 1) << b;
    }
    return val;
}

void host_stream_encode_trailer(const host_variant_t *v, const sg_counters_t *c,
                                uint32_t cyc_load, uint32_t cyc_compute, uint32_t *words)
{
    memset(words, 0, (size_t)host_trailer_beats(v) * host_out_words_per_beat(v) * sizeof *words);
    const uint32_t w[SG_TRAILER_FIXED_WORDS] = {
        [SG_TRL_MODE_USED] = c->mode_used,     [SG_TRL_MACS_ISSUED] = c->macs_issued,
        [SG_TRL_MACS_GATED] = c->macs_gated,   [SG_TRL_MACS_SKIPPED] = c->macs_skipped,
        [SG_TRL_NNZ_A] = c->nnz_a,             [SG_TRL_NNZ_B] = c->nnz_b,
        [SG_TRL_MAX_ROW_NNZ] = c->max_row_nnz, [SG_TRL_CYC_LOAD] = cyc_load,
        [SG_TRL_CYC_COMPUTE] = cyc_compute};
    for (uint32_t i = 0; i < SG_TRAILER_FIXED_WORDS; i++)
        trailer_put(v, words, i, w[i]);
    for (uint32_t r = 0; r < v->p.rows; r++)
        trailer_put(v, words, SG_TRAILER_FIXED_WORDS + r, c->row_nnz[r]);
}

int host_stream_decode_trailer(const host_variant_t *v, const uint32_t *words, sg_counters_t *c,
                               uint32_t *cyc_load, uint32_t *cyc_compute, char *err,
                               size_t errlen)
{
    if (v == NULL || words == NULL || c == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_stream_decode_trailer: NULL argument");
    memset(c, 0, sizeof *c);
    c->mode_used = trailer_get(v, words, SG_TRL_MODE_USED);
    c->macs_issued = trailer_get(v, words, SG_TRL_MACS_ISSUED);
    c->macs_gated = trailer_get(v, words, SG_TRL_MACS_GATED);
    c->macs_skipped = trailer_get(v, words, SG_TRL_MACS_SKIPPED);
    c->nnz_a = trailer_get(v, words, SG_TRL_NNZ_A);
    c->nnz_b = trailer_get(v, words, SG_TRL_NNZ_B);
    c->max_row_nnz = trailer_get(v, words, SG_TRL_MAX_ROW_NNZ);
    if (cyc_load != NULL)
        *cyc_load = trailer_get(v, words, SG_TRL_CYC_LOAD);
    if (cyc_compute != NULL)
        *cyc_compute = trailer_get(v, words, SG_TRL_CYC_COMPUTE);
    for (uint32_t r = 0; r < v->p.rows; r++)
        c->row_nnz[r] = trailer_get(v, words, SG_TRAILER_FIXED_WORDS + r);
    if (c->mode_used > SG_MODE_SPARSE)
        return host_seterr(err, errlen, HOST_E_PROTO, "trailer: MODE_USED word is %u", c->mode_used);
    return HOST_OK;
}
