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
// with the window-occupancy map); a run starts with one bubble cycle while the first window
// is prefetched. Rows never wait on each other: every PE keeps a local copy of its column of B.
@@PORTS@@
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
  //
  // Prefetch: the next window (its index, its mask, whether there is one) is kept in
  // registers, computed one step ahead from the window the feeder is moving to. So the
  // occupancy search and the non-zero-map read sit on a register-to-register path of their
  // own, and switching windows is a plain register copy. A run starts with one bubble cycle
  // while the first window is fetched.
  reg  [@@NWIN@@-1:0] occ_q, occ_d;
  reg  [NWB-1:0]      pf_win_q, pf_win_d;   // prefetched next window
  reg  [@@W@@-1:0]    pf_mask_q, pf_mask_d; // its mask
  reg                 pf_has_q, pf_has_d;   // there is a next window
  reg  [@@NWIN@@-1:0] after_base;           // windows after the base (all of them at a start)
  reg  [NWB-1:0]      nxt_occ;              // first occupied window in after_base
  integer             w;

  // the prefetch looks past pf_base: the window being switched to (or, at a start, nothing)
  wire                pf_start   = run_i;
  wire [NWB-1:0]      pf_base    = pf_win_q;
  wire                sel_sparse = run_q ? sparse_q : sparse_i;
  wire [NWB-1:0]      nxt_seq    = pf_base + @@NWB@@'d1;
  wire [@@NWIN@@-1:0] cand       = occ_q & after_base;

  always @* begin
    for (w = 0; w < @@NWIN@@; w = w + 1) begin
      after_base[w] = pf_start || (w[NWB-1:0] > pf_base);
    end
  end

  // first occupied window: isolate the lowest set bit (x & -x, a carry chain), then encode
  // the one-hot vector with an OR tree (log depth, unlike a priority if-chain)
  wire [@@NWIN@@-1:0] cand_low = cand & (~cand + @@NWIN@@'d1);
  always @* begin
    nxt_occ = {NWB{1'b0}};
    for (w = 0; w < @@NWIN@@; w = w + 1) begin
      nxt_occ = nxt_occ | ({NWB{cand_low[w]}} & w[NWB-1:0]);
    end
  end

  wire [NWB-1:0]   rd_win  = sel_sparse ? nxt_occ : (pf_start ? {NWB{1'b0}} : nxt_seq);
  wire             seq_end = ({1'b0, nxt_seq, {WB{1'b0}}} >= k_len_i) || (nxt_seq == {NWB{1'b0}});
  wire             has_nxt = sel_sparse ? (cand != {@@NWIN@@{1'b0}}) : (pf_start || !seq_end);
  wire [@@W@@-1:0] nz_word = nzmem[rd_win];
  reg  [@@W@@-1:0] valid_mask;
  reg  [WB-1:0]    idx;
  integer          i;

  // Positions at or past K exist only in the last window below K; its mask of valid
  // positions is precomputed into registers (K is fixed from START on, and a run begins at
  // least two cycles later), so the window switch only compares window indices.
  // K-1 < KMAX: its top bit is always 0 and only its window-index bits are needed
  /* verilator lint_off UNUSED */
  wire [@@KW@@:0]  k_last   = k_len_i - @@KW1@@'d1;
  /* verilator lint_on UNUSED */
  reg  [NWB-1:0]   last_win_q;
  reg  [@@W@@-1:0] last_mask_q, last_mask_d;
  always @* begin
    for (i = 0; i < @@W@@; i = i + 1) begin
      last_mask_d[i] = ({1'b0, k_last[@@KW@@-1:WB], i[WB-1:0]} < k_len_i);
    end
  end
  always @(posedge clk_i) begin
    last_win_q  <= k_last[@@KW@@-1:WB];
    last_mask_q <= last_mask_d;
  end
  always @* begin
    valid_mask = (rd_win == last_win_q) ? last_mask_q : {@@W@@{1'b1}};
  end

  wire [@@W@@-1:0] load_mask = valid_mask & (sel_sparse ? nz_word : {@@W@@{1'b1}});
  // priority encoder: lowest set bit of the window mask (x & -x, then an OR-tree encode)
  wire [@@W@@-1:0] mask_low  = mask_q & (~mask_q + @@W@@'d1);
  wire [@@W@@-1:0] rest      = mask_q ^ mask_low;
  wire             emit_v    = run_q && (mask_q != {@@W@@{1'b0}});

  always @* begin
    idx = {WB{1'b0}};
    for (i = 0; i < @@W@@; i = i + 1) begin
      idx = idx | ({WB{mask_low[i]}} & i[WB-1:0]);
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
    pf_win_d  = pf_win_q;
    pf_mask_d = pf_mask_q;
    pf_has_d  = pf_has_q;
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
      // bubble cycle: nothing to issue yet, the first window is being prefetched
      run_d     = 1'b1;
      sparse_d  = sparse_i;
      mask_d    = {@@W@@{1'b0}};
      pf_win_d  = rd_win;
      pf_mask_d = load_mask;
      pf_has_d  = has_nxt;
    end else if (run_q && (rest == {@@W@@{1'b0}})) begin
      // current window used up (or empty): switch to the prefetched one, fetch the one after
      if (!pf_has_q) begin
        run_d  = 1'b0;
        mask_d = {@@W@@{1'b0}};
      end else begin
        win_d     = pf_win_q;
        mask_d    = pf_mask_q;
        pf_win_d  = rd_win;
        pf_mask_d = load_mask;
        pf_has_d  = has_nxt;
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
      pf_win_q  <= {NWB{1'b0}};
      pf_mask_q <= {@@W@@{1'b0}};
      pf_has_q  <= 1'b0;
      s1_v_q   <= 1'b0;
    end else begin
      run_q    <= run_d;
      sparse_q <= sparse_d;
      win_q    <= win_d;
      mask_q   <= mask_d;
      nnz_q    <= nnz_d;
      occ_q    <= occ_d;
      pf_win_q  <= pf_win_d;
      pf_mask_q <= pf_mask_d;
      pf_has_q  <= pf_has_d;
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
`default_nettype wire
