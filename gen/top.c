/* emit_top: the top level. Wires the CSRs, the controller and the rows: which stream lane
 * feeds which row memory, the array-wide event sums, the non-zero statistics and the result
 * multiplexer are all fixed by the parameters, so they are emitted here as plain wiring. */
#include <stdio.h>
#include <string.h>

#include "gen.h"

static void zext(char *buf, size_t n, const char *e, uint32_t from, uint32_t to) {
  if (to == from)
    snprintf(buf, n, "%s", e);
  else
    snprintf(buf, n, "{%u'd0, %s}", to - from, e);
}

int gen_top_ports(const gen_ctx_t *g, gen_port_t *p, int max) {
  const struct {
    const char *name, *dir;
    uint32_t width;
  } fixed[] = {
      {"clk_i", "input", 1},           {"rst_ni", "input", 1},
      {"s_axil_awaddr_i", "input", 12}, {"s_axil_awvalid_i", "input", 1},
      {"s_axil_awready_o", "output", 1}, {"s_axil_wdata_i", "input", 32},
      {"s_axil_wstrb_i", "input", 4},  {"s_axil_wvalid_i", "input", 1},
      {"s_axil_wready_o", "output", 1}, {"s_axil_bresp_o", "output", 2},
      {"s_axil_bvalid_o", "output", 1}, {"s_axil_bready_i", "input", 1},
      {"s_axil_araddr_i", "input", 12}, {"s_axil_arvalid_i", "input", 1},
      {"s_axil_arready_o", "output", 1}, {"s_axil_rdata_o", "output", 32},
      {"s_axil_rresp_o", "output", 2}, {"s_axil_rvalid_o", "output", 1},
      {"s_axil_rready_i", "input", 1}, {"s_axis_tdata_i", "input", g->cfg->stream_w},
      {"s_axis_tvalid_i", "input", 1}, {"s_axis_tready_o", "output", 1},
      {"s_axis_tlast_i", "input", 1},  {"m_axis_tdata_o", "output", g->d.out_w},
      {"m_axis_tvalid_o", "output", 1}, {"m_axis_tready_i", "input", 1},
      {"m_axis_tlast_o", "output", 1}, {"irq_o", "output", 1},
  };
  int n = (int)(sizeof fixed / sizeof fixed[0]);
  for (int i = 0; i < n && i < max; i++) {
    p[i].name = fixed[i].name;
    p[i].dir = fixed[i].dir;
    p[i].width = fixed[i].width;
  }
  return n < max ? n : max;
}

int emit_top(gen_ctx_t *g, sb_t *o) {
  const cfg_t *c = g->cfg;
  const char *p = c->name;
  const uint32_t R = c->rows, C = c->cols, DW = c->data_w, KW = g->d.kw, AW = c->acc_w;
  const uint32_t SW = c->stream_w, LW = g->d.in_lane_w, EPB = g->d.elems_per_beat;
  const uint32_t BW = cfg_clog2(g->d.beats_per_slice), NBW = cfg_clog2(C + 1);
  const uint32_t ICW = cfg_clog2(R + 1), TGW = cfg_clog2(R * C + 1), GCW = cfg_clog2(C + 1);
  const uint32_t RRW = cfg_clog2(R), CCW = cfg_clog2(C), OW = g->d.out_w, NW = KW + 1;
  char b1[128], b2[64];

  emit_header(g, o, "//");
  emit(o, "`default_nettype none");
  emit(o, "%s", "");
  emit(o, "// Top level of a %ux%u sparsegen array: AXI4-Lite control/status slave, AXI4-Stream", R, C);
  emit(o, "// operand slave (%u bits), AXI4-Stream result master (%u bits). One clock, synchronous", SW, OW);
  emit(o, "// active-low reset. See docs/architecture.md and regmap.md.");
  emit(o, "module %s_top (", p);
  o->indent++;
  gen_port_t ports[40];
  int nports = gen_top_ports(g, ports, 40);
  int unused_lanes = (LW > DW) || (EPB * g->d.beats_per_slice > R + C) || (EPB * LW < SW);
  for (int i = 0; i < nports; i++) {
    int waive = unused_lanes && strcmp(ports[i].name, "s_axis_tdata_i") == 0;
    if (waive) {
      emit(o, "// Lane bits above DATA_W and padding lanes are ignored by design");
      emit(o, "// (docs/data-formats.md), so not every TDATA bit is read.");
      emit(o, "/* verilator lint_off UNUSED */");
    }
    if (ports[i].width == 1)
      snprintf(b1, sizeof b1, "%s", "");
    else
      snprintf(b1, sizeof b1, "[%u:0]", ports[i].width - 1);
    emit(o, "%-6s wire %-8s %s%s", ports[i].dir, b1, ports[i].name, i + 1 < nports ? "," : "");
    if (waive) emit(o, "/* verilator lint_on UNUSED */");
  }
  o->indent--;
  emit(o, ");");
  o->indent++;
  emit(o, "%s", "");
  emit(o, "wire          start, abort, cfg_acc, busy, done, tlast_err;");
  emit(o, "wire [1:0]    cfg_mode, mode_used;");
  emit(o, "wire [%u:0]    cfg_k;", KW);
  emit(o, "wire [8:0]    cfg_thresh;");
  emit(o, "wire [2:0]    state;");
  emit(o, "wire [31:0]   cyc_total, cyc_load, cyc_compute, cyc_drain;");
  emit(o, "wire [31:0]   macs_issued, macs_gated, macs_skipped, nnz_a, nnz_b;");
  emit(o, "wire          ld_fire, job_start, kill, clear, row_run, row_sparse;");
  emit(o, "wire [%u:0]    ld_beat;", BW - 1);
  emit(o, "wire [%u:0]    ld_k;", KW - 1);
  emit(o, "wire [%u:0]    k_len;", KW);
  emit(o, "wire [%u:0]    ld_nnzb;", NBW - 1);
  emit(o, "wire [%u:0]    issue_cnt;", ICW - 1);
  emit(o, "wire [%u:0]    gated_cnt;", TGW - 1);
  emit(o, "wire [%u:0]    max_row_nnz;", KW);
  emit(o, "wire [%u:0]    row_nnz;", R * NW - 1);
  emit(o, "wire [%u:0]    drain_row;", RRW - 1);
  emit(o, "wire [%u:0]    drain_col;", CCW - 1);
  emit(o, "reg  [%u:0]   drain_data;", AW - 1);
  emit(o, "wire          rows_busy;");
  emit(o, "%s", "");

  emit(o, "// ------------------------------------------------ operand lanes -> row memories");
  emit(o, "// slice element e sits in beat e/%u, lane e%%%u (%u-bit lanes)", EPB, EPB, LW);
  emit(o, "wire [%u:0]    b_we;", C - 1);
  emit(o, "wire [%u:0]   b_wdata;", C * DW - 1);
  for (uint32_t j = 0; j < C; j++) {
    uint32_t e = R + j;
    emit(o, "assign b_we[%u] = ld_fire && (ld_beat == %u'd%u);", j, BW, e / EPB);
    emit(o, "assign b_wdata[%u +: %u] = s_axis_tdata_i[%u +: %u];", j * DW, DW, (e % EPB) * LW, DW);
  }
  emit(o, "// non-zeros of B written by this beat");
  emit(o, "assign ld_nnzb =");
  for (uint32_t j = 0; j < C; j++) {
    snprintf(b2, sizeof b2, "(b_we[%u] && (b_wdata[%u +: %u] != %u'd0))", j, j * DW, DW, DW);
    if (NBW == 1)
      snprintf(b1, sizeof b1, "%s", b2);
    else
      snprintf(b1, sizeof b1, "{%u'd0, %s}", NBW - 1, b2);
    emit(o, "    %s%s", b1, j + 1 < C ? " +" : ";");
  }
  emit(o, "%s", "");

  emit(o, "// ------------------------------------------------ rows");
  for (uint32_t r = 0; r < R; r++) {
    uint32_t e = r;
    emit(o, "wire          busy_r%u, issue_r%u;", r, r);
    emit(o, "wire [%u:0]    nnz_r%u;", KW, r);
    emit(o, "wire [%u:0]    gcnt_r%u;", GCW - 1, r);
    emit(o, "wire [%u:0]   rd_r%u;", AW - 1, r);
    emit(o, "%s_row u_row_%u (", p, r);
    o->indent++;
    emit(o, ".clk_i       (clk_i),");
    emit(o, ".rst_ni      (rst_ni),");
    emit(o, ".job_start_i (job_start),");
    emit(o, ".kill_i      (kill),");
    emit(o, ".clear_i     (clear),");
    emit(o, ".a_we_i      (ld_fire && (ld_beat == %u'd%u)),", BW, e / EPB);
    emit(o, ".waddr_i     (ld_k),");
    emit(o, ".a_wdata_i   (s_axis_tdata_i[%u +: %u]),", (e % EPB) * LW, DW);
    emit(o, ".b_we_i      (b_we),");
    emit(o, ".b_wdata_i   (b_wdata),");
    emit(o, ".run_i       (row_run),");
    emit(o, ".sparse_i    (row_sparse),");
    emit(o, ".k_len_i     (k_len),");
    emit(o, ".busy_o      (busy_r%u),", r);
    emit(o, ".issue_o     (issue_r%u),", r);
    emit(o, ".nnz_o       (nnz_r%u),", r);
    emit(o, ".gated_cnt_o (gcnt_r%u),", r);
    emit(o, ".rd_col_i    (drain_col),");
    emit(o, ".rd_data_o   (rd_r%u)", r);
    o->indent--;
    emit(o, ");");
  }
  emit(o, "%s", "");
  emit(o, "// ------------------------------------------------ array-wide sums");
  sb_printf(o, "  assign rows_busy =");
  for (uint32_t r = 0; r < R; r++) sb_printf(o, " busy_r%u%s", r, r + 1 < R ? " ||" : ";\n");
  emit(o, "assign issue_cnt =");
  for (uint32_t r = 0; r < R; r++) {
    snprintf(b2, sizeof b2, "issue_r%u", r);
    if (ICW == 1)
      snprintf(b1, sizeof b1, "%s", b2);
    else
      snprintf(b1, sizeof b1, "{%u'd0, %s}", ICW - 1, b2);
    emit(o, "    %s%s", b1, r + 1 < R ? " +" : ";");
  }
  emit(o, "assign gated_cnt =");
  for (uint32_t r = 0; r < R; r++) {
    snprintf(b2, sizeof b2, "gcnt_r%u", r);
    zext(b1, sizeof b1, b2, GCW, TGW);
    emit(o, "    %s%s", b1, r + 1 < R ? " +" : ";");
  }
  emit(o, "assign nnz_a =");
  for (uint32_t r = 0; r < R; r++) {
    snprintf(b2, sizeof b2, "nnz_r%u", r);
    zext(b1, sizeof b1, b2, NW, 32);
    emit(o, "    %s%s", b1, r + 1 < R ? " +" : ";");
  }
  emit(o, "// running maximum over the rows' non-zero counts");
  emit(o, "wire [%u:0]    mx_r0 = nnz_r0;", KW);
  for (uint32_t r = 1; r < R; r++)
    emit(o, "wire [%u:0]    mx_r%u = (nnz_r%u > mx_r%u) ? nnz_r%u : mx_r%u;", KW, r, r, r - 1, r,
         r - 1);
  emit(o, "assign max_row_nnz = mx_r%u;", R - 1);
  sb_printf(o, "  assign row_nnz = {");
  for (uint32_t r = R; r-- > 0;) sb_printf(o, "nnz_r%u%s", r, r ? ", " : "};\n");
  emit(o, "%s", "");
  emit(o, "// result multiplexer (DRAIN)");
  emit(o, "always @* begin");
  emit(o, "  case (drain_row)");
  for (uint32_t r = 0; r < R; r++) emit(o, "    %u'd%u: drain_data = rd_r%u;", RRW, r, r);
  if (R < (1u << RRW)) emit(o, "    default: drain_data = rd_r0;");
  emit(o, "  endcase");
  emit(o, "end");
  emit(o, "%s", "");

  emit(o, "// ------------------------------------------------ control");
  emit(o, "%s_csr u_csr (", p);
  o->indent++;
  const char *csr_pins[] = {
      "clk_i", "clk_i", "rst_ni", "rst_ni", "s_axil_awaddr_i", "s_axil_awaddr_i",
      "s_axil_awvalid_i", "s_axil_awvalid_i", "s_axil_awready_o", "s_axil_awready_o",
      "s_axil_wdata_i", "s_axil_wdata_i", "s_axil_wstrb_i", "s_axil_wstrb_i", "s_axil_wvalid_i",
      "s_axil_wvalid_i", "s_axil_wready_o", "s_axil_wready_o", "s_axil_bresp_o", "s_axil_bresp_o",
      "s_axil_bvalid_o", "s_axil_bvalid_o", "s_axil_bready_i", "s_axil_bready_i",
      "s_axil_araddr_i", "s_axil_araddr_i", "s_axil_arvalid_i", "s_axil_arvalid_i",
      "s_axil_arready_o", "s_axil_arready_o", "s_axil_rdata_o", "s_axil_rdata_o",
      "s_axil_rresp_o", "s_axil_rresp_o", "s_axil_rvalid_o", "s_axil_rvalid_o",
      "s_axil_rready_i", "s_axil_rready_i", "start_o", "start", "abort_o", "abort",
      "cfg_mode_o", "cfg_mode", "cfg_k_o", "cfg_k", "cfg_thresh_o", "cfg_thresh", "cfg_acc_o",
      "cfg_acc", "busy_i", "busy", "done_i", "done", "tlast_err_i", "tlast_err", "state_i",
      "state", "mode_used_i", "mode_used", "cyc_total_i", "cyc_total", "cyc_load_i", "cyc_load",
      "cyc_compute_i", "cyc_compute", "cyc_drain_i", "cyc_drain", "macs_issued_i", "macs_issued",
      "macs_gated_i", "macs_gated", "macs_skipped_i", "macs_skipped", "nnz_a_i", "nnz_a",
      "nnz_b_i", "nnz_b", "max_row_nnz_i", "max_row_nnz", "row_nnz_i", "row_nnz", "irq_o",
      "irq_o"};
  size_t np = sizeof csr_pins / sizeof csr_pins[0];
  for (size_t i = 0; i < np; i += 2)
    emit(o, ".%-16s (%s)%s", csr_pins[i], csr_pins[i + 1], i + 2 < np ? "," : "");
  o->indent--;
  emit(o, ");");
  emit(o, "%s", "");
  emit(o, "%s_ctrl u_ctrl (", p);
  o->indent++;
  const char *ctrl_pins[] = {
      "clk_i", "clk_i", "rst_ni", "rst_ni", "start_i", "start", "abort_i", "abort",
      "cfg_mode_i", "cfg_mode", "cfg_k_i", "cfg_k", "cfg_thresh_i", "cfg_thresh", "cfg_acc_i",
      "cfg_acc", "s_axis_tvalid_i", "s_axis_tvalid_i", "s_axis_tready_o", "s_axis_tready_o",
      "s_axis_tlast_i", "s_axis_tlast_i", "ld_fire_o", "ld_fire", "ld_beat_o", "ld_beat",
      "ld_k_o", "ld_k", "ld_nnzb_i", "ld_nnzb", "job_start_o", "job_start", "kill_o", "kill",
      "clear_o", "clear", "row_run_o", "row_run", "row_sparse_o", "row_sparse", "k_len_o",
      "k_len", "rows_busy_i", "rows_busy", "issue_cnt_i", "issue_cnt", "gated_cnt_i",
      "gated_cnt", "max_row_nnz_i", "max_row_nnz", "drain_row_o", "drain_row", "drain_col_o",
      "drain_col", "drain_data_i", "drain_data", "m_axis_tdata_o", "m_axis_tdata_o",
      "m_axis_tvalid_o", "m_axis_tvalid_o", "m_axis_tready_i", "m_axis_tready_i",
      "m_axis_tlast_o", "m_axis_tlast_o", "busy_o", "busy", "done_o", "done", "tlast_err_o",
      "tlast_err", "state_o", "state", "mode_used_o", "mode_used", "cyc_total_o", "cyc_total",
      "cyc_load_o", "cyc_load", "cyc_compute_o", "cyc_compute", "cyc_drain_o", "cyc_drain",
      "macs_issued_o", "macs_issued", "macs_gated_o", "macs_gated", "macs_skipped_o",
      "macs_skipped", "nnz_b_o", "nnz_b"};
  np = sizeof ctrl_pins / sizeof ctrl_pins[0];
  for (size_t i = 0; i < np; i += 2)
    emit(o, ".%-16s (%s)%s", ctrl_pins[i], ctrl_pins[i + 1], i + 2 < np ? "," : "");
  o->indent--;
  emit(o, ");");
  o->indent--;
  emit(o, "%s", "");
  emit(o, "endmodule");
  emit(o, "`default_nettype wire");
  return o->oom ? -1 : 0;
}
