/* cli.c - `sparsegen run|list|synth` (see cli.h and docs/run.md). The work is done by the
 * repository's scripts and the per-variant runner: scripts/model.sh builds (cached) the
 * Verilator model and sim_run of a generated folder under build/models/, `run` then executes
 * that sim_run; `synth` executes scripts/synth.sh. Errors: a message naming what is wrong and
 * exit status 2 for bad arguments, the script's or runner's own status otherwise. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLI_PATH 4096

static int cli_is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int cli_is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The repository: SG_ROOT, or two folders up from this binary (build/bin/sparsegen). */
static int cli_root(char *root, size_t len, const char *cmd) {
  const char *env = getenv("SG_ROOT");
  char exe[CLI_PATH], probe[CLI_PATH + 64];
  if (env && *env) {
    snprintf(root, len, "%s", env);
  } else {
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
      fprintf(stderr, "sparsegen %s: cannot find this binary's location (/proc/self/exe): %s; set SG_ROOT to the repository\n",
              cmd, strerror(errno));
      return -1;
    }
    exe[n] = '\0';
    for (int up = 0; up < 3; up++) {
      char *s = strrchr(exe, '/');
      if (!s) break;
      *s = '\0';
    }
    snprintf(root, len, "%s", exe); /* "" when the binary sits two folders below / */
  }
  snprintf(probe, sizeof probe, "%s/scripts/model.sh", root);
  if (!cli_is_file(probe)) {
    fprintf(stderr,
            "sparsegen %s: cannot find the repository's scripts: %s is missing (this binary is meant to run "
            "from build/bin/ of a sparsegen checkout; set SG_ROOT to the checkout otherwise)\n",
            cmd, probe);
    return -1;
  }
  return 0;
}

/* A folder written by the generator. */
static int cli_check_variant(const char *cmd, const char *dir) {
  char m[CLI_PATH + 32];
  if (!cli_is_dir(dir)) {
    fprintf(stderr, "sparsegen %s: VARIANT_DIR '%s' is not a folder (generate one with sparsegen --out DIR)\n", cmd, dir);
    return -1;
  }
  snprintf(m, sizeof m, "%s/manifest.json", dir);
  FILE *f = fopen(m, "r");
  char buf[128] = {0};
  if (f) {
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
  }
  if (!strstr(buf, "\"generator\": \"sparsegen\"")) {
    fprintf(stderr, "sparsegen %s: '%s' is not a generated variant folder (no sparsegen manifest.json)\n", cmd, dir);
    return -1;
  }
  return 0;
}

/* Runs argv (argv[0] a path), waits; stdout into out (last line, trailing newline removed) when
 * out != NULL. Returns the exit status, 1 if it could not run or died from a signal. */
static int cli_spawn(char *const argv[], char *out, size_t outlen) {
  int fd[2];
  if (out && pipe(fd)) return 1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    if (out) {
      close(fd[0]);
      dup2(fd[1], 1);
      close(fd[1]);
    }
    execv(argv[0], argv);
    fprintf(stderr, "sparsegen: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  if (out) {
    close(fd[1]);
    size_t used = 0;
    ssize_t n;
    char buf[512];
    out[0] = '\0';
    while ((n = read(fd[0], buf, sizeof buf)) > 0)
      for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          if (used) out[used] = '\0';
          used = 0;
          continue;
        }
        if (used + 1 < outlen) {
          out[used++] = buf[i];
          out[used] = '\0';
        }
      }
    close(fd[0]);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return 1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* ------------------------------------------------------------------ run */

static void cli_run_usage(FILE *f) {
  fprintf(f,
          "usage: sparsegen run VARIANT_DIR --a A.mtx [--b B.mtx] [--out C.mtx] [--mode dense|sparse|auto]\n"
          "       sparsegen run VARIANT_DIR --workload graphchallenge|random|mtx [options]\n"
          "       sparsegen run VARIANT_DIR ... --trace FILE.fst [--job N]\n"
          "Builds the Verilator model of the generated folder VARIANT_DIR if it is missing or stale (any\n"
          "generated file changed) under build/models/<folder>-<hash>/ (nothing is written into\n"
          "VARIANT_DIR), then runs the GEMM on it: C = A x B tiled over the array and over K, every job\n"
          "checked against the golden model (results and counters), cycles, MACs, energy per mode.\n"
          "  --a A.mtx --b B.mtx  your matrices (Matrix Market); without --b a random B (--n columns,\n"
          "                       default 16; --density-b, default 0.5; --seed, printed)\n"
          "  --out C.mtx          C as Matrix Market integer, scales of A and B in its header\n"
          "  --trace FILE.fst     waveform (builds a tracing model once); --job N: only job N\n"
          "  --jsonl FILE         appends one JSON record per mode\n"
          "Every runner option: sparsegen run VARIANT_DIR --help. Details: docs/run.md.\n"
          "Exit status: 0 bit-exact against golden, 1 mismatch or device error, 2 bad input.\n");
}

static int cli_run(int argc, char **argv) {
  if (argc < 3 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) {
    cli_run_usage(argc < 3 ? stderr : stdout);
    return argc < 3 ? 2 : 0;
  }
  const char *dir = argv[2];
  char root[CLI_PATH], script[CLI_PATH + 32], mdir[CLI_PATH], bin[2 * CLI_PATH + 32];
  if (cli_check_variant("run", dir) || cli_root(root, sizeof root, "run")) return 2;
  int trace = 0;
  for (int i = 3; i < argc; i++) trace |= !strcmp(argv[i], "--trace");
  snprintf(script, sizeof script, "%s/scripts/model.sh", root);
  char *margv[] = {script, (char *)dir, trace ? "--trace" : NULL, NULL};
  int rc = cli_spawn(margv, mdir, sizeof mdir);
  if (rc) {
    fprintf(stderr, "sparsegen run: building the model of %s failed (scripts/model.sh exit %d)\n", dir, rc);
    return rc == 2 ? 2 : 1;
  }
  snprintf(bin, sizeof bin, "%s/%s/%s", root, mdir, trace ? "sim_run_trace" : "sim_run");
  if (!cli_is_file(bin)) {
    fprintf(stderr, "sparsegen run: the model build left no runner at %s\n", bin);
    return 1;
  }
  /* how to rerun this: repro lines of the runner start with it */
  char cmd[CLI_PATH + 64];
  snprintf(cmd, sizeof cmd, "%s run %s", argv[0], dir);
  setenv("SG_RUN_CMD", cmd, 1);
  char data[CLI_PATH + 32];
  snprintf(data, sizeof data, "%s/../shared/data", root);
  setenv("SG_DATA_DIR", data, 0);
  char **rargv = calloc((size_t)argc, sizeof *rargv);
  if (!rargv) return 1;
  rargv[0] = bin;
  for (int i = 3; i < argc; i++) rargv[i - 2] = argv[i];
  fflush(NULL);
  execv(bin, rargv);
  fprintf(stderr, "sparsegen run: cannot run %s: %s\n", bin, strerror(errno));
  free(rargv);
  return 1;
}

/* ------------------------------------------------------------------ list */

/* `"key": value` after `from` in a JSON text, value copied without quotes. */
static const char *cli_json(const char *text, const char *from, const char *key, char *val, size_t len) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": ", key);
  const char *s = strstr(from ? from : text, pat);
  snprintf(val, len, "?");
  if (!s) return val;
  s += strlen(pat);
  if (*s == '"') s++;
  size_t n = strcspn(s, "\",}\n");
  snprintf(val, len, "%.*s", (int)(n < len ? n : len - 1), s);
  return val;
}

static int cli_list_one(const char *name, const char *vdir, const char *model, const char *built) {
  char path[CLI_PATH + 32], text[8192] = {0};
  snprintf(path, sizeof path, "%s/manifest.json", vdir);
  FILE *f = fopen(path, "r");
  if (!f) {
    printf("%-14s %-7s %-44s %-9s %s (generated folder gone)\n", name, "-", "-", built, vdir);
    return 0;
  }
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  const char *p = strstr(text, "\"parameters\"");
  char pre[64], r[16], c[16], dw[16], aw[16], km[16], w[16], sp[32], params[160];
  snprintf(params, sizeof params, "%sx%s int%s acc%s kmax %s window %s %s", cli_json(text, p, "rows", r, sizeof r),
           cli_json(text, p, "cols", c, sizeof c), cli_json(text, p, "data_width", dw, sizeof dw),
           cli_json(text, p, "acc_width", aw, sizeof aw), cli_json(text, p, "kmax", km, sizeof km),
           cli_json(text, p, "window", w, sizeof w), cli_json(text, p, "sparsity", sp, sizeof sp));
  printf("%-14s %-7s %-44s %-9s %s%s%s\n", name, cli_json(text, NULL, "name", pre, sizeof pre), params, built, vdir,
         model ? "  model " : "", model ? model : "");
  return 1;
}

static int cli_names(const char *dir, char ***out) {
  struct dirent **ents;
  int n = scandir(dir, &ents, NULL, alphasort), k = 0;
  if (n < 0) return 0;
  *out = calloc((size_t)n + 1, sizeof **out);
  for (int i = 0; i < n; i++) {
    if (ents[i]->d_name[0] != '.' && *out) (*out)[k++] = strdup(ents[i]->d_name);
    free(ents[i]);
  }
  free(ents);
  return *out ? k : 0;
}

static int cli_list(int argc, char **argv) {
  if (argc > 2) {
    int help = !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h");
    fprintf(help ? stdout : stderr,
            "usage: sparsegen list\n"
            "Lists the variants built under build/: build/variants/NAME (make verify, scripts/variant.sh)\n"
            "and the models `sparsegen run` cached under build/models/, with their parameters (from\n"
            "manifest.json), whether the model is built, and where the generated folder is.\n");
    return help ? 0 : 2;
  }
  char root[CLI_PATH], d[CLI_PATH + 64], vdir[2 * CLI_PATH + 64], bin[2 * CLI_PATH + 64], mdir[2 * CLI_PATH + 64];
  if (cli_root(root, sizeof root, "list")) return 2;
  printf("%-14s %-7s %-44s %-9s %s\n", "variant", "prefix", "parameters", "model", "generated folder");
  int shown = 0;
  char **names = NULL;
  snprintf(d, sizeof d, "%s/build/variants", root);
  int n = cli_names(d, &names);
  for (int i = 0; i < n; i++) {
    snprintf(vdir, sizeof vdir, "%s/%s/out", d, names[i]);
    snprintf(bin, sizeof bin, "%s/%s/tb_rtl", d, names[i]);
    if (cli_is_dir(vdir)) shown += cli_list_one(names[i], vdir, NULL, cli_is_file(bin) ? "built" : "not built");
    free(names[i]);
  }
  free(names);
  names = NULL;
  snprintf(d, sizeof d, "%s/build/models", root);
  n = cli_names(d, &names);
  for (int i = 0; i < n; i++) {
    char src[CLI_PATH] = "?";
    snprintf(mdir, sizeof mdir, "%s/%s/source", d, names[i]);
    FILE *f = fopen(mdir, "r");
    if (f) {
      if (fgets(src, sizeof src, f)) src[strcspn(src, "\n")] = '\0';
      fclose(f);
    }
    snprintf(bin, sizeof bin, "%s/%s/sim_run", d, names[i]);
    snprintf(mdir, sizeof mdir, "build/models/%s", names[i]);
    char nm[256];
    snprintf(nm, sizeof nm, "%.*s", (int)(strrchr(names[i], '-') ? strrchr(names[i], '-') - names[i] : (long)strlen(names[i])),
             names[i]);
    shown += cli_list_one(nm, src, mdir, cli_is_file(bin) ? "built" : "not built");
    free(names[i]);
  }
  free(names);
  if (!shown)
    printf("(nothing built under %s/build yet: make verify, scripts/variant.sh NAME or sparsegen run DIR build variants)\n",
           root);
  return 0;
}

/* ------------------------------------------------------------------ synth */

static int cli_synth(int argc, char **argv) {
  if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
    printf("usage: sparsegen synth VARIANT_DIR generic|ice40|xc7|asic [PART]\n"
           "Yosys synthesis of a generated folder (scripts/synth.sh; docs/synthesis.md): generic cell\n"
           "counts, iCE40 place and route with fmax and fit (PART DEVICE/PACKAGE, default up5k/sg48),\n"
           "Xilinx 7-series LUT/FF/DSP/BRAM, OSU 0.18 um standard-cell area. Reports go to\n"
           "build/synth/<folder>-<hash>/ of the repository (SG_SYNTH_ROOT overrides).\n");
    return 0;
  }
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: sparsegen synth VARIANT_DIR generic|ice40|xc7|asic [PART]  (--help)\n");
    return 2;
  }
  char root[CLI_PATH], script[CLI_PATH + 32], sroot[CLI_PATH + 32];
  if (cli_check_variant("synth", argv[2]) || cli_root(root, sizeof root, "synth")) return 2;
  snprintf(script, sizeof script, "%s/scripts/synth.sh", root);
  snprintf(sroot, sizeof sroot, "%s/build/synth", root);
  setenv("SG_SYNTH_ROOT", sroot, 0);
  char *sargv[] = {script, argv[2], argv[3], argc == 5 ? argv[4] : NULL, NULL};
  return cli_spawn(sargv, NULL, 0);
}

/* ------------------------------------------------------------------ dispatch */

int cli_dispatch(int argc, char **argv, int *rc) {
  if (argc < 2) return 0;
  const char *c = argv[1];
  if (!strcmp(c, "run")) *rc = cli_run(argc, argv);
  else if (!strcmp(c, "list")) *rc = cli_list(argc, argv);
  else if (!strcmp(c, "synth")) *rc = cli_synth(argc, argv);
  else {
    if (!strcmp(c, "--help") || !strcmp(c, "-h"))
      printf("commands (each has --help; docs/run.md):\n"
             "  sparsegen [options] --out DIR             generate a variant (below)\n"
             "  sparsegen run DIR --a A.mtx [--b B.mtx] [--out C.mtx] [--mode M]\n"
             "                                            run C = A x B on DIR's Verilator model, check golden\n"
             "  sparsegen list                            variants built under build/\n"
             "  sparsegen synth DIR TARGET [PART]         Yosys synthesis (generic, ice40, xc7, asic)\n\n");
    return 0;
  }
  return 1;
}
