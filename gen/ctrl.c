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
  tmpl_setu(&hs, "C", C);
  tmpl_setu(&hs, "RC", R * C);
  tmpl_setu(&hs, "FCW", cfg_clog2(C));
  tmpl_setu(&hs, "FLUSH_M1", C - 1);
  tmpl_setu(&hs, "DCW", g->d.kw + 10);
  tmpl_setu(&hs, "AW", c->acc_w);
  /* result lanes */
  const uint32_t L = g->d.res_per_beat, OW = g->d.out_w, OSW = c->out_stream_w;
  const uint32_t RRW = cfg_clog2(R), CCW = cfg_clog2(C);
  static char pad[128];
  tmpl_setu(&hs, "OW", OW);
  tmpl_setu(&hs, "OSW", OSW);
  tmpl_setu(&hs, "L", L);
  tmpl_setu(&hs, "LRRW", L * RRW);
  tmpl_setu(&hs, "LCCW", L * CCW);
  tmpl_setu(&hs, "LAW", L * c->acc_w);
  tmpl_setu(&hs, "OBW", cfg_clog2(g->d.out_beats));
  tmpl_setu(&hs, "OB_M1", g->d.out_beats - 1);
  tmpl_setu(&hs, "RLW", cfg_clog2(R + L + 1));
  tmpl_setu(&hs, "R", R);
  tmpl_setu(&hs, "CCW1", CCW + 1);
  tmpl_setu(&hs, "STEP_C", L % C);
  tmpl_setu(&hs, "STEP_R", L / C);
  tmpl_setu(&hs, "STEP_R1", L / C + 1);
  tmpl_setu(&hs, "C_MOD", C % (1u << CCW));
  if (OW > c->acc_w)
    snprintf(ext, sizeof ext, "{{%u{d[%u]}}, d}", OW - c->acc_w, c->acc_w - 1);
  else
    snprintf(ext, sizeof ext, "d");
  tmpl_set(&hs, "LANE_EXT", ext);
  if (OSW > L * OW)
    snprintf(pad, sizeof pad, "  assign m_axis_tdata_o[%u:%u] = %u'd0;\n", OSW - 1, L * OW, OSW - L * OW);
  else
    pad[0] = '\0';
  tmpl_set(&hs, "TDATA_PAD", pad);
  return emit_from_template(g, out, "ctrl.v", &hs);
}
