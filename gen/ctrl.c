/* emit_ctrl: job controller, mode controller and counters (rtl_templates/ctrl.v). */
#include <stdio.h>

#include "gen.h"
#include "tmpl.h"

int emit_ctrl(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  const uint32_t R = c->rows, C = c->cols;
  tmpl_holes_t hs = {0};
  static char ext[96];
  tmpl_setu(&hs, "KW", g->d.kw);
  tmpl_setu(&hs, "KW1", g->d.kw + 1);
  tmpl_setu(&hs, "BW", cfg_clog2(g->d.beats_per_slice));
  tmpl_setu(&hs, "BPS_M1", g->d.beats_per_slice - 1);
  tmpl_setu(&hs, "BPA_M1", g->d.beats_a - 1);
  tmpl_setu(&hs, "BPB_M1", g->d.beats_b - 1);
  tmpl_setu(&hs, "NHW", g->d.a_row_w + g->d.kw + 1);
  tmpl_setu(&hs, "E", g->d.a_banks);
  tmpl_setu(&hs, "NBW", cfg_clog2(C + 1));
  tmpl_setu(&hs, "ICW", cfg_clog2(R + 1));
  tmpl_setu(&hs, "TGW", cfg_clog2(R * C + 1));
  tmpl_setu(&hs, "RRW", cfg_clog2(R));
  tmpl_setu(&hs, "CCW", cfg_clog2(C));
  tmpl_setu(&hs, "R_M1", R - 1);
  tmpl_setu(&hs, "C_M1", C - 1);
  tmpl_setu(&hs, "C", C);
  tmpl_setu(&hs, "RC", R * C);
  tmpl_setu(&hs, "FCW", cfg_clog2(C));
  tmpl_setu(&hs, "FLUSH_M1", C - 1);
  tmpl_setu(&hs, "DCW", g->d.kw + 10);
  tmpl_setu(&hs, "AW", c->acc_w);
  tmpl_setu(&hs, "OW", g->d.out_w);
  if (g->d.out_w > c->acc_w)
    snprintf(ext, sizeof ext, "{{%u{drain_data_i[%u]}}, drain_data_i}", g->d.out_w - c->acc_w,
             c->acc_w - 1);
  else
    snprintf(ext, sizeof ext, "drain_data_i");
  tmpl_set(&hs, "OUT_EXT", ext);
  return emit_from_template(g, out, "ctrl.v", &hs);
}
