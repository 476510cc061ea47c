/* cfg: the one configuration struct of a variant, its keys, presets and validation.
 * Every key is settable as a command-line option (--data-width) and as a config-file line
 * (data_width = 8). Values are applied preset -> config file -> options, in that order. */
#ifndef SG_CFG_H
#define SG_CFG_H
#include <stddef.h>
#include <stdint.h>

#define SG_VERSION_MAJOR 0
#define SG_VERSION_MINOR 2
#define SG_VERSION_PATCH 0
#define SG_VERSION_STR "0.2.0"

/* CFG_KEY(field, option, default, min, max, help) for the unsigned keys. */
#define CFG_UINT_KEYS(X)                                                                      \
  X(rows, "rows", 8, 1, 32, "PE array rows R (rows of A and C)")                              \
  X(cols, "cols", 8, 1, 32, "PE array columns C (columns of B and C)")                        \
  X(data_w, "data-width", 8, 2, 16, "operand width DATA_W, signed")                           \
  X(acc_w, "acc-width", 32, 4, 64, "accumulator width ACC_W, wraps; at least 2*DATA_W")       \
  X(kmax, "kmax", 1024, 4, 65536, "largest job K (power of two, at least 2*WINDOW)")          \
  X(window, "window", 16, 2, 64, "sparse feeder window along K (power of two)")               \
  X(stream_w, "stream-width", 64, 8, 1024, "operand stream TDATA width (power of two)")         \
  X(out_stream_w, "out-stream-width", 64, 8, 1024,                                            \
    "result stream TDATA width (power of two, at least 8*ceil(acc_width/8)): results per beat")

#define SG_SPARSITY_LIST(X) X(DENSE, "dense") X(WEIGHT, "weight")
typedef enum {
#define X(e, s) SG_SPARSITY_##e,
  SG_SPARSITY_LIST(X)
#undef X
      SG_SPARSITY_COUNT
} sg_sparsity_t;
extern const char *const cfg_sparsity_names[SG_SPARSITY_COUNT];

enum { CFG_SRC_DEFAULT, CFG_SRC_PRESET, CFG_SRC_FILE, CFG_SRC_OPTION };

typedef struct cfg_origin {
  int src;       /* CFG_SRC_* */
  char where[96]; /* "--rows", "file.cfg:3" or "preset ice40-tiny" */
} cfg_origin_t;

typedef struct cfg {
#define X(f, o, d, lo, hi, h) uint32_t f;
  CFG_UINT_KEYS(X)
#undef X
  uint32_t sparsity; /* sg_sparsity_t */
  char name[32];     /* module prefix */
  char preset[32];
  /* where each value came from, for messages */
#define X(f, o, d, lo, hi, h) cfg_origin_t f##_from;
  CFG_UINT_KEYS(X)
#undef X
  cfg_origin_t sparsity_from, name_from;
} cfg_t;

/* Values derived from a valid cfg_t, computed in one place. */
typedef struct cfg_derived {
  uint32_t kw;              /* address bits of K: log2(kmax) */
  uint32_t wb;              /* log2(window) */
  uint32_t nwin;            /* kmax / window */
  uint32_t in_lane_w;       /* 8*ceil(data_w/8) */
  uint32_t elems_per_beat;  /* stream_w / in_lane_w */
  uint32_t beats_per_slice; /* ceil((rows+cols)/elems_per_beat) */
  uint32_t out_w;           /* result lane: 8*ceil(acc_w/8) */
  uint32_t res_per_beat;    /* results per result beat: out_stream_w / out_w */
  uint32_t out_beats;       /* result beats per job: ceil(rows*cols / res_per_beat) */
  /* operand stream sections and the compressed A format (docs/data-formats.md) */
  uint32_t beats_a;         /* dense A section: beats per slice, ceil(rows/elems_per_beat) */
  uint32_t beats_b;         /* dense B section: beats per slice, ceil(cols/elems_per_beat) */
  uint32_t a_row_w;         /* compressed A entry: row field bits, clog2(rows) (at least 1) */
  uint32_t a_ent_w;         /* compressed A entry bits: a_row_w + kw + data_w */
  uint32_t a_ents;          /* entries per beat: stream_w / a_ent_w; 0 = no compressed format */
  uint32_t a_banks;         /* banks of a row's entry list: a_ents on sparse variants, else 1 */
} cfg_derived_t;

void cfg_defaults(cfg_t *c);
/* Each returns 0, or -1 with a message in err. */
int cfg_apply_preset(cfg_t *c, const char *name, char *err, size_t errlen);
int cfg_set(cfg_t *c, const char *key, const char *value, int src, const char *where, char *err,
            size_t errlen);
int cfg_load_file(cfg_t *c, const char *path, char *err, size_t errlen);
/* Checks every rule; writes one line per violation into msgs. Returns the number of violations. */
int cfg_validate(const cfg_t *c, char *msgs, size_t msglen);
void cfg_derive(const cfg_t *c, cfg_derived_t *d);
/* Help text of keys and presets. */
void cfg_print_help(void *fp);
uint32_t cfg_log2(uint32_t v);
uint32_t cfg_clog2(uint32_t v); /* ceil(log2(v)), at least 1 */
#endif
