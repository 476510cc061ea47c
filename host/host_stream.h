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
    uint32_t out_stream_w;    /* derived: 8*ceil(acc_w/8) */
} host_variant_t;

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
/* Number of operand beats of a job with this K: K * beats_per_slice. */
uint64_t host_in_beats(const host_variant_t *v, uint32_t k);

/* Encode the operands of job j (j->k slices; j->mode etc. are not used) into
 * host_in_beats(v, j->k) beats.  words must hold beats*host_in_words_per_beat(v) words, last
 * `beats` bytes; cap_beats is the capacity of the buffers in beats.  Each lane holds the low
 * data_w bits of the element sign-extended to in_lane_w bits; padding lanes are 0. */
int host_stream_encode(const host_variant_t *v, const sg_job_t *j, uint32_t *words,
                       uint8_t *last, uint64_t cap_beats, char *err, size_t errlen);

/* Decode rows*cols result beats into c (row-major int64, the acc_w-bit value sign-extended).
 * nbeats must equal rows*cols.  last may be NULL; otherwise last[nbeats-1] must be set (other
 * TLAST flags are not checked).  Fails with HOST_E_PROTO if the bits acc_w..out_stream_w-1 of
 * a beat are not the sign extension of bit acc_w-1 (names the beat). */
int host_stream_decode_results(const host_variant_t *v, const uint32_t *words,
                               const uint8_t *last, uint64_t nbeats, int64_t *c, char *err,
                               size_t errlen);

/* Inverse of host_stream_decode_results (for device models): rows*cols beats, TLAST on the last. */
int host_stream_encode_results(const host_variant_t *v, const int64_t *c, uint32_t *words,
                               uint8_t *last, char *err, size_t errlen);

/* Inverse of host_stream_encode (for device models): decode host_in_beats(v, k) operand beats
 * into a (rows x k) and b (k x cols), each element the lane's low data_w bits sign-extended.
 * Returns HOST_E_PROTO if TLAST is not exactly on the last beat (names the beat); last == NULL
 * skips that check. */
int host_stream_decode_operands(const host_variant_t *v, uint32_t k, const uint32_t *words,
                                const uint8_t *last, int32_t *a, int32_t *b, char *err,
                                size_t errlen);

#endif
