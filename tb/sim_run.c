/* sim_run: runs a GEMM on the Verilator model of one variant (what `sparsegen run` executes,
 * docs/run.md). The host driver tiles the GEMM onto the array (output tiles of R x C, K cut
 * into KMAX chunks with ACCUMULATE); every job is run in lockstep on the golden-model device
 * (tb/golddev) and its result words and architectural counters compared. Prints cycles,
 * MACs issued, gated and skipped, utilization, speedup and an energy estimate per mode.
 *
 *   sim_run --a A.mtx [--b B.mtx | --n N --density-b D --seed S] [--out C.mtx] [--mode M]
 *   sim_run --workload graphchallenge [--data DIR] [--m M] [--n N] [--k K] [--row0 R] [--col0 C]
 *   sim_run --workload random --k K --density-a D [--density-b D] [--m M] [--n N] [--seed S]
 *   sim_run --workload mtx --file F.mtx [--m M] [--n N] [--density-b D]
 *   common: [--modes dense,sparse,auto] [--thresh T] [--label L] [--jsonl FILE] [--quiet]
 *           [--trace FILE.fst [--job N]]
 *           [--bias B] [--shift S] [--relu] [--clamp X]   output stage (FLAGS.OUT_STAGE)
 *           [--layer-rule]   graphchallenge: the benchmark's layer rule on the device
 * Exit status: 0 every job matched golden, 1 mismatch or device error, 2 bad arguments/input
 * (nothing run, nothing written).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "gold.h"
#include "host_driver.h"
#include "host_energy.h"
#include "golddev.h"
#include "host_mtx.h"
#include "host_quant.h"
#include "sparsegen_params.h"
#include "variant_name.h"

/* What one run may take, checked before anything is allocated: elements of each dense
 * operand / result (A: M x K, B: K x N, C: M x N) and an estimate of the simulated cycles
 * (about 30 minutes of simulation at the speeds in docs/run.md). */
#define RUN_MAX_ELEMS (UINT64_C(1) << 24)
#define RUN_MAX_CYCLES (UINT64_C(1) << 30)
/* Random B of `--a` runs without --b: columns and density unless given. */
#define RUN_RANDOM_B_COLS 16u
#define RUN_RANDOM_B_DENSITY 0.5
/* --layer-rule: Y1 = min(32, ReLU(Y0 W1 + bias)), bias -0.3, in accumulator units of 2^-13
 * (round(-0.3 * 8192) = -2458), results with 9 fraction bits (shift 13 - 9 = 4), 32.0 = 16384 */
#define RUN_LR_BIAS (-2458)
#define RUN_LR_SHIFT 4u
#define RUN_LR_CLAMP 16384u

typedef struct run_opts {
  const char *workload, *data, *file, *label, *jsonl;
  const char *a_path, *b_path, *out_path, *trace_path;
  uint32_t m, n, k, row0, col0, thresh, job;
  int job_set, density_b_set;
  double density_a, density_b;
  uint64_t seed;
  int modes[SG_MODE_COUNT];
  int quiet;
  int os_on;         /* any of --bias --shift --relu --clamp --layer-rule: FLAGS.OUT_STAGE */
  int os_given;      /* --bias --shift --relu --clamp given */
  int layer_rule;    /* --layer-rule (graphchallenge) */
  sg_out_stage_t os; /* its settings */
  int argc;
  char **argv;
} run_opts_t;

typedef struct run_data {
  uint32_t M, N, K;
  int32_t *A, *B;
  double sa, sb;        /* real value ~ int value * scale */
  int a_exact, b_exact; /* integers used as they are (scale 1) */
  char a_desc[512], b_desc[512], desc[1100];
} run_data_t;

/* ------------------------------------------------------------------ arguments */

static void run_usage(FILE *f) {
  fprintf(f,
          "usage: sim_run --a A.mtx [--b B.mtx] [--out C.mtx] [--mode dense|sparse|auto] [options]\n"
          "       sim_run --workload graphchallenge|random|mtx [options]\n"
          "your own matrices (docs/run.md):\n"
          "  --a A.mtx         Matrix Market A (M x K), any size: tiled over the array and over K\n"
          "  --b B.mtx         Matrix Market B (K x N); without it a random B: N = --n (default %u)\n"
          "                    columns, density --density-b (default %.1f), non-zeros uniform in\n"
          "                    +-(2^(DATA_W-1)-1), from --seed (printed)\n"
          "  --out C.mtx       write C (Matrix Market integer, scales in its header; atomically)\n"
          "  --mode M          one mode (default auto, dense on a dense-only variant)\n"
          "  integer matrices whose values fit DATA_W bits are used as they are (scale 1); others\n"
          "  are quantized with a max-abs scale (host/host_quant.h)\n"
          "workloads:\n"
          "  --workload W      graphchallenge (shared data), random, mtx (--file F.mtx as A)\n"
          "  --data DIR        shared data folder (default ../shared/data, env SG_DATA_DIR)\n"
          "  --file F.mtx      Matrix Market file used as A (workload mtx: its first rows)\n"
          "  --m M --n N --k K GEMM size (defaults: one tile, K = KMAX or the data's K)\n"
          "  --row0 R --col0 C tile origin in the GraphChallenge layer / images\n"
          "  --density-a D --density-b D  densities 0..1 for random operands\n"
          "common:\n"
          "  --seed S          random seed, a whole number from 1 (default 1; printed)\n"
          "  --modes LIST      dense,sparse,auto (default: all the variant has)\n"
          "  --thresh T        AUTO threshold 0..%u (default %u)\n"
          "  --label L         label of the --jsonl records\n"
          "  --jsonl FILE      APPENDS one JSON record per mode to FILE (it is never truncated)\n"
          "  --trace FILE.fst  waveform (needs the tracing build: `sparsegen run ... --trace`);\n"
          "  --job N           with --trace: only job N (0-based), and stop after it\n"
          "  --quiet           no table\n"
          "output stage (FLAGS.OUT_STAGE, docs/architecture.md \"Arithmetic\"): any of these turns it on\n"
          "  for each tile's results: out = clamp(ReLU?((acc + bias) >> shift, rounded half up)),\n"
          "  OUT_W = %u-bit results (C holds them, not the accumulators)\n"
          "  --bias B          added to each accumulator, -2^31..2^31-1 (default 0)\n"
          "  --shift S         right shift, rounding half up, 0..%u (default 0)\n"
          "  --relu            negative results become 0\n"
          "  --clamp X         largest result, 0..2^31-1 (default: none besides OUT_W)\n"
          "  --layer-rule      with --workload graphchallenge: the benchmark's layer rule\n"
          "                    Y1 = min(32, ReLU(Y0 W1 - 0.3)) at the precision of the shared data's\n"
          "                    README (accumulator units 2^-13: W x 128, Y x 64; bias -2458, shift 4,\n"
          "                    ReLU, clamp 16384 = 32.0 with 9 fraction bits); needs DATA_W >= 8, OUT_W >= 16\n"
          "limits: each of A, B, C at most %" PRIu64 " elements, about %" PRIu64 " simulated cycles\n"
          "exit status: 0 every job bit-exact against golden, 1 mismatch or device error, 2 bad input\n",
          RUN_RANDOM_B_COLS, RUN_RANDOM_B_DENSITY, SG_THRESH_MAX, SG_THRESH_MAX, SG_OUT_W, SG_ACC_W - 1,
          RUN_MAX_ELEMS, RUN_MAX_CYCLES);
}

static int run_parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *v) {
  char *end;
  errno = 0;
  if (s[0] < '0' || s[0] > '9') goto bad;
  unsigned long long x = strtoull(s, &end, 10);
  if (errno || *end || x > max) goto bad;
  *v = x;
  return 0;
bad:
  fprintf(stderr, "sim_run: %s '%s' must be a whole number 0..%" PRIu64 "\n", opt, s, max);
  return -1;
}

static int run_parse_u32(const char *opt, const char *s, uint32_t max, uint32_t *v) {
  uint64_t x;
  if (run_parse_u64(opt, s, max, &x)) return -1;
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

static int run_parse_modes(const char *opt, const char *v, int *modes) {
  char buf[64];
  if (strlen(v) >= sizeof buf) {
    fprintf(stderr, "sim_run: %s '%s' is too long (dense, sparse, auto)\n", opt, v);
    return -1;
  }
  memset(modes, 0, SG_MODE_COUNT * sizeof *modes);
  snprintf(buf, sizeof buf, "%s", v);
  int any = 0;
  for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
    uint32_t m;
    if (sg_mode_parse(t, &m)) {
      fprintf(stderr, "sim_run: %s: unknown mode '%s' (dense, sparse, auto)\n", opt, t);
      return -1;
    }
    if (m != SG_MODE_DENSE && !SG_SPARSE_CAPABLE) {
      fprintf(stderr, "sim_run: %s: %s needs a sparse-capable variant (this one is dense-only)\n", opt, t);
      return -1;
    }
    modes[m] = any = 1;
  }
  if (!any) {
    fprintf(stderr, "sim_run: %s '%s' names no mode (dense, sparse, auto)\n", opt, v);
    return -1;
  }
  if (!strcmp(opt, "--mode") && strchr(v, ',')) {
    fprintf(stderr, "sim_run: --mode takes one mode (use --modes for a list)\n");
    return -1;
  }
  return 0;
}

/* One option with a value; 1 if the option is unknown. */
static int run_opt_value(run_opts_t *o, const char *a, const char *v) {
  if (!strcmp(a, "--workload")) o->workload = v;
  else if (!strcmp(a, "--data")) o->data = v;
  else if (!strcmp(a, "--file")) o->file = v;
  else if (!strcmp(a, "--label")) o->label = v;
  else if (!strcmp(a, "--jsonl")) o->jsonl = v;
  else if (!strcmp(a, "--a")) o->a_path = v;
  else if (!strcmp(a, "--b")) o->b_path = v;
  else if (!strcmp(a, "--out")) o->out_path = v;
  else if (!strcmp(a, "--trace")) o->trace_path = v;
  else if (!strcmp(a, "--job")) {
    o->job_set = 1;
    return run_parse_u32(a, v, UINT32_MAX, &o->job);
  } else if (!strcmp(a, "--m")) return run_parse_u32(a, v, UINT32_MAX, &o->m);
  else if (!strcmp(a, "--n")) return run_parse_u32(a, v, UINT32_MAX, &o->n);
  else if (!strcmp(a, "--k")) return run_parse_u32(a, v, UINT32_MAX, &o->k);
  else if (!strcmp(a, "--row0")) return run_parse_u32(a, v, UINT32_MAX, &o->row0);
  else if (!strcmp(a, "--col0")) return run_parse_u32(a, v, UINT32_MAX, &o->col0);
  else if (!strcmp(a, "--thresh")) return run_parse_u32(a, v, SG_THRESH_MAX, &o->thresh);
  else if (!strcmp(a, "--density-a")) return run_parse_d(a, v, &o->density_a);
  else if (!strcmp(a, "--density-b")) {
    o->density_b_set = 1;
    return run_parse_d(a, v, &o->density_b);
  } else if (!strcmp(a, "--seed")) {
    if (run_parse_u64(a, v, UINT64_MAX, &o->seed)) return -1;
    if (o->seed == 0) fprintf(stderr, "sim_run: --seed 0: seeds start at 1\n");
    return o->seed == 0 ? -1 : 0;
  }
  else if (!strcmp(a, "--modes") || !strcmp(a, "--mode")) return run_parse_modes(a, v, o->modes);
  else if (!strcmp(a, "--shift")) {
    o->os_on = o->os_given = 1;
    return run_parse_u32(a, v, SG_ACC_W - 1, &o->os.shift);
  } else if (!strcmp(a, "--clamp")) {
    o->os_on = o->os_given = 1;
    return run_parse_u32(a, v, 0x7FFFFFFFu, &o->os.clamp);
  } else if (!strcmp(a, "--bias")) {
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || *end || !*v || x < INT32_MIN || x > INT32_MAX) {
      fprintf(stderr, "sim_run: --bias '%s' must be a whole number -2147483648..2147483647\n", v);
      return -1;
    }
    o->os_on = o->os_given = 1;
    o->os.bias = (int32_t)x;
    return 0;
  }
  else return 1;
  if (!*v) {
    fprintf(stderr, "sim_run: %s needs a non-empty value\n", a);
    return -1;
  }
  return 0;
}

/* Option combinations that cannot run. */
static int run_args_check(run_opts_t *o) {
  if (o->a_path && o->workload) {
    fprintf(stderr, "sim_run: give either --a (your matrices) or --workload, not both\n");
    return -1;
  }
  if (!o->a_path && !o->workload) {
    fprintf(stderr, "sim_run: nothing to run: give --a A.mtx or --workload W (--help)\n");
    return -1;
  }
  if (!o->a_path && (o->b_path || o->out_path)) {
    fprintf(stderr, "sim_run: --b and --out go with --a A.mtx\n");
    return -1;
  }
  if (o->layer_rule && (!o->workload || strcmp(o->workload, "graphchallenge"))) {
    fprintf(stderr, "sim_run: --layer-rule goes with --workload graphchallenge\n");
    return -1;
  }
  if (o->os_on && SG_OUT_W == 0) {
    fprintf(stderr, "sim_run: --bias, --shift, --relu, --clamp and --layer-rule use the output stage (FLAGS.OUT_STAGE), "
                    "and this variant has none (out_width 0, PARAM5.OUT_W 0): generate one with out_width 2..acc_width\n");
    return -1;
  }
  if (o->layer_rule && o->os_given) {
    fprintf(stderr, "sim_run: --layer-rule sets the output stage itself: drop --bias, --shift, --relu and --clamp\n");
    return -1;
  }
  if (o->layer_rule && (SG_DATA_W < 8 || SG_OUT_W < 16)) {
    fprintf(stderr, "sim_run: --layer-rule needs DATA_W >= 8 (W x 128 and Y x 64 as operands) and OUT_W >= 16 "
                    "(32.0 = 16384); this variant has DATA_W %u, OUT_W %u\n", SG_DATA_W, SG_OUT_W);
    return -1;
  }
  if (o->job_set && o->out_path) {
    fprintf(stderr, "sim_run: --job N stops the run after job N: C would be incomplete, so --out cannot go with it\n");
    return -1;
  }
  if (o->job_set && !o->trace_path) {
    fprintf(stderr, "sim_run: --job N selects the job to trace: it needs --trace FILE.fst\n");
    return -1;
  }
#ifndef SG_RUN_TRACE /* defined by scripts/model.sh for sim_run_trace */
  if (o->trace_path) {
    fprintf(stderr, "sim_run: --trace: this sim_run has no tracing (run it as `sparsegen run DIR ... --trace F.fst`)\n");
    return -1;
  }
#endif
  int n = 0;
  for (int m = 0; m < SG_MODE_COUNT; m++) n += o->modes[m];
  if (o->trace_path && n != 1) {
    fprintf(stderr, "sim_run: --trace records one mode: add --mode dense|sparse|auto\n");
    return -1;
  }
  return 0;
}

static int run_args(int argc, char **argv, run_opts_t *o) {
  memset(o, 0, sizeof *o);
  o->argc = argc;
  o->argv = argv;
  o->thresh = SG_THRESH_MAX;
  o->density_b = 1.0;
  o->density_a = 0.1;
  o->seed = 1;
  o->os.clamp = 0x7FFFFFFFu; /* OUT_CLAMP's reset value: no clamp besides OUT_W */
  o->data = getenv("SG_DATA_DIR") ? getenv("SG_DATA_DIR") : "../shared/data";
  int modes_given = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--quiet")) {
      o->quiet = 1;
      continue;
    }
    if (!strcmp(a, "--relu")) {
      o->os_on = o->os_given = o->os.relu = 1;
      continue;
    }
    if (!strcmp(a, "--layer-rule")) {
      o->os_on = o->layer_rule = 1;
      continue;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      run_usage(stdout);
      exit(0);
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "sim_run: %s needs a value (--help)\n", a);
      return -1;
    }
    const char *v = argv[++i];
    modes_given |= !strcmp(a, "--modes") || !strcmp(a, "--mode");
    int rc = run_opt_value(o, a, v);
    if (rc == 1) fprintf(stderr, "sim_run: unknown option %s (--help)\n", a);
    if (rc) return -1;
  }
  if (!modes_given) {
    o->modes[SG_MODE_DENSE] = 1;
    if (o->a_path && SG_SPARSE_CAPABLE) o->modes[SG_MODE_DENSE] = 0;
    o->modes[SG_MODE_SPARSE] = SG_SPARSE_CAPABLE && !o->a_path;
    o->modes[SG_MODE_AUTO] = SG_SPARSE_CAPABLE;
  }
  if (o->a_path && !o->density_b_set) o->density_b = RUN_RANDOM_B_DENSITY;
  if (o->layer_rule && !o->os_given)
    o->os = (sg_out_stage_t){RUN_LR_BIAS, RUN_LR_SHIFT, RUN_LR_CLAMP, true};
  return run_args_check(o);
}

/* ------------------------------------------------------------------ operands */

static uint64_t run_rand(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545F4914F6CDD1Dull;
}

/* Whether an M x N x K GEMM can run: sizes non-zero, dense operands within RUN_MAX_ELEMS,
 * simulated cycles (LOAD beats + COMPUTE + DRAIN of every job, DENSE) within RUN_MAX_CYCLES. */
static int run_check_size(const char *what, uint64_t M, uint64_t N, uint64_t K) {
  if (M == 0 || N == 0 || K == 0) {
    fprintf(stderr, "sim_run: %s: the GEMM is empty (M %" PRIu64 ", N %" PRIu64 ", K %" PRIu64 ")\n", what, M, N, K);
    return -1;
  }
  if (M * K > RUN_MAX_ELEMS || K * N > RUN_MAX_ELEMS || M * N > RUN_MAX_ELEMS) {
    fprintf(stderr,
            "sim_run: %s: M %" PRIu64 " x N %" PRIu64 " x K %" PRIu64 " is too large: A, B and C may have at most %" PRIu64
            " elements each\n", what, M, N, K, RUN_MAX_ELEMS);
    return -1;
  }
  uint64_t tiles = ((M + SG_ROWS - 1) / SG_ROWS) * ((N + SG_COLS - 1) / SG_COLS);
  uint64_t cyc = tiles * (K * (SG_BEATS_PER_SLICE + 1) +
                          ((K + SG_KMAX - 1) / SG_KMAX) * (SG_ROWS * SG_COLS + SG_ROWS + SG_COLS));
  if (cyc > RUN_MAX_CYCLES) {
    fprintf(stderr,
            "sim_run: %s: M %" PRIu64 " x N %" PRIu64 " x K %" PRIu64 " needs about %" PRIu64
            " simulated cycles on this %ux%u variant (limit %" PRIu64 "): run a smaller block\n",
            what, M, N, K, cyc, SG_ROWS, SG_COLS, RUN_MAX_CYCLES);
    return -1;
  }
  return 0;
}

/* The size line of a Matrix Market file, to refuse a size that cannot run before the reader
 * allocates. Returns 0 and the sizes, or -1 if the header cannot be read (the reader then
 * reports what is wrong, with its line). */
static int run_mtx_peek(const char *path, uint64_t *rows, uint64_t *cols, uint64_t *nnz) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[1024];
  int rc = -1, first = 1;
  while (fgets(line, sizeof line, f)) {
    if (first) {
      first = 0;
      if (strncmp(line, "%%MatrixMarket", 14)) break;
      continue;
    }
    if (line[0] == '%' || strspn(line, " \t\r\n") == strlen(line)) continue;
    unsigned long long r, c, n;
    char extra;
    if (sscanf(line, "%llu %llu %llu %c", &r, &c, &n, &extra) == 3) {
      *rows = r;
      *cols = c;
      *nnz = n;
      rc = 0;
    }
    break;
  }
  fclose(f);
  return rc;
}

/* Read a .mtx whose declared size passes `ok(rows, cols)` checks done by the caller. */
static int run_mtx_read(const char *path, host_mtx_t *m) {
  char err[512];
  /* what a run can take, checked by the reader on the size line before it allocates */
  const host_mtx_limits_t lim = {UINT32_MAX, UINT32_C(1) << 20, UINT32_C(1) << 24, 0, 1,
                                 "sim_run takes up to 2^20 columns and 2^24 entries"};
  if (host_mtx_read_limited(path, &lim, m, err, sizeof err)) {
    fprintf(stderr, "sim_run: %s\n", err);
    host_mtx_free(m);
    return -1;
  }
  return 0;
}

/* Integers that fit DATA_W bits are used as they are (scale 1); anything else is quantized. */
static int run_to_int(const double *x, size_t n, int32_t *q, double *scale, int *exact) {
  const double lo = -ldexp(1.0, SG_DATA_W - 1), hi = ldexp(1.0, SG_DATA_W - 1) - 1.0;
  *exact = 1;
  for (size_t i = 0; i < n && *exact; i++) *exact = x[i] == floor(x[i]) && x[i] >= lo && x[i] <= hi;
  if (*exact) {
    for (size_t i = 0; i < n; i++) q[i] = (int32_t)x[i];
    *scale = 1.0;
    return 0;
  }
  char err[512];
  if (host_quant(x, n, SG_DATA_W, q, scale, err, sizeof err)) {
    fprintf(stderr, "sim_run: quantization failed: %s\n", err);
    return -1;
  }
  return 0;
}

static const char *run_base(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* A user matrix as a dense int32 matrix (rows x cols). */
static int run_load_matrix(const char *opt, const char *path, int32_t **q, uint32_t *rows,
                           uint32_t *cols, double *scale, int *exact, char *desc, size_t dlen) {
  host_mtx_t m;
  memset(&m, 0, sizeof m);
  if (run_mtx_read(path, &m)) return -1;
  double *d = NULL;
  char err[512];
  int rc = -1;
  if (m.rows == 0 || m.cols == 0) {
    fprintf(stderr, "sim_run: %s %s: the matrix is empty (%u x %u)\n", opt, path, m.rows, m.cols);
    goto out;
  }
  if (host_mtx_to_dense(&m, &d, err, sizeof err)) {
    fprintf(stderr, "sim_run: %s %s: %s\n", opt, path, err);
    goto out;
  }
  *q = malloc((size_t)m.rows * m.cols * sizeof **q);
  if (!*q || run_to_int(d, (size_t)m.rows * m.cols, *q, scale, exact)) goto out;
  *rows = m.rows;
  *cols = m.cols;
  snprintf(desc, dlen, "%s (%u x %u, %s %s, %" PRIu64 " entries), %s", run_base(path), m.rows, m.cols,
           host_mtx_field_name(m.field), host_mtx_symmetry_name(m.symmetry), m.nnz,
           *exact ? "integers used as they are (scale 1)" : "quantized with a max-abs scale");
  for (char *p = desc; *p; p++) /* a file name goes into one-line comments of C.mtx */
    if ((unsigned char)*p < 0x20) *p = '?';
  rc = 0;
out:
  free(d);
  host_mtx_free(&m);
  return rc;
}

static void run_random_fill(int32_t *x, size_t n, double density, int32_t span_lo, uint32_t span,
                            uint64_t *rng) {
  for (size_t i = 0; i < n; i++) {
    int32_t v = 0;
    if ((run_rand(rng) % 1000000) < density * 1e6)
      do v = (int32_t)(run_rand(rng) % span) + span_lo;
      while (v == 0);
    x[i] = v;
  }
}

/* --a A.mtx [--b B.mtx]: the whole product. */
static int run_load_user(const run_opts_t *o, run_data_t *d) {
  uint64_t r, c, nz;
  uint32_t kb = 0;
  if (!run_mtx_peek(o->a_path, &r, &c, &nz)) {
    uint64_t n = o->b_path ? RUN_RANDOM_B_COLS : (o->n ? o->n : RUN_RANDOM_B_COLS);
    uint64_t br, bc, bnz;
    if (o->b_path && !run_mtx_peek(o->b_path, &br, &bc, &bnz)) n = bc;
    if (nz > RUN_MAX_ELEMS) {
      fprintf(stderr, "sim_run: --a %s declares %" PRIu64 " entries (limit %" PRIu64 ")\n", o->a_path, nz, RUN_MAX_ELEMS);
      return -1;
    }
    if (run_check_size(o->a_path, r, n, c)) return -1;
  }
  if (run_load_matrix("--a", o->a_path, &d->A, &d->M, &d->K, &d->sa, &d->a_exact, d->a_desc, sizeof d->a_desc))
    return -1;
  if (o->b_path) {
    if (!run_mtx_peek(o->b_path, &r, &c, &nz) && (r != d->K || run_check_size(o->b_path, d->M, c, d->K))) {
      if (r != d->K)
        fprintf(stderr, "sim_run: --b %s has %" PRIu64 " rows, but A has %u columns (K)\n", o->b_path, r, d->K);
      return -1;
    }
    if (run_load_matrix("--b", o->b_path, &d->B, &kb, &d->N, &d->sb, &d->b_exact, d->b_desc, sizeof d->b_desc))
      return -1;
    if (kb != d->K) {
      fprintf(stderr, "sim_run: --b %s has %u rows, but A has %u columns (K)\n", o->b_path, kb, d->K);
      return -1;
    }
  } else {
    d->N = o->n ? o->n : RUN_RANDOM_B_COLS;
    if (run_check_size("random B", d->M, d->N, d->K)) return -1;
    d->B = malloc((size_t)d->K * d->N * sizeof *d->B);
    if (!d->B) return -1;
    uint64_t rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
    uint32_t qmax = (1u << (SG_DATA_W - 1)) - 1;
    run_random_fill(d->B, (size_t)d->K * d->N, o->density_b, -(int32_t)qmax, 2 * qmax + 1, &rng);
    d->sb = 1.0;
    d->b_exact = 1;
    snprintf(d->b_desc, sizeof d->b_desc,
             "random %u x %u, density %.3f, non-zeros uniform in -%u..%u, seed %" PRIu64 " (scale 1)", d->K,
             d->N, o->density_b, qmax, qmax, o->seed);
  }
  snprintf(d->desc, sizeof d->desc, "C = A x B\n          A: %s\n          B: %s", d->a_desc, d->b_desc);
  return run_check_size("--a/--b", d->M, d->N, d->K);
}

/* --workload graphchallenge: a block of layer 1 times input images. */
static int run_load_graphchallenge(const run_opts_t *o, run_data_t *d) {
  char err[512], wpath[1024], ypath[1024];
  uint32_t m = o->m ? o->m : SG_ROWS, n = o->n ? o->n : SG_COLS;
  snprintf(wpath, sizeof wpath, "%s/graphchallenge/n1024-l1.mtx", o->data);
  snprintf(ypath, sizeof ypath, "%s/graphchallenge/sparse-images-1024_subset.mtx", o->data);
  host_mtx_t w, y;
  memset(&w, 0, sizeof w);
  memset(&y, 0, sizeof y);
  int rc = -1;
  double *ad = NULL, *bd = NULL;
  if (host_mtx_read(wpath, &w, err, sizeof err) || host_mtx_read(ypath, &y, err, sizeof err)) {
    fprintf(stderr, "sim_run: cannot read the GraphChallenge data (--data DIR or SG_DATA_DIR names the shared data): %s\n", err);
    goto out;
  }
  uint32_t k = o->k ? o->k : w.rows;
  if ((uint64_t)o->row0 + m > w.cols || (uint64_t)o->col0 + n > y.rows || k > w.rows || k > y.cols) {
    fprintf(stderr, "sim_run: tile %u+%u neurons x %u+%u images x K %u is outside the data (%u neurons, %u images, %u features)\n",
            o->row0, m, o->col0, n, k, w.cols, y.rows, w.rows);
    goto out;
  }
  if (run_check_size("graphchallenge", m, n, k)) goto out;
  /* A[nr][kk] = W[kk][row0+nr] (weights into neuron row0+nr), B[kk][img] = Y[col0+img][kk] */
  ad = calloc((size_t)m * k, sizeof(double));
  bd = calloc((size_t)k * n, sizeof(double));
  d->A = malloc((size_t)m * k * sizeof(int32_t));
  d->B = malloc((size_t)k * n * sizeof(int32_t));
  if (!ad || !bd || !d->A || !d->B) goto out;
  for (uint64_t i = 0; i < w.nnz; i++)
    if (w.row[i] < k && w.col[i] >= o->row0 && w.col[i] - o->row0 < m)
      ad[(size_t)(w.col[i] - o->row0) * k + w.row[i]] += w.val[i];
  for (uint64_t i = 0; i < y.nnz; i++)
    if (y.col[i] < k && y.row[i] >= o->col0 && y.row[i] - o->col0 < n)
      bd[(size_t)y.col[i] * n + (y.row[i] - o->col0)] += y.val[i];
  if (o->layer_rule) {
    /* the README's precision: activations with 9 fraction bits times weights of 1/16 as
       integer 1 make accumulator units of 2^-13; here W x 128 (1/16 -> 8) and Y x 64 (1.0 ->
       64) give the same units exactly on DATA_W >= 8 (run_args_check) */
    d->sa = 1.0 / 128;
    d->sb = 1.0 / 64;
    if (host_quant_with_scale(ad, (size_t)m * k, SG_DATA_W, d->sa, d->A, err, sizeof err) ||
        host_quant_with_scale(bd, (size_t)k * n, SG_DATA_W, d->sb, d->B, err, sizeof err)) {
      fprintf(stderr, "sim_run: --layer-rule: %s\n", err);
      goto out;
    }
    for (size_t i = 0; i < (size_t)m * k; i++)
      if (fabs(d->A[i] * d->sa - ad[i]) > 0) {
        fprintf(stderr, "sim_run: --layer-rule: weight %g is not a multiple of 1/128\n", ad[i]);
        goto out;
      }
    for (size_t i = 0; i < (size_t)k * n; i++)
      if (fabs(d->B[i] * d->sb - bd[i]) > 0) {
        fprintf(stderr, "sim_run: --layer-rule: activation %g is not a multiple of 1/64\n", bd[i]);
        goto out;
      }
  } else if (host_quant(ad, (size_t)m * k, SG_DATA_W, d->A, &d->sa, err, sizeof err) ||
             host_quant(bd, (size_t)k * n, SG_DATA_W, d->B, &d->sb, err, sizeof err)) {
    fprintf(stderr, "sim_run: quantization failed: %s\n", err);
    goto out;
  }
  snprintf(d->desc, sizeof d->desc, "GraphChallenge n1024 layer 1: neurons %u..%u x images %u..%u, K=%u (int%u, scales %.4g / %.4g)",
           o->row0, o->row0 + m - 1, o->col0, o->col0 + n - 1, k, SG_DATA_W, d->sa, d->sb);
  d->M = m;
  d->N = n;
  d->K = k;
  rc = 0;
out:
  free(ad);
  free(bd);
  host_mtx_free(&w);
  host_mtx_free(&y);
  return rc;
}

/* --workload mtx: the first rows of a .mtx as A, random B. */
static int run_load_mtx(const run_opts_t *o, run_data_t *d) {
  if (!o->file) {
    fprintf(stderr, "sim_run: --workload mtx needs --file F.mtx\n");
    return -1;
  }
  uint32_t n = o->n ? o->n : SG_COLS;
  uint64_t r, c, nz;
  if (!run_mtx_peek(o->file, &r, &c, &nz)) {
    uint64_t mm = o->m ? o->m : SG_ROWS;
    if (mm > r) mm = r;
    uint64_t k = o->k && o->k < c ? o->k : c;
    if (nz > RUN_MAX_ELEMS) {
      fprintf(stderr, "sim_run: --file %s declares %" PRIu64 " entries (limit %" PRIu64 ")\n", o->file, nz, RUN_MAX_ELEMS);
      return -1;
    }
    if (run_check_size(o->file, mm, n, k)) return -1;
  }
  host_mtx_t a;
  memset(&a, 0, sizeof a);
  if (run_mtx_read(o->file, &a)) return -1;
  uint32_t mm = o->m ? o->m : SG_ROWS;
  if (mm > a.rows) mm = a.rows;
  uint32_t k = o->k && o->k < a.cols ? o->k : a.cols;
  int rc = -1;
  double *ad = NULL;
  if (run_check_size(o->file, mm, n, k)) goto out;
  ad = calloc((size_t)mm * k, sizeof(double));
  d->A = malloc((size_t)mm * k * sizeof(int32_t));
  d->B = malloc((size_t)k * n * sizeof(int32_t));
  if (!ad || !d->A || !d->B) goto out;
  for (uint64_t i = 0; i < a.nnz; i++)
    if (a.row[i] < mm && a.col[i] < k) ad[(size_t)a.row[i] * k + a.col[i]] += a.val[i];
  char err[512];
  if (host_quant(ad, (size_t)mm * k, SG_DATA_W, d->A, &d->sa, err, sizeof err)) {
    fprintf(stderr, "sim_run: quantization failed: %s\n", err);
    goto out;
  }
  uint64_t rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
  uint32_t qmax = (1u << (SG_DATA_W - 1)) - 1;
  run_random_fill(d->B, (size_t)k * n, o->density_b, -(int32_t)qmax, 2 * qmax + 1, &rng);
  snprintf(d->desc, sizeof d->desc, "%s rows 0..%u as A (K=%u), B random density %.2f", run_base(o->file), mm - 1,
           k, o->density_b);
  d->M = mm;
  d->N = n;
  d->K = k;
  rc = 0;
out:
  free(ad);
  host_mtx_free(&a);
  return rc;
}

/* --workload random: both operands random. */
static int run_load_random(const run_opts_t *o, run_data_t *d) {
  uint32_t m = o->m ? o->m : SG_ROWS, n = o->n ? o->n : SG_COLS, k = o->k ? o->k : SG_KMAX;
  if (run_check_size("random", m, n, k)) return -1;
  d->A = malloc((size_t)m * k * sizeof(int32_t));
  d->B = malloc((size_t)k * n * sizeof(int32_t));
  if (!d->A || !d->B) return -1;
  uint64_t rng = o->seed * 0x9E3779B97F4A7C15ull + 1;
  run_random_fill(d->A, (size_t)m * k, o->density_a, -(1 << (SG_DATA_W - 1)), 1u << SG_DATA_W, &rng);
  run_random_fill(d->B, (size_t)k * n, o->density_b, -(1 << (SG_DATA_W - 1)), 1u << SG_DATA_W, &rng);
  snprintf(d->desc, sizeof d->desc, "random %ux%ux%u, A density %.3f, B density %.3f, seed %" PRIu64, m, n, k,
           o->density_a, o->density_b, o->seed);
  d->M = m;
  d->N = n;
  d->K = k;
  return 0;
}

static int run_load(const run_opts_t *o, run_data_t *d) {
  memset(d, 0, sizeof *d);
  d->sa = d->sb = 1.0;
  if (o->a_path) return run_load_user(o, d);
  if (!strcmp(o->workload, "graphchallenge")) return run_load_graphchallenge(o, d);
  if (!strcmp(o->workload, "mtx")) return run_load_mtx(o, d);
  if (!strcmp(o->workload, "random")) return run_load_random(o, d);
  fprintf(stderr, "sim_run: unknown workload '%s' (graphchallenge, random, mtx)\n", o->workload);
  return -1;
}

static double run_density(const int32_t *x, size_t n) {
  size_t nz = 0;
  for (size_t i = 0; i < n; i++) nz += x[i] != 0;
  return n ? (double)nz / (double)n : 0.0;
}

/* ------------------------------------------------------------------ one mode, job by job */

typedef struct run_ctx {
  const run_opts_t *o;
  const host_variant_t *v;
  uint32_t mode;
  tb_t *tb;
  host_dev_t gdev;
  uint64_t jobs, bad_jobs, first_bad;
  uint64_t bound;
  const int32_t *A; /* the whole product's A (M x K), for its compute bound */
  uint32_t K;
  host_energy_t en;
  int golden_failed, traced, trace_failed;
  double lr_err; /* --layer-rule: largest |C / 512 - min(32, ReLU(Y W - 0.3))|, in doubles */
  char err[512];
} run_ctx_t;

/* --layer-rule, checked against the benchmark's rule in double precision (independent of the
 * integer path): the device's C / 2^9 against min(32, max(0, sum_k Y W - 0.3)), with Y W
 * exact in doubles (A_int * B_int * 2^-13).  Rounding to 9 fraction bits and -0.3 in units of
 * 2^-13 allow at most 2^-10 + 2^-14. */
#define RUN_LR_TOL (1.0 / 1024 + 1.0 / 16384)
static double run_layer_err(const run_data_t *d, const int64_t *C) {
  double worst = 0;
  double *row = malloc((size_t)d->N * sizeof *row);
  if (!row) return INFINITY;
  for (uint32_t i = 0; i < d->M; i++) {
    for (uint32_t j = 0; j < d->N; j++) row[j] = 0;
    for (uint32_t k = 0; k < d->K; k++) {
      int32_t a = d->A[(size_t)i * d->K + k];
      if (!a) continue;
      for (uint32_t j = 0; j < d->N; j++) row[j] += (double)a * d->B[(size_t)k * d->N + j];
    }
    for (uint32_t j = 0; j < d->N; j++) {
      double y = row[j] * d->sa * d->sb - 0.3;
      y = y < 0 ? 0 : y > 32 ? 32 : y;
      double e = fabs((double)C[(size_t)i * d->N + j] / 512.0 - y);
      if (e > worst) worst = e;
    }
  }
  free(row);
  return worst;
}

/* Prints what differs in one job (a few lines per job, for the first three bad jobs). */
static int run_compare_job(run_ctx_t *x, const host_job_info_t *in, const int64_t *gt,
                           const host_counters_t *gc) {
  const sg_counters_t *d = &in->cnt->arch, *g = &gc->arch;
  int bad = 0, say = x->bad_jobs < 3;
  for (uint32_t i = 0; i < SG_ROWS * SG_COLS; i++)
    if (in->c_tile[i] != gt[i] && bad++ < 3 && say)
      fprintf(stderr, "sim_run: %s: job %u (m0=%u n0=%u k0=%u): C[%u][%u] = %" PRId64 ", golden %" PRId64 "\n",
              sg_mode_name(x->mode), in->index, in->m0, in->n0, in->k0, in->m0 + i / SG_COLS,
              in->n0 + i % SG_COLS, in->c_tile[i], gt[i]);
#define RUN_CNT(f)                                                                                       \
  if (d->f != g->f && bad++ < 6 && say)                                                                  \
    fprintf(stderr, "sim_run: %s: job %u (m0=%u n0=%u k0=%u): counter " #f " = %u, golden %u\n",         \
            sg_mode_name(x->mode), in->index, in->m0, in->n0, in->k0, d->f, g->f);
  RUN_CNT(mode_used)
  RUN_CNT(macs_issued)
  RUN_CNT(macs_gated)
  RUN_CNT(macs_skipped)
  RUN_CNT(nnz_a)
  RUN_CNT(nnz_b)
  RUN_CNT(max_row_nnz)
#undef RUN_CNT
  if (memcmp(d->row_nnz, g->row_nnz, sizeof d->row_nnz)) {
    if (say) fprintf(stderr, "sim_run: %s: job %u: ROW_NNZ counters differ from golden\n", sg_mode_name(x->mode), in->index);
    bad++;
  }
  return bad;
}

/* Compute bound of the whole product, not of the jobs it was cut into: per tile and KMAX span
 * of K, DENSE the span + C, SPARSE the span's largest row non-zero count + C (the R term of the
 * first design was never paid). A span that host_gemm cut into several jobs so that every row
 * fits the A list capacity keeps the bound of the span: this job adds the spans that start in
 * it, in the mode it ran. */
static uint64_t run_span_bound(const run_ctx_t *x, const host_job_info_t *in, uint32_t mode_used) {
  const uint32_t KM = x->v->p.kmax, k0 = in->k0, k1 = in->k0 + in->job->k;
  uint64_t b = 0;
  for (uint32_t c0 = (k0 + KM - 1) / KM * KM; c0 < k1; c0 += KM) {
    const uint32_t len = x->K - c0 < KM ? x->K - c0 : KM;
    uint32_t n = len;
    if (mode_used == SG_MODE_SPARSE) {
      n = 0;
      for (uint32_t r = 0; r < in->m_valid; r++) {
        uint32_t nz = 0;
        for (uint32_t kk = c0; kk < c0 + len; kk++) nz += x->A[(size_t)(in->m0 + r) * x->K + kk] != 0;
        if (nz > n) n = nz;
      }
    }
    b += (uint64_t)n + SG_COLS;
  }
  return b;
}

static int run_on_job(void *user, const host_job_info_t *in) {
  run_ctx_t *x = user;
  int64_t gt[SG_ROWS * SG_COLS];
  host_counters_t gc;
  if (host_run_job_os(&x->gdev, x->v, in->job, 0, in->os, gt, &gc, x->err, sizeof x->err)) {
    x->golden_failed = 1;
    return 1;
  }
  if (run_compare_job(x, in, gt, &gc)) {
    if (!x->bad_jobs) x->first_bad = in->index;
    x->bad_jobs++;
  }
  x->jobs++;
  const sg_counters_t *c = &in->cnt->arch;
  host_energy_t e;
  host_energy_in_t ein = {in->job->k, in->flags, c->macs_issued, c->macs_gated, c->nnz_a,
                          host_in_beats_fmt(x->v, in->job->k, in->flags, host_job_a_ents(x->v, in->job)),
                          host_out_beats_os(x->v, in->os != NULL) + host_trailer_beats(x->v), 0, 0};
  sg_window_events(&x->v->p, in->job->k, c->mode_used, in->job->a, &ein.win_fetches, &ein.win_captures);
  host_energy_job(x->v, &host_energy_horowitz45, &ein, &e);
  x->en.stream_pj += e.stream_pj;
  x->en.mac_pj += e.mac_pj;
  x->en.a_read_pj += e.a_read_pj;
  x->en.b_read_pj += e.b_read_pj;
  x->en.load_write_pj += e.load_write_pj;
  x->en.total_pj += e.total_pj;
  /* compute bound: DENSE K + C, SPARSE max row non-zeros + C, per job, by the mode used (the
     R term of the first design was never paid); the end-to-end bound is host_gemm's */
  x->bound += run_span_bound(x, in, c->mode_used);
  if (x->o->trace_path && x->o->job_set) {
    if (in->index == x->o->job) {
      x->traced = 1;
      return 1; /* the waveform of job N is complete: stop */
    }
    if (in->index + 1 == x->o->job && dut_trace(x->tb->dut, x->o->trace_path)) {
      x->trace_failed = 1;
      return 1;
    }
  }
  return 0;
}

static uint64_t run_job_count(const run_data_t *d) {
  return (uint64_t)((d->M + SG_ROWS - 1) / SG_ROWS) * ((d->N + SG_COLS - 1) / SG_COLS) *
         ((d->K + SG_KMAX - 1) / SG_KMAX);
}

/* ------------------------------------------------------------------ reporting */

static void run_json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') fprintf(f, "\\%c", ch);
    else if (ch < 0x20) fprintf(f, "\\u%04x", ch);
    else fputc(ch, f);
  }
  fputc('"', f);
}

static void run_shell_word(FILE *f, const char *s) {
  if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=./,:@%") == strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (; *s; s++)
    if (*s == '\'') fputs("'\\''", f);
    else fputc(*s, f);
  fputc('\'', f);
}

/* The command that reruns this run in one mode (SG_RUN_CMD: how `sparsegen run` called us). */
static void run_print_repro(const run_opts_t *o, uint32_t mode, FILE *f) {
  const char *cmd = getenv("SG_RUN_CMD");
  if (cmd && *cmd) fputs(cmd, f);
  else run_shell_word(f, o->argv[0]);
  for (int i = 1; i < o->argc; i++) {
    const char *a = o->argv[i];
    if (!strcmp(a, "--quiet")) continue;
    if (!strcmp(a, "--trace") || !strcmp(a, "--job") || !strcmp(a, "--jsonl") || !strcmp(a, "--out") ||
        !strcmp(a, "--mode") || !strcmp(a, "--modes")) {
      i++;
      continue;
    }
    fputc(' ', f);
    run_shell_word(f, a);
  }
  fprintf(f, " --mode %s", sg_mode_name(mode));
}

static void run_report_mismatch(const run_opts_t *o, const run_ctx_t *x) {
  fprintf(stderr, "sim_run: %s: %" PRIu64 " of %" PRIu64 " jobs differ from golden (variant %s, prefix %s, seed %" PRIu64 ")\n",
          sg_mode_name(x->mode), x->bad_jobs, x->jobs, tb_variant_name(), SG_VARIANT, o->seed);
  fputs("  reproduce: ", stderr);
  run_print_repro(o, x->mode, stderr);
  fprintf(stderr, "\n  waveform:  ");
  run_print_repro(o, x->mode, stderr);
  fprintf(stderr, " --trace job%" PRIu64 ".fst --job %" PRIu64 "\n", x->first_bad, x->first_bad);
}

/* What the results are: "none" (the ACC_W-bit accumulators), or the output stage's settings
 * (with --layer-rule, the rule they implement). */
static void run_os_desc(const run_opts_t *o, char *buf, size_t n) {
  if (!o->os_on)
    snprintf(buf, n, "none");
  else if (o->layer_rule)
    snprintf(buf, n, "layer rule Y1 = min(32, ReLU(Y0 W1 - 0.3)): accumulator units 2^-13 (W x 128, Y x 64), "
                     "bias %d, shift %u rounding half up, ReLU, clamp %u, %u-bit results with 9 fraction bits",
             o->os.bias, o->os.shift, o->os.clamp, SG_OUT_W);
  else
    snprintf(buf, n, "bias %d, shift %u rounding half up, %sclamp %u, %u-bit results", o->os.bias, o->os.shift,
             o->os.relu ? "ReLU, " : "", o->os.clamp, SG_OUT_W);
}

static void run_jsonl(FILE *jf, const run_opts_t *o, const run_data_t *d, const run_ctx_t *x,
                      const host_gemm_stats_t *sd, const char *used, double dA, double dB,
                      double util, double useful, double speedup) {
  fputs("{\"variant\": ", jf);
  run_json_str(jf, tb_variant_name());
  fputs(", \"prefix\": ", jf);
  run_json_str(jf, SG_VARIANT);
  fputs(", \"label\": ", jf);
  run_json_str(jf, o->label ? o->label : "");
  fputs(", \"workload\": ", jf);
  run_json_str(jf, o->a_path ? "matrices" : o->workload);
  char osd[320];
  run_os_desc(o, osd, sizeof osd);
  fputs(", \"output_stage\": ", jf);
  run_json_str(jf, osd);
  fprintf(jf, ", \"out_width\": %u", o->os_on ? SG_OUT_W : SG_ACC_W);
  if (o->layer_rule) fprintf(jf, ", \"layer_rule_max_err\": %.6f", x->lr_err);
  fprintf(jf,
          ", \"rows\": %u, \"cols\": %u, "
          "\"data_width\": %u, \"kmax\": %u, \"window\": %u, \"mode\": \"%s\", \"mode_used\": \"%s\", "
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
          "\"seed\": %" PRIu64 ", \"mismatched_jobs\": %" PRIu64 ", \"match\": %s}\n",
          SG_ROWS, SG_COLS, SG_DATA_W, SG_KMAX, SG_WINDOW, sg_mode_name(x->mode), used, d->M, d->N, d->K,
          sd->jobs, dA, dB, o->workload && !strcmp(o->workload, "random") ? o->density_a : dA, sd->cyc_compute,
          sd->cyc_total, sd->cyc_load, sd->cyc_drain, sd->macs_issued, sd->macs_gated, sd->macs_skipped,
          x->bound, x->bound ? (double)sd->cyc_compute / (double)x->bound : 0.0, util, useful, speedup,
          sd->bound_cycles, sd->bound_cycles ? (double)sd->cyc_total / (double)sd->bound_cycles : 0.0,
          sd->jobs_keep_b, sd->jobs_a_compressed, sd->in_beats, sd->out_beats, x->en.total_pj,
          x->en.mac_pj, x->en.a_read_pj, x->en.b_read_pj, x->en.load_write_pj, x->en.stream_pj, o->seed,
          x->bad_jobs, x->bad_jobs == 0 ? "true" : "false");
}

/* ------------------------------------------------------------------ C as Matrix Market */

static int run_write_c(FILE *f, const run_opts_t *o, const run_data_t *d, const int64_t *C,
                       uint32_t mode, uint64_t jobs) {
  uint64_t nnz = 0;
  for (size_t i = 0; i < (size_t)d->M * d->N; i++) nnz += C[i] != 0;
  fprintf(f, "%%%%MatrixMarket matrix coordinate integer general\n"
             "%% C = A x B computed by sparsegen run on variant %s (prefix %s: %ux%u PEs, int%u operands,\n"
             "%%   %u-bit accumulators, KMAX %u), mode %s; bit-exact against the golden model: %" PRIu64
             " jobs, 0 mismatches\n"
             "%% A: %s\n%% B: %s\n"
             "%% Exact rule: C_int = A_int x B_int, summed in %u-bit two's complement (wrap-around);\n"
             "%%   real value = C_int * sa * sb, with A ~ A_int * sa and B ~ B_int * sb\n"
             "%% sa = %.17g\n%% sb = %.17g\n",
          tb_variant_name(), SG_VARIANT, SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX, sg_mode_name(mode), jobs,
          d->a_desc, d->b_desc, SG_ACC_W, d->sa, d->sb);
  if (o->os_on) {
    char osd[320];
    run_os_desc(o, osd, sizeof osd);
    fprintf(f, "%% Output stage (FLAGS.OUT_STAGE): C holds out = clamp(ReLU?((C_int + bias) >> shift)), not C_int:\n"
               "%%   %s\n", osd);
  }
  fprintf(f, "%u %u %" PRIu64 "\n", d->M, d->N, nnz);
  for (uint32_t r = 0; r < d->M; r++)
    for (uint32_t c = 0; c < d->N; c++)
      if (C[(size_t)r * d->N + c]) fprintf(f, "%u %u %" PRId64 "\n", r + 1, c + 1, C[(size_t)r * d->N + c]);
  return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------------ main */

typedef struct run_out {
  FILE *f;
  char tmp[4200];
} run_out_t;

/* Opens the temporary file next to --out before anything runs (an unwritable place is a usage
 * error, with nothing run); run_out_finish renames it over --out, or removes it. */
static int run_out_open(const run_opts_t *o, run_out_t *w) {
  w->f = NULL;
  if (!o->out_path) return 0;
  if (strlen(o->out_path) > 4000) {
    fprintf(stderr, "sim_run: --out path is too long\n");
    return -1;
  }
  snprintf(w->tmp, sizeof w->tmp, "%s.tmp-%ld", o->out_path, (long)getpid());
  w->f = fopen(w->tmp, "w");
  if (!w->f) {
    fprintf(stderr, "sim_run: --out %s: cannot write there: %s\n", o->out_path, strerror(errno));
    return -1;
  }
  return 0;
}

static int run_out_finish(run_out_t *w, const run_opts_t *o, int keep) {
  if (!w->f) return 0;
  int bad = fclose(w->f) != 0;
  w->f = NULL;
  if (keep && !bad && rename(w->tmp, o->out_path) == 0) return 0;
  if (keep) fprintf(stderr, "sim_run: --out %s: cannot write it: %s\n", o->out_path, strerror(errno));
  unlink(w->tmp);
  return keep ? -1 : 0;
}

static void run_header(const run_opts_t *o, const run_data_t *d, double dA, double dB) {
  if (o->quiet) return;
  printf("variant %s (prefix %s): %ux%u PEs, int%u operands, %u-bit accumulators, KMAX %u, window %u, %s\n",
         tb_variant_name(), SG_VARIANT, SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX, SG_WINDOW,
         SG_SPARSE_CAPABLE ? "sparse-capable" : "dense-only");
  printf("workload: %s\n          A %ux%u density %.4f, B %ux%u density %.4f, %" PRIu64 " jobs per mode\n",
         d->desc, d->M, d->K, dA, d->K, d->N, dB, run_job_count(d));
  char osd[320];
  run_os_desc(o, osd, sizeof osd);
  printf("output stage: %s\n\n", osd);
  printf("%-7s %-7s %9s %9s %12s %12s %12s %7s %8s %10s %6s\n", "mode", "used", "compute", "total",
         "MACs issued", "MACs gated", "MACs skipped", "util", "speedup", "energy nJ", "golden");
}

/* Runs one mode on a fresh model; 0 ok (counts in *x), 1 device/golden error. */
static int run_mode(const run_opts_t *o, const run_data_t *d, const host_variant_t *v, uint32_t mode,
                    int64_t *C, run_ctx_t *x, host_gemm_stats_t *sd) {
  memset(x, 0, sizeof *x);
  x->o = o;
  x->v = v;
  x->A = d->A;
  x->K = d->K;
  x->mode = mode;
  tb_t tb;
  if (tb_init(&tb, o->seed, 100, 100)) {
    fprintf(stderr, "sim_run: cannot create the model\n");
    return 1;
  }
  x->tb = &tb;
  golddev_t gd;
  char err[512];
  if (golddev_init(&gd, v, SG_GEN_VERSION_WORD, &x->gdev, err, sizeof err)) {
    fprintf(stderr, "sim_run: golden device: %s\n", err);
    tb_free(&tb);
    return 1;
  }
  int rc = 0;
  if (o->trace_path && (!o->job_set || o->job == 0) && dut_trace(tb.dut, o->trace_path)) x->trace_failed = 1;
  host_gemm_opts_t op = {mode, o->thresh, run_on_job, x, HOST_GEMM_STREAM_FAST, o->os_on ? &o->os : NULL};
  host_dev_t dev = tb_dev(&tb);
  /* jobs overlap: the GEMM's cycles are the device's, from before the first register write to
     the last result beat */
  const uint64_t t0 = dut_cycles(tb.dut);
  int grc = x->trace_failed ? 0 : host_gemm(&dev, v, &op, d->M, d->N, d->K, d->A, d->B, C, sd, err, sizeof err);
  sd->cyc_total = dut_cycles(tb.dut) - t0;
  if (grc && !x->traced && !x->trace_failed) {
    fprintf(stderr, "sim_run: %s: %s failed: %s\n", sg_mode_name(mode), x->golden_failed ? "golden run" : "device run",
            x->golden_failed ? x->err : err);
    rc = 1;
  }
  if (x->trace_failed) {
    fprintf(stderr, "sim_run: --trace: this sim_run has no tracing (run it as `sparsegen run DIR ... --trace F.fst`)\n");
    rc = 2;
  }
  golddev_free(&gd);
  tb_free(&tb);
  return rc;
}

/* One table row (and --jsonl record) of a finished mode. */
static void run_report_mode(const run_opts_t *o, const run_data_t *d, const run_ctx_t *x,
                            const host_gemm_stats_t *sd, double dA, double dB, double *dense_compute,
                            FILE *jf) {
  double compute = (double)sd->cyc_compute;
  if (x->mode == SG_MODE_DENSE) *dense_compute = compute;
  double peak = (double)SG_ROWS * SG_COLS * compute;
  double util = compute > 0 ? (double)sd->macs_issued / peak : 0;
  double useful = compute > 0 ? (double)(sd->macs_issued + sd->macs_skipped) / peak : 0;
  double speedup = *dense_compute > 0 && compute > 0 ? *dense_compute / compute : 0;
  const char *used = sd->jobs_sparse == sd->jobs ? "sparse" : sd->jobs_sparse == 0 ? "dense" : "mixed";
  if (!o->quiet) {
    char sp[16] = "-";
    if (speedup > 0) snprintf(sp, sizeof sp, "%.2fx", speedup);
    printf("%-7s %-7s %9" PRIu64 " %9" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %6.1f%% %8s %10.2f %6s\n",
           sg_mode_name(x->mode), used, sd->cyc_compute, sd->cyc_total, sd->macs_issued, sd->macs_gated,
           sd->macs_skipped, 100.0 * util, sp, x->en.total_pj / 1000.0, x->bad_jobs ? "FAIL" : "match");
  }
  if (jf) run_jsonl(jf, o, d, x, sd, used, dA, dB, util, useful, speedup);
}

static void run_footer(const run_opts_t *o, const uint64_t *jobs, const uint64_t *bad, int traced) {
  if (o->quiet) return;
  if (!traced)
    printf("\ncycles: 'compute' is the array's work (what SPARSE shortens, summed over jobs); 'total'\n"
         "is the whole GEMM on the device's clock: jobs overlapped (the next job's operands, %u-bit\n"
         "beats, B kept resident per column block, A compressed in SPARSE/AUTO, stream while this\n"
         "job computes and the results of the job before it, %u per beat, and counters come back).\n",
         SG_IN_STREAM_W, o->os_on ? SG_OS_PER_BEAT : SG_RESULTS_PER_BEAT);
  if (!traced)
    printf("\nenergy: estimate from event counts x Horowitz 45 nm table (host/host_energy.h): MACs that\n"
         "are skipped cost nothing, gated MACs cost their B read only; load writes and every bit\n"
         "crossing the streams (priced as DRAM traffic) included.\n\n");
  for (uint32_t m = 0; m < SG_MODE_COUNT; m++)
    if (o->modes[m])
      printf("golden: %s: %s: %" PRIu64 " jobs, %" PRIu64 " mismatches (every result word and counter of every job)\n",
             sg_mode_name(m), bad[m] ? "MISMATCH" : "bit-exact", jobs[m], bad[m]);
}

/* What can refuse the run before it starts (exit 2): --job past the end, --jsonl, --out. */
static int run_prepare(const run_opts_t *o, const run_data_t *d, FILE **jf, run_out_t *w) {
  if (o->trace_path && o->job_set && o->job >= run_job_count(d)) {
    fprintf(stderr, "sim_run: --job %u: this run has %" PRIu64 " jobs (0..%" PRIu64 ")\n", o->job, run_job_count(d),
            run_job_count(d) - 1);
    return -1;
  }
  if (o->jsonl && !(*jf = fopen(o->jsonl, "a"))) {
    fprintf(stderr, "sim_run: --jsonl %s: cannot open it to append: %s\n", o->jsonl, strerror(errno));
    return -1;
  }
  return run_out_open(o, w);
}

typedef struct run_totals {
  uint64_t jobs[SG_MODE_COUNT], bad[SG_MODE_COUNT];
  uint32_t last; /* the last mode run (its C is what --out writes) */
  int traced;    /* --job N was traced and the run stopped after it */
} run_totals_t;

/* Every requested mode on a fresh model: 0 all bit-exact, 1 a mismatch or a device error,
 * 2 tracing asked of a runner without it. */
static int run_modes(const run_opts_t *o, const run_data_t *d, int64_t *C, FILE *jf, run_totals_t *t) {
  host_variant_t v;
  memset(&v, 0, sizeof v);
  v.p = (sg_params_t){SG_ROWS, SG_COLS, SG_DATA_W, SG_ACC_W, SG_KMAX, SG_SPARSE_CAPABLE, SG_WINDOW, SG_WDEPTH, SG_OUT_W};
  v.window = SG_WINDOW;
  v.a_cap = SG_A_CAP;
  v.in_stream_w = SG_IN_STREAM_W;
  v.out_stream_w = SG_OUT_STREAM_W;
  host_variant_derive(&v);
  double dA = run_density(d->A, (size_t)d->M * d->K), dB = run_density(d->B, (size_t)d->K * d->N), dense_compute = 0;
  run_header(o, d, dA, dB);
  int mism = 0;
  for (uint32_t mode = 0; mode < SG_MODE_COUNT; mode++) {
    if (!o->modes[mode]) continue;
    run_ctx_t x;
    host_gemm_stats_t sd;
    int rc = run_mode(o, d, &v, mode, C, &x, &sd);
    if (rc) return rc;
    if (o->layer_rule && !x.traced) {
      x.lr_err = run_layer_err(d, C);
      if (!o->quiet)
        printf("layer rule: %s: largest |C/512 - min(32, ReLU(Y W - 0.3))| = %.6f (allowed %.6f)\n",
               sg_mode_name(mode), x.lr_err, RUN_LR_TOL);
      if (!(x.lr_err <= RUN_LR_TOL)) {
        fprintf(stderr, "sim_run: %s: the layer rule's results differ from the rule in doubles by %.6f (> %.6f)\n",
                sg_mode_name(mode), x.lr_err, RUN_LR_TOL);
        mism = 1;
      }
    }
    t->jobs[mode] = x.jobs;
    t->bad[mode] = x.bad_jobs;
    t->last = mode;
    mism |= x.bad_jobs != 0;
    if (o->trace_path)
      printf("\ntrace: %s (%s)\n", o->trace_path, o->job_set ? "that job only; the run stopped after it" : "every job");
    if ((t->traced = x.traced)) break;
    run_report_mode(o, d, &x, &sd, dA, dB, &dense_compute, jf);
    if (x.bad_jobs) run_report_mismatch(o, &x);
  }
  run_footer(o, t->jobs, t->bad, t->traced);
  return mism;
}

int main(int argc, char **argv) {
  run_opts_t o;
  run_data_t d;
  static run_out_t w;
  run_totals_t t;
  FILE *jf = NULL;
  int64_t *C = NULL;
  memset(&d, 0, sizeof d);
  memset(&t, 0, sizeof t);
  int rc = run_args(argc, argv, &o) || run_load(&o, &d) || run_prepare(&o, &d, &jf, &w) ? 2 : 0;
  if (!rc && !(C = calloc((size_t)d.M * d.N, sizeof *C))) rc = 1;
  if (!rc) rc = run_modes(&o, &d, C, jf, &t);
  if (jf) fclose(jf);
  int keep = w.f && !rc && !t.traced;
  if (keep && run_write_c(w.f, &o, &d, C, t.last, t.jobs[t.last])) rc = 1;
  if (run_out_finish(&w, &o, keep && !rc)) rc = 1;
  if (keep && !rc && !o.quiet) printf("wrote %s (%u x %u, Matrix Market integer; scales in its header)\n", o.out_path, d.M, d.N);
  if (rc == 1 && o.out_path) fprintf(stderr, "sim_run: %s not written\n", o.out_path);
  free(d.A);
  free(d.B);
  free(C);
  return rc;
}
