@@HEADER@@
`default_nettype none

// One row r of a DENSE-ONLY PE array (--sparsity dense): the row's slice of A, a counter that
// issues every k < K once per cycle (once its B window is in the row's window buffer), and the
// @@C@@ PEs of the row. This is the baseline the sparse-capable row is compared against.
//
@@PORTS@@
  localparam integer LWB = @@LWB@@;  // log2(window)
  localparam integer WD  = @@WD@@;   // window slots
  localparam integer DPW = @@DPW@@;  // slot index bits
  localparam integer CNW = @@CNW@@;  // slot count bits
  localparam integer BRW = @@BRW@@;  // one row of B: C x DATA_W
  localparam [DPW-1:0] WD_M1 = @@WD_M1@@;
  localparam [CNW-1:0] WD_C  = @@WD@@;
  // ---------------------------------------------------------------- A memory
  // two copies of A (the one the LOAD stage fills, the one the COMPUTE stage reads)
  reg  [@@DW@@-1:0]  amem [0:2*@@KMAX@@-1];
  reg  [@@DW@@-1:0]  a_rd_q;
  // dense A arrives one element per row per beat, in slot 0 (no compressed format here)
  wire               a_we    = ent_v_i[0];
  wire [@@KW@@-1:0]  waddr   = ent_k_i[@@KW@@-1:0];
  wire [@@DW@@-1:0]  a_wdata = ent_a_i[@@DW@@-1:0];
  wire               a_nz    = (a_wdata != @@DW@@'d0);
  wire [@@KW@@-1:0]  emit_k;

  // Memory idiom (write and a registered read in one clocked block) so synthesis infers RAM.
  always @(posedge clk_i) begin
    if (a_we) begin
      amem[{lbuf_i, waddr}] <= a_wdata;
    end
    a_rd_q <= amem[{cbuf_i, emit_k}];
  end

  // ---------------------------------------------------------------- feeder: k = 0 .. K-1
  reg               run_q, run_d;
  reg  [@@KW@@-1:0] k_q, k_d;
  reg  [@@KW@@:0]   n0_q, n0_d;   // non-zeros of copy 0
  reg  [@@KW@@:0]   n1_q, n1_d;   // non-zeros of copy 1
  wire [@@KW@@:0]   n_l = lbuf_i ? n1_q : n0_q;
  wire [@@KW@@:0]   nnz_q = cbuf_i ? n1_q : n0_q;
  reg               s1_v_q, s1_v_d;
  // window buffer: a ring of WD slots filled in window order with every broadcast window
  reg  [DPW-1:0]    wr_q, wr_d;
  reg  [DPW-1:0]    rs_q, rs_d;        // oldest live slot
  reg  [CNW-1:0]    cnt_q, cnt_d;      // live slots
  reg               fi_q, fi_d;        // no token issued yet in this run
  wire              cap     = bc_v_i;
  wire              nxt     = (k_q[LWB-1:0] == {LWB{1'b0}}) && !fi_q;
  wire              present = nxt ? (cnt_q > {{(CNW-1){1'b0}}, 1'b1}) : (cnt_q != {CNW{1'b0}});
  wire [DPW-1:0]    rs_n    = (rs_q == WD_M1) ? {DPW{1'b0}} : rs_q + {{(DPW-1){1'b0}}, 1'b1};
  wire [DPW-1:0]    rsel    = nxt ? rs_n : rs_q;
  wire              go      = run_q && present;

  wire              emit_v = go;
  wire              last_k = ({1'b0, k_q} == k_len_i - @@KW1@@'d1);
  assign emit_k = k_q;

  always @* begin
    run_d  = run_q;
    k_d    = k_q;
    n0_d   = n0_q;
    n1_d   = n1_q;
    s1_v_d = emit_v;
    wr_d   = wr_q;
    rs_d   = rs_q;
    fi_d   = fi_q;
    cnt_d  = cnt_q + {{(CNW-1){1'b0}}, cap} - {{(CNW-1){1'b0}}, go && nxt};
    if (cap) begin
      wr_d = (wr_q == WD_M1) ? {DPW{1'b0}} : wr_q + {{(DPW-1){1'b0}}, 1'b1};
    end
    if (go) begin
      fi_d = 1'b0;
      rs_d = rsel;
    end
    if (kill_i || run_i) begin
      wr_d  = {DPW{1'b0}};
      rs_d  = {DPW{1'b0}};
      cnt_d = {CNW{1'b0}};
      fi_d  = 1'b1;
    end
    if (lstart_i) begin
      if (lbuf_i) begin
        n1_d = {(@@KW@@+1){1'b0}};
      end else begin
        n0_d = {(@@KW@@+1){1'b0}};
      end
    end else if (a_we && a_nz) begin
      if (lbuf_i) begin
        n1_d = n_l + {{@@KW@@{1'b0}}, 1'b1};
      end else begin
        n0_d = n_l + {{@@KW@@{1'b0}}, 1'b1};
      end
    end
    if (kill_i) begin
      run_d  = 1'b0;
      s1_v_d = 1'b0;
    end else if (run_i) begin
      run_d = 1'b1;
      k_d   = {@@KW@@{1'b0}};
    end else if (go) begin
      if (last_k) begin
        run_d = 1'b0;
      end
      k_d = k_q + @@KW@@'d1;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      run_q  <= 1'b0;
      k_q    <= {@@KW@@{1'b0}};
      n0_q   <= {(@@KW@@+1){1'b0}};
      n1_q   <= {(@@KW@@+1){1'b0}};
      s1_v_q <= 1'b0;
      wr_q   <= {DPW{1'b0}};
      rs_q   <= {DPW{1'b0}};
      cnt_q  <= {CNW{1'b0}};
      fi_q   <= 1'b1;
    end else begin
      run_q  <= run_d;
      k_q    <= k_d;
      n0_q   <= n0_d;
      n1_q   <= n1_d;
      s1_v_q <= s1_v_d;
      wr_q   <= wr_d;
      rs_q   <= rs_d;
      cnt_q  <= cnt_d;
      fi_q   <= fi_d;
    end
  end

  // window slots (no reset: a slot is read only while it is live): one memory of WD windows
  // with a registered read (block RAM where the target has it); the read of the slot the
  // token issues from and the token's offset are registered together, the offset selects the
  // token's row of B after the read register (the cycle s1_b_q took before)
  reg  [@@WBW@@-1:0] wbuf [0:WD-1];
  reg  [@@WBW@@-1:0] wrd_q;
  reg  [LWB-1:0]     eo_q;
  always @(posedge clk_i) begin
    if (cap) begin
      wbuf[wr_q] <= bc_data_i;
    end
    wrd_q <= wbuf[rsel];
  end

  // token payload: only looked at when s1_v_q is set
  always @(posedge clk_i) begin
    eo_q   <= k_q[LWB-1:0];
  end
  wire [BRW-1:0]     s1_b = wrd_q[eo_q*BRW +: BRW];  // the token's row of B

  assign busy_o  = run_q;
  assign issue_o = s1_v_q;   // registered: counted one cycle after the issue
  assign nnz_o   = nnz_q;
  assign afmt_o  = 1'b0;
  // no compressed entries here: the loading job's K is not needed
  // and every broadcast window is taken (no occupancy: DENSE needs them all)
  /* verilator lint_off UNUSED */
  wire   unused_lk = ^lk_len_i;
  /* verilator lint_on UNUSED */
  assign occ_o   = {@@NWIN@@{1'b0}};
  assign room_o  = ({1'b0, cnt_q} + {{CNW{1'b0}}, cap}) < {1'b0, WD_C};

  // ---------------------------------------------------------------- PEs
@@PES@@
endmodule
`default_nettype wire
