/* emit_csr: AXI4-Lite control/status registers (rtl_templates/csr.v).  The register decode,
 * value checks, readback, storage and reset values are emitted here from the register table
 * (contract/sg_regs.def); the template keeps the bus handshake and ERR/DONE bookkeeping. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gen.h"
#include "sg_contract.h"
#include "tmpl.h"

/* Lower-case copy of s (RTL signal stem of a register or field). */
static const char *lower(const char *s, char *buf, size_t n) {
  size_t i = 0;
  for (; s[i] && i + 1 < n; i++) buf[i] = (char)tolower((unsigned char)s[i]);
  buf[i] = '\0';
  return buf;
}

void gen_regfile(const gen_ctx_t *g, sg_regfile_t *rf) {
  const cfg_t *c = g->cfg;
  const sg_params_t p = {c->rows, c->cols, c->data_w, c->acc_w, c->kmax,
                         c->sparsity == SG_SPARSITY_WEIGHT, c->window, c->wdepth, c->out_w};
  const sg_ident_t id = {SG_FPUT(VERSION, MAJOR, SG_VERSION_MAJOR) |
                             SG_FPUT(VERSION, MINOR, SG_VERSION_MINOR) |
                             SG_FPUT(VERSION, PATCH, SG_VERSION_PATCH),
                         c->window, c->stream_w, g->d.f.in_lane_w, g->d.f.elems_per_beat, c->out_stream_w,
                         c->a_cap};
  sg_regfile_init(rf, &p, &id);
}

/* Width of the storage of a W1C register: bits up to its highest field. */
static uint32_t reg_width(sg_reg_t r) {
  uint32_t w = 0;
  for (int f = 0; f < SG_FIELD_COUNT; f++)
    if (sg_fields[f].reg == r && sg_fields[f].lsb + sg_fields[f].width > w)
      w = sg_fields[f].lsb + sg_fields[f].width;
  return w;
}

/* RTL expression of an RO field fed by the datapath, its width in *w; NULL for a field whose
 * value is a constant of the variant (identification). */
static const char *field_src(const gen_ctx_t *g, int f, uint32_t *w, char *buf, size_t n) {
  const sg_field_info_t *fi = &sg_fields[f];
  const sg_reg_info_t *ri = &sg_regs[fi->reg];
  char lo[32];
  *w = fi->width;
  switch ((sg_field_t)f) {
    case SG_FLD_STATUS_BUSY: return "busy_i";
    case SG_FLD_STATUS_DONE: return "done_q";
    case SG_FLD_STATUS_READY: return "ready_i";
    case SG_FLD_STATUS_ERROR: snprintf(buf, n, "(err_q != %u'd0)", reg_width(SG_REG_ERR)); return buf;
    case SG_FLD_STATUS_MODE_USED: return "mode_used_i";
    case SG_FLD_STATUS_STATE: return "state_i";
    case SG_FLD_MAX_ROW_NNZ_VALUE: *w = g->d.kw + 1; return "max_row_nnz_i";
    default: break;
  }
  if (ri->access == SG_ACC_RW) {
    snprintf(buf, n, "%s_q", lower(fi->name, lo, sizeof lo));
    return buf;
  }
  if (ri->access == SG_ACC_RO && strcmp(fi->name, "VALUE") == 0 && fi->reg != SG_REG_ROW_NNZ0) {
    snprintf(buf, n, "%s_i", lower(ri->name, lo, sizeof lo));
    return buf;
  }
  return NULL;
}

/* The 32-bit word register r reads, as a Verilog expression: a concatenation of its fields'
 * sources with zero padding, or the variant's constant when no field has a source. */
static void read_expr(const gen_ctx_t *g, const sg_regfile_t *rf, sg_reg_t r, sb_t *o) {
  char parts[8][48];
  int np = 0, any = 0;
  uint32_t top = 32;
  if (sg_regs[r].access == SG_ACC_W1C) {
    const uint32_t w = reg_width(r);
    sb_printf(o, w < 32 ? "{%u'd0, err_q}" : "err_q", 32 - w);
    return;
  }
  if (sg_regs[r].access == SG_ACC_WO) {
    sb_puts(o, "32'd0");
    return;
  }
  for (int f = SG_FIELD_COUNT - 1; f >= 0; f--) { /* fields are listed lsb first */
    if (sg_fields[f].reg != r) continue;
    char buf[48];
    uint32_t w;
    const char *e = field_src(g, f, &w, buf, sizeof buf);
    if (e == NULL) continue;
    any = 1;
    const uint32_t msb = sg_fields[f].lsb + w;
    if (top > msb && np < 8) snprintf(parts[np++], sizeof parts[0], "%u'd0", top - msb);
    if (np < 8) snprintf(parts[np++], sizeof parts[0], "%s", e);
    top = sg_fields[f].lsb;
  }
  if (!any) {
    sb_printf(o, "32'h%08X", sg_regfile_word(rf, r));
    return;
  }
  if (top > 0 && np < 8) snprintf(parts[np++], sizeof parts[0], "%u'd0", top);
  if (np == 1) {
    sb_puts(o, parts[0]);
    return;
  }
  sb_puts(o, "{");
  for (int i = 0; i < np; i++) sb_printf(o, "%s%s", i ? ", " : "", parts[i]);
  sb_puts(o, "}");
}

static void read_cases(const gen_ctx_t *g, const sg_regfile_t *rf, sb_t *rc) {
  const uint32_t nw = g->d.kw + 1;
  for (int r = 0; r < SG_REG_COUNT; r++) {
    if (r == SG_REG_ROW_NNZ0) {
      for (uint32_t row = 0; row < g->cfg->rows; row++)
        emit(rc, "10'h%03X: rd_val = {%u'd0, row_nnz_i[%u +: %u]};  // ROW_NNZ[%u]",
             SG_ADDR_ROW_NNZ(row) / 4, 32 - nw, row * nw, nw, row);
      continue;
    }
    sb_printf(rc, "%*s10'h%03X: rd_val = ", 2 * rc->indent, "", sg_regs[r].offset / 4);
    if (r == SG_REG_STATUS)
      sb_puts(rc, "status");
    else
      read_expr(g, rf, (sg_reg_t)r, rc);
    sb_printf(rc, ";  // %s\n", sg_regs[r].name);
  }
}

/* Storage of the RW fields: declarations, hold, reset and update lines. */
static void cfg_regs(sb_t *decl, sb_t *hold, sb_t *rst, sb_t *upd) {
  for (int f = 0; f < SG_FIELD_COUNT; f++) {
    if (sg_regs[sg_fields[f].reg].access != SG_ACC_RW) continue;
    char n[24], q[32], d[32], range[16] = "";
    const uint32_t w = sg_fields[f].width;
    lower(sg_fields[f].name, n, sizeof n);
    snprintf(q, sizeof q, "%s_q", n);
    snprintf(d, sizeof d, "%s_d", n);
    if (w > 1) snprintf(range, sizeof range, "[%u:0]", w - 1);
    emit(decl, "reg  %-7s %s, %s;", range, q, d);
    emit(hold, "%-8s = %s;", d, q);
    emit(rst, "%-8s <= %u'd%u;", q, w, sg_fields[f].reset);
    emit(upd, "%-8s <= %s;", q, d);
  }
}

/* Condition "value out of range" of check i on `what`, or "" when the rule cannot fail. */
static void check_cond(const sg_params_t *p, uint32_t i, const char *what, char *buf, size_t n) {
  const uint32_t lo = sg_checks[i].min, hi = sg_check_max(i, p);
  if (lo > 0 && hi < UINT32_MAX)
    snprintf(buf, n, "(%s < 32'd%u) || (%s > 32'd%u)", what, lo, what, hi);
  else if (lo > 0)
    snprintf(buf, n, "%s < 32'd%u", what, lo);
  else if (hi < UINT32_MAX)
    snprintf(buf, n, "%s > 32'd%u", what, hi);
  else
    buf[0] = '\0';
}

/* RTL condition of device condition `cond` of an SG_NEED rule: "1" when it always holds on
 * this variant, "0" when it never does, else the register that tracks it (csr.v). */
static const char *need_cond(const gen_ctx_t *g, sg_cond_t cond) {
  switch (cond) {
    case SG_COND_B_RESIDENT: return "res_ok_q";
    case SG_COND_A_FORMAT: return g->d.f.a_ents ? "1" : "0";
    case SG_COND_OUT_STAGE: return g->cfg->out_w ? "1" : "0"; /* sg_has_out_stage */
    case SG_COND_COUNT: break;
  }
  return "0";
}

/* CTRL (the WO register, decoded apart from the case on the word address): ABORT wins; START
 * is refused while the LOAD stage is not free, when a START rule fails (checked on its
 * precomputed <field>_ok_q), and when an SG_NEED rule's field is set without its condition.
 * The refusals are emitted twice from the one list below: as the error chain of a CTRL write
 * (`chain`: the first refusal names the ERR bit) and as start_ok (`ok`: no refusal), from which
 * the template takes START in a flat expression (its hit and ABORT/START bits are registers
 * made as the write is taken: wq_abort_q, wq_start_q). */
static void refuse(sb_t *chain, sb_t *ok, int *n, const char *cond, const char *err) {
  emit(chain, "  %sif (%s) begin", *n ? "end else " : "", cond);
  emit(chain, "    err_set = ERR_%s;", err);
  sb_printf(ok, "%s!(%s)", *n ? " && " : "", cond);
  (*n)++;
}

static void write_ctrl(const gen_ctx_t *g, const sg_params_t *p, sb_t *chain, sb_t *ok) {
  int n = 0;
  emit(chain, "if (wq_start_q) begin");
  refuse(chain, ok, &n, "!ready_i || start_q", "BUSY");
  for (uint32_t i = 0; i < sg_nchecks; i++) {
    if (sg_checks[i].when != SG_WHEN_START) continue;
    char nm[24], q[32], cond[128], c2[48];
    snprintf(q, sizeof q, "%s_q", lower(sg_fields[sg_checks[i].field].name, nm, sizeof nm));
    check_cond(p, i, q, cond, sizeof cond);
    if (!cond[0]) continue;
    snprintf(c2, sizeof c2, "!%s_ok_q", nm);
    refuse(chain, ok, &n, c2, sg_fields[sg_checks[i].err].name);
  }
  for (uint32_t i = 0; i < sg_nneeds; i++) {
    const char *cond = need_cond(g, sg_needs[i].cond);
    char nm[24], c2[64];
    lower(sg_fields[sg_needs[i].field].name, nm, sizeof nm);
    if (strcmp(cond, "1") == 0) continue;
    if (strcmp(cond, "0") == 0)
      snprintf(c2, sizeof c2, "%s_q", nm);
    else
      snprintf(c2, sizeof c2, "%s_q && !%s", nm, cond);
    refuse(chain, ok, &n, c2, sg_fields[sg_needs[i].err].name);
  }
  emit(chain, "  end");
  emit(chain, "end");
}

/* The START rules' precomputed checks <field>_ok_q, and start_chk_d: a write of a register
 * holding such a field (CTRL waits the next cycle). */
static void start_ok_regs(const sg_regfile_t *rf, sb_t *decl, sb_t *rst, sb_t *upd, sb_t *chk) {
  char words[256] = "1'b0";
  size_t used = 0;
  for (uint32_t i = 0; i < sg_nchecks; i++) {
    if (sg_checks[i].when != SG_WHEN_START) continue;
    const sg_field_t f = sg_checks[i].field;
    char n[24], q[32], cond[128];
    snprintf(q, sizeof q, "%s_q", lower(sg_fields[f].name, n, sizeof n));
    check_cond(&rf->p, i, q, cond, sizeof cond);
    if (!cond[0]) continue;
    const uint32_t v = rf->f[f];
    const int ok = v >= sg_checks[i].min && v <= sg_check_max(i, &rf->p);
    emit(decl, "reg                %s_ok_q;", n);
    emit(rst, "%s_ok_q <= 1'b%d;", n, ok);
    emit(upd, "%s_ok_q <= !(%s);", n, cond);
    int k = snprintf(words + used, sizeof words - used, "%s(wr_word == 10'h%03X)",
                     used ? " || " : "", sg_regs[sg_fields[f].reg].offset / 4);
    if (k > 0 && (size_t)k < sizeof words - used) used += (size_t)k;
  }
  sb_printf(chk, "wr_en && (%s)", words);
}

/* An RW register: every WRITE rule of its fields on the whole word, then the fields. A rule's
 * condition is evaluated on the bus data as the write is taken (`take`: bit *nw of wq_chk_d)
 * and the decode reads its register wq_chk_q[*nw]. */
static void write_rw(const sg_params_t *p, sg_reg_t r, sb_t *o, sb_t *take, uint32_t *nw) {
  emit(o, "10'h%03X: begin  // %s", sg_regs[r].offset / 4, sg_regs[r].name);
  o->indent++;
  int nchk = 0;
  for (uint32_t i = 0; i < sg_nchecks; i++) {
    if (sg_checks[i].when != SG_WHEN_WRITE || sg_fields[sg_checks[i].field].reg != r) continue;
    char cond[128];
    check_cond(p, i, "s_axil_wdata_i", cond, sizeof cond);
    if (!cond[0]) continue;
    emit(take, "wq_chk_d[%u] = %s;", *nw, cond);
    emit(o, "%sif (wq_chk_q[%u]) begin  // %s", nchk ? "end else " : "", *nw, cond);
    (*nw)++;
    emit(o, "  err_set = ERR_%s;", sg_fields[sg_checks[i].err].name);
    nchk++;
  }
  if (nchk) {
    emit(o, "end else begin");
    o->indent++;
  }
  for (int f = 0; f < SG_FIELD_COUNT; f++) {
    if (sg_fields[f].reg != r) continue;
    char n[32];
    const uint32_t lsb = sg_fields[f].lsb, msb = lsb + sg_fields[f].width - 1;
    lower(sg_fields[f].name, n, sizeof n);
    if (sg_fields[f].width == 32)
      emit(o, "%s_d = wd;", n);
    else if (msb == lsb)
      emit(o, "%s_d = wd[%u];", n, lsb);
    else
      emit(o, "%s_d = wd[%u:%u];", n, msb, lsb);
  }
  if (nchk) {
    o->indent--;
    emit(o, "end");
  }
  o->indent--;
  emit(o, "end");
}

/* The case on the word address of every register but CTRL; `take` gets the WRITE rules'
 * conditions on the bus data (wq_chk_d), *nw their count. */
static void write_cases(const sg_params_t *p, sb_t *o, sb_t *take, uint32_t *nw) {
  *nw = 0;
  for (int r = 0; r < SG_REG_COUNT; r++) {
    switch (sg_regs[r].access) {
      case SG_ACC_WO: break; /* CTRL: write_ctrl */
      case SG_ACC_RW: write_rw(p, (sg_reg_t)r, o, take, nw); break;
      case SG_ACC_W1C: /* cleared in the bookkeeping block below */
        emit(o, "10'h%03X: begin  // %s", sg_regs[r].offset / 4, sg_regs[r].name);
        emit(o, "end");
        break;
      case SG_ACC_RO: break;
    }
  }
}

/* The word addresses a write may go to (every register but the RO ones), as a condition on
 * the bus address: registered with the taken write (wq_ok_q), so the decode does not wait for
 * it. */
static void write_known(sb_t *o) {
  int n = 0;
  for (int r = 0; r < SG_REG_COUNT; r++) {
    if (sg_regs[r].access == SG_ACC_RO) continue;
    sb_printf(o, "%s(s_axil_awaddr_i[11:2] == 10'h%03X)", n++ ? " ||\n                 " : "",
              sg_regs[r].offset / 4);
  }
  if (!n) sb_printf(o, "1'b0");
}

static void err_bits(sb_t *o) {
  const uint32_t w = reg_width(SG_REG_ERR);
  for (int f = 0; f < SG_FIELD_COUNT; f++)
    if (sg_fields[f].reg == SG_REG_ERR)
      emit(o, "localparam [%u:0] ERR_%-6s = %u'h%02X;", w - 1, sg_fields[f].name, w,
           1u << sg_fields[f].lsb);
}

static void chop(sb_t *s) {
  if (s->len) s->buf[--s->len] = '\0';
}

int emit_csr(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  const uint32_t nw = g->d.kw + 1;
  sg_regfile_t rf;
  gen_regfile(g, &rf);
  enum { RC, WC, WCK, WCT, SOK, WK, EB, DECL, HOLD, RST, UPD, ST, SOD, SOR, SOU, SOC, NSB };
  static const char *const hole[NSB] = {
      "READ_CASES", "WRITE_CASES",  "WRITE_CHECKS",  "WRITE_CTRL",     "START_OK",
      "WRITE_KNOWN", "ERR_BITS",    "CFG_REGS",      "CFG_HOLD",       "CFG_RESET",
      "CFG_UPDATE", "STATUS_WORD",  "START_OK_REGS", "START_OK_RESET", "START_OK_UPDATE",
      "START_CHK"};
  static const int indent[NSB] = {3, 5, 3, 4, 0, 0, 1, 1, 2, 3, 3, 0, 1, 3, 3, 0};
  sb_t sb[NSB];
  for (int i = 0; i < NSB; i++) {
    sb_init(&sb[i]);
    sb[i].indent = indent[i];
  }
  read_cases(g, &rf, &sb[RC]);
  uint32_t nchk = 0;
  write_cases(&rf.p, &sb[WC], &sb[WCK], &nchk);
  if (nchk == 0) emit(&sb[WCK], "wq_chk_d[0] = 1'b0;");
  write_ctrl(g, &rf.p, &sb[WCT], &sb[SOK]);
  write_known(&sb[WK]);
  err_bits(&sb[EB]);
  cfg_regs(&sb[DECL], &sb[HOLD], &sb[RST], &sb[UPD]);
  read_expr(g, &rf, SG_REG_STATUS, &sb[ST]);
  start_ok_regs(&rf, &sb[SOD], &sb[SOR], &sb[SOU], &sb[SOC]);

  tmpl_holes_t hs = {0};
  int oom = 0;
  for (int i = 0; i < NSB; i++) {
    if (i != ST && i != SOC && i != WK && i != SOK) chop(&sb[i]);
    tmpl_set(&hs, hole[i], sb_str(&sb[i]));
    oom |= sb[i].oom;
  }
  char werr[8];
  snprintf(werr, sizeof werr, "%03X", SG_ADDR_ERR / 4);
  tmpl_set(&hs, "W_ERR", werr);
  static char wctrl[8], wk[8], wth[8];
  snprintf(wctrl, sizeof wctrl, "%03X", SG_ADDR_CTRL / 4);
  snprintf(wk, sizeof wk, "%03X", SG_ADDR_K / 4);
  snprintf(wth, sizeof wth, "%03X", SG_ADDR_THRESH / 4);
  tmpl_set(&hs, "W_CTRL", wctrl);
  tmpl_set(&hs, "W_K", wk);
  tmpl_set(&hs, "W_THRESH", wth);
  tmpl_setu(&hs, "WCHK_W", nchk ? nchk : 1u);
  tmpl_setu(&hs, "CTRL_START", SG_CTRL_START_LSB);
  tmpl_setu(&hs, "CTRL_ABORT", SG_CTRL_ABORT_LSB);
  gen_widths_t gw;
  gen_widths(g, &gw);
  tmpl_setu(&hs, "DCW", gw.dcw);
  tmpl_setu(&hs, "THRESH_W", SG_THRESH_THRESH_WIDTH);
  tmpl_setu(&hs, "THRESH_RESET", sg_fields[SG_FLD_THRESH_THRESH].reset);
  tmpl_setu(&hs, "ERR_W", reg_width(SG_REG_ERR));
  tmpl_setu(&hs, "ERR_MSB", reg_width(SG_REG_ERR) - 1);
  /* ports carrying register fields are as wide as the fields */
  tmpl_setu(&hs, "MODE_MSB", SG_MODE_MODE_WIDTH - 1);
  tmpl_setu(&hs, "THRESH_MSB", SG_THRESH_THRESH_WIDTH - 1);
  tmpl_setu(&hs, "STATE_MSB", SG_STATUS_STATE_WIDTH - 1);
  tmpl_setu(&hs, "MODE_USED_MSB", SG_STATUS_MODE_USED_WIDTH - 1);
  tmpl_setu(&hs, "KW", g->d.kw);
  tmpl_setu(&hs, "SHW", SG_OUT_SHIFT_SHIFT_WIDTH);
  tmpl_setu(&hs, "NW", nw);
  tmpl_setu(&hs, "RNW", c->rows * nw);
  int ret = oom ? -1 : emit_from_template(g, out, "csr.v", &hs);
  for (int i = 0; i < NSB; i++) sb_free(&sb[i]);
  return ret;
}
