/* sparsegen: parameters in, a folder of Verilog and its companions out.
 * Exit status: 0 success; 2 bad usage, parameters or output folder (nothing written, nothing
 * deleted); 1 I/O failure (the existing output folder is left as it was). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "cli.h"
#include "gen.h"
#include "sb.h"

#define MAIN_PATH_MAX 4096 /* PATH_MAX on Linux, with the NUL */
#define MAIN_NAME_MAX 255  /* NAME_MAX */
#define MAIN_SUFFIX_MAX 32 /* ".tmp-<pid>" / ".old-<pid>" added to the folder name */
#define MAIN_REL_MAX 64    /* longest path of a generated file below DIR */
#define MAIN_OUT_MAX (MAIN_PATH_MAX - 1 - MAIN_SUFFIX_MAX - 1 - MAIN_REL_MAX)
#define MAIN_NFOREIGN 8 /* foreign files named in a message */

static void main_usage(FILE *f) {
  fprintf(
      f,
      "usage: sparsegen [--preset NAME] [--config FILE] [--KEY VALUE ...] [--force] --out DIR\n"
      "       sparsegen --help | --version\n\n"
      "Generates a sparse/dense PE array variant as synthesizable Verilog into DIR:\n"
      "  DIR/rtl/<name>_{pe,row,ctrl,csr,top}.v  one file per module\n"
      "  DIR/files.f              file list for tools (paths relative to DIR)\n"
      "  DIR/sparsegen_params.h   every resolved parameter, for C software\n"
      "  DIR/manifest.json        parameters, top module, files, ports, version, command\n"
      "  DIR/regmap.md            the register map with this variant's values\n"
      "Values apply in order: preset, config file, options (a later source overrides an\n"
      "earlier one). --out, --config and --preset may each be given once, and a key once per\n"
      "source (once on the command line, once in the config file). Missing parent folders of\n"
      "DIR are created. Output is byte-identical for identical input. On any error nothing\n"
      "is written and DIR is left as it was.\n"
      "An existing DIR is replaced only if it is empty or holds only files sparsegen wrote.\n"
      "  --force        also replace a sparsegen folder that holds other files (they are\n"
      "                 deleted and named); a folder sparsegen never wrote is never replaced\n\n");
  cfg_print_help(f);
}

/* ------------------------------------------------------------------ command line */
typedef struct main_kv {
  const char *key; /* after "--", up to '=' (keylen) */
  size_t keylen;
  const char *val;
  int argi; /* argument number of the option */
} main_kv_t;

typedef struct main_opts {
  const char *out, *config, *preset;
  int out_arg, config_arg, preset_arg;
  int force;
  main_kv_t *kv; /* the key options, in order */
  int nkv;
} main_opts_t;

/* 1 for an argument byte that may stand unquoted in the recorded command line. */
static int main_plain_byte(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         strchr("_-.,/=:+@%^", ch) != NULL;
}

/* The command line as it goes into every generated file: argv[0] written as "sparsegen", each
 * other argument as is when it is made of plain bytes only, otherwise in bash $'...' quoting
 * with every byte other than a letter, digit, space or one of "_-.,/=:+@%^" written as \xHH.
 * So no argument can end a comment ('*' '/', '-->'), start a new line, or carry a
 * non-printable byte, and the line can be pasted into bash to run it again. */
static void main_cmdline(int argc, char **argv, sb_t *cmd) {
  sb_puts(cmd, "sparsegen");
  for (int i = 1; i < argc; i++) {
    const unsigned char *a = (const unsigned char *)argv[i];
    int plain = *a != '\0';
    for (const unsigned char *p = a; *p; p++) plain &= main_plain_byte(*p);
    sb_puts(cmd, plain ? " " : " $'");
    for (const unsigned char *p = a; *p; p++) {
      if (plain || main_plain_byte(*p) || *p == ' ')
        sb_putn(cmd, (const char *)p, 1);
      else
        sb_printf(cmd, "\\x%02x", *p);
    }
    if (!plain) sb_puts(cmd, "'");
  }
}

/* --out, --config, --preset: once each. */
static int main_once(const char **slot, int *slot_arg, const char *name, const char *val, int argi,
                     char *err, size_t errlen) {
  if (*slot) {
    snprintf(err, errlen, "--%s is given twice (arguments %d and %d); give it once", name,
             *slot_arg, argi);
    return -1;
  }
  *slot = val;
  *slot_arg = argi;
  return 0;
}

/* Returns 0 to go on, 1 when --help/--version was served, -1 on a usage error (message in err). */
static int main_parse_args(int argc, char **argv, main_opts_t *o, char *err, size_t errlen) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      main_usage(stdout);
      return 1;
    }
    if (!strcmp(a, "--version")) {
      printf("sparsegen %s\n", SG_VERSION_STR);
      return 1;
    }
    if (!strcmp(a, "--force")) {
      if (o->force) {
        snprintf(err, errlen, "--force is given twice; give it once");
        return -1;
      }
      o->force = 1;
      continue;
    }
    if (strncmp(a, "--", 2) != 0 || a[2] == '\0' || a[2] == '=') {
      snprintf(err, errlen, "unexpected argument %d '%.80s' (options are --KEY VALUE; see --help)",
               i, a);
      return -1;
    }
    const char *eq = strchr(a, '=');
    size_t kl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
    int argi = i;
    const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
    if (!val) {
      snprintf(err, errlen, "option --%.*s needs a value", (int)(kl > 60 ? 60 : kl), a + 2);
      return -1;
    }
    if (!strncmp(a + 2, "force", kl) && kl == 5) {
      snprintf(err, errlen, "--force takes no value");
      return -1;
    }
    int rc = 0;
    if (kl == 3 && !strncmp(a + 2, "out", 3))
      rc = main_once(&o->out, &o->out_arg, "out", val, argi, err, errlen);
    else if (kl == 6 && !strncmp(a + 2, "config", 6))
      rc = main_once(&o->config, &o->config_arg, "config", val, argi, err, errlen);
    else if (kl == 6 && !strncmp(a + 2, "preset", 6))
      rc = main_once(&o->preset, &o->preset_arg, "preset", val, argi, err, errlen);
    else
      o->kv[o->nkv++] = (main_kv_t){a + 2, kl, val, argi};
    if (rc) return -1;
  }
  if (!o->out) {
    snprintf(err, errlen, "--out DIR is required");
    return -1;
  }
  return 0;
}

/* Preset, config file, then the key options in order; then every rule. 0, or -1 (reported). */
static int main_resolve(const main_opts_t *o, cfg_t *cfg) {
  char err[512], where[160];
  int rc = 0;
  cfg_defaults(cfg);
  if (o->preset) {
    snprintf(where, sizeof where, "--preset (argument %d)", o->preset_arg);
    rc = cfg_apply_preset(cfg, o->preset, CFG_SRC_OPTION, where, err, sizeof err);
  }
  if (!rc && o->config) rc = cfg_load_file(cfg, o->config, err, sizeof err);
  for (int i = 0; i < o->nkv && !rc; i++) {
    char key[64];
    size_t kl = o->kv[i].keylen < sizeof key - 1 ? o->kv[i].keylen : sizeof key - 1;
    memcpy(key, o->kv[i].key, kl);
    key[kl] = '\0';
    if (kl < o->kv[i].keylen) {
      snprintf(err, sizeof err, "argument %d: unknown key '%.60s...' (see sparsegen --help)",
               o->kv[i].argi, key);
      rc = -1;
      break;
    }
    snprintf(where, sizeof where, "--%s (argument %d)", key, o->kv[i].argi);
    rc = cfg_set(cfg, key, o->kv[i].val, CFG_SRC_OPTION, where, err, sizeof err);
  }
  if (rc) {
    fprintf(stderr, "sparsegen: error: %s\nsparsegen: nothing written\n", err);
    return -1;
  }
  cfg_finish(cfg);
  char msgs[4096];
  int nv = cfg_validate(cfg, msgs, sizeof msgs);
  if (nv) {
    fprintf(stderr, "%s", msgs);
    fprintf(stderr, "sparsegen: error: %d invalid parameter%s; nothing written\n", nv,
            nv == 1 ? "" : "s");
    return -1;
  }
  if (cfg_resolve(cfg) != 0) { /* cfg_validate checked the same rule */
    fprintf(stderr, "sparsegen: error: internal: the storage rule failed after validation\n");
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ the output folder */
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
      char sub[MAIN_PATH_MAX];
      if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub) {
        rc = -1;
        continue;
      }
      rc |= rm_tree(sub);
    }
    closedir(d);
    return rc | rmdir(path);
  }
  return unlink(path);
}

/* 1 if the file's head carries the generated-file mark. */
static int main_is_generated(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char buf[1025];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return strstr(buf, SG_GENERATED_MARK) != NULL;
}

typedef struct main_scan {
  int nforeign, has_manifest;
  sb_t names; /* the first MAIN_NFOREIGN foreign paths, relative, comma separated */
} main_scan_t;

static void main_foreign(main_scan_t *s, const char *rel) {
  if (s->nforeign < MAIN_NFOREIGN) sb_printf(&s->names, "%s%s", s->nforeign ? ", " : "", rel);
  s->nforeign++;
}

/* Walk an existing folder: every regular file that does not carry the generated-file mark,
 * every other kind of entry (links, empty folders, ...) counts as foreign. */
static void main_scan_dir(const char *dir, const char *rel, main_scan_t *s) {
  DIR *d = opendir(dir);
  if (!d) {
    main_foreign(s, *rel ? rel : ".");
    return;
  }
  struct dirent *e;
  int n = 0;
  for (errno = 0; (e = readdir(d)); errno = 0) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    n++;
    char path[MAIN_PATH_MAX], sub[MAIN_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
    struct stat st;
    if (lstat(path, &st))
      main_foreign(s, sub);
    else if (S_ISDIR(st.st_mode))
      main_scan_dir(path, sub, s);
    else if (!S_ISREG(st.st_mode) || !main_is_generated(path))
      main_foreign(s, sub);
    else if (!*rel && !strcmp(e->d_name, "manifest.json"))
      s->has_manifest = 1;
  }
  if (errno) main_foreign(s, *rel ? rel : "."); /* unreadable: not known to be ours */
  closedir(d);
  if (n == 0 && *rel) main_foreign(s, rel); /* an empty sub-folder sparsegen did not make */
}

/* Normalises and checks --out in place (trailing '/' removed). Exit-2 problems are reported
 * and give -1. */
static int main_check_out(char *out, int force) {
  const char *E = "sparsegen: error: --out";
  size_t n = strlen(out);
  while (n > 1 && out[n - 1] == '/') out[--n] = '\0';
  if (n == 0) {
    fprintf(stderr, "%s is empty; give the folder to write\n", E);
    return -1;
  }
  const char *base = strrchr(out, '/');
  base = base ? base + 1 : out;
  if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(out, "/")) {
    fprintf(stderr, "%s '%s' must name a folder of its own, not '.', '..' or '/'\n", E, out);
    return -1;
  }
  if (n > MAIN_OUT_MAX || strlen(base) + MAIN_SUFFIX_MAX > MAIN_NAME_MAX) {
    fprintf(stderr,
            "%s is %zu characters (last part %zu); allowed at most %d (last part %d), to leave "
            "room for the files below it and the scratch folder beside it\n",
            E, n, strlen(base), MAIN_OUT_MAX, MAIN_NAME_MAX - MAIN_SUFFIX_MAX);
    return -1;
  }
  struct stat st;
  if (stat(out, &st)) {
    if (errno == ENOENT) return 0;
    fprintf(stderr, "%s %s: %s\n", E, out, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s %s exists and is not a folder\n", E, out);
    return -1;
  }
  main_scan_t s = {0};
  sb_init(&s.names);
  main_scan_dir(out, "", &s);
  int rc = 0;
  const char *more = s.nforeign > MAIN_NFOREIGN ? ", ..." : "";
  if (s.nforeign && !s.has_manifest) {
    fprintf(stderr,
            "%s %s is a non-empty folder that sparsegen did not write (it holds %s%s); "
            "refusing to replace it\n",
            E, out, sb_str(&s.names), more);
    rc = -1;
  } else if (s.nforeign && !force) {
    fprintf(stderr,
            "%s %s holds %d file%s sparsegen did not write: %s%s; refusing to replace it "
            "(move %s away, or give --force to delete %s)\n",
            E, out, s.nforeign, s.nforeign == 1 ? "" : "s", sb_str(&s.names), more,
            s.nforeign == 1 ? "it" : "them", s.nforeign == 1 ? "it" : "them");
    rc = -1;
  } else if (s.nforeign) {
    fprintf(stderr,
            "sparsegen: warning: --force: deleting %d file%s sparsegen did not write: %s%s\n",
            s.nforeign, s.nforeign == 1 ? "" : "s", sb_str(&s.names), more);
  }
  sb_free(&s.names);
  return rc;
}

/* The parent folders of out that do not exist yet, created outermost first; their paths are
 * kept in made (most recent last) so that a failure can remove them again. */
typedef struct main_made {
  char *path[64];
  int n;
} main_made_t;

static void main_unmake(main_made_t *m) {
  while (m->n > 0) {
    rmdir(m->path[--m->n]);
    free(m->path[m->n]);
  }
}

static int main_make_parents(const char *out, main_made_t *m) {
  char p[MAIN_PATH_MAX];
  snprintf(p, sizeof p, "%s", out);
  for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
    if (s[-1] == '/') continue;
    *s = '\0';
    struct stat st;
    if (stat(p, &st) != 0) {
      if (mkdir(p, 0777) != 0 || m->n == (int)(sizeof m->path / sizeof m->path[0]) ||
          !(m->path[m->n] = strdup(p))) {
        fprintf(stderr, "sparsegen: error: cannot create %s: %s\n", p, strerror(errno));
        *s = '/';
        return -1;
      }
      m->n++;
    } else if (!S_ISDIR(st.st_mode)) {
      fprintf(stderr, "sparsegen: error: --out %s: %s is not a folder\n", out, p);
      return -1;
    }
    *s = '/';
  }
  return 0;
}

/* ------------------------------------------------------------------ generating */
enum { MAIN_NMOD = 6, MAIN_NOUT = MAIN_NMOD + 4 };

typedef struct main_file {
  char rel[MAIN_REL_MAX];
  sb_t text;
} main_file_t;

/* Every output into memory: the modules, then files.f, the header, the manifest, the map.
 * *nf: the number of files (the compressed A decoder only exists with its format). */
static int main_emit_all(gen_ctx_t *g, main_file_t *f, int *nf) {
  typedef int (*emit_fn)(gen_ctx_t *, sb_t *);
  static const struct {
    const char *suffix;
    emit_fn fn;
  } mods[MAIN_NMOD] = {{"pe", emit_pe},
                       {"row", emit_row},
                       {"adec", emit_adec},
                       {"ctrl", emit_ctrl},
                       {"csr", emit_csr},
                       {"top", emit_top}};
  const char *files[MAIN_NMOD];
  int nm = 0;
  for (int i = 0; i < MAIN_NMOD; i++) {
    if (mods[i].fn == emit_adec && g->d.f.a_ents == 0) continue;
    snprintf(f[nm].rel, sizeof f[nm].rel, "rtl/%s_%s.v", g->cfg->name, mods[i].suffix);
    files[nm] = f[nm].rel;
    if (mods[i].fn(g, &f[nm].text)) {
      fprintf(stderr, "sparsegen: error: %s: %s\n", f[nm].rel,
              g->errbuf[0] ? g->errbuf : "out of memory");
      return -1;
    }
    nm++;
  }
  main_file_t *flist = &f[nm], *params = &f[nm + 1], *man = &f[nm + 2], *rmap = &f[nm + 3];
  *nf = nm + 4;
  snprintf(flist->rel, sizeof flist->rel, "files.f");
  snprintf(params->rel, sizeof params->rel, "sparsegen_params.h");
  snprintf(man->rel, sizeof man->rel, "manifest.json");
  snprintf(rmap->rel, sizeof rmap->rel, "regmap.md");
  emit_header(g, &flist->text, "//");
  for (int i = 0; i < nm; i++) emit(&flist->text, "%s", files[i]);
  if (emit_params_h(g, &params->text) || emit_manifest(g, &man->text, files, nm) ||
      emit_regmap(g, &rmap->text) || flist->text.oom) {
    fprintf(stderr, "sparsegen: error: out of memory\n");
    return -1;
  }
  return 0;
}

static int main_write_file(const char *dir, const main_file_t *mf) {
  char path[MAIN_PATH_MAX];
  FILE *f = NULL;
  if (snprintf(path, sizeof path, "%s/%s", dir, mf->rel) >= (int)sizeof path)
    errno = ENAMETOOLONG;
  else
    f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "sparsegen: error: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  size_t n = fwrite(sb_str(&mf->text), 1, mf->text.len, f);
  if (fclose(f) || n != mf->text.len) {
    fprintf(stderr, "sparsegen: error: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

/* Writes every file into a fresh sibling folder, then swaps it in for out. 0 or 1 (I/O). */
static int main_write_tree(const char *out, const main_file_t *f, int nf) {
  char tmp[MAIN_PATH_MAX], old[MAIN_PATH_MAX], rtl[MAIN_PATH_MAX];
  /* main_check_out() made sure that these fit */
  if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out, (long)getpid()) >= (int)sizeof tmp ||
      snprintf(old, sizeof old, "%s.old-%ld", out, (long)getpid()) >= (int)sizeof old ||
      snprintf(rtl, sizeof rtl, "%s/rtl", tmp) >= (int)sizeof rtl) {
    fprintf(stderr, "sparsegen: error: --out %s: path too long\n", out);
    return 1;
  }
  main_made_t made = {0};
  int rc = main_make_parents(out, &made);
  if (!rc) {
    rm_tree(tmp);
    if (mkdir(tmp, 0777) || mkdir(rtl, 0777)) {
      fprintf(stderr, "sparsegen: error: cannot create %s: %s\n", tmp, strerror(errno));
      rc = -1;
    }
  }
  for (int i = 0; i < nf && !rc; i++) rc = main_write_file(tmp, &f[i]);
  if (!rc) {
    struct stat st;
    int had = stat(out, &st) == 0;
    if (had && rename(out, old)) {
      fprintf(stderr, "sparsegen: error: cannot move %s aside: %s\n", out, strerror(errno));
      rc = -1;
    } else if (rename(tmp, out)) {
      fprintf(stderr, "sparsegen: error: cannot create %s: %s\n", out, strerror(errno));
      if (had) rename(old, out);
      rc = -1;
    } else if (had) {
      rm_tree(old);
    }
  }
  if (rc) {
    rm_tree(tmp);
    main_unmake(&made);
  }
  for (int i = 0; i < made.n; i++) free(made.path[i]);
  return rc ? 1 : 0;
}

int main(int argc, char **argv) {
  int cli_rc; /* run|list|synth subcommands: gen/cli.c */
  if (cli_dispatch(argc, argv, &cli_rc)) return cli_rc;
  main_opts_t o = {0};
  char err[512];
  o.kv = calloc((size_t)argc, sizeof *o.kv);
  if (!o.kv) return 1;
  int rc = main_parse_args(argc, argv, &o, err, sizeof err);
  if (rc) {
    if (rc < 0) fprintf(stderr, "sparsegen: error: %s\nsparsegen: nothing written\n", err);
    free(o.kv);
    return rc > 0 ? 0 : 2;
  }
  cfg_t cfg;
  char *out = strdup(o.out);
  rc = !out || main_resolve(&o, &cfg) || main_check_out(out, o.force) ? 2 : 0;
  free(o.kv);
  if (rc) {
    free(out);
    return out ? 2 : 1;
  }

  sb_t cmd;
  sb_init(&cmd);
  main_cmdline(argc, argv, &cmd);
  gen_ctx_t g;
  memset(&g, 0, sizeof g);
  g.cfg = &cfg;
  g.cmdline = sb_str(&cmd);
  cfg_derive(&cfg, &g.d);
  main_file_t files[MAIN_NOUT];
  memset(files, 0, sizeof files);
  int nf = 0;
  rc = cmd.oom || main_emit_all(&g, files, &nf) ? 1 : main_write_tree(out, files, nf);
  for (int i = 0; i < MAIN_NOUT; i++) sb_free(&files[i].text);
  sb_free(&cmd);
  free(out);
  return rc;
}
