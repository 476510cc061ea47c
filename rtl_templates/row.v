@@HEADER@@
`default_nettype none

// One row r of the PE array: the row's slice of A with its non-zero map, the row feeder and
// the @@C@@ PEs of the row.
//
// Feeder: walks the row's window of @@W@@ k-positions at a time. The window mask holds the
// positions still to be issued: in DENSE mode every k < K, in SPARSE mode only the k whose
// A[r][k] is non-zero (from the non-zero map written at LOAD). Each cycle the priority
// encoder issues the lowest set position as a token (k, A[r][k]); when the window is used
// up the next window's mask is loaded in the same cycle, so DENSE issues one k per cycle
// without bubbles and SPARSE issues one non-zero per cycle (empty windows are jumped over
// with the window-occupancy map). Rows never wait on each other: every PE keeps a local copy
// of its column of B.
module @@P@@_row (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  input  wire                  job_start_i,  // START: clear the non-zero counter
  input  wire                  kill_i,       // ABORT: stop the feeder, drop tokens
  input  wire                  clear_i,      // zero the accumulators
  input  wire                  a_we_i,       // A[r][waddr] write (LOAD)
  input  wire [@@KW@@-1:0]     waddr_i,
  input  wire [@@DW@@-1:0]     a_wdata_i,
  input  wire [@@C@@-1:0]      b_we_i,       // B[waddr][c] write, one enable per column
  input  wire [@@BWW@@-1:0]    b_wdata_i,    // column c at [c*@@DW@@ +: @@DW@@]
  input  wire                  run_i,        // pulse: start the feeder
  input  wire                  sparse_i,     // mode used for this tile
  input  wire [@@KW@@:0]       k_len_i,      // K
  output wire                  busy_o,       // feeder still issuing
  output wire                  issue_o,      // a token was issued this cycle
  output wire [@@KW@@:0]       nnz_o,        // non-zeros of A in this row
  output wire [@@GCW@@-1:0]    gated_cnt_o,  // gated MAC slots this cycle
  input  wire [@@CCW@@-1:0]    rd_col_i,     // result read-back (DRAIN)
  output reg  [@@AW@@-1:0]     rd_data_o
);

  localparam integer WB  = @@WB@@;   // log2(window)
  localparam integer NWB = @@NWB@@;  // window index bits

  // ---------------------------------------------------------------- A memory, non-zero map
  reg  [@@DW@@-1:0]  amem  [0:@@KMAX@@-1];
  reg  [@@W@@-1:0]   nzmem [0:@@NWIN@@-1];
  reg  [@@DW@@-1:0]  a_rd_q;
  wire               a_nz = (a_wdata_i != @@DW@@'d0);
  wire [@@KW@@-1:0]  emit_k;

  // Memory idiom (writes and a registered read in one clocked block) so synthesis infers RAM.
  always @(posedge clk_i) begin
    if (a_we_i) begin
      amem[waddr_i] <= a_wdata_i;
      nzmem[waddr_i[@@KW@@-1:WB]][waddr_i[WB-1:0]] <= a_nz;
    end
    a_rd_q <= amem[emit_k];
  end

  // ---------------------------------------------------------------- feeder
  reg              run_q, run_d;
  reg              sparse_q, sparse_d;
  reg  [NWB-1:0]   win_q, win_d;
  reg  [@@W@@-1:0] mask_q, mask_d;
  reg  [@@KW@@:0]  nnz_q, nnz_d;
  reg              s1_v_q, s1_v_d;
  reg  [@@KW@@-1:0] s1_k_q;

  // Window-occupancy map: bit w is set when window w holds a non-zero of A for this job.
  // In SPARSE mode the feeder jumps straight to the next occupied window, so empty windows
  // cost nothing; in DENSE mode it visits every window below K in order.
  reg  [@@NWIN@@-1:0] occ_q, occ_d;
  reg  [@@NWIN@@-1:0] after_cur;   // windows after the current one (all of them before a run)
  reg  [NWB-1:0]      nxt_occ;     // first occupied window in after_cur
  integer             w;

  wire [NWB-1:0]   nxt_seq = win_q + @@NWB@@'d1;
  wire             sel_sparse = run_q ? sparse_q : sparse_i;
  wire [@@NWIN@@-1:0] cand = occ_q & after_cur;

  always @* begin
    for (w = 0; w < @@NWIN@@; w = w + 1) begin
      after_cur[w] = !run_q || (w[NWB-1:0] > win_q);
    end
  end

  always @* begin
    nxt_occ = {NWB{1'b0}};
    for (w = @@NWIN@@ - 1; w >= 0; w = w - 1) begin
      if (cand[w]) begin
        nxt_occ = w[NWB-1:0];
      end
    end
  end

  // the window the feeder moves to next, and whether there is one
  wire [NWB-1:0]   rd_win  = sel_sparse ? nxt_occ : (run_q ? nxt_seq : {NWB{1'b0}});
  wire             seq_end = ({1'b0, nxt_seq, {WB{1'b0}}} >= k_len_i) || (nxt_seq == {NWB{1'b0}});
  wire             has_nxt = sel_sparse ? (cand != {@@NWIN@@{1'b0}}) : (!run_q || !seq_end);
  wire [@@W@@-1:0] nz_word = nzmem[rd_win];
  reg  [@@W@@-1:0] valid_mask;
  reg  [WB-1:0]    idx;
  integer          i;

  // valid_mask[i]: position rd_win*W + i is below K
  always @* begin
    for (i = 0; i < @@W@@; i = i + 1) begin
      valid_mask[i] = ({1'b0, rd_win, i[WB-1:0]} < k_len_i);
    end
  end

  wire [@@W@@-1:0] load_mask = valid_mask & (sel_sparse ? nz_word : {@@W@@{1'b1}});
  wire [@@W@@-1:0] rest      = mask_q & (mask_q - {{(@@W@@-1){1'b0}}, 1'b1});
  wire             emit_v    = run_q && (mask_q != {@@W@@{1'b0}});

  // priority encoder: lowest set bit of the window mask
  always @* begin
    idx = {WB{1'b0}};
    for (i = @@W@@ - 1; i >= 0; i = i - 1) begin
      if (mask_q[i]) begin
        idx = i[WB-1:0];
      end
    end
  end

  assign emit_k = {win_q, idx};

  always @* begin
    run_d    = run_q;
    sparse_d = sparse_q;
    win_d    = win_q;
    mask_d   = mask_q;
    nnz_d    = nnz_q;
    s1_v_d   = emit_v;
    occ_d    = occ_q;
    if (job_start_i) begin
      nnz_d = {(@@KW@@+1){1'b0}};
      occ_d = {@@NWIN@@{1'b0}};
    end else if (a_we_i && a_nz) begin
      nnz_d = nnz_q + {{@@KW@@{1'b0}}, 1'b1};
      occ_d[waddr_i[@@KW@@-1:WB]] = 1'b1;
    end
    if (kill_i) begin
      run_d  = 1'b0;
      s1_v_d = 1'b0;
    end else if (run_i) begin
      // an all-zero row in SPARSE mode has no occupied window and never starts
      run_d    = has_nxt;
      sparse_d = sparse_i;
      win_d    = rd_win;
      mask_d   = load_mask;
    end else if (run_q && (rest == {@@W@@{1'b0}})) begin
      if (!has_nxt) begin
        run_d  = 1'b0;
        mask_d = {@@W@@{1'b0}};
      end else begin
        win_d  = rd_win;
        mask_d = load_mask;
      end
    end else if (run_q) begin
      mask_d = rest;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      run_q    <= 1'b0;
      sparse_q <= 1'b0;
      win_q    <= {NWB{1'b0}};
      mask_q   <= {@@W@@{1'b0}};
      nnz_q    <= {(@@KW@@+1){1'b0}};
      occ_q    <= {@@NWIN@@{1'b0}};
      s1_v_q   <= 1'b0;
    end else begin
      run_q    <= run_d;
      sparse_q <= sparse_d;
      win_q    <= win_d;
      mask_q   <= mask_d;
      nnz_q    <= nnz_d;
      occ_q    <= occ_d;
      s1_v_q   <= s1_v_d;
    end
  end

  // token payload: only looked at when s1_v_q is set
  always @(posedge clk_i) begin
    s1_k_q <= emit_k;
  end

  assign busy_o  = run_q;
  assign issue_o = emit_v;
  assign nnz_o   = nnz_q;

  // ---------------------------------------------------------------- PEs
@@PES@@
endmodule
