/* gen: the emitters, one per generated module or file. Each appends one complete file to an
 * sb_t and returns 0, or -1 with a message in g->errbuf (empty: out of memory). */
#ifndef SG_GEN_H
#define SG_GEN_H
#include <stddef.h>

#include "cfg.h"
#include "sb.h"

typedef struct gen_ctx {
  const cfg_t *cfg;
  cfg_derived_t d;
  const char *cmdline; /* the command line, quoted for a comment */
  char errbuf[512];
} gen_ctx_t;

/* "// " or "# " prefixed DO-NOT-EDIT header with the command line and every parameter. */
void emit_header(const gen_ctx_t *g, sb_t *sb, const char *comment);
/* Fill a template with the common holes (HEADER, P, widths) plus the given ones. */
int emit_from_template(gen_ctx_t *g, sb_t *out, const char *tname, void *holes);
/* The same over a given template text (e.g. one assembled from fragments). */
int emit_from_text(gen_ctx_t *g, sb_t *out, const char *tname, const char *text, void *holes);

/* The variant's register file after reset (contract/sg_regs.def): identification fields hold
 * the variant's values; CSR readback constants, regmap.md and the params header read it. */
void gen_regfile(const gen_ctx_t *g, sg_regfile_t *rf);
/* "data_width" for the option "data-width": the one spelling of a key in every output. */
const char *gen_key(const char *option, char *buf, size_t n);

int emit_pe(gen_ctx_t *g, sb_t *out);
int emit_row(gen_ctx_t *g, sb_t *out);
int emit_ctrl(gen_ctx_t *g, sb_t *out);
int emit_csr(gen_ctx_t *g, sb_t *out);
int emit_top(gen_ctx_t *g, sb_t *out);
int emit_adec(gen_ctx_t *g, sb_t *out); /* only with the compressed A format (a_ents > 0) */
typedef struct gen_port {
  const char *name, *dir;
  uint32_t width;
} gen_port_t;
int gen_top_ports(const gen_ctx_t *g, gen_port_t *p, int max);
/* Port widths of the generated modules: every width rule, computed once (gen/ports.c). */
typedef struct gen_widths {
  uint32_t kw, nw, bw, nbw, icw, gcw, tgw, rrw, ccw, dw, aw, ow, bww;
  uint32_t dcw;             /* THRESH * K: K's count bits + THRESH bits */
  uint32_t rnw;             /* every row's non-zero count, R * nw */
  uint32_t e, ekw, edw;     /* entry slots per beat (banks), their k bits, their value bits */
  uint32_t osw, l;          /* result stream width, results per beat */
  uint32_t lrrw, lccw, law; /* per-lane row index, column index, result bits */
} gen_widths_t;
void gen_widths(const gen_ctx_t *g, gen_widths_t *w);
/* A port of an emitted module, read back from its text. */
typedef struct gen_pport {
  char name[40];
  int out;
  uint32_t width;
} gen_pport_t;
/* Reads the port list of the (first) module in text: number of ports, or -1 with err. */
int gen_module_ports(const char *text, gen_pport_t *p, int max, char *err, size_t errlen);
int emit_params_h(gen_ctx_t *g, sb_t *out);
int emit_manifest(gen_ctx_t *g, sb_t *out, const char *const *files, int nfiles);
int emit_regmap(gen_ctx_t *g, sb_t *out);

#endif
