/* sim_run: the `run` command on a simulated variant. Runs a real or synthetic GEMM through the
 * Verilator model of one variant with the host driver (tiling, K chunks, stream encoding), in
 * every requested mode, checks every result word and every per-job architectural counter
 * against the golden model run through the same driver, and prints cycles, MACs issued,
 * gated and skipped, utilization and speedup. With --jsonl FILE it appends one benchmark
 * record per mode.
 *
 *   sim_run --workload graphchallenge [--data DIR] [--m M] [--n N] [--k K] [--row0 R] [--col0 C]
 *   sim_run --workload random --k K --density-a D [--density-b D] [--m M] [--n N] [--seed S]
 *   sim_run --workload mtx --file F.mtx [--m M] [--n N] [--density-b D]
 *   common: [--modes dense,sparse,auto] [--thresh T] [--label L] [--jsonl FILE] [--quiet]
 * Exit status: 0 all modes matched golden, 1 mismatch or device error, 2 bad arguments/input.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "gold.h"
#include "host_driver.h"
#include "host_energy.h"
#include "host_golddev.h"
#include "host_mtx.h"
#include "host_quant.h"
#include "sparsegen_params.h"

typedef struct run_opts {
  const char *workload, *data, *file, *label, *jsonl;
  uint32_t m, n, k, row0, col0, thresh;
  double density_a, density_b;
  uint64_t seed;
  int modes[3];
  int quiet;
} run_opts_t;

typedef struct run_jobs {
  host_counters_t *c;
  uint32_t *k;
  uint32_t *flags;
  uint32_t n, cap;
} run_jobs_t;

static int run_on_job(void *user, const host_job_info_t *info) {
  run_jobs_t *j = user;
  if (j->n == j->cap) {
    uint32_t cap = j->cap ? 2 * j->cap : 64;
    host_counters_t *c = realloc(j->c, cap * sizeof *c);
    uint32_t *k = realloc(j->k, cap * sizeof *k);
    uint32_t *fl = realloc(j->flags, cap * sizeof *fl);
    if (!c || !k || !fl) {
      free(c ? c : j->c);
      free(k ? k : j->k);
      free(fl ? fl : j->flags);
      j->c = NULL;
      j->k = NULL;
      j->flags = NULL;
      return 1;
    }
    j->c = c;
    j->k = k;
    j->flags = fl;
    j->cap = cap;
  }
  j->c[j->n] = *info->cnt;
  j->k[j->n] = info->job->k;
  j->flags[j->n] = info->flags;
  j->n++;
  return 0;
}

static uint64_t run_rand(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545F4914F6CDD1Dull;
}

static void run_usage(void) {
  fprintf(stderr,
          "usage: sim_run --workload graphchallenge|random|mtx [options]\n"
          "  --data DIR        shared data folder (default ../shared/data, env SG_DATA_DIR)\n"
          "  --file F.mtx      Matrix Market file used as A (workload mtx)\n"
          "  --m M --n N --k K GEMM size (defaults: one tile, K = KMAX or the data's K)\n"
          "  --row0 R --col0 C tile origin in the GraphChallenge layer / images\n"
          "  --density-a D --density-b D  densities 0..1 for random operands\n"
          "  --seed S          random seed (printed)\n"
          "  --modes LIST      dense,sparse,auto (default: all the variant has)\n"
          "  --thresh T        AUTO threshold 0..256 (default 256)\n"
          "  --label L --jsonl FILE --quiet\n");
}

static int run_parse_u32(const char *opt, const char *s, uint32_t *v) {
  char *end;
  errno = 0;
  unsigned long x = strtoul(s, &end, 10);
  if (errno || *end || !*s || x > 0xffffffffu) {
    fprintf(stderr, "sim_run: %s '%s' is not a whole number\n", opt, s);
    return -1;
  }
  *v = (uint32_t)x;
  return 0;
}

static int run_parse_d(const char *opt, const char *s, double *v) {
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (errno || *end || !*s || !(x >= 0.0 && x <= 1.0)) {
    fprintf(stderr, "sim_run: %s '%s' must be a number in 0..1\n", opt, s);
    return -1;
  }
  *v = x;
  return 0;
}

static int run_args(int argc, char **argv, run_opts_t *o) {
  memset(o, 0, sizeof *o);
  o->thresh = 256;
  o->density_b = 1.0;
  o->density_a = 0.1;
  o->seed = 1;
  o->data = getenv("SG_DATA_DIR") ? getenv("SG_DATA_DIR") : "../shared/data";
  o->modes[0] = 1;
  o->modes[1] = o->modes[2] = SG_SPARSE_CAPABLE;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--quiet")) {
      o->quiet = 1;
      continue;
    }
    if (!strcmp(a, "--help")) {
      run_usage();
      exit(0);
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "sim_run: %s needs a value\n", a);
      return -1;
    }
    const char *v = argv[++i];
    int rc = 0;
    if (!strcmp(a, "--workload")) o->workload = v;
    else if (!strcmp(a, "--data")) o->data = v;
    else if (!strcmp(a, "--file")) o->file = v;
    else if (!strcmp(a, "--label")) o->label = v;
    else if (!strcmp(a, "--jsonl")) o->jsonl = v;
    else if (!strcmp(a, "--m")) rc = run_parse_u32(a, v, &o->m);
    else if (!strcmp(a, "--n")) rc = run_parse_u32(a, v, &o->n);
    else if (!strcmp(a, "--k")) rc = run_parse_u32(a, v, &o->k);
    else if (!strcmp(a, "--row0")) rc = run_parse_u32(a, v, &o->row0);
    else if (!strcmp(a, "--col0")) rc = run_parse_u32(a, v, &o->col0);
    else if (!strcmp(a, "--thresh")) rc = run_parse_u32(a, v, &o->thresh);
    else if (!strcmp(a, "--density-a")) rc = run_parse_d(a, v, &o->density_a);
    else if (!strcmp(a, "--density-b")) rc = run_parse_d(a, v, &o->density_b);
    else if (!strcmp(a, "--seed")) o->seed = strtoull(v, NULL, 0);
    else if (!strcmp(a, "--modes")) {
      o->modes[0] = o->modes[1] = o->modes[2] = 0;
      char buf[64];
      snprintf(buf, sizeof buf, "%s", v);
      for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        uint32_t m;
        if (gold_mode_parse(t, &m)) {
          fprintf(stderr, "sim_run: --modes: unknown mode '%s' (dense, sparse, auto)\n", t);
          return -1;
        }
        if (m != GOLD_MODE_DENSE && !SG_SPARSE_CAPABLE) {
          fprintf(stderr, "sim_run: --modes: %s needs a sparse-capable variant (this one is dense-only)\n", t);
          return -1;
        }
        o->modes[m] = 1;
      }
    } else {
      fprintf(stderr, "sim_run: unknown option %s\n", a);
      return -1;
    }
    if (rc) return -1;
  }
  if (!o->workload) {
    run_usage();
    return -1;
  }
  if (!o->seed) o->seed = 1;
  return 0;
}

/* A (M x K) and B (K x N) as int32 for the chosen workload. */
static int run_workload(run_opts_t *o, uint32_t *M, uint32_t *N, uint32_t *K, int32_t **A,
                        int32_t **B, char *desc, size_t dlen) {
  char err[512];
  uint64_t rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
  uint32_t m = o->m ? o->m : SG_ROWS, n = o->n ? o->n : SG_COLS;
  if (!strcmp(o->workload, "graphchallenge")) {
    char wpath[1024], ypath[1024];
    snprintf(wpath, sizeof wpath, "%s/graphchallenge/n1024-l1.mtx", o->data);
    snprintf(ypath, sizeof ypath, "%s/graphchallenge/sparse-images-1024_subset.mtx", o->data);
    host_mtx_t w, y;
    if (host_mtx_read(wpath, &w, err, sizeof err)) {
      fprintf(stderr, "sim_run: cannot read the GraphChallenge layer (the shared data is needed): %s\n", err);
      host_mtx_free(&w);
      return -1;
    }
    if (host_mtx_read(ypath, &y, err, sizeof err)) {
      fprintf(stderr, "sim_run: cannot read the GraphChallenge images (the shared data is needed): %s\n", err);
      host_mtx_free(&w);
      host_mtx_free(&y);
      return -1;
    }
    uint32_t k = o->k ? o->k : w.rows;
    if (o->row0 + m > w.cols || o->col0 + n > y.rows || k > w.rows || k > y.cols) {
      fprintf(stderr, "sim_run: tile %u+%u neurons x %u+%u images x K %u is outside the data (%u neurons, %u images, %u features)\n",
              o->row0, m, o->col0, n, k, w.cols, y.rows, w.rows);
      host_mtx_free(&w);
      host_mtx_free(&y);
      return -1;
    }
    /* A[nr][kk] = W[kk][row0+nr] (weights into neuron row0+nr), B[kk][img] = Y[col0+img][kk] */
    double *ad = calloc((size_t)m * k, sizeof(double)), *bd = calloc((size_t)k * n, sizeof(double));
    *A = calloc((size_t)m * k, sizeof(int32_t));
    *B = calloc((size_t)k * n, sizeof(int32_t));
    if (!ad || !bd || !*A || !*B) return -1;
    for (uint64_t i = 0; i < w.nnz; i++)
      if (w.row[i] < k && w.col[i] >= o->row0 && w.col[i] < o->row0 + m)
        ad[(size_t)(w.col[i] - o->row0) * k + w.row[i]] += w.val[i];
    for (uint64_t i = 0; i < y.nnz; i++)
      if (y.col[i] < k && y.row[i] >= o->col0 && y.row[i] < o->col0 + n)
        bd[(size_t)y.col[i] * n + (y.row[i] - o->col0)] += y.val[i];
    double sa, sb;
    int rc = host_quant(ad, (size_t)m * k, SG_DATA_W, *A, &sa, err, sizeof err) ||
             host_quant(bd, (size_t)k * n, SG_DATA_W, *B, &sb, err, sizeof err);
    free(ad);
    free(bd);
    host_mtx_free(&w);
    host_mtx_free(&y);
    if (rc) {
      fprintf(stderr, "sim_run: quantization failed: %s\n", err);
      return -1;
    }
    snprintf(desc, dlen, "GraphChallenge n1024 layer 1: neurons %u..%u x images %u..%u, K=%u (int%u, scales %.4g / %.4g)",
             o->row0, o->row0 + m - 1, o->col0, o->col0 + n - 1, k, SG_DATA_W, sa, sb);
    *M = m;
    *N = n;
    *K = k;
    return 0;
  }
  if (!strcmp(o->workload, "mtx")) {
    if (!o->file) {
      fprintf(stderr, "sim_run: --workload mtx needs --file F.mtx\n");
      return -1;
    }
    host_mtx_t a;
    if (host_mtx_read(o->file, &a, err, sizeof err)) {
      fprintf(stderr, "sim_run: %s\n", err);
      host_mtx_free(&a);
      return -1;
    }
    uint32_t mm = o->m ? o->m : (a.rows < SG_ROWS ? a.rows : SG_ROWS);
    if (mm > a.rows) mm = a.rows;
    uint32_t k = o->k ? o->k : a.cols;
    if (k > a.cols) k = a.cols;
    double *ad = calloc((size_t)mm * k, sizeof(double));
    *A = calloc((size_t)mm * k, sizeof(int32_t));
    *B = calloc((size_t)k * n, sizeof(int32_t));
    if (!ad || !*A || !*B) return -1;
    for (uint64_t i = 0; i < a.nnz; i++)
      if (a.row[i] < mm && a.col[i] < k) ad[(size_t)a.row[i] * k + a.col[i]] += a.val[i];
    double sa;
    int rc = host_quant(ad, (size_t)mm * k, SG_DATA_W, *A, &sa, err, sizeof err);
    free(ad);
    const char *base = strrchr(o->file, '/');
    snprintf(desc, dlen, "%s rows 0..%u as A (K=%u), B random density %.2f", base ? base + 1 : o->file,
             mm - 1, k, o->density_b);
    host_mtx_free(&a);
    if (rc) {
      fprintf(stderr, "sim_run: quantization failed: %s\n", err);
      return -1;
    }
    int32_t qmax = (1 << (SG_DATA_W - 1)) - 1;
    for (size_t i = 0; i < (size_t)k * n; i++)
      (*B)[i] = (run_rand(&rng) % 1000000) < o->density_b * 1e6 ? (int32_t)(run_rand(&rng) % (2 * qmax + 1)) - qmax : 0;
    *M = mm;
    *N = n;
    *K = k;
    return 0;
  }
  if (!strcmp(o->workload, "random")) {
    uint32_t k = o->k ? o->k : SG_KMAX;
    *A = calloc((size_t)m * k, sizeof(int32_t));
    *B = calloc((size_t)k * n, sizeof(int32_t));
    if (!*A || !*B) return -1;
    int32_t lo = -(1 << (SG_DATA_W - 1)), span = 1 << SG_DATA_W;
    for (size_t i = 0; i < (size_t)m * k; i++) {
      int32_t v = 0;
      if ((run_rand(&rng) % 1000000) < o->density_a * 1e6)
        do v = (int32_t)(run_rand(&rng) % (uint32_t)span) + lo;
        while (v == 0);
      (*A)[i] = v;
    }
    for (size_t i = 0; i < (size_t)k * n; i++) {
      int32_t v = 0;
      if ((run_rand(&rng) % 1000000) < o->density_b * 1e6)
        do v = (int32_t)(run_rand(&rng) % (uint32_t)span) + lo;
        while (v == 0);
      (*B)[i] = v;
    }
    snprintf(desc, dlen, "random %ux%ux%u, A density %.3f, B density %.3f, seed %" PRIu64, m, n, k,
             o->density_a, o->density_b, o->seed);
    *M = m;
    *N = n;
    *K = k;
    return 0;
  }
  fprintf(stderr, "sim_run: unknown workload '%s' (graphchallenge, random, mtx)\n", o->workload);
  return -1;
}

static double run_density(const int32_t *x, size_t n) {
  size_t nz = 0;
  for (size_t i = 0; i < n; i++) nz += x[i] != 0;
  return n ? (double)nz / (double)n : 0.0;
}

int main(int argc, char **argv) {
  run_opts_t o;
  if (run_args(argc, argv, &o)) return 2;
  uint32_t M, N, K;
  int32_t *A = NULL, *B = NULL;
  char desc[512], err[512];
  if (run_workload(&o, &M, &N, &K, &A, &B, desc, sizeof desc)) return 2;
  double dA = run_density(A, (size_t)M * K), dB = run_density(B, (size_t)K * N);

  host_variant_t v;
  memset(&v, 0, sizeof v);
  v.p = (gold_params_t){SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX, SG_SPARSE_CAPABLE};
  v.window = SG_WINDOW;
  v.in_stream_w = SG_IN_STREAM_W;
  v.out_stream_w = SG_OUT_STREAM_W;
  host_variant_derive(&v);

  if (!o.quiet) {
    printf("variant %s: %ux%u PEs, int%u operands, %u-bit accumulators, KMAX %u, window %u, %s\n",
           SG_VARIANT, SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX, SG_WINDOW,
           SG_SPARSE_CAPABLE ? "sparse-capable" : "dense-only");
    printf("workload: %s\n          A %ux%u density %.4f, B %ux%u density %.4f\n\n", desc, M, K, dA, K, N, dB);
    printf("%-7s %-7s %9s %9s %12s %12s %12s %7s %8s %10s %6s\n", "mode", "used", "compute", "total",
           "MACs issued", "MACs gated", "MACs skipped", "util", "speedup", "energy nJ", "golden");
  }
  FILE *jf = NULL;
  if (o.jsonl) {
    jf = fopen(o.jsonl, "a");
    if (!jf) {
      fprintf(stderr, "sim_run: cannot open %s: %s\n", o.jsonl, strerror(errno));
      return 2;
    }
  }
  int64_t *c_dev = calloc((size_t)M * N, sizeof(int64_t)), *c_gold = calloc((size_t)M * N, sizeof(int64_t));
  int all_ok = 1;
  double dense_compute = 0;
  for (uint32_t mode = 0; mode < 3; mode++) {
    if (!o.modes[mode]) continue;
    tb_t tb;
    if (tb_init(&tb, o.seed, 100, 100)) {
      fprintf(stderr, "sim_run: cannot create the model\n");
      return 1;
    }
    host_dev_t dev = tb_dev(&tb);
    run_jobs_t jd = {0}, jg = {0};
    host_gemm_opts_t opd = {mode, o.thresh, run_on_job, &jd, HOST_GEMM_STREAM_FAST},
                     opg = {mode, o.thresh, run_on_job, &jg, HOST_GEMM_STREAM_FAST};
    host_gemm_stats_t sd, sg;
    /* jobs overlap: the GEMM's cycles are the device's, from before the first register write to
       the last result beat */
    uint64_t t0 = dut_cycles(tb.dut);
    int rc = host_gemm(&dev, &v, &opd, M, N, K, A, B, c_dev, &sd, err, sizeof err);
    sd.cyc_total = dut_cycles(tb.dut) - t0;
    tb_free(&tb);
    if (rc) {
      fprintf(stderr, "sim_run: %s: device run failed: %s\n", gold_mode_name(mode), err);
      return 1;
    }
    host_golddev_t gd;
    host_dev_t gdev;
    if (host_golddev_init(&gd, &v, SG_GEN_VERSION_WORD, &gdev, err, sizeof err) ||
        host_gemm(&gdev, &v, &opg, M, N, K, A, B, c_gold, &sg, err, sizeof err)) {
      fprintf(stderr, "sim_run: golden run failed: %s\n", err);
      return 1;
    }
    host_golddev_free(&gd);
    /* every result word and every per-job architectural counter */
    size_t bad = 0;
    for (size_t i = 0; i < (size_t)M * N; i++) bad += c_dev[i] != c_gold[i];
    if (jd.n != jg.n) bad++;
    for (uint32_t j = 0; j < jd.n && j < jg.n; j++) {
      const gold_counters_t *x = &jd.c[j].arch, *y = &jg.c[j].arch;
      if (x->mode_used != y->mode_used || x->macs_issued != y->macs_issued ||
          x->macs_gated != y->macs_gated || x->macs_skipped != y->macs_skipped ||
          x->nnz_a != y->nnz_a || x->nnz_b != y->nnz_b || x->max_row_nnz != y->max_row_nnz ||
          memcmp(x->row_nnz, y->row_nnz, sizeof x->row_nnz) != 0) {
        if (bad < 5)
          fprintf(stderr,
                  "sim_run: %s: job %u counters differ from golden: mode_used %u/%u issued %u/%u "
                  "gated %u/%u skipped %u/%u nnz_a %u/%u nnz_b %u/%u max_row_nnz %u/%u\n",
                  gold_mode_name(mode), j, x->mode_used, y->mode_used, x->macs_issued, y->macs_issued,
                  x->macs_gated, y->macs_gated, x->macs_skipped, y->macs_skipped, x->nnz_a, y->nnz_a,
                  x->nnz_b, y->nnz_b, x->max_row_nnz, y->max_row_nnz);
        bad++;
      }
    }
    int match = bad == 0;
    all_ok &= match;
    /* energy estimate per job from its events (host_energy.h) */
    host_energy_t en = {0};
    for (uint32_t j = 0; j < jd.n; j++) {
      host_energy_t ej;
      host_energy_in_t ein = {jd.k[j], jd.flags[j], jd.c[j].arch.macs_issued, jd.c[j].arch.macs_gated,
                              jd.c[j].arch.nnz_a,
                              host_in_beats_fmt(&v, jd.k[j], jd.flags[j], jd.c[j].arch.nnz_a),
                              host_out_beats(&v) + host_trailer_beats(&v)};
      host_energy_job(&v, &host_energy_horowitz45, &ein, &ej);
      en.stream_pj += ej.stream_pj;
      en.mac_pj += ej.mac_pj;
      en.a_read_pj += ej.a_read_pj;
      en.b_read_pj += ej.b_read_pj;
      en.load_write_pj += ej.load_write_pj;
      en.total_pj += ej.total_pj;
    }
    /* compute bound: DENSE K + C, SPARSE max row non-zeros + C, per job, by the mode used
       (the R term of the first design was never paid); end-to-end bound: host_cycles */
    uint64_t bound = 0;
    for (uint32_t j = 0; j < jd.n; j++)
      bound += (jd.c[j].arch.mode_used == GOLD_MODE_SPARSE ? jd.c[j].arch.max_row_nnz : jd.k[j]) +
               SG_COLS;
    double compute = (double)sd.cyc_compute;
    if (mode == GOLD_MODE_DENSE) dense_compute = compute;
    double util = compute > 0 ? (double)sd.macs_issued / ((double)SG_ROWS * SG_COLS * compute) : 0;
    double useful = compute > 0 ? (double)(sd.macs_issued + sd.macs_skipped) / ((double)SG_ROWS * SG_COLS * compute) : 0;
    double speedup = dense_compute > 0 && compute > 0 ? dense_compute / compute : 0;
    const char *used = sd.jobs_sparse == sd.jobs ? "sparse" : sd.jobs_sparse == 0 ? "dense" : "mixed";
    if (!o.quiet) {
      char sp[16] = "-";
      if (speedup > 0) snprintf(sp, sizeof sp, "%.2fx", speedup);
      printf("%-7s %-7s %9" PRIu64 " %9" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %6.1f%% %8s %10.2f %6s\n",
             gold_mode_name(mode), used, sd.cyc_compute, sd.cyc_total, sd.macs_issued, sd.macs_gated,
             sd.macs_skipped, 100.0 * util, sp, en.total_pj / 1000.0, match ? "match" : "FAIL");
    }
    if (!match) fprintf(stderr, "sim_run: %s: %zu mismatches against golden (seed %" PRIu64 ")\n", gold_mode_name(mode), bad, o.seed);
    if (jf) {
      fprintf(jf,
              "{\"variant\": \"%s\", \"label\": \"%s\", \"workload\": \"%s\", \"rows\": %u, \"cols\": %u, "
              "\"data_w\": %u, \"kmax\": %u, \"window\": %u, \"mode\": \"%s\", \"mode_used\": \"%s\", "
              "\"m\": %u, \"n\": %u, \"k\": %u, \"jobs\": %" PRIu64 ", \"density_a\": %.6f, \"density_b\": %.6f, \"target_density_a\": %.4f, "
              "\"compute_cycles\": %" PRIu64 ", \"total_cycles\": %" PRIu64 ", \"load_cycles\": %" PRIu64 ", "
              "\"drain_cycles\": %" PRIu64 ", \"macs_issued\": %" PRIu64 ", \"macs_gated\": %" PRIu64 ", "
              "\"macs_skipped\": %" PRIu64 ", \"bound_cycles\": %" PRIu64 ", \"ratio_to_bound\": %.4f, "
              "\"utilization\": %.4f, \"effective_utilization\": %.4f, \"speedup_vs_dense\": %.4f, "
              "\"total_bound_cycles\": %" PRIu64 ", \"total_ratio_to_bound\": %.4f, \"jobs_keep_b\": %" PRIu64 ", "
              "\"jobs_a_compressed\": %" PRIu64 ", \"in_beats\": %" PRIu64 ", \"out_beats\": %" PRIu64 ", "
              "\"energy_pj\": %.1f, "
              "\"energy_parts_pj\": {\"mac\": %.1f, \"a_read\": %.1f, \"b_read\": %.1f, \"load_write\": %.1f, "
              "\"stream\": %.1f}, \"energy_table\": \"Horowitz ISSCC 2014, 45 nm\", "
              "\"seed\": %" PRIu64 ", \"match\": %s}\n",
              SG_VARIANT, o.label ? o.label : "", o.workload, SG_ROWS, SG_COLS, SG_DATA_W, SG_KMAX,
              SG_WINDOW, gold_mode_name(mode), used, M, N, K, sd.jobs, dA, dB,
              strcmp(o.workload, "random") == 0 ? o.density_a : dA, sd.cyc_compute,
              sd.cyc_total, sd.cyc_load, sd.cyc_drain, sd.macs_issued, sd.macs_gated, sd.macs_skipped,
              bound, bound ? compute / (double)bound : 0.0, util, useful, speedup, sd.bound_cycles,
              sd.bound_cycles ? (double)sd.cyc_total / (double)sd.bound_cycles : 0.0, sd.jobs_keep_b,
              sd.jobs_a_compressed, sd.in_beats, sd.out_beats, en.total_pj, en.mac_pj,
              en.a_read_pj, en.b_read_pj, en.load_write_pj, en.stream_pj, o.seed,
              match ? "true" : "false");
    }
    free(jd.c);
    free(jd.k);
    free(jd.flags);
    free(jg.c);
    free(jg.k);
    free(jg.flags);
  }
  if (jf) fclose(jf);
  if (!o.quiet)
    printf("\ncycles: 'compute' is the array's work (what SPARSE shortens, summed over jobs); 'total'\n"
           "is the whole GEMM on the device's clock: jobs overlapped (the next job's operands, %u-bit\n"
           "beats, B kept resident per column block, A compressed in SPARSE/AUTO, stream while this\n"
           "job computes and the previous one's results, %u per beat, and counters come back).\n",
           SG_IN_STREAM_W, SG_RESULTS_PER_BEAT);
  if (!o.quiet)
    printf("\nenergy: estimate from event counts x Horowitz 45 nm table (host/host_energy.h): MACs that\n"
           "are skipped cost nothing, gated MACs cost their B read only; load writes and every bit\n"
           "crossing the streams (priced as DRAM traffic) included.\n");
  if (!o.quiet) printf("\n%s\n", all_ok ? "all modes bit-exact against the golden model (results and counters)"
                                      : "MISMATCH against the golden model");
  free(A);
  free(B);
  free(c_dev);
  free(c_gold);
  return all_ok ? 0 : 1;
}
