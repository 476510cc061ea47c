/* emit_csr: AXI4-Lite control/status registers (rtl_templates/csr.v). The read multiplexer
 * is emitted here from the register table, with the variant's constants. */
#include <stdio.h>

#include "gen.h"
#include "regs.h"
#include "tmpl.h"

const sg_reg_info_t sg_regs[SG_REG_COUNT] = {
#define SG_REG(n, o, a, d) {#n, o, #a, d},
#include "sg_regs.def"
#undef SG_REG
};

/* Value a register reads, as a 32-bit Verilog expression; NULL for ROW_NNZ (emitted per row). */
static const char *csr_read_expr(gen_ctx_t *g, sg_reg_t r, char *buf, size_t n) {
  const cfg_t *c = g->cfg;
  const uint32_t kw = g->d.kw;
  switch (r) {
    case SG_REG_ID: snprintf(buf, n, "32'h5350474E"); break;
    case SG_REG_VERSION:
      snprintf(buf, n, "32'h%06X",
               (SG_VERSION_MAJOR << 16) | (SG_VERSION_MINOR << 8) | SG_VERSION_PATCH);
      break;
    case SG_REG_PARAM0:
      snprintf(buf, n, "32'h%08X", c->rows | (c->cols << 8) | (c->data_w << 16) | (c->acc_w << 24));
      break;
    case SG_REG_PARAM1: snprintf(buf, n, "32'd%u", c->kmax); break;
    case SG_REG_PARAM2:
      snprintf(buf, n, "32'h%08X",
               c->window | ((c->sparsity == SG_SPARSITY_WEIGHT) << 8) | (c->stream_w << 16));
      break;
    case SG_REG_PARAM3:
      snprintf(buf, n, "32'h%08X",
               c->out_stream_w | (g->d.in_lane_w << 16) | (g->d.elems_per_beat << 24));
      break;
    case SG_REG_CTRL: snprintf(buf, n, "32'd0"); break;
    case SG_REG_MODE: snprintf(buf, n, "{30'd0, mode_q}"); break;
    case SG_REG_K: snprintf(buf, n, "k_q"); break;
    case SG_REG_THRESH: snprintf(buf, n, "{23'd0, thresh_q}"); break;
    case SG_REG_FLAGS: snprintf(buf, n, "{28'd0, trl_q, acomp_q, keep_b_q, acc_q}"); break;
    case SG_REG_STATUS: snprintf(buf, n, "status"); break;
    case SG_REG_ERR: snprintf(buf, n, "{24'd0, err_q}"); break;
    case SG_REG_CYC_TOTAL: snprintf(buf, n, "cyc_total_i"); break;
    case SG_REG_CYC_LOAD: snprintf(buf, n, "cyc_load_i"); break;
    case SG_REG_CYC_COMPUTE: snprintf(buf, n, "cyc_compute_i"); break;
    case SG_REG_CYC_DRAIN: snprintf(buf, n, "cyc_drain_i"); break;
    case SG_REG_MACS_ISSUED: snprintf(buf, n, "macs_issued_i"); break;
    case SG_REG_MACS_GATED: snprintf(buf, n, "macs_gated_i"); break;
    case SG_REG_MACS_SKIPPED: snprintf(buf, n, "macs_skipped_i"); break;
    case SG_REG_NNZ_A: snprintf(buf, n, "nnz_a_i"); break;
    case SG_REG_NNZ_B: snprintf(buf, n, "nnz_b_i"); break;
    case SG_REG_MAX_ROW_NNZ: snprintf(buf, n, "{%u'd0, max_row_nnz_i}", 31 - kw); break;
    case SG_REG_ROW_NNZ0:
    case SG_REG_COUNT: return NULL;
  }
  return buf;
}

int emit_csr(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  const uint32_t nw = g->d.kw + 1;
  sb_t rc;
  sb_init(&rc);
  rc.indent = 3;
  char e[96];
  for (int r = 0; r < SG_REG_COUNT; r++) {
    if (r == SG_REG_ROW_NNZ0) {
      for (uint32_t row = 0; row < c->rows; row++)
        emit(&rc, "10'h%03X: rd_val = {%u'd0, row_nnz_i[%u +: %u]};  // ROW_NNZ[%u]",
             (sg_regs[r].offset + 4 * row) / 4, 32 - nw, row * nw, nw, row);
      continue;
    }
    emit(&rc, "10'h%03X: rd_val = %s;  // %s", sg_regs[r].offset / 4,
         csr_read_expr(g, (sg_reg_t)r, e, sizeof e), sg_regs[r].name);
  }
  if (rc.len) rc.buf[--rc.len] = '\0';

  static char w[6][12];
  const sg_reg_t wr[6] = {SG_REG_CTRL, SG_REG_MODE, SG_REG_K, SG_REG_THRESH, SG_REG_FLAGS, SG_REG_ERR};
  const char *wn[6] = {"W_CTRL", "W_MODE", "W_K", "W_THRESH", "W_FLAGS", "W_ERR"};
  tmpl_holes_t hs = {0};
  for (int i = 0; i < 6; i++) {
    snprintf(w[i], sizeof w[i], "%03X", sg_regs[wr[i]].offset / 4);
    tmpl_set(&hs, wn[i], w[i]);
  }
  tmpl_setu(&hs, "KW", g->d.kw);
  tmpl_setu(&hs, "DCW", g->d.kw + 10);
  tmpl_setu(&hs, "KMAX", c->kmax);
  tmpl_setu(&hs, "NW", nw);
  tmpl_setu(&hs, "RNW", c->rows * nw);
  tmpl_set(&hs, "ACOMP_OK", g->d.a_ents ? "1'b1" : "1'b0");
  tmpl_setu(&hs, "MODE_MAX", c->sparsity == SG_SPARSITY_WEIGHT ? 2 : 0);
  tmpl_set(&hs, "READ_CASES", sb_str(&rc));
  int ret = rc.oom ? -1 : emit_from_template(g, out, "csr.v", &hs);
  sb_free(&rc);
  return ret;
}
