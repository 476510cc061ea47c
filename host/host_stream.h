/* host_stream.h - operand/result stream beats of one job, exactly per docs/data-formats.md.
 *
 * A beat is `words_per_beat` uint32_t words; TDATA bit i is bit (i % 32) of word (i / 32)
 * (little-endian lanes).  Bits at or above the stream width are 0 when encoding and ignored when
 * decoding.  TLAST is one uint8_t (0/1) per beat.
 */
#ifndef SPARSEGEN_HOST_STREAM_H
#define SPARSEGEN_HOST_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "sg_contract.h"

typedef struct host_variant {
    sg_params_t p;
    uint32_t window;          /* sparse feeder window (PARAM2[7:0]); timing only */
    uint32_t in_stream_w;     /* operand TDATA width */
    uint32_t in_lane_w;       /* derived: 8*ceil(data_w/8) */
    uint32_t elems_per_beat;  /* derived: in_stream_w / in_lane_w */
    uint32_t beats_per_slice; /* derived: ceil((rows+cols)/elems_per_beat) */
    uint32_t out_stream_w;    /* result TDATA width (PARAM3[15:0]); 0 before deriving = one
                                 result lane, 8*ceil(acc_w/8) (the first format) */
    uint32_t out_lane_w;      /* derived: 8*ceil(acc_w/8), one result */
    uint32_t results_per_beat; /* derived: out_stream_w / out_lane_w */
    uint32_t os_lane_w;       /* derived: 8*ceil(out_w/8), one result with FLAGS.OUT_STAGE */
    uint32_t os_per_beat;     /* derived: out_stream_w / os_lane_w */
    uint32_t os_group;        /* derived: results the output stage takes a cycle (sg_stream_fmt) */
    /* derived: operand stream sections and compressed A (docs/data-formats.md) */
    uint32_t beats_a;         /* dense A section: beats per slice, ceil(rows/elems_per_beat) */
    uint32_t beats_b;         /* B section: beats per slice, ceil(cols/elems_per_beat) */
    /* derived: compressed A, format 2 (sg_stream_fmt_t, docs/data-formats.md) */
    uint32_t a_cnt_w;         /* a row's entry count: clog2(kmax) + 1 bits */
    uint32_t a_hdr_beats;     /* header beats of the counts: ceil(rows * a_cnt_w / in_stream_w) */
    uint32_t a_gap_w;         /* entry gap field */
    uint32_t a_ent_w;         /* entry bits: a_gap_w + data_w */
    uint32_t a_ents;          /* entries completed per beat at most (0 = no compressed format) */
    uint32_t a_ebits;         /* entry bits per entry beat */
    uint32_t a_cap;           /* PARAM4.A_CAP: non-zeros a row of A may have in one job (0: no
                                 limit); host_gemm chooses K chunks that fit */
} host_variant_t;

/* Version of the stream format below (manifest.json "stream_format_version"). */
#define HOST_STREAM_FORMAT_VERSION SG_STREAM_FORMAT
/* FLAGS fields that change the operand stream (positions: contract/sg_regs.def). */
#define HOST_FLAGS_KEEP_B SG_FMASK(FLAGS, KEEP_B) /* no B section: the job uses the resident B */
#define HOST_FLAGS_A_COMPRESSED SG_FMASK(FLAGS, A_COMPRESSED) /* A section as non-zero entries */
#define HOST_FLAGS_STREAM (HOST_FLAGS_KEEP_B | HOST_FLAGS_A_COMPRESSED)
/* FLAGS.TRAILER: the job's counters follow its results on the result stream (the trailer). */
#define HOST_FLAGS_TRAILER SG_FMASK(FLAGS, TRAILER)
/* FLAGS.OUT_STAGE: the job's results are OUT_W-bit, through the output stage (OUT_BIAS,
 * OUT_SHIFT, OUT_CLAMP, FLAGS.OUT_RELU; gold_out_stage), os_per_beat per beat. */
#define HOST_FLAGS_OUT_STAGE SG_FMASK(FLAGS, OUT_STAGE)
#define HOST_FLAGS_OUT_RELU SG_FMASK(FLAGS, OUT_RELU)
/* Trailer words: SG_TRAILER_WORDS (sg_contract.h), then ROW_NNZ[0..rows-1]; word i at bits
 * [32*i +: 32] of the trailer, cut into beats of out_stream_w bits. */
uint32_t host_trailer_words(const host_variant_t *v); /* SG_TRAILER_FIXED_WORDS + rows */
uint32_t host_trailer_beats(const host_variant_t *v); /* ceil(32 * words / out_stream_w) */
/* Decode a trailer (host_trailer_beats(v) beats of host_out_words_per_beat(v) words) into
 * the architectural counters and the LOAD/COMPUTE cycle counts (cyc_load, cyc_compute may be
 * NULL). */
int host_stream_decode_trailer(const host_variant_t *v, const uint32_t *words, sg_counters_t *c,
                               uint32_t *cyc_load, uint32_t *cyc_compute, char *err,
                               size_t errlen);
/* Its inverse (device models); words holds host_trailer_beats * host_out_words_per_beat. */
void host_stream_encode_trailer(const host_variant_t *v, const sg_counters_t *c,
                                uint32_t cyc_load, uint32_t cyc_compute, uint32_t *words);

/* Fill in_lane_w, elems_per_beat, beats_per_slice, out_stream_w from p, window and
 * in_stream_w.  Returns 0, or 1 if the inputs are inconsistent (see host_variant_derive_msg):
 * invalid p (sg_check_params), in_stream_w not a multiple of 8 in in_lane_w..65535,
 * elems_per_beat > 255, window > 255, or window == 0 on a sparse-capable variant. */
uint32_t host_variant_derive(host_variant_t *v);
/* Same, with a message naming the offending field. Returns 0 or HOST_E_RANGE/HOST_E_ARG. */
int host_variant_derive_msg(host_variant_t *v, char *err, size_t errlen);
/* Checks that an already filled variant is consistent (derived fields equal what
 * host_variant_derive would compute). 0 or HOST_E_RANGE with message. */
int host_variant_check(const host_variant_t *v, char *err, size_t errlen);

uint32_t host_in_words_per_beat(const host_variant_t *v);  /* ceil(in_stream_w/32) */
uint32_t host_out_words_per_beat(const host_variant_t *v); /* ceil(out_stream_w/32) */
/* Result beats of a job: ceil(rows*cols / results_per_beat). */
uint64_t host_out_beats(const host_variant_t *v);
/* The same for a job with FLAGS.OUT_STAGE set (os != 0): ceil(rows*cols / os_per_beat). */
uint64_t host_out_beats_os(const host_variant_t *v, int os);
/* Number of operand beats of a job with this K: K * beats_per_slice. */
uint64_t host_in_beats(const host_variant_t *v, uint32_t k);
/* Operand beats of a job with stream flags (HOST_FLAGS_KEEP_B, HOST_FLAGS_A_COMPRESSED):
 * flags 0: K * beats_per_slice (interleaved slices); otherwise the A section (dense:
 * K * beats_a; compressed: sg_stream_a_beats of its a_ents entries, fillers included, as
 * host_job_a_ents counts them) plus, unless KEEP_B, K * beats_b. */
uint64_t host_in_beats_fmt(const host_variant_t *v, uint32_t k, uint32_t flags, uint64_t a_ents);
/* Non-zeros of the job's A (rows x k). */
uint64_t host_job_nnz_a(const host_variant_t *v, const sg_job_t *j);
/* Entries of the job's A in the compressed format: its non-zeros plus the zero-valued fillers
 * that bridge gaps longer than 2^a_gap_w - 1 (host_row_a_ents per row). */
uint64_t host_job_a_ents(const host_variant_t *v, const sg_job_t *j);
/* Entries of one row a[0..k-1] (the same rule, the one place it lives). */
uint32_t host_row_a_ents(const host_variant_t *v, const int32_t *a, uint32_t k);

/* The compressed A section written from its parts (tests build malformed streams with it):
 * counts[0..rows-1] into the header, then n entries {gap[i], val[i]} (val's low data_w bits)
 * from entry bit 0, into host_in_beats_fmt(v, k, A_COMPRESSED | KEEP_B, n) beats of words
 * (zeroed first). The counts are written as given (a_cnt_w bits), not checked. */
void host_stream_pack_a(const host_variant_t *v, const uint32_t *counts, const uint32_t *gap,
                        const int32_t *val, uint64_t n, uint32_t *words);

/* Encode the operands of job j (j->k slices; j->mode etc. are not used) into
 * host_in_beats(v, j->k) beats.  words must hold beats*host_in_words_per_beat(v) words, last
 * `beats` bytes; cap_beats is the capacity of the buffers in beats.  Each lane holds the low
 * data_w bits of the element sign-extended to in_lane_w bits; padding lanes are 0. */
int host_stream_encode(const host_variant_t *v, const sg_job_t *j, uint32_t *words,
                       uint8_t *last, uint64_t cap_beats, char *err, size_t errlen);

/* The same with stream flags: host_in_beats_fmt(v, j->k, flags, host_job_a_ents(v, j)) beats.
 * j->b is not read when flags has KEEP_B. A_COMPRESSED on a variant without the format
 * (a_ents == 0) is HOST_E_ARG. */
int host_stream_encode_fmt(const host_variant_t *v, const sg_job_t *j, uint32_t flags,
                           uint32_t *words, uint8_t *last, uint64_t cap_beats, char *err,
                           size_t errlen);

/* Decode a job's result beats into c (row-major int64, the acc_w-bit value sign-extended).
 * Result i is in beat i / results_per_beat, lane i % results_per_beat (TDATA bits
 * [lane*out_lane_w +: out_lane_w]); lanes past the last result are 0.
 * nbeats must equal host_out_beats(v).  last may be NULL; otherwise last[nbeats-1] must be set (other
 * TLAST flags are not checked).  Fails with HOST_E_PROTO if the bits acc_w..out_stream_w-1 of
 * a beat are not the sign extension of bit acc_w-1 (names the beat). */
int host_stream_decode_results(const host_variant_t *v, const uint32_t *words,
                               const uint8_t *last, uint64_t nbeats, int64_t *c, char *err,
                               size_t errlen);
/* The same for a job with FLAGS.OUT_STAGE set (os != 0): results of out_w bits in lanes of
 * os_lane_w, os_per_beat per beat, host_out_beats_os(v, 1) beats. */
int host_stream_decode_results_os(const host_variant_t *v, int os, const uint32_t *words,
                                  const uint8_t *last, uint64_t nbeats, int64_t *c, char *err,
                                  size_t errlen);

/* Inverse of host_stream_decode_results (for device models): host_out_beats(v) beats, TLAST on
 * the last. */
int host_stream_encode_results(const host_variant_t *v, const int64_t *c, uint32_t *words,
                               uint8_t *last, char *err, size_t errlen);
int host_stream_encode_results_os(const host_variant_t *v, int os, const int64_t *c,
                                  uint32_t *words, uint8_t *last, char *err, size_t errlen);

/* Inverse of host_stream_encode (for device models): decode host_in_beats(v, k) operand beats
 * into a (rows x k) and b (k x cols), each element the lane's low data_w bits sign-extended.
 * Returns HOST_E_PROTO if TLAST is not exactly on the last beat (names the beat); last == NULL
 * skips that check. */
int host_stream_decode_operands(const host_variant_t *v, uint32_t k, const uint32_t *words,
                                const uint8_t *last, int32_t *a, int32_t *b, char *err,
                                size_t errlen);

/* Device side of host_stream_encode_fmt: decode the operand stream of a job (K, flags) from
 * `avail` beats into a (rows x k, zeroed first) and, unless KEEP_B, b (k x cols).
 * Returns 0 with *need = the job's beat count once enough beats are there to know it (for
 * compressed A that needs the header beats), or 1 with *need = a lower bound when more beats
 * are needed. *a_ents (may be NULL) is the compressed section's entry count (the counts'
 * sum; 0 otherwise). *afmt is set when the compressed section breaks the format, as the
 * hardware's ERR.AFMT: a row count above K, an entry at k >= K, or non-zero bits after the
 * last entry of its last beat. The section's length follows the counts as given. TLAST is not
 * checked here. */
int host_stream_decode_fmt(const host_variant_t *v, uint32_t k, uint32_t flags,
                           const uint32_t *words, uint64_t avail, int32_t *a, int32_t *b,
                           uint64_t *need, uint64_t *a_ents, int *afmt);

#endif
