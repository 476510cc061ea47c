/* emit_row: one PE row (rtl_templates/row.v): feeder plus the row's PE instances, the gated
 * event count and the result read-back multiplexer, which are emitted here. */
#include <stdio.h>
#include <string.h>

#include "gen.h"
#include "tmpl.h"

/* zero-extend a 1-bit expression to w bits */
static void zext1(char *buf, size_t n, const char *bit, uint32_t w) {
  if (w == 1)
    snprintf(buf, n, "%s", bit);
  else
    snprintf(buf, n, "{{%u{1'b0}}, %s}", w - 1, bit);
}

int emit_row(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  const uint32_t C = c->cols, DW = c->data_w, KW = g->d.kw, AW = c->acc_w;
  gen_widths_t w;
  gen_widths(g, &w);
  const uint32_t gcw = w.gcw, ccw = w.ccw;
  sb_t pes;
  sb_init(&pes);
  pes.indent = 1;
  char buf[128];

  for (uint32_t j = 0; j < C; j++) {
    if (j == C - 1) {
      emit(&pes, "// The last PE's token leaves the row: nothing reads it.");
      emit(&pes, "/* verilator lint_off UNUSED */");
    }
    emit(&pes, "wire              tv_c%u;", j);
    emit(&pes, "wire [%u:0]       tk_c%u;", KW - 1, j);
    emit(&pes, "wire [%u:0]       ta_c%u;", DW - 1, j);
    if (j == C - 1) emit(&pes, "/* verilator lint_on UNUSED */");
    emit(&pes, "wire              g_c%u;", j);
    emit(&pes, "wire [%u:0]       acc_c%u;", AW - 1, j);
  }
  emit(&pes, "%s", "");
  for (uint32_t j = 0; j < C; j++) {
    char pv[16], pk[16], pa[16];
    if (j == 0) {
      snprintf(pv, sizeof pv, "s1_v_q");
      snprintf(pk, sizeof pk, "s1_k_q");
      snprintf(pa, sizeof pa, "%s", c->sparsity == SG_SPARSITY_WEIGHT ? "s1_a_q" : "a_rd_q");
    } else {
      snprintf(pv, sizeof pv, "tv_c%u", j - 1);
      snprintf(pk, sizeof pk, "tk_c%u", j - 1);
      snprintf(pa, sizeof pa, "ta_c%u", j - 1);
    }
    emit(&pes, "%s_pe u_pe_c%u (", c->name, j);
    pes.indent++;
    emit(&pes, ".clk_i     (clk_i),");
    emit(&pes, ".rst_ni    (rst_ni),");
    emit(&pes, ".kill_i    (kill_i),");
    emit(&pes, ".clear_i   (clear_i),");
    emit(&pes, ".cap_i     (cap_i),");
    emit(&pes, ".b_we_i    (b_we_i[%u]),", j);
    emit(&pes, ".b_waddr_i (b_waddr_i),");
    emit(&pes, ".b_wdata_i (b_wdata_i[%u +: %u]),", j * DW, DW);
    emit(&pes, ".tok_v_i   (%s),", pv);
    emit(&pes, ".tok_k_i   (%s),", pk);
    emit(&pes, ".tok_a_i   (%s),", pa);
    emit(&pes, ".tok_v_o   (tv_c%u),", j);
    emit(&pes, ".tok_k_o   (tk_c%u),", j);
    emit(&pes, ".tok_a_o   (ta_c%u),", j);
    emit(&pes, ".gated_o   (g_c%u),", j);
    emit(&pes, ".out_o     (acc_c%u)", j);
    pes.indent--;
    emit(&pes, ");");
  }
  emit(&pes, "%s", "");
  emit(&pes, "// gated MAC slots of this row in this cycle");
  emit(&pes, "assign gated_cnt_o =");
  for (uint32_t j = 0; j < C; j++) {
    char bit[16];
    snprintf(bit, sizeof bit, "g_c%u", j);
    zext1(buf, sizeof buf, bit, gcw);
    emit(&pes, "    %s%s", buf, j + 1 < C ? " +" : ";");
  }
  emit(&pes, "%s", "");
  emit(&pes, "// result read-back (DRAIN), one multiplexer per result lane");
  const uint32_t L = g->d.f.results_per_beat;
  emit(&pes, "always @* begin");
  pes.indent++;
  for (uint32_t l = 0; l < L; l++) {
    emit(&pes, "case (rd_col_i[%u +: %u])", l * ccw, ccw);
    for (uint32_t j = 0; j < C; j++)
      emit(&pes, "  %u'd%u: rd_data_o[%u +: %u] = acc_c%u;", ccw, j, l * AW, AW, j);
    if (C < (1u << ccw)) emit(&pes, "  default: rd_data_o[%u +: %u] = acc_c0;", l * AW, AW);
    emit(&pes, "endcase");
  }
  pes.indent--;
  emit(&pes, "end");

  tmpl_holes_t hs = {0};
  tmpl_setu(&hs, "C", C);
  tmpl_setu(&hs, "KW", KW);
  tmpl_setu(&hs, "DW", DW);
  tmpl_setu(&hs, "BWW", w.bww);
  tmpl_setu(&hs, "GCW", gcw);
  tmpl_setu(&hs, "LCCW", w.lccw);
  tmpl_setu(&hs, "LNAW", w.law);
  /* slots of A elements per beat = banks of the sparse row's entry list (1 on dense-only) */
  const uint32_t E = w.e, nb = (c->kmax + E - 1) / E;
  tmpl_setu(&hs, "E", E);
  tmpl_setu(&hs, "EKW", w.ekw);
  tmpl_setu(&hs, "EDW", w.edw);
  const char *tname = "row_dense.v";
  if (c->sparsity == SG_SPARSITY_WEIGHT) {
    /* the A entry list: E banks of ceil(KMAX/E) entries {k, a} */
    tname = "row.v";
    tmpl_setu(&hs, "E_M1", E - 1);
    tmpl_setu(&hs, "EBW", cfg_clog2(E));
    tmpl_setu(&hs, "NB", nb);
    tmpl_setu(&hs, "LAW", cfg_clog2(nb));
    tmpl_setu(&hs, "ENW", KW + DW);
  } else {
    tmpl_setu(&hs, "KMAX", c->kmax);
  }
  tmpl_setu(&hs, "KW1", w.nw);
  tmpl_set(&hs, "PES", pes.oom ? "" : sb_str(&pes));
  if (c->sparsity == SG_SPARSITY_WEIGHT)
    tmpl_set(&hs, "SPARSE_I", "  input  wire                  sparse_i,     // mode used for this tile");
  else
    tmpl_set(&hs, "SPARSE_I",
             "  // A dense-only row has one schedule: the mode input exists only so that both row\n"
             "  // flavours share the top level.\n"
             "  /* verilator lint_off UNUSED */\n"
             "  input  wire                  sparse_i,\n"
             "  /* verilator lint_on UNUSED */");
  /* both row flavours share one port list (rtl_templates/row_ports.v) at their @@PORTS@@ */
  const char *body = tmpl_get(tname), *ports = tmpl_get("row_ports.v");
  const char *at = body ? strstr(body, "@@PORTS@@") : NULL;
  const char *pstart = ports ? strstr(ports, "module ") : NULL;
  sb_t text;
  sb_init(&text);
  int rc = -1;
  if (!at || !pstart) {
    snprintf(g->errbuf, sizeof g->errbuf, "internal: %s or row_ports.v lacks its @@PORTS@@ / module line", tname);
  } else if (!pes.oom) {
    sb_putn(&text, body, (size_t)(at - body));
    sb_puts(&text, pstart);
    sb_puts(&text, at + strlen("@@PORTS@@"));
    rc = text.oom ? -1 : emit_from_text(g, out, tname, sb_str(&text), &hs);
  }
  sb_free(&text);
  sb_free(&pes);
  return rc;
}
