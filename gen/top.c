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

/* "[w-1:0]", or "" for a scalar (a 1-bit vector when `vector`). */
static void range(char *buf, size_t n, uint32_t w, int vector) {
  if (w == 1 && !vector)
    snprintf(buf, n, "%s", "");
  else
    snprintf(buf, n, "[%u:0]", w - 1);
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
      {"s_axis_tlast_i", "input", 1},  {"m_axis_tdata_o", "output", g->cfg->out_stream_w},
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

/* ------------------------------------------------------------------ nets of the top level
 * Every net joins ports of the instances (read back from their emitted text), top-level ports
 * and the top level's own logic. A net's width is its ports' width: two ports of different
 * widths on one net, a net without a driver or with two, or a port the top level does not
 * know how to connect fail the generation with a message naming them. */
#define TOP_MAX_NETS 128
#define TOP_CONN_MAX 16384 /* longest connection expression of a row port */
typedef struct top_net {
  char name[40];
  char first[64]; /* "sg_ctrl.busy_o" or "top" that set the width */
  uint32_t width;
  int drivers, is_port, is_reg, indexed; /* indexed: bit-selected, so a vector even at 1 bit */
} top_net_t;
typedef struct top_nets {
  top_net_t n[TOP_MAX_NETS];
  int count;
} top_nets_t;

static top_net_t *net_find(top_nets_t *t, const char *name) {
  for (int i = 0; i < t->count; i++)
    if (strcmp(t->n[i].name, name) == 0) return &t->n[i];
  return NULL;
}

/* Connects `who` (width w, driving the net or not) to net `name`. */
static int net_use(gen_ctx_t *g, top_nets_t *t, const char *name, uint32_t w, const char *who, int drives) {
  top_net_t *n = net_find(t, name);
  if (!n) {
    if (t->count == TOP_MAX_NETS) {
      snprintf(g->errbuf, sizeof g->errbuf, "internal: more than %d nets in the top level", TOP_MAX_NETS);
      return -1;
    }
    n = &t->n[t->count++];
    memset(n, 0, sizeof *n);
    snprintf(n->name, sizeof n->name, "%s", name);
    snprintf(n->first, sizeof n->first, "%s", who);
    n->width = w;
  } else if (n->width != w) {
    snprintf(g->errbuf, sizeof g->errbuf,
             "internal: port width mismatch on net %s: %s is %u bits, %s is %u bits", name,
             n->first, n->width, who, w);
    return -1;
  }
  n->drivers += drives;
  return 0;
}

static uint32_t net_w(top_nets_t *t, const char *name) {
  top_net_t *n = net_find(t, name);
  return n ? n->width : 0;
}

/* Net of an instance port: the top-level port of the same name, else the name without _i/_o. */
static void port_net(const top_nets_t *t, const char *port, char *net, size_t n) {
  for (int i = 0; i < t->count; i++)
    if (t->n[i].is_port && strcmp(t->n[i].name, port) == 0) {
      snprintf(net, n, "%s", port);
      return;
    }
  size_t len = strlen(port);
  if (len > 2 && (strcmp(port + len - 2, "_i") == 0 || strcmp(port + len - 2, "_o") == 0)) len -= 2;
  snprintf(net, n, "%.*s", (int)len, port);
}

typedef struct top_mod {
  const char *suffix;
  int (*emit)(gen_ctx_t *, sb_t *);
  gen_pport_t p[96];
  int n;
} top_mod_t;

/* Emits the module into a scratch buffer and reads its port list back. */
static int mod_ports(gen_ctx_t *g, top_mod_t *m) {
  sb_t t;
  sb_init(&t);
  int rc = m->emit(g, &t);
  if (rc == 0 && t.oom) rc = -1;
  if (rc == 0) {
    char err[256];
    m->n = gen_module_ports(sb_str(&t), m->p, 96, err, sizeof err);
    if (m->n < 0) {
      snprintf(g->errbuf, sizeof g->errbuf, "%s_%s: %s", g->cfg->name, m->suffix, err);
      rc = -1;
    }
  }
  sb_free(&t);
  return rc;
}

/* Entry slot s of the row port ent_<what>_i of row r, into buf. Slot 0 carries this row's
 * element of a dense A beat (interleaved or A section, registered: da_*_q), or the compressed A
 * decoder's slot 0;
 * slots > 0 only the decoder's (u_adec: slot s names its row, k and value; the two never meet:
 * the decoder's slots are a cycle behind the compressed beats, and no dense A beat follows
 * them within a cycle). */
static void ent_slots(const gen_ctx_t *g, const char *what, uint32_t r, char *buf, size_t n) {
  const uint32_t E = g->d.a_banks, NE = g->d.f.a_ents;
  const uint32_t DW = g->cfg->data_w, KW = g->d.kw;
  const uint32_t RWB = cfg_clog2(g->cfg->rows);
  size_t used = 0;
  used += (size_t)snprintf(buf + used, n - used, "{");
  for (uint32_t s = E; s-- > 0;) {
    char one[200] = "";
    if (strcmp(what, "v") == 0) {
      char ac[96] = "";
      if (s < NE) snprintf(ac, sizeof ac, "(ent_v[%u] && (ent_row[%u +: %u] == %u'd%u))", s, s * RWB, RWB, RWB, r);
      if (s == 0)
        snprintf(one, sizeof one, "(da_v_q[%u]%s%s)", r, NE > 0 ? " || " : "", ac);
      else
        snprintf(one, sizeof one, "%s", ac);
    } else if (strcmp(what, "k") == 0) {
      if (s == 0 && NE > 0)
        snprintf(one, sizeof one, "(ent_v[0] ? ent_k[0 +: %u] : da_k_q)", KW);
      else if (s == 0)
        snprintf(one, sizeof one, "da_k_q");
      else
        snprintf(one, sizeof one, "ent_k[%u +: %u]", s * KW, KW);
    } else {
      if (s == 0 && NE > 0)
        snprintf(one, sizeof one, "(ent_v[0] ? ent_a[0 +: %u] : da_a_q[%u +: %u])", DW, r * DW, DW);
      else if (s == 0)
        snprintf(one, sizeof one, "da_a_q[%u +: %u]", r * DW, DW);
      else
        snprintf(one, sizeof one, "ent_a[%u +: %u]", s * DW, DW);
    }
    int k = snprintf(buf + used, n - used, "%s%s", one, s ? ", " : "}");
    if (k < 0 || (size_t)k >= n - used) { /* cannot happen below TOP_CONN_MAX: cut, lint fails */
      buf[n - 1] = '\0';
      return;
    }
    used += (size_t)k;
  }
}

/* Connection of row port `port` of row r: the net or expression, and whether it is a shared
 * net (checked against the net table) rather than a per-row wire or a lane slice. */
static const char *row_conn(const gen_ctx_t *g, const char *port, uint32_t r, char *buf,
                            size_t n, int *shared) {
  static const char *const nets[][2] = {
      {"clk_i", "clk_i"},     {"rst_ni", "rst_ni"},         {"lstart_i", "lstart"},
      {"lbuf_i", "lbuf"},     {"cbuf_i", "cbuf"},           {"lk_len_i", "lk_len"},
      {"cap_i", "cap"},       {"kill_i", "kill"},           {"clear_i", "clear"},
      {"bc_data_i", "bc_data"},
      {"run_i", "row_run"},   {"sparse_i", "row_sparse"},   {"k_len_i", "k_len"},
      {"rd_col_i", "drain_col"}};
  static const char *const own[][2] = {{"busy_o", "busy_r"},  {"issue_o", "issue_r"},
                                       {"nnz_o", "nnz_r"},    {"gated_cnt_o", "gcnt_r"},
                                       {"afmt_o", "afmt_r"},  {"rd_data_o", "rd_r"},
                                       {"occ_o", "occ_r"},    {"room_o", "room_r"},
                                       {"bc_v_i", "bc_v_r"}};
  *shared = 1;
  for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++)
    if (strcmp(port, nets[i][0]) == 0) return nets[i][1];
  *shared = 0;
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    if (strcmp(port, own[i][0]) == 0) {
      snprintf(buf, n, "%s%u", own[i][1], r);
      return buf;
    }
  static const char *const ent[][2] = {{"ent_v_i", "v"}, {"ent_k_i", "k"}, {"ent_a_i", "a"}};
  for (size_t i = 0; i < sizeof ent / sizeof ent[0]; i++)
    if (strcmp(port, ent[i][0]) == 0) {
      ent_slots(g, ent[i][1], r, buf, n);
      return buf;
    }
  return NULL;
}

static void emit_inst(sb_t *o, const char *p, const top_mod_t *m, const top_nets_t *t, const char *inst) {
  emit(o, "%s_%s %s (", p, m->suffix, inst);
  o->indent++;
  for (int i = 0; i < m->n; i++) {
    char net[48];
    port_net(t, m->p[i].name, net, sizeof net);
    emit(o, ".%-16s (%s)%s", m->p[i].name, net, i + 1 < m->n ? "," : "");
  }
  o->indent--;
  emit(o, ");");
}

/* The nets: top ports, csr and ctrl ports, the row ports shared by all rows, and what the top
 * level's own logic drives. */
static int top_net_table(gen_ctx_t *g, top_nets_t *t, top_mod_t *mods, int nmods, const top_mod_t *row) {
  gen_port_t tp[40];
  int ntp = gen_top_ports(g, tp, 40);
  for (int i = 0; i < ntp; i++) {
    if (net_use(g, t, tp[i].name, tp[i].width, "top port", strcmp(tp[i].dir, "input") == 0)) return -1;
    net_find(t, tp[i].name)->is_port = 1; /* inputs are driven from outside */
  }
  for (int m = 0; m < nmods; m++)
    for (int i = 0; i < mods[m].n; i++) {
      char net[48], who[64];
      port_net(t, mods[m].p[i].name, net, sizeof net);
      snprintf(who, sizeof who, "%s_%s.%s", g->cfg->name, mods[m].suffix, mods[m].p[i].name);
      if (net_use(g, t, net, mods[m].p[i].width, who, mods[m].p[i].out)) return -1;
    }
  for (int i = 0; i < row->n; i++) {
    char buf[TOP_CONN_MAX], who[64];
    int shared;
    const char *net = row_conn(g, row->p[i].name, 0, buf, sizeof buf, &shared);
    snprintf(who, sizeof who, "%s_row.%s", g->cfg->name, row->p[i].name);
    if (!net) {
      snprintf(g->errbuf, sizeof g->errbuf, "internal: the top level does not know how to connect %s", who);
      return -1;
    }
    if (shared && net_use(g, t, net, row->p[i].width, who, row->p[i].out)) return -1;
  }
  /* driven by the top level's own logic below */
  const uint32_t R = g->cfg->rows;
  uint32_t nw = 0, gcw = 0, aw = 0;
  for (int i = 0; i < row->n; i++) {
    if (strcmp(row->p[i].name, "nnz_o") == 0) nw = row->p[i].width;
    if (strcmp(row->p[i].name, "gated_cnt_o") == 0) gcw = row->p[i].width;
    if (strcmp(row->p[i].name, "rd_data_o") == 0) aw = row->p[i].width;
  }
  const struct {
    const char *net;
    uint32_t width;
  } own[] = {{"b_we", g->cfg->cols},            {"b_wdata", g->cfg->cols * g->cfg->data_w},
             {"bc_data", net_w(t, "bc_data")},
             {"ld_nnzb", net_w(t, "ld_nnzb")},   {"rows_busy", 1},
             {"issue_cnt", net_w(t, "issue_cnt")}, {"gated_cnt", net_w(t, "gated_cnt")},
             {"arr_nnz_a", 32},                  {"arr_max_row_nnz", nw},
             {"arr_row_nnz", R * nw},            {"drain_data", aw},
             {"afmt_err", 1},                    {"a_end", 1}};
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
    if (g->d.f.a_ents > 0 && strcmp(own[i].net, "a_end") == 0) continue; /* the decoder's */
    if (net_use(g, t, own[i].net, own[i].width, "top-level logic", 1)) return -1;
  }
  net_find(t, "drain_data")->is_reg = 1;
  net_find(t, "b_we")->indexed = net_find(t, "b_wdata")->indexed = 1;
  net_find(t, "drain_row")->indexed = 1; /* one row index per result lane, part-selected */
  static const char *const slots[] = {"ent_v", "ent_row", "ent_k", "ent_a"}; /* decoder slots */
  for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
    if (net_find(t, slots[i])) net_find(t, slots[i])->indexed = 1;
  if (gcw > net_w(t, "gated_cnt")) {
    snprintf(g->errbuf, sizeof g->errbuf, "internal: the array-wide gated count is narrower than a row's");
    return -1;
  }
  for (int i = 0; i < t->count; i++)
    if (t->n[i].drivers != 1) {
      snprintf(g->errbuf, sizeof g->errbuf, "internal: net %s (first %s) has %d drivers", t->n[i].name,
               t->n[i].first, t->n[i].drivers);
      return -1;
    }
  return 0;
}

/* Widths of the top level's own logic: the widths of the nets it drives or reads. */
typedef struct top_w {
  uint32_t bw, nbw, icw, tgw, rrw, ow, nw, gcw, aw;
} top_w_t;

static void top_ports_and_nets(const gen_ctx_t *g, sb_t *o, const top_nets_t *t) {
  const cfg_t *c = g->cfg;
  const uint32_t R = c->rows, DW = c->data_w, LW = g->d.f.in_lane_w, EPB = g->d.f.elems_per_beat;
  char b1[32];
  emit(o, "module %s_top (", c->name);
  o->indent++;
  gen_port_t ports[40];
  int nports = gen_top_ports(g, ports, 40);
  (void)R, (void)DW, (void)LW, (void)EPB;
  const int unused_lanes = 1; /* padding lanes, lane bits above DATA_W, unused entry slot bits */
  for (int i = 0; i < nports; i++) {
    int waive = unused_lanes && strcmp(ports[i].name, "s_axis_tdata_i") == 0;
    if (waive) {
      emit(o, "// Lane bits above DATA_W, padding lanes and unused entry slot bits are ignored by");
      emit(o, "// design (docs/data-formats.md), so not every TDATA bit is read.");
      emit(o, "/* verilator lint_off UNUSED */");
    }
    range(b1, sizeof b1, ports[i].width, 0);
    emit(o, "%-6s wire %-8s %s%s", ports[i].dir, b1, ports[i].name, i + 1 < nports ? "," : "");
    if (waive) emit(o, "/* verilator lint_on UNUSED */");
  }
  o->indent--;
  emit(o, ");");
  o->indent++;
  emit(o, "%s", "");
  emit(o, "// nets between the instances, each as wide as the ports it joins");
  for (int i = 0; i < t->count; i++) {
    if (t->n[i].is_port) continue;
    /* the compressed-section flag is never set on a variant without the format */
    const int unread = g->d.f.a_ents == 0 && strcmp(t->n[i].name, "ld_ac") == 0;
    range(b1, sizeof b1, t->n[i].width, t->n[i].indexed);
    if (unread) emit(o, "/* verilator lint_off UNUSED */");
    emit(o, "%-4s %-8s %s;", t->n[i].is_reg ? "reg" : "wire", b1, t->n[i].name);
    if (unread) emit(o, "/* verilator lint_on UNUSED */");
  }
  emit(o, "%s", "");
}

static void top_lanes(const gen_ctx_t *g, sb_t *o, const top_w_t *w) {
  const uint32_t R = g->cfg->rows, C = g->cfg->cols, DW = g->cfg->data_w;
  const uint32_t LW = g->d.f.in_lane_w, EPB = g->d.f.elems_per_beat;
  char b1[128], b2[64];
  emit(o, "// ------------------------------------------------ operand lanes -> row memories");
  emit(o, "// slice element e sits in beat e/%u, lane e%%%u (%u-bit lanes); an interleaved slice", EPB, EPB, LW);
  emit(o, "// holds A[0..R-1][k] then B[k][0..C-1], an A section slice A[0..R-1][k], a B section");
  emit(o, "// slice B[k][0..C-1]: A element r is at the same place in both, B element c is not");
  for (uint32_t j = 0; j < C; j++) {
    uint32_t e = R + j;
    emit(o, "assign b_we[%u] = ld_fire && ((ld_il && (ld_beat == %u'd%u)) || (ld_b && (ld_beat == %u'd%u)));",
         j, w->bw, e / EPB, w->bw, j / EPB);
    if (e % EPB == j % EPB)
      emit(o, "assign b_wdata[%u +: %u] = s_axis_tdata_i[%u +: %u];", j * DW, DW, (e % EPB) * LW, DW);
    else
      emit(o, "assign b_wdata[%u +: %u] = ld_il ? s_axis_tdata_i[%u +: %u] : s_axis_tdata_i[%u +: %u];",
           j * DW, DW, (e % EPB) * LW, DW, (j % EPB) * LW, DW);
  }
  emit(o, "%s", "");
  if (g->d.f.a_ents == 0) emit(o, "assign a_end = 1'b0; // no compressed A format");
  emit(o, "// dense A: row r's element of an A beat (interleaved slice or A section), registered:");
  emit(o, "// the rows append it one cycle after its beat, as the compressed A decoder's entries");
  emit(o, "reg  [%u:0] da_v_q;", R - 1);
  emit(o, "reg  [%u:0] da_k_q;", g->d.kw - 1);
  emit(o, "reg  [%u:0] da_a_q;", R * DW - 1);
  emit(o, "always @(posedge clk_i) begin");
  emit(o, "  if (!rst_ni || kill) begin");
  emit(o, "    da_v_q <= %u'd0;", R);
  emit(o, "  end else begin");
  for (uint32_t r = 0; r < R; r++)
    emit(o, "    da_v_q[%u] <= ld_fire && (ld_il || ld_ad) && (ld_beat == %u'd%u);", r, w->bw, r / EPB);
  emit(o, "  end");
  emit(o, "end");
  emit(o, "always @(posedge clk_i) begin");
  emit(o, "  da_k_q <= ld_k;");
  for (uint32_t r = 0; r < R; r++)
    emit(o, "  da_a_q[%u +: %u] <= s_axis_tdata_i[%u +: %u];", r * DW, DW, (r % EPB) * LW, DW);
  emit(o, "end");
  emit(o, "// non-zeros of B written by this beat");
  emit(o, "assign ld_nnzb =");
  for (uint32_t j = 0; j < C; j++) {
    snprintf(b2, sizeof b2, "(b_we[%u] && (b_wdata[%u +: %u] != %u'd0))", j, j * DW, DW, DW);
    zext(b1, sizeof b1, b2, 1, w->nbw);
    emit(o, "    %s%s", b1, j + 1 < C ? " +" : ";");
  }
  emit(o, "%s", "");
}

static void top_rows(const gen_ctx_t *g, sb_t *o, const top_mod_t *row) {
  char b1[32], buf[TOP_CONN_MAX];
  int shared;
  emit(o, "// ------------------------------------------------ rows");
  for (uint32_t r = 0; r < g->cfg->rows; r++) {
    for (int i = 0; i < row->n; i++) {
      const char *net = row_conn(g, row->p[i].name, r, buf, sizeof buf, &shared);
      /* the row's capture enable is a register of the fetcher (top_bwin) */
      const int reg = strcmp(row->p[i].name, "bc_v_i") == 0;
      if ((!row->p[i].out && !reg) || shared) continue;
      range(b1, sizeof b1, row->p[i].width, 0);
      emit(o, "%s %-8s %s;", reg ? "reg " : "wire", b1, net);
    }
    emit(o, "%s_row u_row_%u (", g->cfg->name, r);
    o->indent++;
    for (int i = 0; i < row->n; i++)
      emit(o, ".%-12s (%s)%s", row->p[i].name, row_conn(g, row->p[i].name, r, buf, sizeof buf, &shared),
           i + 1 < row->n ? "," : "");
    o->indent--;
    emit(o, ");");
  }
  emit(o, "%s", "");
}

/* One copy of B: W banks of KMAX/W words of C x DATA_W bits (bank o holds row w*W + o of B at
 * word w, column c in lane c; the B lanes write their columns with a lane enable each),
 * written by the B lanes, and the fetcher that reads one window per cycle during COMPUTE and
 * broadcasts it to the rows (docs/architecture.md, "One copy of B"). */
static void top_bwin(const gen_ctx_t *g, sb_t *o) {
  const cfg_t *c = g->cfg;
  const uint32_t R = c->rows, C = c->cols, DW = c->data_w, KW = g->d.kw, W = c->window;
  const uint32_t LWB = g->d.wb, NWIN = c->kmax / W, NWW = cfg_clog2(NWIN);
  emit(o, "// ------------------------------------------------ B: one copy, window fetcher");
  emit(o, "reg            bf_act_q;   // fetching for the job in COMPUTE");
  emit(o, "reg            bf_sp_q;    // its mode is SPARSE");
  emit(o, "reg  [%u:0]    bf_f_q;     // next window to fetch (%u: none left)", NWW, NWIN);
  emit(o, "reg  [%u:0]    bf_rem_q;   // windows to fetch after bf_f_q", NWIN - 1);
  emit(o, "reg  [%u:0]    bf_dm_q;    // DENSE: windows 0..(K-1)/W of the job's K", NWIN - 1);
  emit(o, "reg  [%u:0]    bf_occ_q;   // SPARSE: windows some row needs (the OR of the rows' occupancy)", NWIN - 1);
  emit(o, "reg  [%u:0]    bf_src, bf_lo, bf_rest, bf_rest_r, bf_rest_o;", NWIN - 1);
  emit(o, "reg  [%u:0]    bf_nf;", NWW);
  emit(o, "reg            bf_ok;");
  emit(o, "integer        bf_i;");
  emit(o, "// row r needs window bf_f_q (SPARSE), registered with bf_f_q from the one-hot of the next");
  for (uint32_t r = 0; r < R; r++) emit(o, "reg            bf_need_q%u;", r);
  emit(o, "// both start sets are registered every cycle: the computed list and K are the job's from");
  emit(o, "// its first DECIDE cycle on, two cycles before the run pulse");
  emit(o, "// DENSE window mask from K (one-hot and");
  emit(o, "// thermometer codes instead of comparators; the top bit is only there for the carry)");
  emit(o, "/* verilator lint_off UNUSEDSIGNAL */");
  emit(o, "wire [%u:0]    bf_km1 = k_len - {{%u{1'b0}}, 1'b1};", KW, KW);
  emit(o, "wire [%u:0]    bf_dm1 = {{%u{1'b0}}, 1'b1} << bf_km1[%u:%u];  // the last DENSE window", NWIN, NWIN, KW, LWB);
  emit(o, "wire [%u:0]    bf_dm  = (bf_dm1 << 1) - {{%u{1'b0}}, 1'b1};    // windows 0..(K-1)/W", NWIN, NWIN);
  emit(o, "/* verilator lint_on UNUSEDSIGNAL */");
  emit(o, "always @* begin");
  emit(o, "  // the set the next window comes from: at the run pulse the windows some row needs");
  emit(o, "  // (SPARSE: the OR of the rows' occupancy, DENSE: 0..(K-1)/W), then the rest");
  emit(o, "  bf_src = !row_run ? bf_rem_q : row_sparse ? bf_occ_q : bf_dm_q;");
  emit(o, "  // the rest, the set without its lowest window: x & (x - 1), a carry chain (a prefix tree");
  emit(o, "  // or a bit-serial loop of logic would be a long chain of LUT levels), from the registers");
  emit(o, "  // themselves (the choice of set after the chain, not before it): one chain for the");
  emit(o, "  // windows still to fetch, one for SPARSE's start set; DENSE's lowest window is always 0");
  emit(o, "  // (bf_dm is odd: 2^n - 1, or all ones when K - 1 is past the last window)");
  emit(o, "  bf_rest_r = bf_rem_q & (bf_rem_q - {{%u{1'b0}}, 1'b1});", NWIN - 1);
  emit(o, "  bf_rest_o = bf_occ_q & (bf_occ_q - {{%u{1'b0}}, 1'b1});", NWIN - 1);
  emit(o, "  bf_rest = !row_run ? bf_rest_r : row_sparse ? bf_rest_o : {bf_dm_q[%u:1], 1'b0};", NWIN - 1);
  emit(o, "  bf_lo   = !row_run ? (bf_rem_q & ~bf_rest_r) : row_sparse ? (bf_occ_q & ~bf_rest_o) :");
  emit(o, "            {{%u{1'b0}}, 1'b1};", NWIN - 1);
  emit(o, "  bf_nf   = {(bf_src == {%u{1'b0}}), {%u{1'b0}}};", NWIN, NWW);
  emit(o, "  for (bf_i = 0; bf_i < %u; bf_i = bf_i + 1) begin", NWIN);
  emit(o, "    if (bf_lo[bf_i]) bf_nf = bf_nf | {1'b0, bf_i[%u:0]};", NWW - 1);
  emit(o, "  end");
  emit(o, "  // window bf_f_q goes out when every row that needs it has room");
  sb_printf(o, "  bf_ok = bf_act_q && (bf_f_q != %u'd%u)", NWW + 1, NWIN);
  for (uint32_t r = 0; r < R; r++)
    sb_printf(o, " &&\n          (room_r%u || (bf_sp_q && !bf_need_q%u))", r, r);
  sb_printf(o, ";\n");
  emit(o, "end");
  emit(o, "always @(posedge clk_i) begin");
  emit(o, "  bf_dm_q  <= bf_dm[%u:0];", NWIN - 1);
  sb_printf(o, "  bf_occ_q <= ");
  for (uint32_t r = 0; r < R; r++) sb_printf(o, "occ_r%u%s", r, r + 1 < R ? " | " : ";\n");
  emit(o, "  if (!rst_ni || kill) begin");
  emit(o, "    bf_act_q <= 1'b0;");
  emit(o, "    bf_sp_q  <= 1'b0;");
  emit(o, "    bf_f_q   <= %u'd%u;", NWW + 1, NWIN);
  emit(o, "    bf_rem_q <= {%u{1'b0}};", NWIN);
  for (uint32_t r = 0; r < R; r++) emit(o, "    bc_v_r%u   <= 1'b0;", r);
  for (uint32_t r = 0; r < R; r++) emit(o, "    bf_need_q%u <= 1'b0;", r);
  emit(o, "  end else begin");
  emit(o, "    // row r captures the window sent now if it needs it (every window in DENSE)");
  for (uint32_t r = 0; r < R; r++)
    emit(o, "    bc_v_r%u <= bf_ok && (!bf_sp_q || bf_need_q%u);", r, r);
  emit(o, "    if (row_run || bf_ok) begin");
  emit(o, "      bf_f_q   <= bf_nf;");
  emit(o, "      bf_rem_q <= bf_rest;");
  for (uint32_t r = 0; r < R; r++) emit(o, "      bf_need_q%u <= |(occ_r%u & bf_lo);", r, r);
  emit(o, "    end");
  emit(o, "    if (row_run) begin");
  emit(o, "      bf_act_q <= 1'b1;");
  emit(o, "      bf_sp_q  <= row_sparse;");
  emit(o, "    end");
  emit(o, "  end");
  emit(o, "end");
  emit(o, "genvar bo;");
  emit(o, "generate");
  emit(o, "  for (bo = 0; bo < %u; bo = bo + 1) begin : gen_bwo", W);
  emit(o, "    reg [%u:0] bmem [0:%u];", C * DW - 1, NWIN - 1);
  emit(o, "    reg [%u:0] brd_q;", C * DW - 1);
  emit(o, "    integer    bcol;");
  emit(o, "    always @(posedge clk_i) begin");
  emit(o, "      for (bcol = 0; bcol < %u; bcol = bcol + 1) begin", C);
  emit(o, "        if (b_we[bcol] && (ld_k[%u:0] == bo)) begin", LWB - 1);
  emit(o, "          bmem[ld_k[%u:%u]][bcol*%u +: %u] <= b_wdata[bcol*%u +: %u];", KW - 1, LWB, DW, DW, DW, DW);
  emit(o, "        end");
  emit(o, "      end");
  emit(o, "      if (bf_ok) begin");
  emit(o, "        brd_q <= bmem[bf_f_q[%u:0]];", NWW - 1);
  emit(o, "      end");
  emit(o, "    end");
  emit(o, "    assign bc_data[bo*%u +: %u] = brd_q;", C * DW, C * DW);
  emit(o, "  end");
  emit(o, "endgenerate");
  emit(o, "%s", "");
}

/* "    {pad, <stem>0} +" ... one summand per row, each zero-extended from `from` to `to` bits. */
static void top_sum(const gen_ctx_t *g, sb_t *o, const char *net, const char *stem, uint32_t from, uint32_t to) {
  char b1[128], b2[48];
  emit(o, "assign %s =", net);
  for (uint32_t r = 0; r < g->cfg->rows; r++) {
    snprintf(b2, sizeof b2, "%s%u", stem, r);
    zext(b1, sizeof b1, b2, from, to);
    emit(o, "    %s%s", b1, r + 1 < g->cfg->rows ? " +" : ";");
  }
}

static void top_sums_and_mux(const gen_ctx_t *g, sb_t *o, const top_w_t *w) {
  const uint32_t R = g->cfg->rows;
  emit(o, "// ------------------------------------------------ array-wide sums");
  /* the decoder checks the stream format; the rows flag what they cannot append (a row of the
     job with more non-zeros than the list capacity A_CAP, and on a dense A section the
     format rules): ERR.AFMT is the OR of both */
  sb_printf(o, "  assign afmt_err = %s", g->d.f.a_ents > 0 ? "dec_afmt" : "1'b0");
  for (uint32_t r = 0; r < R; r++) sb_printf(o, " || afmt_r%u", r);
  sb_printf(o, ";\n");
  sb_printf(o, "  assign rows_busy =");
  for (uint32_t r = 0; r < R; r++) sb_printf(o, " busy_r%u%s", r, r + 1 < R ? " ||" : ";\n");
  top_sum(g, o, "issue_cnt", "issue_r", 1, w->icw);
  top_sum(g, o, "gated_cnt", "gcnt_r", w->gcw, w->tgw);
  top_sum(g, o, "arr_nnz_a", "nnz_r", w->nw, 32);
  emit(o, "// running maximum over the rows' non-zero counts");
  emit(o, "wire [%u:0]    mx_r0 = nnz_r0;", w->nw - 1);
  for (uint32_t r = 1; r < R; r++)
    emit(o, "wire [%u:0]    mx_r%u = (nnz_r%u > mx_r%u) ? nnz_r%u : mx_r%u;", w->nw - 1, r, r, r - 1, r,
         r - 1);
  emit(o, "assign arr_max_row_nnz = mx_r%u;", R - 1);
  sb_printf(o, "  assign arr_row_nnz = {");
  for (uint32_t r = R; r-- > 0;) sb_printf(o, "nnz_r%u%s", r, r ? ", " : "};\n");
  emit(o, "%s", "");
  emit(o, "// result multiplexer (DRAIN), one per result lane");
  emit(o, "always @* begin");
  const uint32_t NL = g->d.f.results_per_beat, RRW = w->rrw, AW = w->aw;
  for (uint32_t l = 0; l < NL; l++) {
    emit(o, "  case (drain_row[%u +: %u])", l * RRW, RRW);
    for (uint32_t r = 0; r < R; r++)
      emit(o, "    %u'd%u: drain_data[%u +: %u] = rd_r%u[%u +: %u];", RRW, r, l * AW, AW, r, l * AW, AW);
    if (R < (1u << RRW)) emit(o, "    default: drain_data[%u +: %u] = rd_r0[%u +: %u];", l * AW, AW, l * AW, AW);
    emit(o, "  endcase");
  }
  emit(o, "end");
  emit(o, "%s", "");
}

int emit_top(gen_ctx_t *g, sb_t *o) {
  const cfg_t *c = g->cfg;
  top_mod_t mods[3] = {{"csr", emit_csr, {{{0}, 0, 0}}, 0},
                       {"ctrl", emit_ctrl, {{{0}, 0, 0}}, 0},
                       {"adec", emit_adec, {{{0}, 0, 0}}, 0}};
  const int nmods = g->d.f.a_ents > 0 ? 3 : 2; /* the decoder only with the compressed format */
  top_mod_t row = {"row", emit_row, {{{0}, 0, 0}}, 0};
  top_nets_t t;
  memset(&t, 0, sizeof t);
  for (int i = 0; i < nmods; i++)
    if (mod_ports(g, &mods[i])) return -1;
  if (mod_ports(g, &row) || top_net_table(g, &t, mods, nmods, &row)) return -1;
  top_w_t w = {net_w(&t, "ld_beat"),   net_w(&t, "ld_nnzb"),   net_w(&t, "issue_cnt"),
               net_w(&t, "gated_cnt"), net_w(&t, "drain_row"), net_w(&t, "m_axis_tdata_o"),
               net_w(&t, "max_row_nnz"), 0, 0};
  for (int i = 0; i < row.n; i++)
    if (strcmp(row.p[i].name, "gated_cnt_o") == 0) w.gcw = row.p[i].width;
  w.rrw /= g->d.f.results_per_beat; /* drain_row holds one row index per result lane */
  w.aw = c->acc_w;

  emit_header(g, o, "//");
  emit(o, "`default_nettype none");
  emit(o, "%s", "");
  emit(o, "// Top level of a %ux%u sparsegen array: AXI4-Lite control/status slave, AXI4-Stream",
       c->rows, c->cols);
  emit(o, "// operand slave (%u bits), AXI4-Stream result master (%u bits). One clock, synchronous",
       c->stream_w, w.ow);
  emit(o, "// active-low reset. See docs/architecture.md and regmap.md.");
  top_ports_and_nets(g, o, &t);
  top_lanes(g, o, &w);
  top_bwin(g, o);
  top_rows(g, o, &row);
  top_sums_and_mux(g, o, &w);
  emit(o, "// ------------------------------------------------ control");
  emit_inst(o, c->name, &mods[0], &t, "u_csr");
  emit(o, "%s", "");
  emit_inst(o, c->name, &mods[1], &t, "u_ctrl");
  if (nmods > 2) {
    emit(o, "%s", "");
    emit_inst(o, c->name, &mods[2], &t, "u_adec");
  }
  o->indent--;
  emit(o, "%s", "");
  emit(o, "endmodule");
  emit(o, "`default_nettype wire");
  return o->oom ? -1 : 0;
}
