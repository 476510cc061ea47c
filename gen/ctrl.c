/* emit_ctrl: job controller, mode controller and counters (rtl_templates/ctrl.v). */
#include <stdio.h>

#include "gen.h"
#include "tmpl.h"

int emit_ctrl(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  const uint32_t R = c->rows, C = c->cols;
  tmpl_holes_t hs = {0};
  static char ext[96];
  gen_widths_t w;
  gen_widths(g, &w);
  tmpl_setu(&hs, "KW", w.kw);
  tmpl_setu(&hs, "KW1", w.nw);
  tmpl_setu(&hs, "BW", w.bw);
  tmpl_setu(&hs, "BPS_M1", g->d.beats_per_slice - 1);
  tmpl_setu(&hs, "NBW", w.nbw);
  tmpl_setu(&hs, "ICW", w.icw);
  tmpl_setu(&hs, "TGW", w.tgw);
  tmpl_setu(&hs, "RRW", w.rrw);
  tmpl_setu(&hs, "CCW", w.ccw);
  tmpl_setu(&hs, "R_M1", R - 1);
  tmpl_setu(&hs, "C_M1", C - 1);
  tmpl_setu(&hs, "C", C);
  tmpl_setu(&hs, "RC", R * C);
  tmpl_setu(&hs, "FCW", w.ccw);
  tmpl_setu(&hs, "FLUSH_M1", C - 1);
  tmpl_setu(&hs, "DCW", w.kw + 10);
  tmpl_setu(&hs, "AW", w.aw);
  tmpl_setu(&hs, "OW", w.ow);
  if (g->d.out_w > c->acc_w)
    snprintf(ext, sizeof ext, "{{%u{drain_data_i[%u]}}, drain_data_i}", g->d.out_w - c->acc_w,
             c->acc_w - 1);
  else
    snprintf(ext, sizeof ext, "drain_data_i");
  tmpl_set(&hs, "OUT_EXT", ext);
  return emit_from_template(g, out, "ctrl.v", &hs);
}
