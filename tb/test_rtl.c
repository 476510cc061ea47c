/* test_rtl: the Verilated variant against the golden model, through the real bus interfaces.
 *
 * State space covered, for the variant this binary is built for (sparsegen_params.h):
 * - every mode the variant has (DENSE; SPARSE and AUTO on sparse-capable variants) with the
 *   AUTO threshold at both extremes and at random values;
 * - operand densities 0 .. 1 in A and B, rows of very different density in one tile, a single
 *   non-zero in the last position of K, all-zero operands, extreme values that overflow the
 *   accumulator, K = 1 and K = KMAX, ACCUMULATE chains;
 * - random valid/ready back-pressure on every AXI channel, random data on idle buses;
 * - bad register writes (K out of range, START while busy, bad MODE/THRESH, unmapped and
 *   read-only addresses, partial strobes), a wrong TLAST, ABORT and reset in the middle of a
 *   job, power-on state randomised by Verilator;
 * - the operand stream's sections: B kept resident across jobs (FLAGS.KEEP_B), A as a dense
 *   section or compressed entries (FLAGS.A_COMPRESSED) with empty and full rows, interleaved
 *   and sectioned jobs mixed, a resident B that is missing or has another K (ERR.RESIDENT),
 *   malformed compressed entries (ERR.AFMT), ABORT while B loads;
 * - on every job run without back-pressure, the cycle model (host_cycles.h) exactly against
 *   CYC_LOAD, CYC_COMPUTE, CYC_DRAIN and CYC_TOTAL;
 * - overlapped jobs (host_gemm's HOST_GEMM_STREAM_FAST: the next job loads while the previous
 *   computes and drains, counters on the result stream) with random back-pressure on both
 *   streams, every job against golden; ABORT and reset while jobs overlap;
 * - the output stage (FLAGS.OUT_STAGE): directed settings (OUT_W saturation, ReLU, rounding
 *   ties, the largest shift, bias extremes, clamp 0 and 1) and random ones, on random and
 *   extreme operands, at full speed (narrow result beats in the cycle model) and with
 *   back-pressure, ACCUMULATE after a job with the stage, an overlapped GEMM with the stage on
 *   each tile's last K chunk; its value rules (ERR.OUT).
 * Every job compares every result word and every architectural counter with golden.
 * Seeds: SG_SEED (default: time-based); every failure prints a one-line reproduce command.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "devcheck.h"
#include "gold.h"
#include "golddev.h"
#include "host_cycles.h"
#include "host_driver.h"
#include "sparsegen_params.h"
#include "variant_name.h"

#ifndef SG_TB_BIN
#define SG_TB_BIN "tb_rtl"
#endif

static uint64_t rtl_seed;

static const sg_params_t rtl_params = {SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX,
                                          SG_SPARSE_CAPABLE, SG_WINDOW, SG_WDEPTH, SG_OUT_W};

/* ------------------------------------------------------------------ functional coverage
 * Bins of the state space above; each test process appends its counts to SG_COV_FILE and
 * make verify merges them into a per-variant coverage summary. */
#define RTL_COV_BINS(X)                                                                    \
  X(job_dense) X(job_sparse) X(auto_chose_dense) X(auto_chose_sparse) X(k_is_1)             \
  X(k_is_kmax) X(a_all_zero) X(a_full) X(row_empty_in_sparse) X(row_full_in_sparse)        \
  X(acc_wrapped) X(accumulate) X(gated_b_zero) X(axil_resp_stall) X(operand_gap)           \
  X(result_stall) X(err_k) X(err_busy) X(err_mode) X(err_thresh) X(err_addr) X(err_tlast)  \
  X(abort_in_load) X(abort_in_compute) X(abort_in_drain) X(reset_in_load)                  \
  X(reset_in_compute) X(reset_in_drain) X(keep_b) X(a_compressed) X(a_dense_section)     \
  X(err_resident) X(err_afmt) X(cycles_exact) X(overlapped_job) X(trailer_job)              \
  X(abort_overlapped) X(reset_overlapped) X(mode_rejected_kept) X(a_at_cap) X(a_over_cap)     \
  X(gemm_cap_chunked) X(a_fillers) X(a_entry_across_beats) X(a_last_beat_partial) X(a_no_entries)
enum {
#define X(b) COV_##b,
  RTL_COV_BINS(X)
#undef X
      COV_COUNT
};
static const char *const rtl_cov_names[COV_COUNT] = {
#define X(b) #b,
    RTL_COV_BINS(X)
#undef X
};
static uint64_t rtl_cov[COV_COUNT];

static void rtl_cov_write(void) {
  const char *path = getenv("SG_COV_FILE");
  if (!path || !*path) return;
  FILE *f = fopen(path, "a");
  if (!f) return;
  for (int i = 0; i < COV_COUNT; i++) fprintf(f, "%s %" PRIu64 "\n", rtl_cov_names[i], rtl_cov[i]);
  fclose(f);
}

uint64_t rtl_seed_get(void) {
  if (rtl_seed) return rtl_seed;
  const char *s = getenv("SG_SEED");
  rtl_seed = s && *s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) * 2654435761u % 1000000007u;
  if (!rtl_seed) rtl_seed = 1;
  return rtl_seed;
}

static void rtl_variant(host_variant_t *v) {
  memset(v, 0, sizeof *v);
  v->p = rtl_params;
  v->window = SG_WINDOW;
  v->p.window = SG_WINDOW;
  v->p.wdepth = SG_WDEPTH;
  v->a_cap = SG_A_CAP;
  v->in_stream_w = SG_IN_STREAM_W;
  v->out_stream_w = SG_OUT_STREAM_W;
  host_variant_derive(v);
}

/* ------------------------------------------------------------------ operand generation */
typedef struct rtl_mat {
  int32_t *a, *b;
  uint32_t k;
} rtl_mat_t;

static int32_t rtl_min(void) { return -(int32_t)(1u << (SG_DATA_W - 1)); }
static int32_t rtl_max(void) { return (int32_t)(1u << (SG_DATA_W - 1)) - 1; }

static int32_t rtl_nz_value(tb_t *tb) {
  uint32_t span = 1u << SG_DATA_W;
  int32_t v;
  do v = (int32_t)(tb_rand(tb) % span) + rtl_min();
  while (v == 0);
  return v;
}

/* density in 1/1000 */
static void rtl_fill(tb_t *tb, int32_t *m, size_t n, unsigned permille) {
  for (size_t i = 0; i < n; i++)
    m[i] = (tb_rand(tb) % 1000) < permille ? rtl_nz_value(tb) : 0;
}

static void rtl_mat_alloc(rtl_mat_t *m, uint32_t k) {
  m->k = k;
  m->a = calloc((size_t)SG_ROWS * k, sizeof(int32_t));
  m->b = calloc((size_t)k * SG_COLS, sizeof(int32_t));
  ck_assert_msg(m->a && m->b, "out of memory");
}

static void rtl_mat_free(rtl_mat_t *m) {
  free(m->a);
  free(m->b);
}

/* ------------------------------------------------------------------ one checked job */
typedef struct rtl_state {
  tb_t tb;
  host_dev_t dev;
  host_variant_t v;
  int64_t c_prev[SG_ROWS * SG_COLS]; /* device accumulators after the last good job */
  int have_prev;
  uint32_t jobs, sparse_jobs;
  int exact; /* no back-pressure: the cycle model must match the cycle counters exactly */
} rtl_state_t;

static uint64_t rtl_salt; /* of the model opened last: names its waveform file */

static void rtl_open(rtl_state_t *s, uint64_t salt, unsigned p_valid, unsigned p_ready) {
  memset(s, 0, sizeof *s);
  rtl_salt = salt;
  ck_assert_msg(tb_init(&s->tb, rtl_seed_get() ^ (salt * 0x9E3779B97F4A7C15ull), p_valid, p_ready) == 0,
                "cannot create the Verilated model");
  s->dev = tb_dev(&s->tb);
  rtl_variant(&s->v);
  s->exact = p_valid >= 100 && p_ready >= 100;
  const char *trace = getenv("SG_TRACE");
  if (trace && *trace) {
    char path[1024];
    snprintf(path, sizeof path, "%s-%" PRIu64 ".fst", trace, salt);
    if (dut_trace(s->tb.dut, path) == 0)
      fprintf(stderr, "trace: %s\n", path);
    else
      fprintf(stderr, "trace: this binary has no tracing; run \"$(scripts/model.sh %s --trace)/tb_rtl_trace\"\n",
              tb_variant_dir());
  }
}

static void rtl_close(rtl_state_t *s) {
  rtl_cov[COV_axil_resp_stall] += s->tb.axil_resp_stalls;
  rtl_cov[COV_operand_gap] += s->tb.in_gaps;
  rtl_cov[COV_result_stall] += s->tb.out_stalls;
  tb_free(&s->tb);
  rtl_cov_write();
  memset(rtl_cov, 0, sizeof rtl_cov);
}

/* job-level bins, from the operands and golden's view of the job */
static void rtl_cov_job(const sg_job_t *job, const sg_counters_t *gc, const int64_t *c_prev,
                        const int64_t *gold_c) {
  rtl_cov[gc->mode_used == SG_MODE_SPARSE ? COV_job_sparse : COV_job_dense]++;
  if (job->mode == SG_MODE_AUTO)
    rtl_cov[gc->mode_used == SG_MODE_SPARSE ? COV_auto_chose_sparse : COV_auto_chose_dense]++;
  rtl_cov[COV_k_is_1] += job->k == 1;
  rtl_cov[COV_k_is_kmax] += job->k == SG_KMAX;
  rtl_cov[COV_a_all_zero] += gc->nnz_a == 0;
  rtl_cov[COV_a_full] += gc->nnz_a == SG_ROWS * job->k;
  rtl_cov[COV_accumulate] += job->accumulate;
  rtl_cov[COV_gated_b_zero] += gc->mode_used == SG_MODE_SPARSE && gc->macs_gated > 0;
  if (gc->mode_used == SG_MODE_SPARSE)
    for (uint32_t r = 0; r < SG_ROWS; r++) {
      rtl_cov[COV_row_empty_in_sparse] += gc->row_nnz[r] == 0;
      rtl_cov[COV_row_full_in_sparse] += gc->row_nnz[r] == job->k;
    }
  /* wrapped: the exact sum differs from the ACC_W-bit result */
  for (uint32_t r = 0; r < SG_ROWS; r++)
    for (uint32_t c = 0; c < SG_COLS; c++) {
      int64_t exact = job->accumulate ? c_prev[r * SG_COLS + c] : 0;
      for (uint32_t k = 0; k < job->k; k++)
        exact += sg_operand(job->a[(size_t)r * job->k + k], SG_DATA_W) *
                 sg_operand(job->b[(size_t)k * SG_COLS + c], SG_DATA_W);
      if (exact != gold_c[r * SG_COLS + c]) {
        rtl_cov[COV_acc_wrapped]++;
        return;
      }
    }
}

static unsigned rtl_jobs_per_density(void);

/* The failing test's variant, seed, reproduce and waveform commands: once per test (Check
 * forks each test), however many of its jobs fail. */
static void rtl_repro(const char *what) {
  static const char *said;
  if (said && !strcmp(said, what)) return;
  said = what;
  fprintf(stderr,
          "  variant %s (prefix %s, %ux%u data_w %u acc_w %u kmax %u window %u), seed %" PRIu64 "\n"
          "  reproduce: SG_SEED=%" PRIu64 " SG_JOBS=%u CK_RUN_CASE='%s' %s\n"
          "  waveform:  SG_TRACE=/tmp/wave SG_SEED=%" PRIu64 " SG_JOBS=%u CK_RUN_CASE='%s' "
          "\"$(scripts/model.sh %s --trace)/tb_rtl_trace\"  (this test: /tmp/wave-%" PRIu64 ".fst)\n",
          tb_variant_name(), SG_VARIANT, SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX, SG_WINDOW,
          rtl_seed_get(), rtl_seed_get(), rtl_jobs_per_density(), what, SG_TB_BIN, rtl_seed_get(),
          rtl_jobs_per_density(), what, tb_variant_dir(), rtl_salt);
}

/* Runs the job on the device with stream flags (HOST_FLAGS_KEEP_B, HOST_FLAGS_A_COMPRESSED)
 * and on golden; returns the number of mismatches (0 = pass).  With KEEP_B, job->b must be
 * the B the device holds (the test keeps it). */
static int rtl_check_job_os_(rtl_state_t *s, const char *tcase, const char *label,
                             const sg_job_t *job, uint32_t flags, const sg_out_stage_t *os);
/* Every job the suites build goes through here. A row with more non-zeros than the list
 * capacity (SG_A_CAP) would end in ERR.AFMT (test_a_capacity covers that): the job is run
 * with each row cut to its first SG_A_CAP non-zeros, so a "full row" at K > SG_A_CAP is a row
 * exactly at capacity. */
static int rtl_check_job_os(rtl_state_t *s, const char *tcase, const char *label,
                            const sg_job_t *job, uint32_t flags, const sg_out_stage_t *os) {
  int32_t *a = malloc((size_t)SG_ROWS * job->k * sizeof *a);
  ck_assert_msg(a != NULL, "out of memory");
  memcpy(a, job->a, (size_t)SG_ROWS * job->k * sizeof *a);
  rtl_cov[COV_a_at_cap] += sg_a_cap_apply(&rtl_params, SG_A_CAP, job->k, a) != 0;
  sg_job_t j = *job;
  j.a = a;
  int bad = rtl_check_job_os_(s, tcase, label, &j, flags, os);
  free(a);
  return bad;
}

static int rtl_check_job_os_(rtl_state_t *s, const char *tcase, const char *label,
                             const sg_job_t *job, uint32_t flags, const sg_out_stage_t *os) {
  int64_t dev_c[SG_ROWS * SG_COLS], gold_c[SG_ROWS * SG_COLS] = {0}, gold_y[SG_ROWS * SG_COLS];
  sg_counters_t gc;
  host_counters_t hc;
  char err[256];
  memset(&gc, 0, sizeof gc);
  memset(&hc, 0, sizeof hc);
  if (job->accumulate) {
    ck_assert_msg(s->have_prev, "%s: ACCUMULATE without a previous result", label);
    memcpy(gold_c, s->c_prev, sizeof gold_c);
  }
  int64_t c_before[SG_ROWS * SG_COLS];
  memcpy(c_before, gold_c, sizeof c_before);
  uint32_t gerr = gold_run(&rtl_params, job, gold_c, &gc);
  ck_assert_msg(gerr == 0, "%s: golden rejected the job (0x%x)", label, gerr);
  rtl_cov_job(job, &gc, c_before, gold_c);
  rtl_cov[COV_keep_b] += (flags & HOST_FLAGS_KEEP_B) != 0;
  rtl_cov[COV_a_compressed] += (flags & HOST_FLAGS_A_COMPRESSED) != 0;
  rtl_cov[COV_a_dense_section] += (flags & HOST_FLAGS_STREAM) == HOST_FLAGS_KEEP_B;
  if (flags & HOST_FLAGS_A_COMPRESSED) { /* stream format 2's corners */
    const uint64_t ents = host_job_a_ents(&s->v, job), bits = ents * SG_A_ENT_W;
    rtl_cov[COV_a_fillers] += ents > gc.nnz_a;
    rtl_cov[COV_a_entry_across_beats] += SG_A_ENT_BITS % SG_A_ENT_W != 0 && bits > SG_A_ENT_BITS;
    rtl_cov[COV_a_last_beat_partial] += bits % SG_A_ENT_BITS != 0;
    rtl_cov[COV_a_no_entries] += ents == 0;
  }
  gold_results(&rtl_params, os, gold_c, gold_y); /* what the result stream carries */
  const uint32_t jflags = flags | (os ? HOST_FLAGS_OUT_STAGE : 0u);
  int rc = host_run_job_os(&s->dev, &s->v, job, flags, os, dev_c, &hc, err, sizeof err);
  if (rc != 0) {
    fprintf(stderr, "FAIL %s: device run failed (flags 0x%x): %s\n", label, flags, err);
    rtl_repro(tcase);
    return 1;
  }
  int bad = 0;
  for (uint32_t i = 0; i < SG_ROWS * SG_COLS; i++) {
    if (dev_c[i] != gold_y[i]) {
      if (bad < 5)
        fprintf(stderr, "FAIL %s: C[%u][%u] = %" PRId64 ", golden %" PRId64 " (accumulator %" PRId64 ")\n",
                label, i / SG_COLS, i % SG_COLS, dev_c[i], gold_y[i], gold_c[i]);
      bad++;
    }
  }
#define CNT(f)                                                                             \
  if (hc.arch.f != gc.f) {                                                                 \
    fprintf(stderr, "FAIL %s: counter " #f " = %u, golden %u\n", label, hc.arch.f, gc.f);  \
    bad++;                                                                                 \
  }
  CNT(mode_used)
  CNT(macs_issued)
  CNT(macs_gated)
  CNT(macs_skipped)
  CNT(nnz_a)
  CNT(nnz_b)
  CNT(max_row_nnz)
#undef CNT
  /* cycle counters: every busy cycle is in exactly one phase; LOAD and DRAIN take at least
     one cycle per beat; COMPUTE at least the slowest row's tokens */
  uint32_t tokens = gc.mode_used == SG_MODE_SPARSE ? gc.max_row_nnz : job->k;
  if (hc.cyc_total != hc.cyc_load + hc.cyc_compute + hc.cyc_drain ||
      hc.cyc_load < (uint32_t)host_in_beats_fmt(&s->v, job->k, flags, host_job_a_ents(&s->v, job)) ||
      hc.cyc_drain < (uint32_t)host_out_beats_os(&s->v, os != NULL) ||
      hc.cyc_compute < tokens) {
    fprintf(stderr, "FAIL %s: cycle counters total %u load %u compute %u drain %u inconsistent\n",
            label, hc.cyc_total, hc.cyc_load, hc.cyc_compute, hc.cyc_drain);
    bad++;
  }
  /* without back-pressure the one cycle model gives every phase exactly */
  if (s->exact) {
    host_cycles_job_t cj = {job->k, jflags, gc.mode_used, gc.max_row_nnz, host_job_a_ents(&s->v, job),
                            gc.issue_cycles};
    host_cycles_t cy;
    host_cycles_job(&s->v, &cj, &cy);
    if (hc.cyc_load != cy.load || hc.cyc_compute != cy.compute || hc.cyc_drain != cy.drain ||
        hc.cyc_total != cy.total) {
      fprintf(stderr,
              "FAIL %s: cycle counters load %u compute %u drain %u total %u, cycle model %llu %llu "
              "%llu %llu (sg_cycle_model via host_cycles_job)\n",
              label, hc.cyc_load, hc.cyc_compute, hc.cyc_drain, hc.cyc_total,
              (unsigned long long)cy.load, (unsigned long long)cy.compute,
              (unsigned long long)cy.drain, (unsigned long long)cy.total);
      bad++;
    } else {
      rtl_cov[COV_cycles_exact]++;
    }
  }
  for (uint32_t r = 0; r < SG_ROWS; r++) {
    if (hc.arch.row_nnz[r] != gc.row_nnz[r]) {
      fprintf(stderr, "FAIL %s: ROW_NNZ[%u] = %u, golden %u\n", label, r, hc.arch.row_nnz[r],
              gc.row_nnz[r]);
      bad++;
    }
  }
  if (bad) {
    fprintf(stderr, "  job: k=%u mode=%s thresh=%u accumulate=%d flags=0x%x\n", job->k,
            sg_mode_name(job->mode), job->thresh, job->accumulate, jflags);
    if (os)
      fprintf(stderr, "  output stage: bias %d shift %u clamp %u relu %d (OUT_W %u)\n", os->bias,
              os->shift, os->clamp, os->relu, SG_OUT_W);
    rtl_repro(tcase);
  }
  /* the device's accumulators: the results, or with the output stage golden's (the stage
     does not change them; a mismatch is reported above) */
  memcpy(s->c_prev, os ? gold_c : dev_c, sizeof dev_c);
  s->have_prev = 1;
  s->jobs++;
  s->sparse_jobs += hc.arch.mode_used == SG_MODE_SPARSE;
  return bad;
}

static int rtl_check_job_fmt(rtl_state_t *s, const char *tcase, const char *label,
                             const sg_job_t *job, uint32_t flags) {
  return rtl_check_job_os(s, tcase, label, job, flags, NULL);
}

/* a job as it is, without the capacity cut (test_a_capacity) */
static int rtl_check_job_fmt_(rtl_state_t *s, const char *tcase, const char *label,
                              const sg_job_t *job, uint32_t flags) {
  return rtl_check_job_os_(s, tcase, label, job, flags, NULL);
}

static int rtl_check_job(rtl_state_t *s, const char *tcase, const char *label, const sg_job_t *job) {
  return rtl_check_job_fmt(s, tcase, label, job, 0);
}

/* Flags of the sectioned formats this variant has: KEEP_B with dense A always, and compressed
 * A with and without a B section when the variant has the compressed format. */
static const uint32_t rtl_fmts[] = {HOST_FLAGS_A_COMPRESSED, HOST_FLAGS_KEEP_B,
                                    HOST_FLAGS_KEEP_B | HOST_FLAGS_A_COMPRESSED, 0};
static int rtl_fmt_ok(uint32_t flags) {
  return !(flags & HOST_FLAGS_A_COMPRESSED) || SG_A_ENTS_PER_BEAT > 0;
}

/* The modes a job is run in on this variant: DENSE, SPARSE, AUTO at thresh 256 and 0. */
typedef struct rtl_mode {
  uint32_t mode, thresh;
} rtl_mode_t;
static const rtl_mode_t rtl_modes[] = {
    {SG_MODE_DENSE, 256}, {SG_MODE_SPARSE, 256}, {SG_MODE_AUTO, 256}, {SG_MODE_AUTO, 0}};
static uint32_t rtl_nmodes(void) { return SG_SPARSE_CAPABLE ? 4 : 1; }

/* ------------------------------------------------------------------ directed corners */
typedef enum {
  DC_ALL_ZERO,
  DC_SINGLE_LAST,
  DC_ONE_FULL_ROW,
  DC_MOST_NEGATIVE_KMAX,
  DC_MIN_TIMES_MAX,
  DC_K1,
  DC_KMAX_HALF,
  DC_B_ZERO,
  DC_ROW_STAIRS,
  DC_COUNT
} rtl_dc_t;
static const char *const rtl_dc_names[DC_COUNT] = {
    "all zeros",          "single non-zero at last k", "one full row, rest empty",
    "most negative, K=KMAX", "min x max",             "K=1",
    "K=KMAX, density 0.5", "A dense, B zero",          "row densities 0..1 in one tile"};

static void rtl_directed_fill(tb_t *tb, rtl_dc_t dc, rtl_mat_t *m) {
  const uint32_t R = SG_ROWS, C = SG_COLS;
  uint32_t k;
  switch (dc) {
    case DC_K1: k = 1; break;
    case DC_MOST_NEGATIVE_KMAX:
    case DC_KMAX_HALF: k = SG_KMAX; break;
    default: k = SG_KMAX < 96 ? SG_KMAX : 96; break;
  }
  rtl_mat_alloc(m, k);
  switch (dc) {
    case DC_ALL_ZERO: break;
    case DC_SINGLE_LAST:
      m->a[(size_t)(R - 1) * k + (k - 1)] = rtl_nz_value(tb);
      rtl_fill(tb, m->b, (size_t)k * C, 1000);
      break;
    case DC_ONE_FULL_ROW:
      for (uint32_t kk = 0; kk < k; kk++) m->a[(size_t)(R / 2) * k + kk] = rtl_nz_value(tb);
      rtl_fill(tb, m->b, (size_t)k * C, 1000);
      break;
    case DC_MOST_NEGATIVE_KMAX:
      for (size_t i = 0; i < (size_t)R * k; i++) m->a[i] = rtl_min();
      for (size_t i = 0; i < (size_t)k * C; i++) m->b[i] = rtl_min();
      break;
    case DC_MIN_TIMES_MAX:
      for (size_t i = 0; i < (size_t)R * k; i++) m->a[i] = (i & 1) ? rtl_min() : rtl_max();
      for (size_t i = 0; i < (size_t)k * C; i++) m->b[i] = (i % 3) ? rtl_max() : rtl_min();
      break;
    case DC_K1:
      rtl_fill(tb, m->a, (size_t)R * k, 700);
      rtl_fill(tb, m->b, (size_t)k * C, 700);
      break;
    case DC_KMAX_HALF:
      rtl_fill(tb, m->a, (size_t)R * k, 500);
      rtl_fill(tb, m->b, (size_t)k * C, 800);
      break;
    case DC_B_ZERO: rtl_fill(tb, m->a, (size_t)R * k, 1000); break;
    case DC_ROW_STAIRS:
      for (uint32_t r = 0; r < R; r++)
        rtl_fill(tb, m->a + (size_t)r * k, k, R > 1 ? 1000 * r / (R > 1 ? R - 1 : 1) : 500);
      rtl_fill(tb, m->b, (size_t)k * C, 900);
      break;
    case DC_COUNT: break;
  }
}

START_TEST(test_directed) {
  rtl_state_t s;
  rtl_dc_t dc = (rtl_dc_t)_i;
  rtl_open(&s, 100 + (uint64_t)_i, 80, 80);
  rtl_mat_t m;
  rtl_directed_fill(&s.tb, dc, &m);
  int bad = 0;
  for (uint32_t mi = 0; mi < rtl_nmodes(); mi++) {
    sg_job_t job = {m.k, rtl_modes[mi].mode, rtl_modes[mi].thresh, false, m.a, m.b};
    char label[128];
    snprintf(label, sizeof label, "directed '%s' mode %s thresh %u", rtl_dc_names[dc],
             sg_mode_name(job.mode), job.thresh);
    bad += rtl_check_job(&s, "directed", label, &job);
  }
  rtl_mat_free(&m);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "directed case '%s': %d mismatches (details above)", rtl_dc_names[dc], bad);
}
END_TEST

/* ------------------------------------------------------------------ random densities */
static const unsigned rtl_densities[] = {0, 10, 100, 300, 500, 900, 1000}; /* permille */
#define RTL_NDENS (sizeof rtl_densities / sizeof rtl_densities[0])

static unsigned rtl_jobs_per_density(void) {
  const char *s = getenv("SG_JOBS");
  return s && *s ? (unsigned)strtoul(s, NULL, 10) : 4;
}

START_TEST(test_random_density) {
  rtl_state_t s;
  rtl_open(&s, 200 + (uint64_t)_i, 70, 70);
  unsigned dA = rtl_densities[_i];
  int bad = 0;
  for (unsigned j = 0; j < rtl_jobs_per_density(); j++) {
    uint32_t k = 1 + (uint32_t)(tb_rand(&s.tb) % SG_KMAX);
    if (j == 0) k = SG_KMAX;
    unsigned dB = rtl_densities[tb_rand(&s.tb) % RTL_NDENS];
    rtl_mat_t m;
    rtl_mat_alloc(&m, k);
    rtl_fill(&s.tb, m.a, (size_t)SG_ROWS * k, dA);
    rtl_fill(&s.tb, m.b, (size_t)k * SG_COLS, dB);
    for (uint32_t mi = 0; mi < rtl_nmodes(); mi++) {
      uint32_t thresh = rtl_modes[mi].thresh;
      if (rtl_modes[mi].mode == SG_MODE_AUTO && mi == 3) thresh = (uint32_t)(tb_rand(&s.tb) % 257);
      bool acc = s.have_prev && (tb_rand(&s.tb) % 3 == 0);
      sg_job_t job = {k, rtl_modes[mi].mode, thresh, acc, m.a, m.b};
      char label[160];
      snprintf(label, sizeof label, "random A density %.3f B density %.3f job %u mode %s",
               dA / 1000.0, dB / 1000.0, j, sg_mode_name(job.mode));
      bad += rtl_check_job(&s, "random_density", label, &job);
    }
    rtl_mat_free(&m);
  }
  rtl_close(&s);
  ck_assert_msg(bad == 0, "random density %.3f: %d mismatches (details above)", dA / 1000.0, bad);
}
END_TEST

/* ------------------------------------------------------------------ probe */
START_TEST(test_probe) {
  rtl_state_t s;
  rtl_open(&s, 1, 60, 60);
  host_variant_t v;
  char err[256];
  int rc = host_probe(&s.dev, &v, err, sizeof err);
  ck_assert_msg(rc == 0, "probe failed: %s", err);
  ck_assert_msg(v.p.rows == SG_ROWS && v.p.cols == SG_COLS && v.p.data_w == SG_DATA_W &&
                    v.p.acc_w == SG_ACC_W && v.p.kmax == SG_KMAX &&
                    v.p.sparse_capable == SG_SPARSE_CAPABLE && v.window == SG_WINDOW &&
                    v.in_stream_w == SG_IN_STREAM_W && v.out_stream_w == SG_OUT_STREAM_W &&
                    v.elems_per_beat == SG_ELEMS_PER_BEAT,
                "ID/PARAM registers disagree with sparsegen_params.h");
  uint32_t ver = 0;
  ck_assert_int_eq(host_read_version(&s.dev, &ver, err, sizeof err), 0);
  ck_assert_msg(ver == SG_GEN_VERSION_WORD, "VERSION 0x%x, header says 0x%x", ver, SG_GEN_VERSION_WORD);
  /* reset values: every register reads what the register table's model reads after reset */
  const sg_ident_t id = {SG_GEN_VERSION_WORD, SG_WINDOW,         SG_IN_STREAM_W,
                         SG_IN_LANE_W,        SG_ELEMS_PER_BEAT, SG_OUT_STREAM_W,
                         SG_A_CAP};
  sg_regfile_t model;
  sg_regfile_init(&model, &rtl_params, &id);
  for (int r = 0; r < SG_REG_COUNT; r++) {
    for (uint32_t row = 0; row < (r == SG_REG_ROW_NNZ0 ? SG_ROWS : 1u); row++) {
      const uint32_t addr = sg_regs[r].offset + 4u * row;
      uint32_t val = 0, want = 0;
      ck_assert_int_eq(tb_axil_read(&s.tb, addr, &val), 0);
      ck_assert_int_eq(sg_regfile_read(&model, addr, &want), 0);
      ck_assert_msg(val == want, "%s[%u] after reset = 0x%x, the register table says 0x%x",
                    sg_regs[r].name, row, val, want);
    }
  }
  ck_assert_msg(s.tb.pins.irq == 0, "irq_o high after reset");
  rtl_close(&s);
}
END_TEST

/* ------------------------------------------------------------------ register errors */
static uint32_t rtl_read(rtl_state_t *s, uint32_t addr) {
  uint32_t v = 0;
  ck_assert_msg(tb_axil_read(&s->tb, addr, &v) == 0, "read of 0x%03x failed", addr);
  return v;
}

static void rtl_expect_err(rtl_state_t *s, uint32_t want, const char *what) {
  uint32_t e = rtl_read(s, SG_ADDR_ERR);
  if (e != want) rtl_repro("register_errors");
  rtl_cov[COV_err_k] += (e & SG_ERR(K)) != 0;
  rtl_cov[COV_err_busy] += (e & SG_ERR(BUSY)) != 0;
  rtl_cov[COV_err_mode] += (e & SG_ERR(MODE)) != 0;
  rtl_cov[COV_err_thresh] += (e & SG_ERR(THRESH)) != 0;
  rtl_cov[COV_err_addr] += (e & SG_ERR(ADDR)) != 0;
  rtl_cov[COV_err_tlast] += (e & SG_ERR(TLAST)) != 0;
  rtl_cov[COV_err_resident] += (e & SG_ERR(RESIDENT)) != 0;
  rtl_cov[COV_err_afmt] += (e & SG_ERR(AFMT)) != 0;
  ck_assert_msg(e == want, "%s: ERR = 0x%x, expected 0x%x", what, e, want);
  ck_assert_int_eq(tb_axil_write(&s->tb, SG_ADDR_ERR, e, 0xF), 0);
  ck_assert_msg(rtl_read(s, SG_ADDR_ERR) == 0, "%s: ERR not cleared by W1C", what);
}

START_TEST(test_register_errors) {
  rtl_state_t s;
  rtl_open(&s, 300, 75, 75);
  tb_t *tb = &s.tb;
  /* K out of range at START: nothing starts */
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, 0, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  rtl_expect_err(&s, SG_ERR(K), "START with K=0");
  ck_assert_msg((rtl_read(&s, SG_ADDR_STATUS) & SG_FMASK(STATUS, BUSY)) == 0, "busy after a bad START");
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, SG_KMAX + 1, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  rtl_expect_err(&s, SG_ERR(K), "START with K=KMAX+1");
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, 0xFFFFFFFFu, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  rtl_expect_err(&s, SG_ERR(K), "START with K=2^32-1");
  /* MODE and THRESH values are checked at the write and kept on error; the MODE table is the
     check the contract suite runs on the golden-backed device (tb/devcheck.c) */
  {
    char msg[256] = "";
    int nbad = devcheck_mode_rejects(&s.dev, &rtl_params, msg, sizeof msg);
    if (nbad) rtl_repro("register_errors");
    ck_assert_msg(nbad == 0, "MODE rejections: %d failures, first: %s", nbad, msg);
    rtl_cov[COV_err_mode]++;
    rtl_cov[COV_mode_rejected_kept]++;
    /* the SG_NEED rules at START, as the contract suite checks them on the golden device */
    nbad = devcheck_start_needs(&s.dev, &s.v, msg, sizeof msg);
    if (nbad) rtl_repro("register_errors");
    ck_assert_msg(nbad == 0, "START conditions: %d failures, first: %s", nbad, msg);
    rtl_cov[COV_err_resident]++;
    /* the output stage's value rules (ERR.OUT) */
    nbad = devcheck_out_rejects(&s.dev, &rtl_params, msg, sizeof msg);
    if (nbad) rtl_repro("register_errors");
    ck_assert_msg(nbad == 0, "output stage settings: %d failures, first: %s", nbad, msg);
  }
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_THRESH, 257, 0xF), 0);
  rtl_expect_err(&s, SG_ERR(THRESH), "THRESH=257");
  ck_assert_msg(rtl_read(&s, SG_ADDR_THRESH) == sg_fields[SG_FLD_THRESH_THRESH].reset,
                "THRESH changed by a rejected write");
  /* bad addresses and strobes: SLVERR and ERR.ADDR */
  uint32_t v;
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_ID, 1, 0xF), 1);
  rtl_expect_err(&s, SG_ERR(ADDR), "write to read-only ID");
  ck_assert_int_eq(tb_axil_write(tb, 0xFFC, 1, 0xF), 1);
  rtl_expect_err(&s, SG_ERR(ADDR), "write to unmapped 0xFFC");
  ck_assert_int_eq(tb_axil_read(tb, 0xFFC, &v), 1);
  rtl_expect_err(&s, SG_ERR(ADDR), "read of unmapped 0xFFC");
  ck_assert_int_eq(tb_axil_read(tb, SG_ADDR_ROW_NNZ(SG_ROWS), &v), 1);
  rtl_expect_err(&s, SG_ERR(ADDR), "read of ROW_NNZ[ROWS]");
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, 5, 0x3), 1);
  rtl_expect_err(&s, SG_ERR(ADDR), "partial-strobe write");
  ck_assert_msg(rtl_read(&s, SG_ADDR_K) == 0xFFFFFFFFu, "K changed by a partial write");
  ck_assert_int_eq(tb_axil_read(tb, SG_ADDR_K + 1, &v), 1);
  rtl_expect_err(&s, SG_ERR(ADDR), "unaligned read");

  /* START while busy: the second START is refused, the running job is unharmed */
  rtl_mat_t m;
  uint32_t k = SG_KMAX < 40 ? SG_KMAX : 40;
  rtl_mat_alloc(&m, k);
  rtl_fill(tb, m.a, (size_t)SG_ROWS * k, 500);
  rtl_fill(tb, m.b, (size_t)k * SG_COLS, 500);
  sg_a_cap_apply(&rtl_params, SG_A_CAP, k, m.a); /* every row within its list */
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, k, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  rtl_expect_err(&s, SG_ERR(BUSY), "START while busy");
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, ABORT), 0xF), 0);
  ck_assert_msg((rtl_read(&s, SG_ADDR_STATUS) & SG_FMASK(STATUS, BUSY)) == 0, "busy after ABORT");

  /* a wrong TLAST is flagged, the job still completes with the right answer */
  {
    uint32_t wpb = host_in_words_per_beat(&s.v);
    uint64_t nb = host_in_beats(&s.v, k);
    uint32_t *words = calloc(nb * wpb, sizeof(uint32_t));
    uint8_t *last = calloc(nb, 1);
    sg_job_t job = {k, SG_MODE_DENSE, 256, false, m.a, m.b};
    char err[256];
    ck_assert_int_eq(host_stream_encode(&s.v, &job, words, last, nb, err, sizeof err), 0);
    last[nb - 1] = 0;
    last[0] = 1;
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_MODE, 0, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, 0, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
    ck_assert_int_eq(tb_axis_send(tb, words, wpb, (uint32_t)nb, last), 0);
    uint32_t owpb = host_out_words_per_beat(&s.v);
    uint32_t *res = calloc((size_t)SG_ROWS * SG_COLS * owpb, sizeof(uint32_t));
    uint8_t *rl = calloc((size_t)SG_ROWS * SG_COLS, 1);
    ck_assert_int_eq(tb_axis_recv(tb, res, owpb, (uint32_t)host_out_beats(&s.v), rl), 0);
    int64_t dev_c[SG_ROWS * SG_COLS], gold_c[SG_ROWS * SG_COLS];
    ck_assert_int_eq(host_stream_decode_results(&s.v, res, rl, host_out_beats(&s.v), dev_c, err, sizeof err), 0);
    sg_counters_t gc;
    ck_assert_int_eq(gold_run(&rtl_params, &job, gold_c, &gc), 0);
    ck_assert_msg(memcmp(dev_c, gold_c, sizeof dev_c) == 0, "results wrong after a bad TLAST");
    tb_idle(tb, 2);
    ck_assert_msg(s.tb.pins.irq == 1, "irq_o not raised by DONE/ERROR");
    uint32_t st = rtl_read(&s, SG_ADDR_STATUS);
    ck_assert_msg((st & (SG_FMASK(STATUS, DONE) | SG_FMASK(STATUS, ERROR))) == (SG_FMASK(STATUS, DONE) | SG_FMASK(STATUS, ERROR)),
                  "STATUS 0x%x after a job with a bad TLAST", st);
    rtl_expect_err(&s, SG_ERR(TLAST), "TLAST on the first beat instead of the last");
    free(words);
    free(last);
    free(res);
    free(rl);
  }
  /* and the device still runs a normal job */
  sg_job_t job = {k, SG_SPARSE_CAPABLE ? SG_MODE_AUTO : SG_MODE_DENSE, 200, false, m.a, m.b};
  int bad = rtl_check_job(&s, "register_errors", "job after register errors", &job);
  rtl_mat_free(&m);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "job after register errors: %d mismatches", bad);
}
END_TEST

/* ------------------------------------------------------------------ abort / reset mid-job */
/* _i: 0..5 = {abort, reset} x {during LOAD, during COMPUTE, during DRAIN} */
START_TEST(test_interrupt_mid_job) {
  rtl_state_t s;
  /* full-speed buses: the interruption must land in the phase it is meant for */
  rtl_open(&s, 400 + (uint64_t)_i, 100, 100);
  tb_t *tb = &s.tb;
  int use_reset = _i >= 3, phase = _i % 3;
  static const char *const phases[3] = {"LOAD", "COMPUTE", "DRAIN"};
  uint32_t k = SG_KMAX < 64 ? SG_KMAX : 64;
  rtl_mat_t m;
  rtl_mat_alloc(&m, k);
  rtl_fill(tb, m.a, (size_t)SG_ROWS * k, 400);
  rtl_fill(tb, m.b, (size_t)k * SG_COLS, 900);
  sg_a_cap_apply(&rtl_params, SG_A_CAP, k, m.a); /* every row within its list (test_a_capacity) */
  /* DENSE when interrupting COMPUTE: K cycles long, so the interruption lands inside it */
  sg_job_t job = {k, SG_SPARSE_CAPABLE && phase != 1 ? SG_MODE_SPARSE : SG_MODE_DENSE, 256,
                    false, m.a, m.b};
  uint32_t wpb = host_in_words_per_beat(&s.v);
  uint64_t nb = host_in_beats(&s.v, k);
  uint32_t *words = calloc(nb * wpb, sizeof(uint32_t));
  uint8_t *last = calloc(nb, 1);
  char err[256];
  ck_assert_int_eq(host_stream_encode(&s.v, &job, words, last, nb, err, sizeof err), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, k, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_MODE, job.mode, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  uint32_t sent = phase == 0 ? (uint32_t)(nb / 2) : (uint32_t)nb;
  ck_assert_int_eq(tb_axis_send(tb, words, wpb, sent, last), 0);
  /* wait (bounded) until the job is in the phase to interrupt: LOAD 1, COMPUTE 3/FLUSH 4,
     DRAIN 5; in DRAIN take one result first when there is more than one */
  if (phase == 2 && host_out_beats(&s.v) > 1) {
    uint32_t res[32];
    uint8_t rl[2];
    ck_assert_int_eq(tb_axis_recv(tb, res, host_out_words_per_beat(&s.v), 1, rl), 0);
  }
  uint32_t state_before = 0;
  for (int polls = 0; polls < 200; polls++) {
    state_before = SG_FGET(STATUS, STATE, rtl_read(&s, SG_ADDR_STATUS));
    if (phase == 0 || (phase == 1 && state_before >= SG_STATE_COMPUTE) ||
        (phase == 2 && state_before == SG_STATE_DRAIN))
      break;
  }
  int landed = phase == 0   ? state_before == SG_STATE_LOAD
               : phase == 1 ? (state_before == SG_STATE_COMPUTE || state_before == SG_STATE_FLUSH)
                            : state_before == SG_STATE_DRAIN;
  ck_assert_msg(landed, "%s: wanted to interrupt %s, the job was in state %u",
                use_reset ? "reset" : "ABORT", phases[phase], state_before);
  if (use_reset) {
    tb_reset(tb, 1);
    ck_assert_msg(rtl_read(&s, SG_ADDR_K) == 1, "K not reset");
    ck_assert_msg(rtl_read(&s, SG_ADDR_CYC_TOTAL) == 0, "CYC_TOTAL not reset");
  } else {
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, ABORT), 0xF), 0);
  }
  static const int bins[2][3] = {{COV_abort_in_load, COV_abort_in_compute, COV_abort_in_drain},
                                 {COV_reset_in_load, COV_reset_in_compute, COV_reset_in_drain}};
  rtl_cov[bins[use_reset][phase]] += landed;
  uint32_t st = rtl_read(&s, SG_ADDR_STATUS);
  ck_assert_msg((st & (SG_FMASK(STATUS, BUSY) | SG_FMASK(STATUS, DONE))) == 0 && SG_FGET(STATUS, STATE, st) == SG_STATE_IDLE,
                "%s during %s: STATUS 0x%x, expected idle", use_reset ? "reset" : "ABORT", phases[phase], st);
  ck_assert_msg(tb->pins.s_tready == 0 && tb->pins.m_tvalid == 0, "streams still active after %s",
                use_reset ? "reset" : "ABORT");
  /* a fresh job (no ACCUMULATE) is exact; then one that accumulates on it */
  s.have_prev = 0;
  int bad = rtl_check_job(&s, "interrupt_mid_job", "job after interruption", &job);
  sg_job_t job2 = job;
  job2.accumulate = true;
  job2.mode = SG_MODE_DENSE;
  bad += rtl_check_job(&s, "interrupt_mid_job", "accumulating job after interruption", &job2);
  free(words);
  free(last);
  rtl_mat_free(&m);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "%s during %s: %d mismatches", use_reset ? "reset" : "ABORT", phases[phase], bad);
}
END_TEST

/* ------------------------------------------------------------------ full-speed buses */
START_TEST(test_no_backpressure) {
  rtl_state_t s;
  rtl_open(&s, 500, 100, 100);
  int bad = 0;
  for (unsigned j = 0; j < 3; j++) {
    uint32_t k = j == 0 ? 1 : 1 + (uint32_t)(tb_rand(&s.tb) % SG_KMAX);
    rtl_mat_t m;
    rtl_mat_alloc(&m, k);
    rtl_fill(&s.tb, m.a, (size_t)SG_ROWS * k, 200);
    rtl_fill(&s.tb, m.b, (size_t)k * SG_COLS, 1000);
    for (uint32_t mi = 0; mi < rtl_nmodes(); mi++) {
      sg_job_t job = {k, rtl_modes[mi].mode, rtl_modes[mi].thresh, false, m.a, m.b};
      bad += rtl_check_job(&s, "no_backpressure", "full-speed job", &job);
      /* the same operands in every sectioned format (B resident from the job above) */
      for (unsigned f = 0; f < sizeof rtl_fmts / sizeof rtl_fmts[0]; f++) {
        if (!rtl_fmt_ok(rtl_fmts[f])) continue;
        char label[96];
        snprintf(label, sizeof label, "full-speed job, stream flags 0x%x", rtl_fmts[f]);
        bad += rtl_check_job_fmt(&s, "no_backpressure", label, &job, rtl_fmts[f]);
      }
    }
    rtl_mat_free(&m);
  }
  rtl_close(&s);
  ck_assert_msg(bad == 0, "full-speed jobs: %d mismatches", bad);
}
END_TEST

/* ------------------------------------------------------------------ stream sections */

/* A with rows of different density: row r has density permille * (r+1) / R, row 0 empty when
 * `empty`, the last row full when `full`. */
static void rtl_fill_rows(tb_t *tb, rtl_mat_t *m, unsigned permille, int empty, int full) {
  for (uint32_t r = 0; r < SG_ROWS; r++) {
    unsigned d = permille * (r + 1) / SG_ROWS;
    if (empty && r == 0) d = 0;
    if (full && r + 1 == SG_ROWS && (r > 0 || !empty)) d = 1000;
    rtl_fill(tb, m->a + (size_t)r * m->k, m->k, d);
  }
}

/* _i: A density index. One device, a sequence of jobs over one B per K: the first loads B
 * (compressed A or interleaved), the next keep it (dense A section, compressed A), some
 * accumulate; then a new B of another K; every job in every mode, random back-pressure. */
START_TEST(test_stream_formats) {
  rtl_state_t s;
  rtl_open(&s, 600 + (uint64_t)_i, 70, 70);
  unsigned dA = rtl_densities[_i];
  int bad = 0;
  for (unsigned bj = 0; bj < 2; bj++) {
    uint32_t k = bj == 0 ? SG_KMAX : 1 + (uint32_t)(tb_rand(&s.tb) % SG_KMAX);
    if (bj == 1 && k == SG_KMAX && k > 1) k--; /* a K other than the resident one */
    int32_t *b = calloc((size_t)k * SG_COLS, sizeof(int32_t));
    ck_assert_msg(b != NULL, "out of memory");
    rtl_fill(&s.tb, b, (size_t)k * SG_COLS, rtl_densities[tb_rand(&s.tb) % RTL_NDENS]);
    for (unsigned j = 0; j < 4; j++) {
      rtl_mat_t m;
      rtl_mat_alloc(&m, k);
      memcpy(m.b, b, (size_t)k * SG_COLS * sizeof(int32_t));
      rtl_fill_rows(&s.tb, &m, dA, j == 1, j == 2);
      /* job 0 loads B (compressed A if the variant has it, else interleaved), the rest keep */
      uint32_t flags = j == 0 ? (rtl_fmt_ok(HOST_FLAGS_A_COMPRESSED) && bj == 0 ? HOST_FLAGS_A_COMPRESSED : 0)
                              : rtl_fmts[1 + (j - 1) % 2];
      if (!rtl_fmt_ok(flags)) flags = HOST_FLAGS_KEEP_B;
      for (uint32_t mi = 0; mi < rtl_nmodes(); mi++) {
        uint32_t thresh = rtl_modes[mi].thresh;
        if (rtl_modes[mi].mode == SG_MODE_AUTO && mi == 3) thresh = (uint32_t)(tb_rand(&s.tb) % 257);
        bool acc = s.have_prev && (tb_rand(&s.tb) % 3 == 0);
        sg_job_t job = {k, rtl_modes[mi].mode, thresh, acc, m.a, m.b};
        char label[192];
        snprintf(label, sizeof label, "stream formats: A density %.3f, B %u job %u, flags 0x%x, mode %s",
                 dA / 1000.0, bj, j, flags, sg_mode_name(job.mode));
        bad += rtl_check_job_fmt(&s, "stream_formats", label, &job, flags);
        if (mi == 0 && j == 0) flags = HOST_FLAGS_KEEP_B; /* the other modes reuse this B */
      }
      rtl_mat_free(&m);
    }
    free(b);
  }
  rtl_close(&s);
  ck_assert_msg(bad == 0, "stream formats, A density %.3f: %d mismatches (details above)", dA / 1000.0, bad);
}
END_TEST

/* Resident-B and compressed-format errors, then the device still runs correct jobs. */
START_TEST(test_stream_errors) {
  rtl_state_t s;
  rtl_open(&s, 700, 80, 80);
  tb_t *tb = &s.tb;
  uint32_t k = SG_KMAX < 24 ? SG_KMAX : 24;
  rtl_mat_t m;
  rtl_mat_alloc(&m, k);
  rtl_fill(tb, m.a, (size_t)SG_ROWS * k, 400);
  rtl_fill(tb, m.b, (size_t)k * SG_COLS, 800);
  sg_a_cap_apply(&rtl_params, SG_A_CAP, k, m.a); /* every row within its list (test_a_capacity) */
  /* KEEP_B after reset: no B resident */
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, k, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, HOST_FLAGS_KEEP_B, 0xF), 0);
  ck_assert_msg(rtl_read(&s, SG_ADDR_FLAGS) == HOST_FLAGS_KEEP_B, "FLAGS does not read back");
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  rtl_expect_err(&s, SG_ERR(RESIDENT), "KEEP_B with no resident B");
  ck_assert_msg((rtl_read(&s, SG_ADDR_STATUS) & SG_FMASK(STATUS, BUSY)) == 0, "busy after a refused START");
  /* compressed A without the format */
  if (SG_A_ENTS_PER_BEAT == 0) {
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, HOST_FLAGS_A_COMPRESSED, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
    rtl_expect_err(&s, SG_ERR(AFMT), "A_COMPRESSED on a variant without the format");
  }
  /* load B with K = k, then KEEP_B with another K is refused */
  sg_job_t job = {k, SG_MODE_DENSE, 256, false, m.a, m.b};
  int bad = rtl_check_job_fmt(&s, "stream_errors", "job loading B", &job, 0);
  if (k > 1) {
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, k - 1, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, HOST_FLAGS_KEEP_B, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
    rtl_expect_err(&s, SG_ERR(RESIDENT), "KEEP_B with another K than the resident B");
  }
  bad += rtl_check_job_fmt(&s, "stream_errors", "job keeping B", &job, HOST_FLAGS_KEEP_B);
  /* malformed compressed sections (format 2, packed from their parts): each flags ERR.AFMT,
     and the golden device's decoder (host_stream_decode_fmt) flags it too */
  if (SG_A_ENTS_PER_BEAT > 0) {
    const uint32_t G = 1u << SG_A_GAP_W;
    for (int kind = 0; kind < 3; kind++) {
      uint32_t cnt[SG_ROWS], gap[SG_KMAX + 1];
      int32_t val[SG_KMAX + 1];
      uint32_t n = 0;
      memset(cnt, 0, sizeof cnt);
      if (kind == 0) { /* fillers of the longest gap in the last row until k >= K, the last non-zero */
        n = k / G + 1;
        for (uint32_t i = 0; i < n; i++) gap[i] = G - 1, val[i] = i + 1 == n ? 1 : 0;
      } else if (kind == 1) { /* a count above K: K + 1 entries of gap 0 */
        n = k + 1;
        for (uint32_t i = 0; i < n; i++) gap[i] = 0, val[i] = 1;
      } else { /* one entry, then a non-zero bit after it in its beat */
        if (SG_A_ENT_BITS == SG_A_ENT_W) continue; /* an entry fills its beat: no bits after it */
        n = 1;
        gap[0] = 0, val[0] = 1;
      }
      cnt[kind == 0 ? SG_ROWS - 1 : 0] = n;
      uint64_t nb = host_in_beats_fmt(&s.v, k, HOST_FLAGS_KEEP_B | HOST_FLAGS_A_COMPRESSED, n);
      uint32_t wpb = host_in_words_per_beat(&s.v);
      uint32_t *words = calloc((size_t)nb * wpb, sizeof(uint32_t));
      uint8_t *lst = calloc((size_t)nb, 1);
      host_stream_pack_a(&s.v, cnt, gap, val, n, words);
      if (kind == 2) {
        uint32_t bit = SG_A_ENT_BITS - 1; /* the last entry bit of the last beat */
        words[(nb - 1) * wpb + bit / 32] |= 1u << (bit % 32);
      }
      lst[nb - 1] = 1;
      {
        int32_t *da = calloc((size_t)SG_ROWS * k, sizeof(int32_t)), *db = calloc((size_t)k * SG_COLS, sizeof(int32_t));
        uint64_t need = 0;
        int afmt = 0;
        ck_assert_int_eq(host_stream_decode_fmt(&s.v, k, HOST_FLAGS_KEEP_B | HOST_FLAGS_A_COMPRESSED, words, nb, da, db,
                                                &need, NULL, &afmt), 0);
        ck_assert_msg(afmt == 1 && need == nb, "golden decoder: malformed section %d not flagged", kind);
        free(da);
        free(db);
      }
      ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, k, 0xF), 0);
      ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_MODE, 0, 0xF), 0);
      ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, HOST_FLAGS_KEEP_B | HOST_FLAGS_A_COMPRESSED, 0xF), 0);
      ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
      ck_assert_int_eq(tb_axis_send(tb, words, wpb, (uint32_t)nb, lst), 0);
      uint32_t owpb = host_out_words_per_beat(&s.v);
      uint32_t *res = calloc((size_t)SG_ROWS * SG_COLS * owpb, sizeof(uint32_t));
      uint8_t *rl = calloc((size_t)SG_ROWS * SG_COLS, 1);
      ck_assert_int_eq(tb_axis_recv(tb, res, owpb, (uint32_t)host_out_beats(&s.v), rl), 0);
      tb_idle(tb, 2);
      static const char *const what[3] = {"compressed entry with k >= K", "compressed row count above K",
                                          "non-zero bits after the last compressed entry"};
      rtl_expect_err(&s, SG_ERR(AFMT), what[kind]);
      free(words);
      free(lst);
      free(res);
      free(rl);
    }
  }
  /* ABORT while B loads: B is no longer resident */
  {
    uint32_t wpb = host_in_words_per_beat(&s.v);
    uint64_t nb = host_in_beats_fmt(&s.v, k, 0, 0);
    uint32_t *words = calloc(nb * wpb, sizeof(uint32_t));
    uint8_t *last = calloc(nb, 1);
    char err[256];
    ck_assert_int_eq(host_stream_encode(&s.v, &job, words, last, nb, err, sizeof err), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, k, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, 0, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
    ck_assert_int_eq(tb_axis_send(tb, words, wpb, (uint32_t)(nb / 2), last), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, ABORT), 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, HOST_FLAGS_KEEP_B, 0xF), 0);
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
    rtl_expect_err(&s, SG_ERR(RESIDENT), "KEEP_B after an ABORT while B loaded");
    free(words);
    free(last);
  }
  /* and the device still runs jobs that load and keep B */
  s.have_prev = 0;
  bad += rtl_check_job_fmt(&s, "stream_errors", "job after stream errors", &job,
                           rtl_fmt_ok(HOST_FLAGS_A_COMPRESSED) ? HOST_FLAGS_A_COMPRESSED : 0);
  bad += rtl_check_job_fmt(&s, "stream_errors", "job keeping B after stream errors", &job, HOST_FLAGS_KEEP_B);
  rtl_mat_free(&m);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "jobs around stream errors: %d mismatches", bad);
}
END_TEST

/* ------------------------------------------------------------------ overlapped jobs */
typedef struct rtl_ovl {
  int bad;
  uint32_t jobs;
} rtl_ovl_t;

/* every job of an overlapped GEMM against golden: the tile and every counter of the trailer */
static int rtl_ovl_job(void *user, const host_job_info_t *info) {
  rtl_ovl_t *o = user;
  int64_t g[SG_ROWS * SG_COLS] = {0};
  if (info->c_prev) memcpy(g, info->c_prev, sizeof g);
  sg_counters_t gc;
  if (gold_run(&rtl_params, info->job, g, &gc) != 0) {
    o->bad++;
    return 0;
  }
  gold_results(&rtl_params, info->os, g, g); /* the stage on the tile's last chunk */
  const sg_counters_t *x = &info->cnt->arch;
  int bad = memcmp(g, info->c_tile, sizeof g) != 0 || x->mode_used != gc.mode_used ||
            x->macs_issued != gc.macs_issued || x->macs_gated != gc.macs_gated ||
            x->macs_skipped != gc.macs_skipped || x->nnz_a != gc.nnz_a || x->nnz_b != gc.nnz_b ||
            x->max_row_nnz != gc.max_row_nnz ||
            memcmp(x->row_nnz, gc.row_nnz, sizeof gc.row_nnz) != 0;
  uint32_t tokens = gc.mode_used == SG_MODE_SPARSE ? gc.max_row_nnz : info->job->k;
  if (info->cnt->cyc_compute < tokens + SG_COLS + 4u || info->cnt->cyc_load < 2u) bad = 1;
  if (bad && o->bad < 5)
    fprintf(stderr,
            "FAIL overlapped job %u (m0=%u n0=%u k0=%u k=%u flags 0x%x): tile %s, issued %u/%u "
            "gated %u/%u nnz_a %u/%u nnz_b %u/%u max %u/%u mode %u/%u cyc_compute %u\n",
            info->index, info->m0, info->n0, info->k0, info->job->k, info->flags,
            memcmp(g, info->c_tile, sizeof g) ? "differs" : "ok", x->macs_issued, gc.macs_issued,
            x->macs_gated, gc.macs_gated, x->nnz_a, gc.nnz_a, x->nnz_b, gc.nnz_b, x->max_row_nnz,
            gc.max_row_nnz, x->mode_used, gc.mode_used, info->cnt->cyc_compute);
  o->bad += bad;
  o->jobs++;
  rtl_cov[COV_overlapped_job] += info->index > 0;
  rtl_cov[COV_trailer_job]++;
  rtl_cov[COV_keep_b] += (info->flags & HOST_FLAGS_KEEP_B) != 0;
  rtl_cov[COV_a_compressed] += (info->flags & HOST_FLAGS_A_COMPRESSED) != 0;
  return 0;
}

/* _i: A density index. GEMMs of several row tiles, column blocks and K chunks, overlapped, in
 * every mode, with random back-pressure on both streams; the GEMM result against a plain
 * reference as well. */
START_TEST(test_overlapped) {
  rtl_state_t s;
  rtl_open(&s, 800 + (uint64_t)_i, 70, 70);
  unsigned dA = rtl_densities[_i];
  const uint32_t M = 3 * SG_ROWS - (SG_ROWS > 1), N = 2 * SG_COLS, kmx = SG_KMAX < 96 ? SG_KMAX : 96;
  const uint32_t K = 1 + (uint32_t)(tb_rand(&s.tb) % (2 * kmx));
  int32_t *A = calloc((size_t)M * K, sizeof(int32_t)), *B = calloc((size_t)K * N, sizeof(int32_t));
  int64_t *C = calloc((size_t)M * N, sizeof(int64_t)), *R = calloc((size_t)M * N, sizeof(int64_t));
  ck_assert_msg(A && B && C && R, "out of memory");
  rtl_fill(&s.tb, A, (size_t)M * K, dA);
  rtl_fill(&s.tb, B, (size_t)K * N, rtl_densities[tb_rand(&s.tb) % RTL_NDENS]);
  for (uint32_t i = 0; i < M; i++)
    for (uint32_t j = 0; j < N; j++) {
      int64_t acc = 0;
      for (uint32_t k = 0; k < K; k++)
        acc += sg_operand(A[(size_t)i * K + k], SG_DATA_W) * sg_operand(B[(size_t)k * N + j], SG_DATA_W);
      R[(size_t)i * N + j] = sg_sext((uint64_t)acc, SG_ACC_W);
    }
  int bad = 0;
  for (uint32_t mi = 0; mi < rtl_nmodes(); mi++) {
    rtl_ovl_t o = {0, 0};
    host_gemm_opts_t opt = {rtl_modes[mi].mode, rtl_modes[mi].thresh, rtl_ovl_job, &o, HOST_GEMM_STREAM_FAST, NULL};
    host_gemm_stats_t st;
    char err[384];
    int rc = host_gemm(&s.dev, &s.v, &opt, M, N, K, A, B, C, &st, err, sizeof err);
    if (rc != 0) {
      fprintf(stderr, "FAIL overlapped GEMM %ux%ux%u mode %s: %s\n", M, N, K, sg_mode_name(opt.mode), err);
      bad++;
    } else {
      size_t nb = 0;
      for (size_t i = 0; i < (size_t)M * N; i++) nb += C[i] != R[i];
      if (nb) fprintf(stderr, "FAIL overlapped GEMM %ux%ux%u mode %s: %zu results differ from the reference\n",
                      M, N, K, sg_mode_name(opt.mode), nb);
      bad += (int)nb + o.bad;
    }
  }
  if (bad) rtl_repro("overlapped");
  free(A);
  free(B);
  free(C);
  free(R);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "overlapped jobs, A density %.3f: %d mismatches (details above)", dA / 1000.0, bad);
}
END_TEST

static uint32_t rtl_a_cap(void) { return SG_A_CAP; } /* 0 on a dense-only variant */

/* The A list capacity (SG_A_CAP, PARAM4.A_CAP), on a sparse-capable variant whose lists are
 * shorter than KMAX: at K = KMAX a row exactly at capacity runs bit-exact in every mode; a
 * full row (over capacity) ends its job with ERR.AFMT and keeps its first SG_A_CAP non-zeros
 * (the counters equal golden's of that cut A, and the golden device reports the same), the
 * next job is bit-exact; a GEMM with full rows runs in K chunks that fit (host_gemm). */
START_TEST(test_a_capacity) {
  rtl_state_t s;
  rtl_open(&s, 1000, 80, 80);
  ck_assert_msg(SG_SPARSE_CAPABLE ? (rtl_a_cap() >= 1 && SG_A_CAP <= SG_KMAX) : rtl_a_cap() == 0,
                "SG_A_CAP %u outside 1..KMAX (0 on a dense-only variant)", SG_A_CAP);
  ck_assert_msg(rtl_read(&s, SG_ADDR_PARAM4) == (SG_SPARSE_CAPABLE ? SG_A_CAP : 0u),
                "PARAM4 reads 0x%x, expected A_CAP %u", rtl_read(&s, SG_ADDR_PARAM4), SG_A_CAP);
  if (!SG_SPARSE_CAPABLE || SG_A_CAP >= SG_KMAX) { /* no row can exceed its list */
    rtl_close(&s);
    return;
  }
  const uint32_t k = SG_KMAX;
  rtl_mat_t m;
  rtl_mat_alloc(&m, k);
  rtl_fill(&s.tb, m.a, (size_t)SG_ROWS * k, 150);
  rtl_fill(&s.tb, m.b, (size_t)k * SG_COLS, 900);
  /* the other rows within capacity (a small A_CAP, e.g. 8 at KMAX 64, is below what density
     0.15 gives), so that only the rows set below are at or over it */
  sg_a_cap_apply(&rtl_params, SG_A_CAP, k, m.a);
  /* row 0 exactly at capacity: SG_A_CAP non-zeros at random places */
  for (uint32_t kk = 0; kk < k; kk++) m.a[kk] = 0;
  for (uint32_t n = 0; n < rtl_a_cap();) {
    uint32_t kk = (uint32_t)(tb_rand(&s.tb) % k);
    if (m.a[kk] == 0) {
      m.a[kk] = rtl_nz_value(&s.tb);
      n++;
    }
  }
  int bad = 0;
  for (uint32_t mi = 0; mi < rtl_nmodes(); mi++) {
    sg_job_t job = {k, rtl_modes[mi].mode, rtl_modes[mi].thresh, false, m.a, m.b};
    char label[128];
    snprintf(label, sizeof label, "row 0 at capacity (%u non-zeros, K=%u), mode %s", SG_A_CAP, k,
             sg_mode_name(job.mode));
    bad += rtl_check_job_fmt_(&s, "a_capacity", label, &job, 0);
    rtl_cov[COV_a_at_cap]++;
  }
  /* the last row full: over capacity */
  for (uint32_t kk = 0; kk < k; kk++) m.a[(size_t)(SG_ROWS - 1) * k + kk] = rtl_nz_value(&s.tb);
  int32_t *cut = malloc((size_t)SG_ROWS * k * sizeof *cut);
  ck_assert_msg(cut != NULL, "out of memory");
  memcpy(cut, m.a, (size_t)SG_ROWS * k * sizeof *cut);
  ck_assert_msg(sg_a_cap_apply(&rtl_params, SG_A_CAP, k, cut) == 1, "one row should be over capacity");
  golddev_t gd;
  host_dev_t gdev;
  char err[256];
  ck_assert_int_eq(golddev_init(&gd, &s.v, SG_GEN_VERSION_WORD, &gdev, err, sizeof err), 0);
  for (uint32_t mode = 0; mode < 2; mode++) {
    sg_job_t job = {k, mode, 256, false, m.a, m.b}, jcut = job;
    jcut.a = cut;
    int64_t gold_c[SG_ROWS * SG_COLS], dev_c[SG_ROWS * SG_COLS];
    sg_counters_t gc;
    memset(&gc, 0, sizeof gc);
    ck_assert_int_eq(gold_run(&rtl_params, &jcut, gold_c, &gc), 0);
    host_counters_t hc, dc;
    memset(&hc, 0, sizeof hc);
    memset(&dc, 0, sizeof dc);
    int rc = host_run_job_fmt(&s.dev, &s.v, &job, 0, dev_c, &hc, err, sizeof err);
    int grc = host_run_job_fmt(&gdev, &s.v, &job, 0, dev_c, &dc, err, sizeof err);
    rtl_cov[COV_a_over_cap] += hc.err == SG_ERR(AFMT);
    rtl_cov[COV_err_afmt] += hc.err == SG_ERR(AFMT);
    if (rc != HOST_E_JOB || hc.err != SG_ERR(AFMT) || grc != HOST_E_JOB || dc.err != SG_ERR(AFMT) ||
        hc.arch.nnz_a != gc.nnz_a || hc.arch.max_row_nnz != SG_A_CAP ||
        hc.arch.macs_issued != gc.macs_issued || hc.arch.mode_used != gc.mode_used ||
        memcmp(hc.arch.row_nnz, gc.row_nnz, sizeof gc.row_nnz) != 0 ||
        dc.arch.nnz_a != gc.nnz_a || dc.arch.max_row_nnz != gc.max_row_nnz ||
        dc.arch.macs_issued != gc.macs_issued) {
      fprintf(stderr,
              "FAIL row over capacity, mode %s: device rc %d ERR 0x%x nnz_a %u max %u issued %u; "
              "golden device rc %d ERR 0x%x nnz_a %u max %u issued %u; golden of the cut A nnz_a "
              "%u max %u issued %u (expected ERR.AFMT 0x%x)\n",
              sg_mode_name(mode), rc, hc.err, hc.arch.nnz_a, hc.arch.max_row_nnz,
              hc.arch.macs_issued, grc, dc.err, dc.arch.nnz_a, dc.arch.max_row_nnz,
              dc.arch.macs_issued, gc.nnz_a, gc.max_row_nnz, gc.macs_issued, SG_ERR(AFMT));
      bad++;
    }
    /* nothing corrupted: the next job (each row cut to capacity) is bit-exact */
    s.have_prev = 0;
    bad += rtl_check_job_fmt(&s, "a_capacity", "job after a row over capacity", &job, 0);
  }
  golddev_free(&gd);
  free(cut);
  /* a GEMM whose rows are full at K = KMAX: host_gemm cuts K into chunks that fit */
  rtl_ovl_t o = {0, 0};
  host_gemm_opts_t opt = {SG_MODE_SPARSE, 256, rtl_ovl_job, &o, HOST_GEMM_STREAM_FAST, NULL};
  host_gemm_stats_t st;
  int64_t *c = calloc((size_t)SG_ROWS * SG_COLS, sizeof *c);
  ck_assert_msg(c != NULL, "out of memory");
  int rc = host_gemm(&s.dev, &s.v, &opt, SG_ROWS, SG_COLS, k, m.a, m.b, c, &st, err, sizeof err);
  ck_assert_msg(rc == 0, "GEMM with a full row: %s", err);
  size_t nb = 0;
  for (uint32_t i = 0; i < SG_ROWS; i++)
    for (uint32_t j = 0; j < SG_COLS; j++) {
      int64_t acc = 0;
      for (uint32_t kk = 0; kk < k; kk++)
        acc += sg_operand(m.a[(size_t)i * k + kk], SG_DATA_W) * sg_operand(m.b[(size_t)kk * SG_COLS + j], SG_DATA_W);
      nb += c[(size_t)i * SG_COLS + j] != sg_sext((uint64_t)acc, SG_ACC_W);
    }
  rtl_cov[COV_gemm_cap_chunked] += st.jobs > 1;
  if (nb || o.bad || st.jobs < 2) {
    fprintf(stderr, "FAIL GEMM with a full row (K=%u, A_CAP %u): %zu results differ, %d job "
            "mismatches, %llu jobs (expected at least 2 K chunks)\n", k, SG_A_CAP, nb, o.bad,
            (unsigned long long)st.jobs);
    bad++;
  }
  free(c);
  if (bad) rtl_repro("a_capacity");
  rtl_mat_free(&m);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "A list capacity: %d mismatches (details above)", bad);
}
END_TEST

/* ------------------------------------------------------------------ output stage */

/* Output stage settings of the directed part: OUT_W saturation alone, ReLU, rounding ties,
 * the largest shift, bias extremes, clamp 0 and 1. */
static sg_out_stage_t rtl_os_directed(unsigned i) {
  const uint32_t top = 0x7FFFFFFFu;
  const sg_out_stage_t t[] = {
      {0, 0, top, false},          {0, 0, top, true},
      {0, 1, top, false},          {-1, 1, top, true},
      {0, SG_ACC_W - 1, top, false}, {INT32_MAX, 0, top, false},
      {INT32_MIN, 0, top, false},  {INT32_MIN, SG_ACC_W - 1, top, false},
      {0, 0, 0, false},            {0, 0, 0, true},
      {0, 0, 1, false},            {3, 2, 5, true},
  };
  return t[i % (sizeof t / sizeof t[0])];
}
#define RTL_OS_DIRECTED 12u

/* Random settings: shift mostly near the size of the results, bias small or anywhere, clamp
 * anywhere or small, ReLU either way. */
static sg_out_stage_t rtl_os_random(tb_t *tb) {
  sg_out_stage_t o;
  uint32_t r = (uint32_t)(tb_rand(tb) % 4);
  o.shift = r == 0 ? (uint32_t)(tb_rand(tb) % SG_ACC_W) : (uint32_t)(tb_rand(tb) % (SG_DATA_W + 2));
  if (o.shift >= SG_ACC_W) o.shift = SG_ACC_W - 1;
  o.bias = tb_rand(tb) % 2 ? (int32_t)(uint32_t)tb_rand(tb) : (int32_t)(tb_rand(tb) % 2001) - 1000;
  o.clamp = tb_rand(tb) % 3 ? 0x7FFFFFFFu & (uint32_t)tb_rand(tb) : (uint32_t)(tb_rand(tb) % 300);
  if (tb_rand(tb) % 4 == 0) o.clamp = 0x7FFFFFFFu;
  o.relu = tb_rand(tb) % 2 != 0;
  return o;
}

/* _i: 0 full speed (the cycle model exactly, narrow result beats), 1 random back-pressure.
 * Jobs with FLAGS.OUT_STAGE in every mode: the directed settings, then random ones, on random
 * and extreme operands; chains where a job with the stage is followed by ACCUMULATE jobs with
 * and without it (the stage never changes the accumulators). */
/* A variant without an output stage (out_width 0): PARAM5.OUT_W reads 0 and every START with
 * FLAGS.OUT_STAGE is refused with ERR.OUT (the SG_NEED rule; sg_check_out_stage says the same)
 * and streams nothing; a job without the stage after each refusal runs as usual. */
static int rtl_out_stage_refused(rtl_state_t *s) {
  int bad = 0;
  if (s->v.p.out_w != 0) {
    fprintf(stderr, "FAIL no output stage: PARAM5.OUT_W reads %u, expected 0\n", s->v.p.out_w);
    bad++;
  }
  for (unsigned j = 0; j < 4; j++) {
    uint32_t k = 1 + (uint32_t)(tb_rand(&s->tb) % SG_KMAX);
    rtl_mat_t m;
    rtl_mat_alloc(&m, k);
    rtl_fill(&s->tb, m.a, (size_t)SG_ROWS * k, 500);
    rtl_fill(&s->tb, m.b, (size_t)k * SG_COLS, 1000);
    sg_out_stage_t os = j < 2 ? rtl_os_directed(j) : rtl_os_random(&s->tb);
    const rtl_mode_t *md = &rtl_modes[j % rtl_nmodes()];
    sg_job_t job = {k, md->mode, md->thresh, false, m.a, m.b};
    int64_t c[SG_ROWS * SG_COLS];
    host_counters_t hc;
    char err[384];
    int rc = host_run_job_os(&s->dev, &s->v, &job, 0u, &os, c, &hc, err, sizeof err);
    const uint32_t want = sg_check_out_stage(&rtl_params, &os);
    if (rc != HOST_E_JOB || hc.err != SG_ERR(OUT) || want != SG_ERR(OUT)) {
      fprintf(stderr, "FAIL no output stage: job %u with FLAGS.OUT_STAGE (K=%u, mode %s): rc %d, ERR 0x%x "
                      "(expected START refused with ERR.OUT 0x%x, golden 0x%x): %s\n",
              j, k, sg_mode_name(md->mode), rc, hc.err, SG_ERR(OUT), want, rc ? err : "ran");
      bad++;
    }
    char label[96];
    snprintf(label, sizeof label, "no output stage: job %u without the stage after a refusal", j);
    bad += rtl_check_job_os(s, "out_stage", label, &job, 0u, NULL);
    rtl_mat_free(&m);
  }
  return bad;
}

START_TEST(test_out_stage) {
  rtl_state_t s;
  rtl_open(&s, 900 + (uint64_t)_i, _i ? 70 : 100, _i ? 70 : 100);
  int bad = 0;
  if (SG_OUT_W == 0) {
    bad = rtl_out_stage_refused(&s);
    if (bad) rtl_repro("out_stage");
    rtl_close(&s);
    ck_assert_msg(bad == 0, "no output stage: %d failures (details above)", bad);
    return;
  }
  const unsigned njobs = RTL_OS_DIRECTED + 2 * rtl_jobs_per_density();
  for (unsigned j = 0; j < njobs; j++) {
    uint32_t k = j % 5 == 0 ? SG_KMAX : 1 + (uint32_t)(tb_rand(&s.tb) % SG_KMAX);
    rtl_mat_t m;
    rtl_mat_alloc(&m, k);
    if (j % 4 == 3) { /* extreme values: the largest accumulators */
      for (size_t i = 0; i < (size_t)SG_ROWS * k; i++) m.a[i] = rtl_min();
      for (size_t i = 0; i < (size_t)k * SG_COLS; i++) m.b[i] = tb_rand(&s.tb) % 2 ? rtl_min() : rtl_max();
    } else {
      rtl_fill(&s.tb, m.a, (size_t)SG_ROWS * k, rtl_densities[tb_rand(&s.tb) % RTL_NDENS]);
      rtl_fill(&s.tb, m.b, (size_t)k * SG_COLS, 1000);
    }
    sg_out_stage_t os = j < RTL_OS_DIRECTED ? rtl_os_directed(j) : rtl_os_random(&s.tb);
    const rtl_mode_t *md = &rtl_modes[j % rtl_nmodes()];
    uint32_t flags = (j % 3 == 1 && rtl_fmt_ok(HOST_FLAGS_A_COMPRESSED)) ? HOST_FLAGS_A_COMPRESSED : 0u;
    sg_job_t job = {k, md->mode, md->thresh, false, m.a, m.b};
    char label[192];
    snprintf(label, sizeof label, "output stage job %u (%s settings), mode %s, flags 0x%x", j,
             j < RTL_OS_DIRECTED ? "directed" : "random", sg_mode_name(md->mode), flags);
    bad += rtl_check_job_os(&s, "out_stage", label, &job, flags, &os);
    if (j % 3 == 2) {
      /* the same B again, accumulating: with the stage, then without it (raw accumulators) */
      sg_job_t acc = {k, md->mode, md->thresh, true, m.a, m.b};
      snprintf(label, sizeof label, "output stage job %u, ACCUMULATE with the stage", j);
      bad += rtl_check_job_os(&s, "out_stage", label, &acc, HOST_FLAGS_KEEP_B, &os);
      snprintf(label, sizeof label, "output stage job %u, ACCUMULATE without the stage", j);
      bad += rtl_check_job_os(&s, "out_stage", label, &acc, HOST_FLAGS_KEEP_B, NULL);
    }
    rtl_mat_free(&m);
  }
  rtl_close(&s);
  ck_assert_msg(bad == 0, "output stage (%s): %d mismatches (details above)",
                _i ? "back-pressure" : "full speed", bad);
}
END_TEST

/* An overlapped GEMM with the output stage on every tile's last K chunk (earlier chunks come
 * back raw and accumulate), random back-pressure; the GEMM against a plain reference. */
START_TEST(test_out_stage_gemm) {
  rtl_state_t s;
  rtl_open(&s, 950, 70, 70);
  const uint32_t M = 2 * SG_ROWS + (SG_ROWS > 1), N = 2 * SG_COLS, kmx = SG_KMAX < 96 ? SG_KMAX : 96;
  const uint32_t K = kmx + 1 + (uint32_t)(tb_rand(&s.tb) % kmx); /* at least two K chunks */
  int32_t *A = calloc((size_t)M * K, sizeof(int32_t)), *B = calloc((size_t)K * N, sizeof(int32_t));
  int64_t *C = calloc((size_t)M * N, sizeof(int64_t)), *R = calloc((size_t)M * N, sizeof(int64_t));
  ck_assert_msg(A && B && C && R, "out of memory");
  rtl_fill(&s.tb, A, (size_t)M * K, 300);
  rtl_fill(&s.tb, B, (size_t)K * N, 700);
  int bad = 0;
  for (uint32_t mi = 0; mi < rtl_nmodes(); mi++) {
    sg_out_stage_t os = rtl_os_random(&s.tb);
    if (SG_OUT_W == 0) { /* no output stage: host_gemm refuses the GEMM before any job */
      rtl_ovl_t o = {0, 0};
      host_gemm_opts_t opt = {rtl_modes[mi].mode, rtl_modes[mi].thresh, rtl_ovl_job, &o, HOST_GEMM_STREAM_FAST, &os};
      host_gemm_stats_t st;
      char err[384] = "";
      int rc = host_gemm(&s.dev, &s.v, &opt, M, N, K, A, B, C, &st, err, sizeof err);
      if (rc == 0 || !strstr(err, "OUT")) {
        fprintf(stderr, "FAIL output-stage GEMM %ux%ux%u mode %s on a variant without an output stage: rc %d "
                        "(expected refused with ERR.OUT): %s\n", M, N, K, sg_mode_name(opt.mode), rc, err);
        bad++;
      }
      continue;
    }
    for (uint32_t i = 0; i < M; i++)
      for (uint32_t j = 0; j < N; j++) {
        int64_t acc = 0;
        for (uint32_t k = 0; k < K; k++)
          acc += sg_operand(A[(size_t)i * K + k], SG_DATA_W) * sg_operand(B[(size_t)k * N + j], SG_DATA_W);
        R[(size_t)i * N + j] = gold_out_stage(&rtl_params, &os, sg_sext((uint64_t)acc, SG_ACC_W));
      }
    rtl_ovl_t o = {0, 0};
    host_gemm_opts_t opt = {rtl_modes[mi].mode, rtl_modes[mi].thresh, rtl_ovl_job, &o, HOST_GEMM_STREAM_FAST, &os};
    host_gemm_stats_t st;
    char err[384];
    int rc = host_gemm(&s.dev, &s.v, &opt, M, N, K, A, B, C, &st, err, sizeof err);
    if (rc != 0) {
      fprintf(stderr, "FAIL output-stage GEMM %ux%ux%u mode %s: %s\n", M, N, K, sg_mode_name(opt.mode), err);
      bad++;
    } else {
      size_t nb = 0;
      for (size_t i = 0; i < (size_t)M * N; i++) nb += C[i] != R[i];
      if (nb) fprintf(stderr, "FAIL output-stage GEMM %ux%ux%u mode %s (bias %d shift %u clamp %u relu %d): %zu results differ from the reference\n",
                      M, N, K, sg_mode_name(opt.mode), os.bias, os.shift, os.clamp, os.relu, nb);
      bad += (int)nb + o.bad;
    }
  }
  if (bad) rtl_repro("out_stage_gemm");
  free(A);
  free(B);
  free(C);
  free(R);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "output-stage GEMM: %d mismatches (details above)", bad);
}
END_TEST

/* _i: 0 ABORT, 1 reset, while job 1 loads, job 0 computes or drains (its results not taken). */
START_TEST(test_overlap_interrupt) {
  rtl_state_t s;
  rtl_open(&s, 900 + (uint64_t)_i, 100, 100);
  tb_t *tb = &s.tb;
  const int use_reset = _i == 1;
  uint32_t k = SG_KMAX < 48 ? SG_KMAX : 48;
  rtl_mat_t m;
  rtl_mat_alloc(&m, k);
  rtl_fill(tb, m.a, (size_t)SG_ROWS * k, 300);
  rtl_fill(tb, m.b, (size_t)k * SG_COLS, 900);
  sg_a_cap_apply(&rtl_params, SG_A_CAP, k, m.a); /* every row within its list (test_a_capacity) */
  sg_job_t job = {k, SG_MODE_DENSE, 256, false, m.a, m.b};
  uint32_t wpb = host_in_words_per_beat(&s.v);
  uint64_t nb = host_in_beats_fmt(&s.v, k, HOST_FLAGS_KEEP_B, 0), nb0 = host_in_beats(&s.v, k);
  uint64_t cap = nb > nb0 ? nb : nb0;
  uint32_t *words = calloc(cap * wpb, sizeof(uint32_t));
  uint8_t *last = calloc(cap, 1);
  char err[256];
  /* job 0 (loads B), all its beats in; then STATUS.READY: the next START is accepted */
  ck_assert_int_eq(host_stream_encode(&s.v, &job, words, last, cap, err, sizeof err), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_K, k, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_MODE, SG_MODE_DENSE, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, HOST_FLAGS_TRAILER, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  ck_assert_msg((rtl_read(&s, SG_ADDR_STATUS) & SG_FMASK(STATUS, READY)) == 0, "READY while a job loads");
  ck_assert_int_eq(tb_axis_send(tb, words, wpb, (uint32_t)nb0, last), 0);
  uint32_t st = 0;
  for (int polls = 0; polls < 50 && !(st & SG_FMASK(STATUS, READY)); polls++) st = rtl_read(&s, SG_ADDR_STATUS);
  ck_assert_msg(st & SG_FMASK(STATUS, READY), "STATUS 0x%x: not READY after the job's last operand beat", st);
  /* job 1 keeps B: half its beats, while job 0 computes (DENSE, K cycles) or waits to drain */
  ck_assert_int_eq(host_stream_encode_fmt(&s.v, &job, HOST_FLAGS_KEEP_B, words, last, cap, err, sizeof err), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_FLAGS, HOST_FLAGS_TRAILER | HOST_FLAGS_KEEP_B, 0xF), 0);
  ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, START), 0xF), 0);
  ck_assert_int_eq(rtl_read(&s, SG_ADDR_ERR), 0);
  ck_assert_int_eq(tb_axis_send(tb, words, wpb, (uint32_t)(nb / 2), last), 0);
  st = rtl_read(&s, SG_ADDR_STATUS);
  int overlapped = (st & SG_FMASK(STATUS, BUSY)) && !(st & SG_FMASK(STATUS, READY)) && SG_FGET(STATUS, STATE, st) >= 2;
  ck_assert_msg(overlapped, "STATUS 0x%x: expected job 0 past LOAD and job 1 loading", st);
  rtl_cov[use_reset ? COV_reset_overlapped : COV_abort_overlapped] += overlapped;
  if (use_reset)
    tb_reset(tb, 1);
  else
    ck_assert_int_eq(tb_axil_write(tb, SG_ADDR_CTRL, SG_FMASK(CTRL, ABORT), 0xF), 0);
  st = rtl_read(&s, SG_ADDR_STATUS);
  ck_assert_msg((st & (SG_FMASK(STATUS, BUSY) | SG_FMASK(STATUS, DONE))) == 0 && (st & SG_FMASK(STATUS, READY)) &&
                    SG_FGET(STATUS, STATE, st) == 0,
                "%s while jobs overlap: STATUS 0x%x, expected idle and READY", use_reset ? "reset" : "ABORT", st);
  ck_assert_msg(tb->pins.s_tready == 0 && tb->pins.m_tvalid == 0, "streams still active");
  /* the device runs fresh jobs and an overlapped GEMM (B must be reloaded after a reset;
     after ABORT job 0's B is still resident) */
  s.have_prev = 0;
  int bad = rtl_check_job(&s, "overlap_interrupt", "job after interruption", &job);
  bad += rtl_check_job_fmt(&s, "overlap_interrupt", "job keeping B after interruption", &job, HOST_FLAGS_KEEP_B);
  rtl_ovl_t o = {0, 0};
  host_gemm_opts_t opt = {SG_SPARSE_CAPABLE ? SG_MODE_AUTO : SG_MODE_DENSE, 256, rtl_ovl_job, &o, HOST_GEMM_STREAM_FAST, NULL};
  int64_t c[2 * SG_ROWS * SG_COLS];
  int32_t *a2 = calloc((size_t)2 * SG_ROWS * k, sizeof(int32_t));
  ck_assert_msg(a2 != NULL, "out of memory");
  rtl_fill(tb, a2, (size_t)2 * SG_ROWS * k, 300);
  ck_assert_msg(host_gemm(&s.dev, &s.v, &opt, 2 * SG_ROWS, SG_COLS, k, a2, m.b, c, NULL, err, sizeof err) == 0,
                "overlapped GEMM after interruption: %s", err);
  bad += o.bad;
  if (bad) rtl_repro("overlap_interrupt");
  free(a2);
  free(words);
  free(last);
  rtl_mat_free(&m);
  rtl_close(&s);
  ck_assert_msg(bad == 0, "%s while jobs overlap: %d mismatches", use_reset ? "reset" : "ABORT", bad);
}
END_TEST

Suite *make_rtl_suite(void) {
  Suite *s = suite_create("rtl");
  TCase *tc;
  tc = tcase_create("probe");
  tcase_add_test(tc, test_probe);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  tc = tcase_create("directed");
  tcase_add_loop_test(tc, test_directed, 0, DC_COUNT);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  tc = tcase_create("random_density");
  tcase_add_loop_test(tc, test_random_density, 0, (int)RTL_NDENS);
  tcase_set_timeout(tc, 600);
  suite_add_tcase(s, tc);
  tc = tcase_create("register_errors");
  tcase_add_test(tc, test_register_errors);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("interrupt_mid_job");
  tcase_add_loop_test(tc, test_interrupt_mid_job, 0, 6);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("stream_formats");
  tcase_add_loop_test(tc, test_stream_formats, 0, (int)RTL_NDENS);
  tcase_set_timeout(tc, 600);
  suite_add_tcase(s, tc);
  tc = tcase_create("stream_errors");
  tcase_add_test(tc, test_stream_errors);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("overlapped");
  tcase_add_loop_test(tc, test_overlapped, 0, (int)RTL_NDENS);
  tcase_set_timeout(tc, 600);
  suite_add_tcase(s, tc);
  tc = tcase_create("overlap_interrupt");
  tcase_add_loop_test(tc, test_overlap_interrupt, 0, 2);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("a_capacity");
  tcase_add_test(tc, test_a_capacity);
  tcase_set_timeout(tc, 600);
  suite_add_tcase(s, tc);
  tc = tcase_create("out_stage");
  tcase_add_loop_test(tc, test_out_stage, 0, 2);
  tcase_add_test(tc, test_out_stage_gemm);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  tc = tcase_create("no_backpressure");
  tcase_add_test(tc, test_no_backpressure);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  return s;
}
