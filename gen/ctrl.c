/* emit_ctrl: job controller, mode controller and counters (rtl_templates/ctrl.v). */
#include <stdio.h>

#include "gen.h"
#include "sg_contract.h"
#include "tmpl.h"

/* The trailer's fixed words (SG_TRAILER_WORDS) as the RTL holds them for the job in DRAIN:
 * the concatenation, last word first, and their names in order. */
static void trailer_words(uint32_t kw, char *cat, size_t ncat, char *names, size_t nnames) {
  static const char *const names_[] = {
#define X(N) #N,
      SG_TRAILER_WORDS(X)
#undef X
  };
  char maxw[48];
  snprintf(maxw, sizeof maxw, "{%u'd0, d_max_q}", 31 - kw);
  const char *rtl[SG_TRAILER_FIXED_WORDS] = {
      [SG_TRL_MODE_USED] = "{30'd0, d_used_q}", [SG_TRL_MACS_ISSUED] = "d_iss_q",
      [SG_TRL_MACS_GATED] = "d_gat_q",          [SG_TRL_MACS_SKIPPED] = "d_skip_q",
      [SG_TRL_NNZ_A] = "d_nnza_q",              [SG_TRL_NNZ_B] = "d_nnzb_q",
      [SG_TRL_MAX_ROW_NNZ] = maxw,              [SG_TRL_CYC_LOAD] = "d_cyl_q",
      [SG_TRL_CYC_COMPUTE] = "d_cyc_q"};
  size_t uc = 0, un = 0;
  cat[0] = names[0] = '\0';
  for (int i = SG_TRAILER_FIXED_WORDS - 1; i >= 0 && uc < ncat; i--)
    uc += (size_t)snprintf(cat + uc, ncat - uc, "%s%s", rtl[i], i ? ", " : "");
  for (int i = 0; i < SG_TRAILER_FIXED_WORDS && un < nnames; i++)
    un += (size_t)snprintf(names + un, nnames - un, "%s%s", i ? ", " : "", names_[i]);
}

int emit_ctrl(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  const uint32_t R = c->rows, C = c->cols;
  tmpl_holes_t hs = {0};
  static char ext[96];
  gen_widths_t w;
  gen_widths(g, &w);
  /* the controller's state encoding is the contract's (SG_STATES, STATUS.STATE's width) */
  static char states[512];
  size_t us = 0;
  const uint32_t sw = sg_fields[SG_FLD_STATUS_STATE].width;
#define CTRL_STATE_(N, V)                                                                      \
  us += (size_t)snprintf(states + us, sizeof states - us, "%s  localparam [%u:0] ST_%-8s = %u'd%u;", \
                         us ? "\n" : "", sw - 1, #N, sw, V);
  SG_STATES(CTRL_STATE_)
#undef CTRL_STATE_
  tmpl_set(&hs, "STATE_PARAMS", states);
  tmpl_setu(&hs, "KW", w.kw);
  tmpl_setu(&hs, "KW1", w.nw);
  tmpl_setu(&hs, "BW", w.bw);
  tmpl_setu(&hs, "BPS_M1", g->d.f.beats_per_slice - 1);
  tmpl_setu(&hs, "BPA_M1", g->d.f.beats_a - 1);
  tmpl_setu(&hs, "BPB_M1", g->d.f.beats_b - 1);
  tmpl_setu(&hs, "NBW", w.nbw);
  tmpl_setu(&hs, "ICW", w.icw);
  tmpl_setu(&hs, "TGW", w.tgw);
  tmpl_setu(&hs, "RRW", w.rrw);
  tmpl_setu(&hs, "CCW", w.ccw);
  tmpl_setu(&hs, "C", C);
  /* masks of the count registers: the bits of their largest value (R*C*KMAX < 2^32, the
     size rule of sg_check_params) */
  {
    const uint64_t mx[3] = {(uint64_t)R * C * c->kmax, (uint64_t)C * c->kmax, (uint64_t)R * c->kmax};
    const char *nm[3] = {"MC_MASK", "NB_MASK", "NA_MASK"};
    for (int i = 0; i < 3; i++) {
      uint32_t b = 0;
      while (b < 32 && (UINT64_C(1) << b) <= mx[i]) b++;
      tmpl_setu(&hs, nm[i], b >= 32 ? 0xFFFFFFFFul : (unsigned long)((UINT64_C(1) << b) - 1u));
    }
  }
  tmpl_setu(&hs, "RC", R * C);
  /* FLUSH: the last token's trip along the row, then its MAC pipeline (SG_PE_MAC_STAGES) */
  tmpl_setu(&hs, "FCW", cfg_clog2(C + SG_PE_MAC_STAGES));
  tmpl_setu(&hs, "FLUSH_M1", C + SG_PE_MAC_STAGES - 1);
  tmpl_setu(&hs, "DCW", w.dcw);
  tmpl_setu(&hs, "AW", w.aw);
  /* result lanes */
  const uint32_t L = w.l, NL = g->d.f.os_per_beat, OW = w.ow, OSW = w.osw, CCW = w.ccw;
  static char pad[128], padn[128];
  tmpl_setu(&hs, "OW", OW);
  tmpl_setu(&hs, "OSW", OSW);
  tmpl_setu(&hs, "L", L);
  tmpl_setu(&hs, "NL", NL);
  tmpl_setu(&hs, "LRRW", w.lrrw);
  tmpl_setu(&hs, "LCCW", w.lccw);
  tmpl_setu(&hs, "LAW", w.law);
  tmpl_setu(&hs, "OBW", cfg_clog2(g->d.f.out_beats));
  tmpl_setu(&hs, "OB_M1", g->d.f.out_beats - 1);
  tmpl_setu(&hs, "RLW", cfg_clog2(R + L + 1));
  tmpl_setu(&hs, "R", R);
  tmpl_setu(&hs, "CCW1", CCW + 1);
  tmpl_setu(&hs, "STEP_C", L % C);
  tmpl_setu(&hs, "STEP_R", L / C);
  const uint32_t G = g->d.f.os_group;
  tmpl_setu(&hs, "G", G);
  tmpl_setu(&hs, "STEP_CG", G % C);
  tmpl_setu(&hs, "STEP_RG", G / C);
  tmpl_setu(&hs, "RCW", cfg_clog2(R * C + 2 * G));
  tmpl_setu(&hs, "PKW", cfg_clog2(NL + 1));
  tmpl_setu(&hs, "C_MOD", C % (1u << CCW));
  if (OW > c->acc_w)
    snprintf(ext, sizeof ext, "{{%u{d[%u]}}, d}", OW - c->acc_w, c->acc_w - 1);
  else
    snprintf(ext, sizeof ext, "d");
  tmpl_set(&hs, "LANE_EXT", ext);
  if (OSW > L * OW)
    snprintf(pad, sizeof pad, "  assign res_wide[%u:%u] = %u'd0;\n", OSW - 1, L * OW, OSW - L * OW);
  else
    pad[0] = '\0';
  tmpl_set(&hs, "RES_PAD_W", pad);
  /* output stage (FLAGS.OUT_STAGE): OUT_W-bit results in lanes of ONW bits; without one
     (out_w 0) the template's stage is held off (OS_PRESENT 0) at the widths of ACC_W results */
  tmpl_setu(&hs, "OS_PRESENT", c->out_w ? 1u : 0u);
  const uint32_t OUTW = c->out_w ? c->out_w : c->acc_w, ONW = g->d.f.os_lane_w, EW = (c->acc_w > 32 ? c->acc_w : 32) + 2;
  const uint32_t HIW = OUTW - 1 < 31 ? OUTW - 1 : 31;
  static char osext[96], oshi[256];
  tmpl_setu(&hs, "OUT_W", OUTW);
  tmpl_setu(&hs, "ONW", ONW);
  tmpl_setu(&hs, "EW", EW);
  tmpl_setu(&hs, "HIW", HIW);
  tmpl_setu(&hs, "SHW", SG_OUT_SHIFT_SHIFT_WIDTH);
  tmpl_setu(&hs, "SHE", cfg_clog2(c->acc_w)); /* OUT_SHIFT <= ACC_W - 1 (its SG_CHECK) */
  if (ONW > OUTW)
    snprintf(osext, sizeof osext, "{{%u{os_res[%u]}}, os_res}", ONW - OUTW, OUTW - 1);
  else
    snprintf(osext, sizeof osext, "os_res");
  tmpl_set(&hs, "OS_EXT", osext);
  /* upper bound min(OUT_CLAMP, 2^(OUT_W-1)-1); OUT_CLAMP < 2^31 (its SG_CHECK) */
  if (HIW == 31)
    snprintf(oshi, sizeof oshi, "  wire [30:0]        os_hi_in  = cfg_clamp_i[31] ? {31{1'b1}} : cfg_clamp_i[30:0];");
  else
    snprintf(oshi, sizeof oshi,
             "  wire [%u:0]        os_hi_in  = (cfg_clamp_i > 32'd%u) ? {%u{1'b1}} : cfg_clamp_i[%u:0];",
             HIW - 1, (1u << HIW) - 1u, HIW, HIW - 1);
  tmpl_set(&hs, "OS_HI_IN", oshi);
  if (OSW > NL * ONW)
    snprintf(padn, sizeof padn, "  assign res_os[%u:%u] = %u'd0;\n", OSW - 1, NL * ONW, OSW - NL * ONW);
  else
    padn[0] = '\0';
  tmpl_set(&hs, "RES_PAD_OS", padn);
  /* trailer: SG_TRAILER_FIXED_WORDS + R 32-bit words in ceil(32*words/OSW) beats
     (host_trailer_beats) */
  const uint32_t NW = w.nw, TWB = 32 * (SG_TRAILER_FIXED_WORDS + R), TB = (TWB + OSW - 1) / OSW;
  static char trfix[512], trnames[256];
  trailer_words(w.kw, trfix, sizeof trfix, trnames, sizeof trnames);
  tmpl_set(&hs, "TR_FIXED", trfix);
  tmpl_set(&hs, "TR_NAMES", trnames);
  static char trpad[32];
  static char trnz[2048];
  tmpl_setu(&hs, "TB", TB);
  tmpl_setu(&hs, "TB_M1", TB - 1);
  tmpl_setu(&hs, "TBW", cfg_clog2(TB));
  tmpl_setu(&hs, "TRW", TB * OSW);
  tmpl_setu(&hs, "R_M1", R - 1);
  tmpl_setu(&hs, "RNW", w.rnw);
  if (TB * OSW > TWB)
    snprintf(trpad, sizeof trpad, "%u'd0, ", TB * OSW - TWB);
  else
    trpad[0] = '\0';
  tmpl_set(&hs, "TR_PAD", trpad);
  size_t used = 0;
  trnz[0] = '\0';
  for (uint32_t r = R; r-- > 0;) {
    int n = snprintf(trnz + used, sizeof trnz - used, "{%u'd0, d_rnz_q[%u +: %u]}, ", 32 - NW, r * NW, NW);
    if (n < 0 || (size_t)n >= sizeof trnz - used) {
      snprintf(g->errbuf, sizeof g->errbuf, "internal: trailer expression too long");
      return -1;
    }
    used += (size_t)n;
  }
  tmpl_set(&hs, "TR_RNZ", trnz);
  return emit_from_template(g, out, "ctrl.v", &hs);
}
