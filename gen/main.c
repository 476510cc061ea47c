/* sparsegen: parameters in, a folder of Verilog and its companions out.
 * Exit status: 0 success, 2 bad usage or parameters (nothing written), 1 I/O failure (the
 * existing output folder is left as it was). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cfg.h"
#include "gen.h"
#include "sb.h"

static void main_usage(FILE *f) {
  fprintf(f,
          "usage: sparsegen [--preset NAME] [--config FILE] [--KEY VALUE ...] --out DIR\n"
          "       sparsegen --help | --version\n\n"
          "Generates a sparse/dense PE array variant as synthesizable Verilog into DIR:\n"
          "  DIR/rtl/<name>_{pe,row,ctrl,csr,top}.v  one file per module\n"
          "  DIR/files.f              file list for tools (paths relative to DIR)\n"
          "  DIR/sparsegen_params.h   every resolved parameter, for C software\n"
          "  DIR/manifest.json        parameters, top module, files, ports, version, command\n"
          "  DIR/regmap.md            the register map with this variant's values\n"
          "Values apply in order: preset, config file, options. Output is byte-identical for\n"
          "identical input. On any error nothing is written and DIR is left as it was.\n\n");
  cfg_print_help(f);
}

static int rm_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st)) return errno == ENOENT ? 0 : -1;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char sub[4096];
      snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
      rc |= rm_tree(sub);
    }
    closedir(d);
    return rc | rmdir(path);
  }
  return unlink(path);
}

static int write_file(const char *dir, const char *rel, const sb_t *sb) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "sparsegen: error: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  size_t n = fwrite(sb_str(sb), 1, sb->len, f);
  if (fclose(f) || n != sb->len) {
    fprintf(stderr, "sparsegen: error: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

/* An existing DIR may be replaced only if it is empty or a sparsegen output folder. */
static int main_check_out(const char *out) {
  struct stat st;
  if (stat(out, &st)) return 0;
  if (!S_ISDIR(st.st_mode)) {
    fprintf(stderr, "sparsegen: error: --out %s exists and is not a folder\n", out);
    return -1;
  }
  char m[4096];
  snprintf(m, sizeof m, "%s/manifest.json", out);
  FILE *f = fopen(m, "r");
  if (f) {
    char buf[64] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    if (n > 0 && strstr(buf, "\"generator\": \"sparsegen\"")) return 0;
  }
  DIR *d = opendir(out);
  if (!d) return -1;
  struct dirent *e;
  int empty = 1;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
  closedir(d);
  if (!empty) {
    fprintf(stderr,
            "sparsegen: error: --out %s is a non-empty folder that sparsegen did not write; "
            "refusing to replace it\n",
            out);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  int cli_rc; /* run|list|synth subcommands: gen/cli.c */
  if (cli_dispatch(argc, argv, &cli_rc)) return cli_rc;
  cfg_t cfg;
  cfg_defaults(&cfg);
  const char *out = NULL, *config = NULL, *preset = NULL;
  char err[512];

  /* command line for the headers: argv[0] normalised for determinism */
  sb_t cmd;
  sb_init(&cmd);
  sb_puts(&cmd, "sparsegen");
  for (int i = 1; i < argc; i++) {
    int quote = strpbrk(argv[i], " \t\"'") != NULL || !*argv[i];
    sb_printf(&cmd, quote ? " '%s'" : " %s", argv[i]);
  }

  /* pass 1: --help, --version, --preset, --config, --out */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      main_usage(stdout);
      sb_free(&cmd);
      return 0;
    }
    if (!strcmp(a, "--version")) {
      printf("sparsegen %s\n", SG_VERSION_STR);
      sb_free(&cmd);
      return 0;
    }
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2) != 0) {
      fprintf(stderr, "sparsegen: error: unexpected argument '%s' (see --help)\n", a);
      sb_free(&cmd);
      return 2;
    }
    const char *eq = strchr(a, '=');
    char key[64];
    size_t kl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
    if (kl >= sizeof key) kl = sizeof key - 1;
    memcpy(key, a + 2, kl);
    key[kl] = '\0';
    const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
    if (!val) {
      fprintf(stderr, "sparsegen: error: option --%s needs a value\n", key);
      sb_free(&cmd);
      return 2;
    }
    if (!strcmp(key, "out"))
      out = val;
    else if (!strcmp(key, "config"))
      config = val;
    else if (!strcmp(key, "preset"))
      preset = val;
  }
  if (preset && cfg_apply_preset(&cfg, preset, err, sizeof err)) goto bad;
  if (config && cfg_load_file(&cfg, config, err, sizeof err)) goto bad;
  /* pass 2: the keys, in order */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *eq = strchr(a, '=');
    char key[64], where[80];
    size_t kl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
    if (kl >= sizeof key) kl = sizeof key - 1;
    memcpy(key, a + 2, kl);
    key[kl] = '\0';
    const char *val = eq ? eq + 1 : argv[++i];
    if (!strcmp(key, "out") || !strcmp(key, "config") || !strcmp(key, "preset")) continue;
    snprintf(where, sizeof where, "--%s", key);
    if (cfg_set(&cfg, key, val, CFG_SRC_OPTION, where, err, sizeof err)) goto bad;
  }
  if (!out) {
    snprintf(err, sizeof err, "--out DIR is required");
    goto bad;
  }
  {
    char msgs[4096];
    int nv = cfg_validate(&cfg, msgs, sizeof msgs);
    if (nv) {
      fprintf(stderr, "%s", msgs);
      fprintf(stderr, "sparsegen: error: %d invalid parameter%s; nothing written\n", nv,
              nv == 1 ? "" : "s");
      sb_free(&cmd);
      return 2;
    }
  }
  if (main_check_out(out)) {
    sb_free(&cmd);
    return 2;
  }

  gen_ctx_t g;
  memset(&g, 0, sizeof g);
  g.cfg = &cfg;
  g.cmdline = sb_str(&cmd);
  cfg_derive(&cfg, &g.d);

  typedef int (*emit_fn)(gen_ctx_t *, sb_t *);
  const struct {
    const char *suffix;
    emit_fn fn;
  } mods[] = {{"pe", emit_pe}, {"row", emit_row}, {"ctrl", emit_ctrl}, {"csr", emit_csr}, {"top", emit_top}};
  enum { NMOD = sizeof mods / sizeof mods[0] };
  char names[NMOD][64];
  const char *files[NMOD];
  sb_t bufs[NMOD + 4];
  for (int i = 0; i < NMOD + 4; i++) sb_init(&bufs[i]);
  int rc = 0;
  for (int i = 0; i < NMOD && !rc; i++) {
    snprintf(names[i], sizeof names[i], "rtl/%s_%s.v", cfg.name, mods[i].suffix);
    files[i] = names[i];
    if (mods[i].fn(&g, &bufs[i])) {
      fprintf(stderr, "sparsegen: error: %s: %s\n", names[i], g.errbuf[0] ? g.errbuf : "out of memory");
      rc = 1;
    }
  }
  sb_t *flist = &bufs[NMOD], *params = &bufs[NMOD + 1], *man = &bufs[NMOD + 2], *rmap = &bufs[NMOD + 3];
  if (!rc) {
    emit_header(&g, flist, "//");
    for (int i = 0; i < NMOD; i++) emit(flist, "%s", files[i]);
    if (emit_params_h(&g, params) || emit_manifest(&g, man, files, NMOD) || emit_regmap(&g, rmap) ||
        flist->oom) {
      fprintf(stderr, "sparsegen: error: out of memory\n");
      rc = 1;
    }
  }
  /* write into a fresh sibling folder, then swap it in */
  char tmp[4096], old[4096], rtl[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out, (long)getpid());
  snprintf(old, sizeof old, "%s.old-%ld", out, (long)getpid());
  if (!rc) {
    rm_tree(tmp);
    snprintf(rtl, sizeof rtl, "%s/rtl", tmp);
    if (mkdir(tmp, 0777) || mkdir(rtl, 0777)) {
      fprintf(stderr, "sparsegen: error: cannot create %s: %s\n", tmp, strerror(errno));
      rc = 1;
    }
  }
  for (int i = 0; i < NMOD && !rc; i++) rc = write_file(tmp, files[i], &bufs[i]) ? 1 : 0;
  if (!rc) rc = write_file(tmp, "files.f", flist) ? 1 : 0;
  if (!rc) rc = write_file(tmp, "sparsegen_params.h", params) ? 1 : 0;
  if (!rc) rc = write_file(tmp, "manifest.json", man) ? 1 : 0;
  if (!rc) rc = write_file(tmp, "regmap.md", rmap) ? 1 : 0;
  if (!rc) {
    struct stat st;
    int had = stat(out, &st) == 0;
    if (had && rename(out, old)) {
      fprintf(stderr, "sparsegen: error: cannot move %s aside: %s\n", out, strerror(errno));
      rc = 1;
    } else if (rename(tmp, out)) {
      fprintf(stderr, "sparsegen: error: cannot create %s: %s\n", out, strerror(errno));
      if (had) rename(old, out);
      rc = 1;
    } else if (had) {
      rm_tree(old);
    }
  }
  if (rc) rm_tree(tmp);
  for (int i = 0; i < NMOD + 4; i++) sb_free(&bufs[i]);
  sb_free(&cmd);
  return rc;

bad:
  fprintf(stderr, "sparsegen: error: %s\n", err);
  fprintf(stderr, "sparsegen: nothing written\n");
  sb_free(&cmd);
  return 2;
}
