#include "cfg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const cfg_sparsity_names[SG_SPARSITY_COUNT] = {
#define X(e, s) s,
    SG_SPARSITY_LIST(X)
#undef X
};

typedef struct cfg_preset {
  const char *name;
  const char *help;
  const char *settings; /* "key=value key=value" */
} cfg_preset_t;

static const cfg_preset_t cfg_presets[] = {
    {"default", "8x8 int8, KMAX 1024: the reference variant for demos and benchmarks",
     "rows=8 cols=8 data_width=8 acc_width=32 kmax=1024 window=32 stream_width=64"},
    {"ice40-tiny", "2x2 int8, KMAX 128, 64-bit stream, no output stage: fits an iCE40 UP5K (SB_MAC16 multipliers)",
     "rows=2 cols=2 data_width=8 acc_width=24 kmax=128 window=8 stream_width=64 out_width=0"},
    {"artix7", "8x8 int8, KMAX 1024, 64-bit stream: an Artix-7 (xc7a100t class) variant",
     "rows=8 cols=8 data_width=8 acc_width=32 kmax=1024 window=32 stream_width=64"},
    {"asic16", "16x16 int8, KMAX 512, 128-bit stream: a standard-cell variant",
     "rows=16 cols=16 data_width=8 acc_width=32 kmax=512 window=16 stream_width=128"},
    {"bench4k", "8x8 int8, KMAX 4096: long-K benchmarks",
     "rows=8 cols=8 data_width=8 acc_width=32 kmax=4096 window=32 stream_width=64"},
};

uint32_t cfg_log2(uint32_t v) {
  uint32_t n = 0;
  while ((1u << n) < v && n < 31) n++;
  return n;
}

uint32_t cfg_clog2(uint32_t v) {
  uint32_t n = cfg_log2(v);
  return n ? n : 1;
}

static int is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

void cfg_defaults(cfg_t *c) {
  memset(c, 0, sizeof *c);
#define X(f, o, d, lo, hi, h) c->f = d;
  CFG_UINT_KEYS(X)
#undef X
  c->sparsity = SG_SPARSITY_WEIGHT;
  snprintf(c->name, sizeof c->name, "sg");
  snprintf(c->preset, sizeof c->preset, "default");
}

/* Key names: option spelling ("data-width"); '_' and '-' are the same. */
static int key_eq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a == '_' ? '-' : *a, y = *b == '_' ? '-' : *b;
    if (x != y) return 0;
  }
  return *a == *b;
}

static int parse_u32(const char *s, uint32_t *out) {
  if (!s || !*s) return -1;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return -1;
  errno = 0;
  unsigned long long v = strtoull(s, NULL, 10);
  if (errno || v > 0xffffffffull) return -1;
  *out = (uint32_t)v;
  return 0;
}

/* A key set twice from the same source is an error naming both places. */
static int cfg_repeat(const cfg_origin_t *prev, int src, const char *where, const char *opt,
                      char *err, size_t errlen) {
  if (src < CFG_SRC_FILE || prev->src != src) return 0;
  snprintf(err, errlen, "%s: %s is given twice (first at %s); give each key once", where, opt,
           prev->where);
  return -1;
}

int cfg_set(cfg_t *c, const char *key, const char *value, int src, const char *where, char *err,
            size_t errlen) {
  cfg_origin_t o;
  o.src = src;
  snprintf(o.where, sizeof o.where, "%s", where);
#define X(f, opt, d, lo, hi, h)                                                                  \
  if (key_eq(key, opt)) {                                                                       \
    uint32_t v;                                                                                 \
    if (cfg_repeat(&c->f##_from, src, where, opt, err, errlen)) return -1;                      \
    if (parse_u32(value, &v)) {                                                                 \
      snprintf(err, errlen, "%s: %s = '%s' is not a whole number (allowed %u..%u)", where, opt, \
               value, (unsigned)(lo), (unsigned)(hi));                                          \
      return -1;                                                                                \
    }                                                                                           \
    c->f = v;                                                                                   \
    c->f##_from = o;                                                                            \
    return 0;                                                                                   \
  }
  CFG_UINT_KEYS(X)
#undef X
  if (key_eq(key, "sparsity")) {
    if (cfg_repeat(&c->sparsity_from, src, where, "sparsity", err, errlen)) return -1;
    for (int i = 0; i < SG_SPARSITY_COUNT; i++) {
      if (strcmp(value, cfg_sparsity_names[i]) == 0) {
        c->sparsity = (uint32_t)i;
        c->sparsity_from = o;
        return 0;
      }
    }
    snprintf(err, errlen, "%s: sparsity = '%s' is not one of: dense, weight", where, value);
    return -1;
  }
  if (key_eq(key, "name")) {
    if (cfg_repeat(&c->name_from, src, where, "name", err, errlen)) return -1;
    size_t n = strlen(value);
    if (n == 0 || n >= 24) {
      snprintf(err, errlen, "%s: name = '%.40s%s' must be 1..23 characters", where, value,
               n > 40 ? "..." : "");
      return -1;
    }
    snprintf(c->name, sizeof c->name, "%s", value);
    c->name_from = o;
    return 0;
  }
  if (key_eq(key, "preset"))
    return cfg_apply_preset(c, value, src, where, err, errlen);
  snprintf(err, errlen, "%s: unknown key '%.60s%s' (see sparsegen --help)", where, key,
           strlen(key) > 60 ? "..." : "");
  return -1;
}

/* The first key already set by a config file or an option, or NULL. */
static const cfg_origin_t *cfg_first_set(const cfg_t *c) {
#define X(f, o, d, lo, hi, h) \
  if (c->f##_from.src >= CFG_SRC_FILE) return &c->f##_from;
  CFG_UINT_KEYS(X)
#undef X
  if (c->sparsity_from.src >= CFG_SRC_FILE) return &c->sparsity_from;
  if (c->name_from.src >= CFG_SRC_FILE) return &c->name_from;
  return NULL;
}

int cfg_apply_preset(cfg_t *c, const char *name, int src, const char *where, char *err,
                     size_t errlen) {
  if (c->preset_from.src != CFG_SRC_DEFAULT) {
    snprintf(err, errlen, "%s: a preset is given twice (first at %s); give one preset", where,
             c->preset_from.where);
    return -1;
  }
  const cfg_origin_t *set = cfg_first_set(c);
  if (set) {
    snprintf(err, errlen,
             "%s: preset '%.40s' comes after %s, which it would silently override; put the "
             "preset first",
             where, name, set->where);
    return -1;
  }
  for (size_t i = 0; i < sizeof cfg_presets / sizeof cfg_presets[0]; i++) {
    if (strcmp(cfg_presets[i].name, name) != 0) continue;
    char buf[256], pwhere[64];
    snprintf(buf, sizeof buf, "%s", cfg_presets[i].settings);
    snprintf(pwhere, sizeof pwhere, "preset %s", name);
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
      char *eq = strchr(tok, '=');
      if (!eq) continue;
      *eq = '\0';
      if (cfg_set(c, tok, eq + 1, CFG_SRC_PRESET, pwhere, err, errlen)) return -1;
    }
    snprintf(c->preset, sizeof c->preset, "%s", name);
    c->preset_from.src = src;
    snprintf(c->preset_from.where, sizeof c->preset_from.where, "%s", where);
    return 0;
  }
  int n = snprintf(err, errlen, "%s: unknown preset '%.40s' (one of:", where, name);
  for (size_t i = 0; i < sizeof cfg_presets / sizeof cfg_presets[0] && n > 0 && (size_t)n < errlen;
       i++)
    n += snprintf(err + n, errlen - (size_t)n, " %s", cfg_presets[i].name);
  if (n > 0 && (size_t)n < errlen) snprintf(err + n, errlen - (size_t)n, ")");
  return -1;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) *--e = '\0';
  return s;
}

/* One config-file line (comment already cut off, trimmed, non-empty). */
static int cfg_file_line(cfg_t *c, char *s, const char *where, char *err, size_t errlen) {
  char *eq = strchr(s, '=');
  if (!eq) {
    snprintf(err, errlen, "%s: expected 'key = value', got '%.60s%s'", where, s,
             strlen(s) > 60 ? "..." : "");
    return -1;
  }
  *eq = '\0';
  char *k = trim(s), *v = trim(eq + 1);
  if (!*k || !*v) {
    snprintf(err, errlen, "%s: expected 'key = value' with both sides non-empty", where);
    return -1;
  }
  return cfg_set(c, k, v, CFG_SRC_FILE, where, err, errlen);
}

int cfg_load_file(cfg_t *c, const char *path, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "--config: '%s' is a folder, not a config file", path);
    return -1;
  }
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "--config: cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int lineno = 0, rc = 0;
  errno = 0;
  while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    char where[128];
    snprintf(where, sizeof where, "%.100s:%d", path, lineno);
    if (strlen(line) != (size_t)len) {
      snprintf(err, errlen, "%s: line contains a NUL byte", where);
      rc = -1;
    } else if ((size_t)len - (line[len - 1] == '\n') > CFG_LINE_MAX) {
      snprintf(err, errlen, "%s: line longer than %d characters", where, CFG_LINE_MAX);
      rc = -1;
    } else {
      char *hash = strchr(line, '#');
      if (hash) *hash = '\0';
      char *s = trim(line);
      if (*s) rc = cfg_file_line(c, s, where, err, errlen);
    }
  }
  if (rc == 0 && ferror(f)) {
    snprintf(err, errlen, "--config: cannot read '%s' (after line %d): %s", path, lineno,
             strerror(errno ? errno : EIO));
    rc = -1;
  }
  free(line);
  fclose(f);
  return rc;
}

static void origin_text(const cfg_origin_t *o, const char *opt, char *buf, size_t n) {
  if (o->src == CFG_SRC_DEFAULT)
    snprintf(buf, n, "default %s", opt);
  else
    snprintf(buf, n, "%s", o->where);
}

#define VIOL(...)                                                                     \
  do {                                                                                \
    if (used < msglen) {                                                              \
      int w_ = snprintf(msgs + used, msglen - used, __VA_ARGS__);                     \
      if (w_ > 0) used += (size_t)w_ < msglen - used ? (size_t)w_ : msglen - used - 1; \
    }                                                                                 \
    nviol++;                                                                          \
  } while (0)

int cfg_validate(const cfg_t *c, char *msgs, size_t msglen) {
  size_t used = 0;
  int nviol = 0;
  char o[128];
  if (msglen) msgs[0] = '\0';
#define X(f, opt, d, lo, hi, h)                                                           \
  if ((int64_t)c->f < (int64_t)(lo) || (int64_t)c->f > (int64_t)(hi)) {                   \
    origin_text(&c->f##_from, "--" opt, o, sizeof o);                                     \
    VIOL("%s: " opt " = %u is out of range (allowed %u..%u)\n", o, (unsigned)c->f,        \
         (unsigned)(lo), (unsigned)(hi));                                                 \
  }
  CFG_UINT_KEYS(X)
#undef X
  /* Rules between keys are checked only when the keys they relate are each within their own
   * range (an out-of-range key is reported above), so the allowed range they print makes
   * sense; each message names the rule and where the other key's value came from. */
#define IN_RANGE(f, lo, hi) ((int64_t)c->f >= (int64_t)(lo) && (int64_t)c->f <= (int64_t)(hi))
  char o2[128];
  if (IN_RANGE(data_w, 2, 16) && IN_RANGE(acc_w, 4, 64) && c->acc_w < 2 * c->data_w) {
    origin_text(&c->acc_w_from, "--acc-width", o, sizeof o);
    origin_text(&c->data_w_from, "--data-width", o2, sizeof o2);
    VIOL("%s: acc-width = %u must be at least 2*data-width = %u (rule acc-width >= "
         "2*data-width, data-width = %u from %s; allowed %u..64)\n",
         o, (unsigned)c->acc_w, (unsigned)(2 * c->data_w), (unsigned)c->data_w, o2,
         (unsigned)(2 * c->data_w));
  }
  if (!is_pow2(c->kmax)) {
    origin_text(&c->kmax_from, "--kmax", o, sizeof o);
    VIOL("%s: kmax = %u must be a power of two (allowed 4..65536)\n", o, (unsigned)c->kmax);
  }
  if (!is_pow2(c->window)) {
    origin_text(&c->window_from, "--window", o, sizeof o);
    VIOL("%s: window = %u must be a power of two (allowed 2..64)\n", o, (unsigned)c->window);
  }
  if (IN_RANGE(kmax, 4, 65536) && is_pow2(c->kmax) && IN_RANGE(window, 2, 64) &&
      (uint64_t)c->window * 2 > c->kmax) {
    origin_text(&c->window_from, "--window", o, sizeof o);
    origin_text(&c->kmax_from, "--kmax", o2, sizeof o2);
    VIOL("%s: window = %u must be at most kmax/2 = %u (rule kmax >= 2*window, kmax = %u from "
         "%s; allowed 2..%u)\n",
         o, (unsigned)c->window, (unsigned)(c->kmax / 2), (unsigned)c->kmax, o2,
         (unsigned)(c->kmax / 2 < 64 ? c->kmax / 2 : 64));
  }
  if (!is_pow2(c->stream_w)) {
    origin_text(&c->stream_w_from, "--stream-width", o, sizeof o);
    VIOL("%s: stream-width = %u must be a power of two (allowed 8..1024)\n", o,
         (unsigned)c->stream_w);
  }
  uint32_t olane = 8 * ((c->acc_w + 7) / 8);
  if (!is_pow2(c->out_stream_w) || c->out_stream_w < olane) {
    origin_text(&c->out_stream_w_from, "--out-stream-width", o, sizeof o);
    VIOL("%s: out-stream-width = %u must be a power of two of at least one %u-bit result lane "
         "(8*ceil(acc-width/8); allowed up to 1024)\n",
         o, (unsigned)c->out_stream_w, (unsigned)olane);
  }
  if (c->out_w == 1) {
    origin_text(&c->out_w_from, "--out-width", o, sizeof o);
    VIOL("%s: out-width = 1: an output stage's results are at least 2 bits (allowed 0 for no "
         "output stage, or 2..acc-width)\n", o);
  }
  if (IN_RANGE(acc_w, 4, 64) && IN_RANGE(out_w, 2, 64) && c->out_w > c->acc_w) {
    origin_text(&c->out_w_from, "--out-width", o, sizeof o);
    origin_text(&c->acc_w_from, "--acc-width", o2, sizeof o2);
    VIOL("%s: out-width = %u must be at most acc-width = %u (rule out-width <= acc-width, "
         "acc-width = %u from %s; allowed 0 (no output stage) or 2..%u)\n",
         o, (unsigned)c->out_w, (unsigned)c->acc_w, (unsigned)c->acc_w, o2, (unsigned)c->acc_w);
  }
  uint32_t lane = 8 * ((c->data_w + 7) / 8);
  if (IN_RANGE(data_w, 2, 16) && IN_RANGE(stream_w, 8, 1024) && c->stream_w < lane) {
    origin_text(&c->stream_w_from, "--stream-width", o, sizeof o);
    origin_text(&c->data_w_from, "--data-width", o2, sizeof o2);
    VIOL("%s: stream-width = %u is narrower than one %u-bit operand lane (rule stream-width >= "
         "8*ceil(data-width/8), data-width = %u from %s; allowed %u..1024)\n",
         o, (unsigned)c->stream_w, (unsigned)lane, (unsigned)c->data_w, o2, (unsigned)lane);
  }
  if (c->wdepth == 1) {
    origin_text(&c->wdepth_from, "--window-depth", o, sizeof o);
    VIOL("%s: window-depth = 1 is not allowed (0 = chosen by the generator, or 2..16)\n", o);
  }
  /* the storage rule (contract: sg_storage_pick), once every key it reads is valid */
  int keys_ok = IN_RANGE(rows, 1, 32) && IN_RANGE(cols, 1, 32) && IN_RANGE(data_w, 2, 16) &&
                IN_RANGE(kmax, 4, 65536) && is_pow2(c->kmax) && IN_RANGE(window, 2, 64) &&
                is_pow2(c->window) && 2 * c->window <= c->kmax && IN_RANGE(stream_w, 8, 1024) &&
                IN_RANGE(wdepth, 0, 16) && c->wdepth != 1 && IN_RANGE(a_cap, 0, 65536);
  if (keys_ok && c->a_cap != 0) {
    cfg_derived_t d;
    cfg_derive(c, &d);
    const uint32_t cmin = sg_a_cap_min(&d.p, d.f.a_ents);
    if (!is_pow2(c->a_cap) || c->a_cap > c->kmax || c->a_cap < cmin) {
      origin_text(&c->a_cap_from, "--a-capacity", o, sizeof o);
      origin_text(&c->kmax_from, "--kmax", o2, sizeof o2);
      VIOL("%s: a-capacity = %u must be 0 (chosen) or a power of two in %u..%u (at least the "
           "%u compressed A entries of one beat; at most kmax = %u from %s)\n",
           o, (unsigned)c->a_cap, (unsigned)cmin, (unsigned)c->kmax, (unsigned)d.f.a_ents,
           (unsigned)c->kmax, o2);
      keys_ok = 0;
    }
  }
  if (keys_ok) {
    cfg_derived_t d;
    cfg_derive(c, &d);
    uint32_t wd, cap;
    if (sg_storage_pick(&d.p, d.f.a_ents, c->wdepth, c->a_cap, &wd, &cap) != 0) {
      char o3[128], o4[128];
      origin_text(&c->wdepth_from, "--window-depth", o, sizeof o);
      origin_text(&c->a_cap_from, "--a-capacity", o2, sizeof o2);
      origin_text(&c->window_from, "--window", o3, sizeof o3);
      origin_text(&c->rows_from, "--rows", o4, sizeof o4);
      VIOL("%s, %s: operand storage %llu bits (window-depth %u, a-capacity %u) exceeds the rule "
           "2.3 x (A + B) = %llu bits for rows %u cols %u kmax %u data-width %u window %u (%s, "
           "%s): B %u x %u + window slots rows x depth x window x cols x data-width + A lists 2 x "
           "rows x a-capacity x %u bits; choose a smaller window, window-depth or a-capacity "
           "(docs/parameters.md, \"Operand storage\")\n",
           o, o2, (unsigned long long)sg_operand_bits(&d.p, wd, cap), (unsigned)wd, (unsigned)cap,
           (unsigned long long)sg_operand_limit(&d.p), (unsigned)c->rows, (unsigned)c->cols,
           (unsigned)c->kmax, (unsigned)c->data_w, (unsigned)c->window, o3, o4,
           (unsigned)c->cols, (unsigned)(c->kmax * c->data_w), (unsigned)sg_a_entry_bits(&d.p));
    }
  }
#undef IN_RANGE
  if ((uint64_t)c->rows * c->cols * c->kmax >= (1ull << 32)) {
    origin_text(&c->kmax_from, "--kmax", o, sizeof o);
    VIOL("%s: rows*cols*kmax = %llu must be below 2^32 so the 32-bit MAC counters never wrap\n", o,
         (unsigned long long)c->rows * c->cols * c->kmax);
  }
  const char *n = c->name;
  int name_ok = (*n >= 'a' && *n <= 'z');
  for (; *n; n++)
    if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '_')) name_ok = 0;
  if (!name_ok) {
    origin_text(&c->name_from, "--name", o, sizeof o);
    VIOL("%s: name = '%s' must match [a-z][a-z0-9_]* (it prefixes every module)\n", o, c->name);
  }
  return nviol;
}

void cfg_finish(cfg_t *c) {
  if (c->out_w_from.src == CFG_SRC_DEFAULT) c->out_w = sg_out_w_default(c->acc_w);
}

void cfg_derive(const cfg_t *c, cfg_derived_t *d) {
  d->kw = cfg_log2(c->kmax);
  d->wb = cfg_log2(c->window);
  d->nwin = c->kmax / c->window;
  /* the stream format: the contract's rules (sg_stream_fmt), shared with host/ */
  const sg_params_t p = {c->rows, c->cols, c->data_w, c->acc_w, c->kmax,
                         c->sparsity == SG_SPARSITY_WEIGHT, c->window, c->wdepth, c->out_w};
  d->p = p;
  sg_stream_fmt(&p, c->stream_w, c->out_stream_w, &d->f);
  d->a_banks = d->f.a_ents ? d->f.a_ents : 1;
}

int cfg_resolve(cfg_t *c) {
  cfg_derived_t d;
  cfg_derive(c, &d);
  uint32_t wd, cap;
  if (sg_storage_pick(&d.p, d.f.a_ents, c->wdepth, c->a_cap, &wd, &cap) != 0) return -1;
  c->wdepth = wd;
  c->a_cap = cap;
  return 0;
}

void cfg_print_help(void *fp) {
  FILE *f = fp;
  fprintf(f, "Keys (option form --KEY VALUE; config-file form 'key = value', '-' or '_'):\n");
#define X(fld, opt, d, lo, hi, h) \
  fprintf(f, "  --%-14s %-58s default %u, %u..%u\n", opt, h, (unsigned)(d), (unsigned)(lo), (unsigned)(hi));
  CFG_UINT_KEYS(X)
#undef X
  fprintf(f, "  --%-14s %-58s default weight\n", "sparsity",
          "dense (dense-only baseline) | weight (skips zeros of A)");
  fprintf(f, "  --%-14s %-58s default sg\n", "name", "module prefix, [a-z][a-z0-9_]*");
  fprintf(f, "\nPresets (--preset NAME, or 'preset = NAME' in a config file):\n");
  for (size_t i = 0; i < sizeof cfg_presets / sizeof cfg_presets[0]; i++)
    fprintf(f, "  %-12s %s\n               %s\n", cfg_presets[i].name, cfg_presets[i].help,
            cfg_presets[i].settings);
}
