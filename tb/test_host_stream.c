/* test_host_stream.c - host_quant and host_stream: quantizer scaling, rounding half away from
 * zero, clamping, all-zero and non-finite input; variant derivation (values and rejected
 * inputs), a hand-computed 2x3 data_w=8 stream_w=32 example written out literally, result
 * sign-extension checks, random round trips over odd stream widths; the compressed A format
 * (stream format 2): a literal example with a filler, seeded random round trips (empty rows,
 * full rows, long gaps that need fillers, partial last beats, the KMAX cap on entries per beat)
 * and malformed sections (ERR.AFMT).
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gold.h"
#include "host_err.h"
#include "host_quant.h"
#include "host_stream.h"
#include "test_sw.h"

/* ================================================================ quantizer */

START_TEST(test_quant)
{
    char err[256];
    const double x[5] = {1.0, -0.5, 0.25, 0.0, -1.0};
    int32_t q[5];
    double scale = 0;
    ck_assert_int_eq(host_quant(x, 5, 8, q, &scale, err, sizeof err), 0);
    ck_assert(fabs(scale - 1.0 / 127) < 1e-15);
    /* -0.5*127 = -63.5 -> -64 (half away from zero); 0.25*127 = 31.75 -> 32 */
    const int32_t eq[5] = {127, -64, 32, 0, -127};
    for (int i = 0; i < 5; i++)
        ck_assert_msg(q[i] == eq[i], "q[%d] = %d, expected %d", i, q[i], eq[i]);
    /* determinism */
    int32_t q2[5];
    double s2;
    ck_assert_int_eq(host_quant(x, 5, 8, q2, &s2, err, sizeof err), 0);
    ck_assert(s2 == scale && memcmp(q, q2, sizeof q) == 0);
    /* data_w 2: qmax 1 */
    const double y[4] = {3.0, -3.0, 1.4, -1.6};
    ck_assert_int_eq(host_quant(y, 4, 2, q, &scale, err, sizeof err), 0);
    ck_assert(scale == 3.0 && q[0] == 1 && q[1] == -1 && q[2] == 0 && q[3] == -1);
    /* all zero */
    const double z[3] = {0, -0.0, 0};
    ck_assert_int_eq(host_quant(z, 3, 8, q, &scale, err, sizeof err), 0);
    ck_assert(scale == 1.0 && q[0] == 0 && q[1] == 0 && q[2] == 0);
    /* clamping with an explicit scale; data_w 16 */
    const double w[3] = {1e6, -1e6, 32766.5};
    ck_assert_int_eq(host_quant_with_scale(w, 3, 16, 1.0, q, err, sizeof err), 0);
    ck_assert(q[0] == 32767 && q[1] == -32767 && q[2] == 32767);
    /* errors */
    const double bad[2] = {1.0, NAN};
    ck_assert_int_eq(host_quant(bad, 2, 8, q, &scale, err, sizeof err), HOST_E_RANGE);
    ck_assert_msg(strstr(err, "element 1") != NULL, "%s", err);
    ck_assert_int_eq(host_quant(x, 5, 1, q, &scale, err, sizeof err), HOST_E_RANGE);
    ck_assert_int_eq(host_quant_with_scale(x, 5, 8, 0.0, q, err, sizeof err), HOST_E_RANGE);
    ck_assert_int_eq(host_quant(NULL, 0, 8, NULL, &scale, err, sizeof err), 0);
}
END_TEST

/* ================================================================ stream format */

host_variant_t mkvar(uint32_t R, uint32_t C, uint32_t dw, uint32_t aw, uint32_t kmax,
                            bool sparse, uint32_t window, uint32_t sw)
{
    host_variant_t v;
    memset(&v, 0, sizeof v);
    v.p = (sg_params_t){R, C, dw, aw, kmax, sparse, window, 2, sg_out_w_default(aw)};
    v.window = window;
    v.in_stream_w = sw;
    ck_assert_msg(host_variant_derive(&v) == 0, "variant %ux%u dw%u aw%u sw%u invalid", R, C, dw, aw, sw);
    return v;
}

START_TEST(test_variant_derive)
{
    host_variant_t v = mkvar(2, 3, 8, 32, 16, true, 4, 32);
    ck_assert(v.in_lane_w == 8 && v.elems_per_beat == 4 && v.beats_per_slice == 2 && v.out_stream_w == 32);
    v = mkvar(16, 16, 12, 36, 256, true, 8, 64);
    ck_assert(v.in_lane_w == 16 && v.elems_per_beat == 4 && v.beats_per_slice == 8 && v.out_stream_w == 40);
    v = mkvar(4, 4, 16, 64, 8, false, 0, 48);
    ck_assert(v.in_lane_w == 16 && v.elems_per_beat == 3 && v.beats_per_slice == 3 && v.out_stream_w == 64);
    ck_assert_uint_eq(host_in_words_per_beat(&v), 2);
    ck_assert_uint_eq(host_out_words_per_beat(&v), 2);
    static const struct {
        sg_params_t p;
        uint32_t window, sw;
        const char *what;
    } bad[] = {
        {{0, 3, 8, 32, 16, true, 2, 2, 16}, 4, 32, "rows=0"},
        {{2, 40, 8, 32, 16, true, 2, 2, 16}, 4, 32, "cols=40"},
        {{2, 3, 17, 40, 16, true, 2, 2, 16}, 4, 32, "data_w=17"},
        {{2, 3, 8, 15, 16, true, 2, 2, 15}, 4, 32, "acc_w=15"},
        {{2, 3, 8, 32, 0, true, 2, 2, 16}, 4, 32, "kmax=0"},
        {{2, 3, 8, 32, 16, true, 2, 2, 16}, 0, 32, "window=0"},
        {{2, 3, 8, 32, 16, true, 2, 2, 16}, 256, 32, "window=256"},
        {{2, 3, 16, 32, 16, true, 2, 2, 16}, 4, 8, "in_stream_w=8"},
        {{2, 3, 8, 32, 16, true, 2, 2, 16}, 4, 36, "in_stream_w=36"},
        {{2, 3, 8, 32, 16, true, 2, 2, 16}, 4, 4096, "elements per beat"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        host_variant_t b;
        memset(&b, 0, sizeof b);
        b.p = bad[i].p;
        b.window = bad[i].window;
        b.in_stream_w = bad[i].sw;
        char err[256] = "";
        ck_assert_msg(host_variant_derive(&b) != 0, "bad variant %zu (%s) accepted", i, bad[i].what);
        ck_assert_int_ne(host_variant_derive_msg(&b, err, sizeof err), 0);
        ck_assert_msg(strstr(err, bad[i].what) != NULL, "bad variant %zu: message '%s' lacks '%s'", i, err, bad[i].what);
    }
    v = mkvar(2, 3, 8, 32, 16, true, 4, 32);
    v.beats_per_slice = 3;
    char err[256];
    ck_assert_int_eq(host_variant_check(&v, err, sizeof err), HOST_E_RANGE);
    ck_assert_msg(strstr(err, "beats_per_slice") != NULL, "%s", err);
}
END_TEST

/* Hand-computed example: 2x3 array, data_w 8, stream_w 32 -> lanes of 8 bits, 4 per beat,
 * 2 beats per slice.  A = [[1, -2], [3, 0x1FF (low 8 bits: -1)]], B = [[4, 5, 6], [-1, 0, -128]]. */
START_TEST(test_stream_literal)
{
    host_variant_t v = mkvar(2, 3, 8, 16, 4, true, 2, 32);
    const int32_t a[4] = {1, -2, 3, 0x1FF};
    const int32_t b[6] = {4, 5, 6, -1, 0, -128};
    sg_job_t j = {2, SG_MODE_DENSE, 256, false, a, b};
    uint32_t words[4];
    uint8_t last[4];
    char err[256];
    ck_assert_int_eq(host_stream_encode(&v, &j, words, last, 4, err, sizeof err), 0);
    /* slice 0: A[0][0]=1 A[1][0]=3 B[0][0]=4 B[0][1]=5 | B[0][2]=6 pad pad pad
     * slice 1: A[0][1]=-2 A[1][1]=-1 B[1][0]=-1 B[1][1]=0 | B[1][2]=-128 pad pad pad */
    const uint32_t ew[4] = {0x05040301u, 0x00000006u, 0x00FFFFFEu, 0x00000080u};
    const uint8_t el[4] = {0, 0, 0, 1};
    for (int i = 0; i < 4; i++)
        ck_assert_msg(words[i] == ew[i] && last[i] == el[i], "beat %d: 0x%08x last %u, expected 0x%08x last %u",
                      i, words[i], last[i], ew[i], el[i]);
    ck_assert_int_eq(host_stream_encode(&v, &j, words, last, 3, err, sizeof err), HOST_E_ARG);

    /* results C = [[6, 5, 262], [13, 15, 146]] on 16-bit beats */
    const uint32_t rw[6] = {0x0006, 0x0005, 0x0106, 0x000D, 0x000F, 0x0092};
    const uint8_t rl[6] = {0, 0, 0, 0, 0, 1};
    int64_t c[6];
    ck_assert_int_eq(host_stream_decode_results(&v, rw, rl, 6, c, err, sizeof err), 0);
    const int64_t ec[6] = {6, 5, 262, 13, 15, 146};
    for (int i = 0; i < 6; i++)
        ck_assert_msg(c[i] == ec[i], "c[%d] = %" PRId64 ", expected %" PRId64, i, c[i], ec[i]);
    int64_t g[6];
    ck_assert_uint_eq(gold_run(&v.p, &j, g, NULL), 0);
    ck_assert(memcmp(g, ec, sizeof g) == 0);
    uint32_t back[6];
    uint8_t bl[6];
    ck_assert_int_eq(host_stream_encode_results(&v, ec, back, bl, err, sizeof err), 0);
    ck_assert(memcmp(back, rw, sizeof back) == 0 && memcmp(bl, rl, sizeof bl) == 0);
    /* negative values, missing TLAST */
    const uint32_t nw[6] = {0xFFFF, 0x8000, 0x7FFF, 0, 1, 0xFFFE};
    ck_assert_int_eq(host_stream_decode_results(&v, nw, rl, 6, c, err, sizeof err), 0);
    ck_assert(c[0] == -1 && c[1] == -32768 && c[2] == 32767 && c[5] == -2);
    const uint8_t nol[6] = {0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(host_stream_decode_results(&v, nw, nol, 6, c, err, sizeof err), HOST_E_PROTO);
    ck_assert_int_eq(host_stream_decode_results(&v, nw, rl, 5, c, err, sizeof err), HOST_E_ARG);

    /* acc_w 12 on a 16-bit beat: bits 12..15 must copy bit 11 */
    host_variant_t v12 = mkvar(1, 1, 4, 12, 4, true, 2, 32);
    uint32_t one = 0xF800; /* -2048 */
    ck_assert_int_eq(host_stream_decode_results(&v12, &one, NULL, 1, c, err, sizeof err), 0);
    ck_assert(c[0] == -2048);
    one = 0x0800; /* bit 11 set, extension bits clear */
    ck_assert_int_eq(host_stream_decode_results(&v12, &one, NULL, 1, c, err, sizeof err), HOST_E_PROTO);
    ck_assert_msg(strstr(err, "beat 0") != NULL, "%s", err);

    /* acc_w 40: two words per beat, -2 = 0xFF_FFFFFFFE */
    host_variant_t v40 = mkvar(1, 2, 16, 40, 4, true, 2, 64);
    const int64_t c40[2] = {-2, (INT64_C(1) << 39) - 1};
    uint32_t w40[4];
    uint8_t l40[2];
    ck_assert_int_eq(host_stream_encode_results(&v40, c40, w40, l40, err, sizeof err), 0);
    ck_assert_msg(w40[0] == 0xFFFFFFFEu && w40[1] == 0xFFu && w40[2] == 0xFFFFFFFFu && w40[3] == 0x7Fu,
                  "acc_w 40 words %08x %08x %08x %08x", w40[0], w40[1], w40[2], w40[3]);
    int64_t d40[2];
    ck_assert_int_eq(host_stream_decode_results(&v40, w40, l40, 2, d40, err, sizeof err), 0);
    ck_assert(d40[0] == -2 && d40[1] == c40[1]);
}
END_TEST

/* Results with FLAGS.OUT_STAGE: OUT_W-bit values in lanes of 8*ceil(OUT_W/8) bits, written out
 * by hand (docs/data-formats.md). */
START_TEST(test_results_out_stage)
{
    char err[256];
    /* 2x3, acc 32, out 16 on a 64-bit result stream: 4 lanes of 16 bits, 2 beats */
    host_variant_t v = mkvar(2, 3, 8, 32, 16, true, 4, 32);
    v.out_stream_w = 64;
    ck_assert_int_eq(host_variant_derive(&v), 0);
    ck_assert(v.os_lane_w == 16 && v.os_per_beat == 4 && v.results_per_beat == 2);
    ck_assert_uint_eq(host_out_beats_os(&v, 1), 2);
    ck_assert_uint_eq(host_out_beats_os(&v, 0), 3);
    const int64_t c[6] = {-1, 2, 32767, -32768, 5, 0};
    uint32_t w[4];
    uint8_t l[2];
    ck_assert_int_eq(host_stream_encode_results_os(&v, 1, c, w, l, err, sizeof err), 0);
    ck_assert_msg(w[0] == 0x0002FFFFu && w[1] == 0x80007FFFu && w[2] == 5u && w[3] == 0u && !l[0] && l[1],
                  "words %08x %08x %08x %08x", w[0], w[1], w[2], w[3]);
    int64_t d[6];
    ck_assert_int_eq(host_stream_decode_results_os(&v, 1, w, l, 2, d, err, sizeof err), 0);
    ck_assert_int_eq(memcmp(c, d, sizeof d), 0);
    ck_assert_int_eq(host_stream_decode_results_os(&v, 1, w, l, 3, d, err, sizeof err), HOST_E_ARG);
    /* out 12 in a 16-bit lane: bits 12..15 must copy bit 11 */
    host_variant_t v12 = mkvar(1, 1, 4, 32, 4, true, 2, 32);
    v12.p.out_w = 12;
    ck_assert_int_eq(host_variant_derive(&v12), 0);
    uint32_t one = 0xF800; /* -2048 */
    ck_assert_int_eq(host_stream_decode_results_os(&v12, 1, &one, NULL, 1, d, err, sizeof err), 0);
    ck_assert(d[0] == -2048);
    one = 0x0800;
    ck_assert_int_eq(host_stream_decode_results_os(&v12, 1, &one, NULL, 1, d, err, sizeof err), HOST_E_PROTO);
}
END_TEST

START_TEST(test_stream_roundtrip)
{
    static const uint32_t widths[][2] = {{2, 8}, {3, 8}, {8, 8}, {8, 24}, {9, 16}, {12, 48}, {16, 16}, {16, 80}, {5, 40}};
    uint64_t s = 99;
    char err[256];
    for (size_t t = 0; t < 60; t++) {
        uint32_t dw = widths[t % 9][0], sw = widths[t % 9][1];
        s = s * 6364136223846793005ULL + 1;
        uint32_t R = 1 + (uint32_t)(s >> 60), C = 1 + (uint32_t)((s >> 50) & 15), K = 1 + (uint32_t)((s >> 40) & 7);
        uint32_t aw = 2 * dw + (uint32_t)((s >> 20) % (65 - 2 * dw));
        host_variant_t v = mkvar(R, C, dw, aw, 8, true, 4, sw);
        int32_t a[16 * 8], b[8 * 16], a2[16 * 8], b2[8 * 16];
        for (uint32_t i = 0; i < R * K; i++) {
            s = s * 6364136223846793005ULL + 1;
            a[i] = (int32_t)(uint32_t)(s >> 17);
        }
        for (uint32_t i = 0; i < K * C; i++) {
            s = s * 6364136223846793005ULL + 1;
            b[i] = (int32_t)(uint32_t)(s >> 19);
        }
        sg_job_t j = {K, 0, 256, false, a, b};
        uint64_t nb = host_in_beats(&v, K);
        uint32_t *w = calloc((size_t)nb * host_in_words_per_beat(&v), sizeof *w);
        uint8_t *l = calloc((size_t)nb, 1);
        ck_assert(w && l);
        ck_assert_int_eq(host_stream_encode(&v, &j, w, l, nb, err, sizeof err), 0);
        ck_assert_int_eq(host_stream_decode_operands(&v, K, w, l, a2, b2, err, sizeof err), 0);
        for (uint32_t i = 0; i < R * K; i++)
            ck_assert_msg(a2[i] == (int32_t)sg_operand(a[i], dw), "roundtrip %zu: a[%u]", t, i);
        for (uint32_t i = 0; i < K * C; i++)
            ck_assert_msg(b2[i] == (int32_t)sg_operand(b[i], dw), "roundtrip %zu: b[%u]", t, i);
        if (nb > 1) {
            l[0] = 1;
            ck_assert_int_eq(host_stream_decode_operands(&v, K, w, l, a2, b2, err, sizeof err), HOST_E_PROTO);
        }
        free(w);
        free(l);
        int64_t c[16 * 16], c2[16 * 16];
        for (uint32_t i = 0; i < R * C; i++) {
            s = s * 6364136223846793005ULL + 1;
            c[i] = sg_sext(s, aw);
        }
        uint32_t *rw = calloc((size_t)R * C * host_out_words_per_beat(&v), sizeof *rw);
        uint8_t *rl = calloc((size_t)R * C, 1);
        ck_assert(rw && rl);
        ck_assert_int_eq(host_stream_encode_results(&v, c, rw, rl, err, sizeof err), 0);
        ck_assert_int_eq(host_stream_decode_results(&v, rw, rl, (uint64_t)R * C, c2, err, sizeof err), 0);
        ck_assert_msg(memcmp(c, c2, (size_t)R * C * sizeof *c) == 0, "result roundtrip %zu (aw %u)", t, aw);
        free(rw);
        free(rl);
    }
}
END_TEST

/* ================================================================ compressed A (format 2) */

/* 2x4, data_w 8, KMAX 16 (count 5 bits, gap 3 bits, entries 11 bits), 16-bit stream: 2 entries
 * a beat at most, one header beat.  Row 0: A[0][1] = 5, A[0][12] = -1 (gap 10 > 7: a filler of
 * gap 7 to k = 9, then gap 2); row 1: A[1][0] = 3.  Counts 3 and 1; entries 0x105, 0x700, 0x2FF,
 * 0x003 at entry bits 0, 11, 22, 33. */
START_TEST(test_afmt_literal)
{
    host_variant_t v = mkvar(2, 4, 8, 16, 16, true, 4, 16);
    ck_assert_msg(v.a_cnt_w == 5 && v.a_gap_w == 3 && v.a_ent_w == 11 && v.a_ents == 2 &&
                      v.a_ebits == 16 && v.a_hdr_beats == 1,
                  "format fields cnt %u gap %u ent %u ents %u ebits %u hdr %u", v.a_cnt_w, v.a_gap_w,
                  v.a_ent_w, v.a_ents, v.a_ebits, v.a_hdr_beats);
    int32_t a[2 * 13] = {0};
    int32_t b[13 * 4];
    for (int i = 0; i < 13 * 4; i++)
        b[i] = i + 1;
    a[1] = 5;
    a[12] = -1;
    a[13 + 0] = 3;
    sg_job_t j = {13, SG_MODE_SPARSE, 256, false, a, b};
    ck_assert_uint_eq(host_job_a_ents(&v, &j), 4);
    ck_assert_uint_eq(host_job_nnz_a(&v, &j), 3);
    const uint32_t fl = HOST_FLAGS_A_COMPRESSED | HOST_FLAGS_KEEP_B;
    ck_assert_uint_eq(host_in_beats_fmt(&v, 13, fl, 4), 4);
    uint32_t words[4 + 26];
    uint8_t last[4 + 26];
    char err[256];
    ck_assert_int_eq(host_stream_encode_fmt(&v, &j, fl, words, last, 4, err, sizeof err), 0);
    const uint32_t ew[4] = {0x0023, 0x0105, 0xBFF8, 0x0006};
    for (int i = 0; i < 4; i++)
        ck_assert_msg(words[i] == ew[i] && last[i] == (i == 3), "beat %d: 0x%04x last %u, expected 0x%04x", i,
                      words[i], last[i], ew[i]);
    /* the same A followed by its B section (2 beats of 2 elements per k): 4 + 26 beats, B after
       the last entry beat */
    ck_assert_int_eq(host_stream_encode_fmt(&v, &j, HOST_FLAGS_A_COMPRESSED, words, last, 30, err, sizeof err), 0);
    ck_assert(words[3] == 0x0006 && words[4] == 0x0201 && words[29] == 0x3433 && last[29] && !last[3]);
    /* device side */
    int32_t a2[2 * 13], b2[13 * 4];
    uint64_t need = 0, ents = 0;
    int afmt = -1;
    ck_assert_int_eq(host_stream_decode_fmt(&v, 13, HOST_FLAGS_A_COMPRESSED, words, 0, a2, b2, &need, &ents, &afmt), 1);
    ck_assert_uint_eq(need, 1);
    ck_assert_int_eq(host_stream_decode_fmt(&v, 13, HOST_FLAGS_A_COMPRESSED, words, 1, a2, b2, &need, &ents, &afmt), 1);
    ck_assert(need == 30 && ents == 4);
    ck_assert_int_eq(host_stream_decode_fmt(&v, 13, HOST_FLAGS_A_COMPRESSED, words, 30, a2, b2, &need, &ents, &afmt), 0);
    ck_assert(afmt == 0 && memcmp(a, a2, sizeof a) == 0 && memcmp(b, b2, sizeof b) == 0);
    /* the packer writes the same section from its parts */
    const uint32_t cnt[2] = {3, 1}, gap[4] = {1, 7, 2, 0};
    const int32_t val[4] = {5, 0, -1, 3};
    uint32_t pk[4];
    host_stream_pack_a(&v, cnt, gap, val, 4, pk);
    ck_assert(memcmp(pk, ew, sizeof pk) == 0);
    /* a 2x1 array caps the entries per beat at 1 (one per 4 PEs): 11 entry bits a beat */
    host_variant_t v1 = mkvar(2, 1, 8, 16, 16, true, 4, 16);
    ck_assert(v1.a_ents == 1 && v1.a_ebits == 11);
    ck_assert_uint_eq(host_in_beats_fmt(&v1, 13, fl, 4), 1 + 4);
    ck_assert_int_eq(host_stream_encode_fmt(&v1, &j, fl, words, last, 5, err, sizeof err), 0);
    const uint32_t ew1[5] = {0x0023, 0x0105, 0x0700, 0x02FF, 0x0003};
    for (int i = 0; i < 5; i++)
        ck_assert_msg(words[i] == ew1[i], "capped beat %d: 0x%04x, expected 0x%04x", i, words[i], ew1[i]);
}
END_TEST

static uint64_t afmt_seed;

static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Random jobs on random variants: encode, decode on the device side, compare; the section's
 * length is the contract's (counts' sum, fillers included) and known from the header beats. */
START_TEST(test_afmt_roundtrip)
{
    static const uint32_t sws[] = {8, 16, 24, 32, 64, 128, 256};
    uint64_t s = afmt_seed;
    char err[256];
    uint64_t fillers = 0, partial = 0, capped = 0, empty_rows = 0, full_rows = 0;
    for (int t = 0; t < 400; t++) {
        const uint32_t R = 1 + (uint32_t)(rnd(&s) % 16), C = 1 + (uint32_t)(rnd(&s) % 5);
        const uint32_t dw = 2 + (uint32_t)(rnd(&s) % 15), kmax = 1u << (2 + rnd(&s) % 8);
        uint32_t sw = sws[rnd(&s) % 7];
        if (sw < 8u * ((dw + 7) / 8)) sw = 8u * ((dw + 7) / 8);
        host_variant_t v = mkvar(R, C, dw, 2 * dw < 4 ? 4 : 2 * dw, kmax, true, 2, sw);
        if (v.a_ents == 0)
            continue;
        const uint32_t K = 1 + (uint32_t)(rnd(&s) % kmax);
        int32_t *a = calloc((size_t)R * K, sizeof *a), *b = calloc((size_t)K * C, sizeof *b);
        int32_t *a2 = calloc((size_t)R * K, sizeof *a2), *b2 = calloc((size_t)K * C, sizeof *b2);
        ck_assert(a && b && a2 && b2);
        for (uint32_t r = 0; r < R; r++) {
            /* per row: empty, full, one far non-zero (long gaps), or a random density */
            const uint32_t kind = (uint32_t)(rnd(&s) % 5), dens = (uint32_t)(rnd(&s) % 101);
            for (uint32_t k = 0; k < K; k++) {
                int32_t x = (int32_t)rnd(&s);
                if (kind == 0) x = 0;
                if (kind == 1 && sg_operand(x, dw) == 0) x = 1;
                if (kind == 2) x = k + 1 == K ? -1 : 0;
                if (kind >= 3 && rnd(&s) % 100 >= dens) x = 0;
                a[(size_t)r * K + k] = x;
            }
            empty_rows += kind == 0;
            full_rows += kind == 1;
        }
        for (uint32_t i = 0; i < K * C; i++)
            b[i] = (int32_t)rnd(&s);
        sg_job_t j = {K, SG_MODE_SPARSE, 256, false, a, b};
        const uint32_t fl = HOST_FLAGS_A_COMPRESSED | (rnd(&s) % 2 ? HOST_FLAGS_KEEP_B : 0u);
        const uint64_t ents = host_job_a_ents(&v, &j), nnz = host_job_nnz_a(&v, &j);
        ck_assert_msg(ents >= nnz, "seed %" PRIu64 " job %d: %" PRIu64 " entries < %" PRIu64 " non-zeros",
                      afmt_seed, t, ents, nnz);
        fillers += ents - nnz;
        partial += (ents * v.a_ent_w) % v.a_ebits != 0;
        capped += v.a_ebits != v.in_stream_w;
        const uint64_t nb = host_in_beats_fmt(&v, K, fl, ents);
        /* the section's length from its definition: header beats + entry bits / entry bits per beat */
        const uint64_t hb = ((uint64_t)R * v.a_cnt_w + sw - 1) / sw;
        const uint64_t eb = (ents * v.a_ent_w + v.a_ebits - 1) / v.a_ebits;
        ck_assert_uint_eq(nb, hb + eb + ((fl & HOST_FLAGS_KEEP_B) ? 0u : (uint64_t)K * v.beats_b));
        const uint32_t wpb = host_in_words_per_beat(&v);
        uint32_t *w = calloc((size_t)nb * wpb, sizeof *w);
        uint8_t *l = calloc((size_t)nb, 1);
        ck_assert(w && l);
        ck_assert_int_eq(host_stream_encode_fmt(&v, &j, fl, w, l, nb, err, sizeof err), 0);
        uint64_t need = 0, dents = 0;
        int afmt = -1;
        ck_assert_int_eq(host_stream_decode_fmt(&v, K, fl, w, hb - 1, a2, b2, &need, &dents, &afmt), 1);
        ck_assert_int_eq(host_stream_decode_fmt(&v, K, fl, w, nb - 1, a2, b2, &need, &dents, &afmt), 1);
        ck_assert_int_eq(host_stream_decode_fmt(&v, K, fl, w, nb, a2, b2, &need, &dents, &afmt), 0);
        int bad = need != nb || dents != ents || afmt != 0;
        for (uint32_t i = 0; i < R * K; i++)
            bad |= a2[i] != (int32_t)sg_operand(a[i], dw);
        for (uint32_t i = 0; !(fl & HOST_FLAGS_KEEP_B) && i < K * C; i++)
            bad |= b2[i] != (int32_t)sg_operand(b[i], dw);
        ck_assert_msg(!bad,
                      "compressed round trip %d (%ux%u dw %u kmax %u K %u sw %u): need %" PRIu64 "/%" PRIu64
                      " entries %" PRIu64 "/%" PRIu64 " afmt %d\n  reproduce: SG_SEED=%" PRIu64
                      " build/bin/test_sw host_stream",
                      t, R, C, dw, kmax, K, sw, need, nb, dents, ents, afmt, afmt_seed);
        free(w);
        free(l);
        free(a);
        free(b);
        free(a2);
        free(b2);
    }
    /* the cases the loop is there for did occur */
    ck_assert_msg(fillers > 0 && partial > 0 && capped > 0 && empty_rows > 0 && full_rows > 0,
                  "seed %" PRIu64 ": fillers %" PRIu64 " partial %" PRIu64 " capped %" PRIu64
                  " empty %" PRIu64 " full %" PRIu64,
                  afmt_seed, fillers, partial, capped, empty_rows, full_rows);
}
END_TEST

/* Malformed sections: each breaks one rule and sets afmt; the section's length follows the
 * counts as given. 2x4 as in test_afmt_literal, K = 13. */
START_TEST(test_afmt_errors)
{
    host_variant_t v = mkvar(2, 4, 8, 16, 16, true, 4, 16);
    int32_t a[2 * 16], b[16 * 4];
    uint32_t w[64];
    uint64_t need, ents;
    int afmt;
    const uint32_t fl = HOST_FLAGS_A_COMPRESSED | HOST_FLAGS_KEEP_B;
    /* a well-formed one first: row 0 {gap 7, 0} {gap 4, 9} -> A[0][12] = 9 */
    {
        const uint32_t cnt[2] = {2, 0}, gap[2] = {7, 4};
        const int32_t val[2] = {0, 9};
        host_stream_pack_a(&v, cnt, gap, val, 2, w);
        ck_assert_int_eq(host_stream_decode_fmt(&v, 13, fl, w, 64, a, b, &need, &ents, &afmt), 0);
        ck_assert(afmt == 0 && need == 3 && ents == 2 && a[12] == 9);
    }
    /* k >= K: gap 4 after the filler reaches k = 13 */
    {
        const uint32_t cnt[2] = {2, 0}, gap[2] = {7, 5};
        const int32_t val[2] = {0, 9};
        host_stream_pack_a(&v, cnt, gap, val, 2, w);
        ck_assert_int_eq(host_stream_decode_fmt(&v, 13, fl, w, 64, a, b, &need, &ents, &afmt), 0);
        ck_assert_msg(afmt == 1, "k >= K not flagged");
    }
    /* a filler past K is a format error too */
    {
        const uint32_t cnt[2] = {0, 2}, gap[2] = {7, 7};
        const int32_t val[2] = {0, 0};
        host_stream_pack_a(&v, cnt, gap, val, 2, w);
        ck_assert_int_eq(host_stream_decode_fmt(&v, 13, fl, w, 64, a, b, &need, &ents, &afmt), 0);
        ck_assert_msg(afmt == 1, "filler at k >= K not flagged");
    }
    /* a count above K (14 entries of gap 0 in a row of K = 13): length 1 + ceil(14*11/16) */
    {
        uint32_t cnt[2] = {14, 0}, gap[14] = {0};
        int32_t val[14];
        for (int i = 0; i < 14; i++) val[i] = 1;
        host_stream_pack_a(&v, cnt, gap, val, 14, w);
        ck_assert_int_eq(host_stream_decode_fmt(&v, 13, fl, w, 64, a, b, &need, &ents, &afmt), 0);
        ck_assert_msg(afmt == 1 && need == 1 + (14 * 11 + 15) / 16 && ents == 14, "count > K: afmt %d need %" PRIu64, afmt, need);
    }
    /* entries left over: a non-zero bit after the last entry of the last beat */
    {
        const uint32_t cnt[2] = {1, 0}, gap[1] = {0};
        const int32_t val[1] = {4};
        host_stream_pack_a(&v, cnt, gap, val, 1, w);
        w[1] |= 1u << 11;
        ck_assert_int_eq(host_stream_decode_fmt(&v, 13, fl, w, 64, a, b, &need, &ents, &afmt), 0);
        ck_assert_msg(afmt == 1 && need == 2, "bits after the last entry not flagged");
        w[1] &= ~(1u << 11);
        w[1] |= 1u << 15;
        ck_assert_int_eq(host_stream_decode_fmt(&v, 13, fl, w, 64, a, b, &need, &ents, &afmt), 0);
        ck_assert_msg(afmt == 1, "top bit of the last beat not flagged");
        w[1] &= ~(1u << 15);
        ck_assert_int_eq(host_stream_decode_fmt(&v, 13, fl, w, 64, a, b, &need, &ents, &afmt), 0);
        ck_assert(afmt == 0 && a[0] == 4);
    }
}
END_TEST

Suite *make_host_stream_suite(void)
{
    const char *env = getenv("SG_SEED");
    afmt_seed = env != NULL ? strtoull(env, NULL, 0)
                            : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    printf("host_stream: random seed %" PRIu64 " (reproduce: SG_SEED=%" PRIu64
           " build/bin/test_sw host_stream)\n",
           afmt_seed, afmt_seed);
    TSW_SUITE("host_stream", 30, {test_quant, 0}, {test_variant_derive, 0},
              {test_stream_literal, 0}, {test_stream_roundtrip, 0}, {test_afmt_literal, 0},
              {test_afmt_roundtrip, 0}, {test_afmt_errors, 0}, {test_results_out_stage, 0});
}
