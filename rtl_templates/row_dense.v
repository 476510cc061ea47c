@@HEADER@@
`default_nettype none

// One row r of a DENSE-ONLY PE array (--sparsity dense): the row's slice of A, a counter that
// issues every k < K once per cycle, and the @@C@@ PEs of the row. This is the baseline the
// sparse-capable row (non-zero map + priority-encoder feeder) is compared against.
//
@@PORTS@@
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
  reg  [@@KW@@-1:0] s1_k_q;

  wire              emit_v = run_q;
  wire              last_k = ({1'b0, k_q} == k_len_i - @@KW1@@'d1);
  assign emit_k = k_q;

  always @* begin
    run_d  = run_q;
    k_d    = k_q;
    n0_d   = n0_q;
    n1_d   = n1_q;
    s1_v_d = emit_v;
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
    end else if (run_q) begin
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
    end else begin
      run_q  <= run_d;
      k_q    <= k_d;
      n0_q   <= n0_d;
      n1_q   <= n1_d;
      s1_v_q <= s1_v_d;
    end
  end

  // token payload: only looked at when s1_v_q is set
  always @(posedge clk_i) begin
    s1_k_q <= emit_k;
  end

  assign busy_o  = run_q;
  assign issue_o = emit_v;
  assign nnz_o   = nnz_q;
  assign afmt_o  = 1'b0;
  // no compressed entries here: the loading job's K is not needed
  /* verilator lint_off UNUSED */
  wire   unused_lk = ^lk_len_i;
  /* verilator lint_on UNUSED */

  // ---------------------------------------------------------------- PEs
@@PES@@
endmodule
`default_nettype wire
