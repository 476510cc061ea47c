/* sg_contract.h - the hardware contract every part of sparsegen shares (gen/, golden/, host/,
 * tb/): variant parameters and their ranges, job and counter types, modes and controller
 * states, the register interface (from sg_regs.def: offsets, fields, reset values, value
 * rules) with a register-file model that applies it, operand arithmetic, and the cycle model
 * of one job.  Pure C11: no I/O, no allocation, no global state.  docs/registers.md.
 */
#ifndef SPARSEGEN_SG_CONTRACT_H
#define SPARSEGEN_SG_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ parameters */
/* The unsigned generator parameters: X(field, option, default, min, max, help).  The config
 * file and manifest key is the option with '-' written '_' (data-width -> data_width). */
#define SG_PARAM_KEYS(X)                                                                       \
    X(rows, "rows", 8, 1, 32, "PE array rows R (rows of A and C)")                             \
    X(cols, "cols", 8, 1, 32, "PE array columns C (columns of B and C)")                       \
    X(data_w, "data-width", 8, 2, 16, "operand width DATA_W, signed")                          \
    X(acc_w, "acc-width", 32, 4, 64, "accumulator width ACC_W, wraps; at least 2*DATA_W")      \
    X(kmax, "kmax", 1024, 4, 65536, "largest job K (power of two, at least 2*WINDOW)")         \
    X(window, "window", 16, 2, 64, "B window: rows of B fetched per cycle (power of two)")     \
    X(wdepth, "window-depth", 0, 0, 16,                                                        \
      "B windows buffered per row, 2..16; 0: the deepest of 6..2 within the storage rule")     \
    X(a_cap, "a-capacity", 0, 0, 65536,                                                        \
      "A list entries per row (power of two, <= KMAX); 0: the largest <= KMAX/2 within the rule") \
    X(stream_w, "stream-width", 64, 8, 1024, "operand stream TDATA width (power of two)")     \
    X(out_stream_w, "out-stream-width", 64, 8, 1024,                                           \
      "result stream TDATA width (power of two, at least 8*ceil(acc_width/8)): results per beat") \
    X(out_w, "out-width", 16, 0, 64,                                                           \
      "output stage result width OUT_W, 2..acc-width (default 16, acc-width if narrower); 0: no output stage")

enum {
#define SG_PARAM_LIM_(f, o, d, lo, hi, h) SG_##f##_DEFAULT = d, SG_##f##_MIN = lo, SG_##f##_MAX = hi,
    SG_PARAM_KEYS(SG_PARAM_LIM_)
#undef SG_PARAM_LIM_
};
#define SG_MAX_ROWS ((uint32_t)SG_rows_MAX)
#define SG_MAX_COLS ((uint32_t)SG_cols_MAX)
#define SG_THRESH_MAX 256u

/* What golden and host need of a variant. */
typedef struct sg_params {
    uint32_t rows, cols, data_w, acc_w, kmax;
    bool sparse_capable;
    uint32_t window, wdepth; /* B window (rows of B per fetch) and window slots per row */
    uint32_t out_w; /* OUT_W: result width with FLAGS.OUT_STAGE, 2..acc_w; 0: no output stage
                       (FLAGS.OUT_STAGE refused, its SG_NEED rule) */
} sg_params_t;
/* Smallest OUT_W of a variant with an output stage (out_w 0: none). */
#define SG_OUT_W_MIN_STAGE 2u
/* OUT_W when the generator is not given one: 16, or acc_w if that is narrower. */
uint32_t sg_out_w_default(uint32_t acc_w);

/* sg_check_params() result bits (0 = valid); ranges from SG_PARAM_KEYS. */
#define SG_PERR_ROWS 0x01u   /* rows out of range */
#define SG_PERR_COLS 0x02u   /* cols out of range */
#define SG_PERR_DATA_W 0x04u /* data_w out of range */
#define SG_PERR_ACC_W 0x08u  /* acc_w not in max(2*data_w, min)..max */
#define SG_PERR_KMAX 0x10u   /* kmax out of range (the generator also wants a power of two) */
#define SG_PERR_SIZE 0x20u   /* rows*cols*kmax >= 2^32 */
#define SG_PERR_NULL 0x40u   /* p == NULL */
#define SG_PERR_OUT_W 0x80u  /* out_w neither 0 nor in SG_OUT_W_MIN_STAGE..acc_w */
uint32_t sg_check_params(const sg_params_t *p);

/* ------------------------------------------------------------------ modes and states */
/* MODE register values: X(NAME, value, "name") */
#define SG_MODES(X)                                                                            \
    X(DENSE, 0, "dense")                                                                       \
    X(SPARSE, 1, "sparse")                                                                     \
    X(AUTO, 2, "auto")
typedef enum {
#define SG_MODE_ENUM_(N, V, S) SG_MODE_##N = V,
    SG_MODES(SG_MODE_ENUM_)
#undef SG_MODE_ENUM_
    SG_MODE_COUNT
} sg_mode_t;
/* "dense", "sparse", "auto"; "invalid" for any other value. */
const char *sg_mode_name(uint32_t mode);
/* Inverse of sg_mode_name (exact, lower case). Returns 0 and sets *mode, or -1. */
int sg_mode_parse(const char *name, uint32_t *mode);
/* Largest MODE value the variant accepts: AUTO, or DENSE on a dense-only variant. */
uint32_t sg_mode_max(const sg_params_t *p);

/* Controller states as STATUS.STATE reads them: X(NAME, value) */
#define SG_STATES(X) X(IDLE, 0) X(LOAD, 1) X(DECIDE, 2) X(COMPUTE, 3) X(FLUSH, 4) X(DRAIN, 5)
enum {
#define SG_STATE_ENUM_(N, V) SG_STATE_##N = V,
    SG_STATES(SG_STATE_ENUM_)
#undef SG_STATE_ENUM_
};

/* ------------------------------------------------------------------ jobs and counters */
typedef struct sg_job {
    uint32_t k;
    uint32_t mode;    /* sg_mode_t value as written to MODE */
    uint32_t thresh;  /* THRESH, 0..256 */
    bool accumulate;  /* FLAGS.ACCUMULATE */
    const int32_t *a; /* rows x k, a[r*k + kk]; only the low data_w bits are used, sign-extended */
    const int32_t *b; /* k x cols, b[kk*cols + c]; same */
} sg_job_t;

/* The architectural counters of one job. */
typedef struct sg_counters {
    uint32_t mode_used; /* SG_MODE_DENSE or SG_MODE_SPARSE */
    uint32_t macs_issued, macs_gated, macs_skipped;
    uint32_t nnz_a, nnz_b, max_row_nnz;
    uint32_t row_nnz[SG_MAX_ROWS]; /* entries >= rows are 0 */
    uint32_t issue_cycles; /* cycles from the rows' first run cycle to their last token
                              (sg_issue_cycles); not a register */
} sg_counters_t;

/* ------------------------------------------------------------------ stream format */
/* Version of the stream format (docs/data-formats.md; manifest.json "stream_format_version"). */
#define SG_STREAM_FORMAT 2u

/* The stream format of a variant (docs/data-formats.md), derived from its parameters and its
 * two stream widths: the generator (its RTL and manifest) and host/ (encoder, decoder, cycle
 * model) both take it from here. */
typedef struct sg_stream_fmt {
    uint32_t in_lane_w;        /* operand lane: 8*ceil(data_w/8) */
    uint32_t elems_per_beat;   /* in_stream_w / in_lane_w */
    uint32_t beats_per_slice;  /* interleaved slice: ceil((rows+cols)/elems_per_beat) */
    uint32_t beats_a, beats_b; /* A / B section: beats per slice, ceil(rows or cols/elems_per_beat) */
    /* compressed A (format 2): per-row counts, then {gap, value} entries packed across beats */
    uint32_t a_cnt_w;          /* a row's entry count: clog2(kmax) + 1 bits (0..kmax) */
    uint32_t a_hdr_beats;      /* header beats holding the rows' counts: ceil(rows*a_cnt_w /
                                  in_stream_w) */
    uint32_t a_gap_w;          /* gap field: max(1, min(KW, KW/2 + 1)), KW = clog2(kmax) */
    uint32_t a_ent_w;          /* entry bits: a_gap_w + data_w */
    uint32_t a_ents;           /* entries completed per beat at most (the rows' list banks):
                                  floor((in_stream_w + a_ent_w - 1) / a_ent_w), at most kmax and
                                  max(1, rows*cols/4), on a sparse-capable variant whose beat
                                  holds an entry, else 0 (no compressed format) */
    uint32_t a_ebits;          /* entry bits per entry beat: in_stream_w, or a_ents * a_ent_w
                                  when a cap binds (no entry then crosses a beat) */
    uint32_t out_lane_w;       /* one result: 8*ceil(acc_w/8) */
    uint32_t results_per_beat; /* out_stream_w / out_lane_w (at least 1) */
    uint32_t out_beats;        /* result beats of a job: ceil(rows*cols / results_per_beat) */
    /* the same with FLAGS.OUT_STAGE (results of OUT_W bits) */
    uint32_t os_lane_w;        /* one result: 8*ceil(out_w/8) */
    uint32_t os_per_beat;      /* out_stream_w / os_lane_w (at least results_per_beat) */
    uint32_t os_beats;         /* result beats of a job: ceil(rows*cols / os_per_beat) */
    uint32_t os_group;         /* results the output stage takes a cycle: the largest divisor
                                  of os_per_beat up to results_per_beat (its read lanes) */
} sg_stream_fmt_t;
/* p as sg_check_params accepts; in_stream_w below one operand lane gives elems_per_beat 0 (and
 * the beat counts as if it were 1), out_stream_w below one result lane results_per_beat 1:
 * callers reject such widths. */
void sg_stream_fmt(const sg_params_t *p, uint32_t in_stream_w, uint32_t out_stream_w,
                   sg_stream_fmt_t *f);
/* Beats of a compressed A section of n entries (fillers included): the header beats, then
 * ceil(n * a_ent_w / a_ebits) entry beats. 0 without the format. */
uint64_t sg_stream_a_beats(const sg_stream_fmt_t *f, uint64_t n);

/* ------------------------------------------------------------------ operand storage */
/* The storage rule of issue 8 (docs/parameters.md, "Operand storage"): the operand storage of
 * a variant (memories and operand buffers: B, one copy; the rows' window slots; the rows' two
 * A lists, or the two dense A copies of a dense-only row; the lists' window occupancy bits)
 * must be at most 2 x (A + B, one copy each) + 15 %, with A = R*KMAX*DATA_W and
 * B = C*KMAX*DATA_W.  A list entry is {first in its window, offset in the window, a}.
 * The functions use rows, cols, data_w, kmax, sparse_capable and window of p; wdepth and a_cap
 * are passed. */
#define SG_WDEPTH_AUTO_MAX 6u /* the deepest window-depth the generator picks by itself */
uint32_t sg_a_entry_bits(const sg_params_t *p);
uint64_t sg_operand_bits(const sg_params_t *p, uint32_t wdepth, uint32_t a_cap);
uint64_t sg_operand_limit(const sg_params_t *p); /* floor(2.3 * (A + B)) */
/* Smallest A list capacity the variant may have: the compressed A entries of one beat
 * (a_ents, from sg_stream_fmt) must fit a list, and a list holds at least one window. */
uint32_t sg_a_cap_min(const sg_params_t *p, uint32_t a_ents);
/* Picks window depth and A list capacity: a given one (not 0) is kept, a 0 is chosen (the
 * capacity first, largest power of two from KMAX/2 down to sg_a_cap_min, then the depth
 * SG_WDEPTH_AUTO_MAX down to 2).  0 and *wdepth, *a_cap set when the rule holds, else -1
 * (the outputs hold the smallest storage tried). */
int sg_storage_pick(const sg_params_t *p, uint32_t a_ents, uint32_t wdepth, uint32_t a_cap,
                    uint32_t *wdepth_out, uint32_t *a_cap_out);
/* The A list capacity at LOAD: a row keeps its first a_cap non-zeros (k order) and drops the
 * rest, which sets ERR.AFMT.  Zeroes the dropped non-zeros of a (rows x k) and returns how
 * many rows lost some (0: every row fits).  a_cap 0: no limit. */
uint32_t sg_a_cap_apply(const sg_params_t *p, uint32_t a_cap, uint32_t k, int32_t *a);
/* Longest K chunk from k0 (at most kmax and k - k0) in which every row of a (rows x k, rows
 * rows) has at most a_cap non-zeros (a_cap 0: no limit); at least 1. */
uint32_t sg_a_cap_chunk(const sg_params_t *p, uint32_t a_cap, uint32_t rows, uint32_t k,
                        const int32_t *a, uint32_t k0);

/* ------------------------------------------------------------------ output stage */
/* Settings of the per-job output stage (FLAGS.OUT_STAGE; docs/architecture.md "Arithmetic"):
 * the registers OUT_BIAS, OUT_SHIFT, OUT_CLAMP and FLAGS.OUT_RELU.  gold_out_stage (golden/)
 * is the arithmetic. */
typedef struct sg_out_stage {
    int32_t bias;   /* OUT_BIAS, in accumulator units */
    uint32_t shift; /* OUT_SHIFT, 0..acc_w-1: right shift, rounding half up */
    uint32_t clamp; /* OUT_CLAMP, 0..2^31-1: largest result (also clamped to OUT_W bits) */
    bool relu;      /* FLAGS.OUT_RELU: negative results become 0 */
} sg_out_stage_t;
/* Device condition OUT_STAGE (the SG_NEED rule of FLAGS.OUT_STAGE): the variant has an
 * output stage (out_w not 0). */
bool sg_has_out_stage(const sg_params_t *p);
/* ERR bits the hardware raises for these settings (SG_CHECK rules of OUT_SHIFT, OUT_CLAMP;
 * ERR.OUT also from the SG_NEED rule of FLAGS.OUT_STAGE on a variant without an output
 * stage); SG_ERR_PARAMS for invalid p or NULL o. */
uint32_t sg_check_out_stage(const sg_params_t *p, const sg_out_stage_t *o);

/* ------------------------------------------------------------------ trailer */
/* With FLAGS.TRAILER a job's counters follow its results on the result stream
 * (docs/data-formats.md): 32-bit words, word i at trailer bits [32*i +: 32], cut into beats of
 * OUT_STREAM_W bits; these words in this order (each the register of that name), then
 * ROW_NNZ[0..rows-1].  CYC_DRAIN and CYC_TOTAL are not final while the trailer is sent: read
 * them from the registers after DONE.  X(REGISTER) */
#define SG_TRAILER_WORDS(X)                                                                    \
    X(MODE_USED) X(MACS_ISSUED) X(MACS_GATED) X(MACS_SKIPPED) X(NNZ_A) X(NNZ_B)                \
    X(MAX_ROW_NNZ) X(CYC_LOAD) X(CYC_COMPUTE)
enum {
#define SG_TRL_ENUM_(N) SG_TRL_##N,
    SG_TRAILER_WORDS(SG_TRL_ENUM_)
#undef SG_TRL_ENUM_
    SG_TRAILER_FIXED_WORDS
};

/* ------------------------------------------------------------------ registers */
typedef enum {
#define SG_REG(n, o, a, d) SG_REG_##n,
#define SG_FIELD(r, n, l, w, rst, d)
#define SG_CHECK(f, when, lo, hi, doc, e)
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
    SG_REG_COUNT
} sg_reg_t;

/* Byte addresses: SG_ADDR_MODE = 0x024 ... */
enum {
#define SG_REG(n, o, a, d) SG_ADDR_##n = o,
#define SG_FIELD(r, n, l, w, rst, d)
#define SG_CHECK(f, when, lo, hi, doc, e)
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
};
#define SG_ADDR_ROW_NNZ(r) ((uint32_t)SG_ADDR_ROW_NNZ0 + 4u * (uint32_t)(r))

/* Field index SG_FLD_<REG>_<FIELD>, and SG_<REG>_<FIELD>_LSB / _WIDTH. */
typedef enum {
#define SG_REG(n, o, a, d)
#define SG_FIELD(r, n, l, w, rst, d) SG_FLD_##r##_##n,
#define SG_CHECK(f, when, lo, hi, doc, e)
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
    SG_FIELD_COUNT
} sg_field_t;
enum {
#define SG_REG(n, o, a, d)
#define SG_FIELD(r, n, l, w, rst, d) SG_##r##_##n##_LSB = l, SG_##r##_##n##_WIDTH = w,
#define SG_CHECK(f, when, lo, hi, doc, e)
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
};

/* Field macros for code that handles register words (arguments are pasted, not expanded). */
#define SG_FMASK_(W, L) ((uint32_t)((((uint64_t)1 << (W)) - 1u) << (L)))
#define SG_FMASK(R, F) SG_FMASK_(SG_##R##_##F##_WIDTH, SG_##R##_##F##_LSB)
#define SG_FGET(R, F, word)                                                                    \
    (((uint32_t)(word) & SG_FMASK_(SG_##R##_##F##_WIDTH, SG_##R##_##F##_LSB)) >>               \
     SG_##R##_##F##_LSB)
#define SG_FPUT(R, F, val)                                                                     \
    (((uint32_t)(val) << SG_##R##_##F##_LSB) &                                                 \
     SG_FMASK_(SG_##R##_##F##_WIDTH, SG_##R##_##F##_LSB))
/* ERR bits, e.g. SG_ERR(MODE); SG_ERR_ALL clears them all. */
#define SG_ERR(F) SG_FMASK_(SG_ERR_##F##_WIDTH, SG_ERR_##F##_LSB)
uint32_t sg_err_all(void);
#define SG_ERR_ALL sg_err_all()
/* Not a hardware bit: invalid sg_params_t or NULL pointer passed to sg_check_job. */
#define SG_ERR_PARAMS 0x80000000u

/* Device conditions that SG_NEED rules ask for at START: X(NAME) */
#define SG_CONDS(X) X(B_RESIDENT) X(A_FORMAT) X(OUT_STAGE)
typedef enum {
#define SG_COND_ENUM_(N) SG_COND_##N,
    SG_CONDS(SG_COND_ENUM_)
#undef SG_COND_ENUM_
    SG_COND_COUNT
} sg_cond_t;

typedef enum { SG_ACC_RO, SG_ACC_RW, SG_ACC_WO, SG_ACC_W1C } sg_access_t;
typedef enum { SG_WHEN_WRITE, SG_WHEN_START } sg_when_t;

typedef struct sg_reg_info {
    const char *name, *desc;
    uint32_t offset;
    sg_access_t access;
    const char *access_name; /* "RO", "RW", ... */
} sg_reg_info_t;
typedef struct sg_field_info {
    sg_reg_t reg;
    const char *name, *desc;
    uint32_t lsb, width, reset;
} sg_field_info_t;
typedef struct sg_check_info {
    sg_field_t field;
    sg_when_t when;
    uint32_t min;
    const char *max_doc;
    sg_field_t err; /* the ERR field the violation sets */
} sg_check_info_t;

typedef struct sg_need_info {
    sg_field_t field;
    sg_cond_t cond;
    const char *cond_name, *doc;
    sg_field_t err; /* the ERR field a START without the condition sets */
} sg_need_info_t;

extern const sg_reg_info_t sg_regs[SG_REG_COUNT];
extern const sg_need_info_t sg_needs[];
extern const uint32_t sg_nneeds;
extern const sg_field_info_t sg_fields[SG_FIELD_COUNT];
extern const sg_check_info_t sg_checks[];
extern const uint32_t sg_nchecks;
/* MAX of check i on variant p. */
uint32_t sg_check_max(uint32_t i, const sg_params_t *p);
/* Register at byte address addr (ROW_NNZ[r] only for r < rows; *row = r); -1 if unmapped or
 * unaligned. */
int sg_reg_at(uint32_t addr, uint32_t rows, uint32_t *row);
/* Name of the register at addr ("ROW_NNZ0" for 0x100, "ROW_NNZ" for the other rows); NULL. */
const char *sg_reg_name(uint32_t addr, uint32_t rows);
/* "K|MODE" style names of ERR bits into buf ("0" for none, "bitN" for unknown). Returns buf. */
const char *sg_err_str(uint32_t bits, char *buf, size_t len);

/* Identification values a variant reads in ID/VERSION/PARAMx, besides sg_params_t. */
typedef struct sg_ident {
    uint32_t version; /* as the VERSION register reads it */
    uint32_t window, in_stream_w, in_lane_w, elems_per_beat, out_stream_w;
    uint32_t a_cap; /* PARAM4.A_CAP: A list entries per row (sg_storage_pick) */
} sg_ident_t;

/* Register-file model: every field's value, plus the ROW_NNZ array, plus the device
 * conditions of the SG_NEED rules (the device model keeps cond[] current: B_RESIDENT for the
 * K register's value, A_FORMAT and OUT_STAGE (sg_has_out_stage) for the variant). */
typedef struct sg_regfile {
    sg_params_t p;
    uint32_t f[SG_FIELD_COUNT];
    uint32_t row_nnz[SG_MAX_ROWS];
    bool cond[SG_COND_COUNT];
} sg_regfile_t;

/* Reset values; identification fields from p and id. */
void sg_regfile_init(sg_regfile_t *rf, const sg_params_t *p, const sg_ident_t *id);
/* The 32-bit word register r reads (STATUS.ERROR from ERR; ROW_NNZ0 gives row 0). */
uint32_t sg_regfile_word(const sg_regfile_t *rf, sg_reg_t r);
/* Fields of register r from a word it read (identification probing, decoding STATUS). */
void sg_regfile_unpack(sg_regfile_t *rf, sg_reg_t r, uint32_t word);
/* Put the counters of a finished job in (CYC_* are the caller's cycle counts). */
void sg_regfile_counters(sg_regfile_t *rf, const sg_counters_t *c, uint32_t cyc_total,
                         uint32_t cyc_load, uint32_t cyc_compute, uint32_t cyc_drain);

/* A bus write, as the CSR applies it: 0 OKAY, 1 SLVERR (ERR.ADDR set).  Value rules per
 * SG_CHECK (rejected: ERR bit set, register kept); W1C for ERR; CTRL: ABORT wins over START;
 * START is refused with ERR.BUSY when STATUS.READY is 0, with a START rule's ERR bit when K
 * is out of range, then with the ERR bit of the first SG_NEED rule whose field is set and
 * whose condition (rf->cond) does not hold.  *pulse gets SG_FMASK(CTRL, START) / SG_FMASK(CTRL, ABORT) of the pulse
 * that takes effect (0 if none); either clears STATUS.DONE. */
int sg_regfile_write(sg_regfile_t *rf, uint32_t addr, uint32_t data, uint32_t *pulse);
/* A bus read: 0 OKAY with *data, 1 SLVERR (ERR.ADDR set, *data = 0). */
int sg_regfile_read(sg_regfile_t *rf, uint32_t addr, uint32_t *data);

/* The register map as a Markdown table (offset, register, access, field, bits, reset, meaning
 * and value rule), one row per register and per field.  rf NULL: the generic map of
 * docs/registers.md (identification fields read "variant"); else the variant's map with its
 * identification values and rule limits.  Writes at most cap bytes (NUL-terminated when
 * cap > 0) and returns the length of the whole text, as snprintf does. */
size_t sg_regmap_md(char *buf, size_t cap, const sg_regfile_t *rf);

/* ERR bits the hardware raises for this job configuration, by the SG_CHECK rules
 * (MODE, THRESH at write, K at START); SG_ERR_PARAMS alone for invalid p or NULL j/a/b. */
uint32_t sg_check_job(const sg_params_t *p, const sg_job_t *j);

/* ------------------------------------------------------------------ arithmetic */
/* The low `width` bits of v read as two's complement.  width 1..64; 0 gives 0, > 64 is 64. */
int64_t sg_sext(uint64_t v, uint32_t width);
/* Low `width` bits of v (width 0..64, > 64 treated as 64). */
uint64_t sg_trunc(uint64_t v, uint32_t width);
/* Operand as the hardware sees it: low data_w bits of x, sign-extended. */
int64_t sg_operand(int32_t x, uint32_t data_w);

/* ------------------------------------------------------------------ cycle model */
/* THE cycle model of one job (docs/architecture.md, "Timing of one job"), from its
 * architectural counters (mode_used, max_row_nnz), the variant, and what crosses each stream
 * (in_beats: the job's operand beats, out_beats: its result beats including a trailer; the
 * stream format owns those counts, host_in_beats_fmt / host_out_beats).  Let n = K in DENSE,
 * MAX_ROW_NNZ in SPARSE.  The job alone in the pipeline, a source that never pauses and a sink
 * that is always ready:
 *   LOAD    = in_beats + source_gap + 1   (source_gap: cycles from the START write's response
 *             to the first operand beat; + 1: the cycle after the last beat, in which the last
 *             B non-zero count arrives and the job moves to COMPUTE)
 *   COMPUTE = n + C + SG_PE_MAC_STAGES + 4: 2 DECIDE cycles, the cycle the registered run
 *             pulse reaches the rows, n issue cycles, the cycle in which the controller sees no
 *             row busy, C + SG_PE_MAC_STAGES FLUSH
 *   DRAIN   = out_beats
 *   TOTAL   = LOAD + COMPUTE + DRAIN (with jobs overlapped a job's LOAD and COMPUTE also count
 *             the cycles it waits for the next stage to free). */
/* Pipeline stages of a PE's multiply-accumulate behind its MAC slot (rtl_templates/pe.v: the
 * multiplier's operand registers, the product register): the accumulate of a token's product
 * comes this many cycles after the token reaches the PE, so FLUSH lasts C + SG_PE_MAC_STAGES
 * cycles (gen/ctrl.c) and COMPUTE has them too. */
#define SG_PE_MAC_STAGES 2u

typedef struct sg_cycles {
    uint64_t load, compute, drain, total;
} sg_cycles_t;
/* With FLAGS.OUT_STAGE the results go os_group a cycle through the output stage's four
 * registers (read, sum, shift, clamp into the beat being packed): the DRAIN of the results is
 * sg_os_drain_cycles = ceil(R*C / os_group) + SG_OS_DRAIN_LATENCY cycles instead of their
 * beats; callers pass it (plus the trailer beats) as out_beats to sg_cycle_model
 * (host_cycles_job does). */
#define SG_OS_DRAIN_LATENCY 4u
uint64_t sg_os_drain_cycles(const sg_params_t *p, uint32_t os_group);
sg_cycles_t sg_cycle_model(const sg_params_t *p, uint64_t in_beats, uint64_t out_beats,
                           uint32_t k, const sg_counters_t *c, uint32_t source_gap);
/* Issue cycles of one job (docs/architecture.md, "One copy of B"): the rows' run, cycle by
 * cycle, with the window fetcher and the per-row window slots, from the first run cycle to the
 * last token issued (0 when no row runs). A pure function of A (rows x k, low data_w bits),
 * K, the mode used and the variant's window and depth. */
uint32_t sg_issue_cycles(const sg_params_t *p, uint32_t k, uint32_t mode_used, const int32_t *a);
/* B window traffic of one job (the fetcher of sg_issue_cycles): *fetches windows read from
 * the B banks and broadcast (SPARSE: the windows some row has a non-zero in, DENSE: 0..(K-1)/W),
 * *captures window slot writes summed over the rows (SPARSE: each row's occupied windows,
 * DENSE: every window in every row).  Same inputs as sg_issue_cycles. */
void sg_window_events(const sg_params_t *p, uint32_t k, uint32_t mode_used, const int32_t *a,
                      uint64_t *fetches, uint64_t *captures);
/* Compute bound of one job: n + C (the slowest row's tokens and the trip along the row; the
 * R term of the first design was never paid). */
uint64_t sg_compute_bound(const sg_params_t *p, uint32_t k, const sg_counters_t *c);
/* Lower bound on one job alone: in_beats + compute bound + out_beats (the stages of one job
 * do not overlap). */
uint64_t sg_cycle_bound(const sg_params_t *p, uint64_t in_beats, uint64_t out_beats, uint32_t k,
                        const sg_counters_t *c);

#endif /* SPARSEGEN_SG_CONTRACT_H */
