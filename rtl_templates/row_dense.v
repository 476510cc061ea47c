@@HEADER@@
`default_nettype none

// One row r of a DENSE-ONLY PE array (--sparsity dense): the row's slice of A, a counter that
// issues every k < K once per cycle, and the @@C@@ PEs of the row. This is the baseline the
// sparse-capable row (non-zero map + priority-encoder feeder) is compared against.
//
@@PORTS@@
  // ---------------------------------------------------------------- A memory
  reg  [@@DW@@-1:0]  amem [0:@@KMAX@@-1];
  reg  [@@DW@@-1:0]  a_rd_q;
  wire               a_nz = (a_wdata_i != @@DW@@'d0);
  wire [@@KW@@-1:0]  emit_k;

  // Memory idiom (write and a registered read in one clocked block) so synthesis infers RAM.
  always @(posedge clk_i) begin
    if (a_we_i) begin
      amem[waddr_i] <= a_wdata_i;
    end
    a_rd_q <= amem[emit_k];
  end

  // ---------------------------------------------------------------- feeder: k = 0 .. K-1
  reg               run_q, run_d;
  reg  [@@KW@@-1:0] k_q, k_d;
  reg  [@@KW@@:0]   nnz_q, nnz_d;
  reg               s1_v_q, s1_v_d;
  reg  [@@KW@@-1:0] s1_k_q;

  wire              emit_v = run_q;
  wire              last_k = ({1'b0, k_q} == k_len_i - @@KW1@@'d1);
  assign emit_k = k_q;

  always @* begin
    run_d  = run_q;
    k_d    = k_q;
    nnz_d  = nnz_q;
    s1_v_d = emit_v;
    if (job_start_i) begin
      nnz_d = {(@@KW@@+1){1'b0}};
    end else if (a_we_i && a_nz) begin
      nnz_d = nnz_q + {{@@KW@@{1'b0}}, 1'b1};
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
      nnz_q  <= {(@@KW@@+1){1'b0}};
      s1_v_q <= 1'b0;
    end else begin
      run_q  <= run_d;
      k_q    <= k_d;
      nnz_q  <= nnz_d;
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

  // ---------------------------------------------------------------- PEs
@@PES@@
endmodule
`default_nettype wire
