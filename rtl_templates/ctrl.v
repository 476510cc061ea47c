@@HEADER@@
`default_nettype none

// Job controller and mode controller.
// IDLE -> LOAD (operand stream into the row memories) -> DECIDE (mode used for the tile)
// -> COMPUTE (row feeders run) -> FLUSH (last tokens leave the rows) -> DRAIN (results out)
// -> IDLE with DONE. ABORT returns to IDLE from any state. Also keeps the per-job
// cycle and event counters.
module @@P@@_ctrl (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  input  wire                  start_i,       // validated START pulse from the CSRs
  input  wire                  abort_i,       // ABORT pulse
  input  wire [1:0]            cfg_mode_i,    // 0 DENSE, 1 SPARSE, 2 AUTO
  input  wire [@@KW@@:0]       cfg_k_i,       // K, 1..KMAX (checked by the CSRs)
  input  wire [8:0]            cfg_thresh_i,  // AUTO threshold, 0..256
  input  wire                  cfg_acc_i,     // ACCUMULATE
  // operand stream (data lanes are wired to the rows in the top level)
  input  wire                  s_axis_tvalid_i,
  output wire                  s_axis_tready_o,
  input  wire                  s_axis_tlast_i,
  output wire                  ld_fire_o,     // a beat is written this cycle
  output wire [@@BW@@-1:0]     ld_beat_o,     // beat index within the slice
  output wire [@@KW@@-1:0]     ld_k_o,        // slice index k
  input  wire [@@NBW@@-1:0]    ld_nnzb_i,     // non-zeros of B in this beat
  // rows
  output wire                  job_start_o,
  output wire                  kill_o,
  output wire                  clear_o,
  output wire                  row_run_o,
  output wire                  row_sparse_o,
  output wire [@@KW@@:0]       k_len_o,
  input  wire                  rows_busy_i,
  input  wire [@@ICW@@-1:0]    issue_cnt_i,   // rows that issued a token this cycle
  input  wire [@@TGW@@-1:0]    gated_cnt_i,   // gated MAC slots this cycle, whole array
  input  wire [@@KW@@:0]       max_row_nnz_i,
  // result stream
  output wire [@@RRW@@-1:0]    drain_row_o,
  output wire [@@CCW@@-1:0]    drain_col_o,
  input  wire [@@AW@@-1:0]     drain_data_i,
  output wire [@@OW@@-1:0]     m_axis_tdata_o,
  output wire                  m_axis_tvalid_o,
  input  wire                  m_axis_tready_i,
  output wire                  m_axis_tlast_o,
  // status and counters
  output wire                  busy_o,
  output wire                  done_o,        // pulse: last result accepted
  output wire                  tlast_err_o,   // pulse: TLAST disagrees with the job's last beat
  output wire [2:0]            state_o,
  output wire [1:0]            mode_used_o,
  output wire [31:0]           cyc_total_o,
  output wire [31:0]           cyc_load_o,
  output wire [31:0]           cyc_compute_o,
  output wire [31:0]           cyc_drain_o,
  output wire [31:0]           macs_issued_o,
  output wire [31:0]           macs_gated_o,
  output wire [31:0]           macs_skipped_o,
  output wire [31:0]           nnz_b_o
);

  localparam [2:0] ST_IDLE    = 3'd0;
  localparam [2:0] ST_LOAD    = 3'd1;
  localparam [2:0] ST_DECIDE  = 3'd2;
  localparam [2:0] ST_COMPUTE = 3'd3;
  localparam [2:0] ST_FLUSH   = 3'd4;
  localparam [2:0] ST_DRAIN   = 3'd5;

  localparam [1:0] MODE_DENSE  = 2'd0;
  localparam [1:0] MODE_SPARSE = 2'd1;
  localparam [1:0] MODE_AUTO   = 2'd2;

  reg  [2:0]          state_q, state_d;
  reg  [@@KW@@:0]     k_job_q, k_job_d;
  reg  [1:0]          mode_q, mode_d;          // requested mode, latched at START
  reg  [1:0]          mode_used_q, mode_used_d;
  reg  [8:0]          thresh_q, thresh_d;
  reg  [@@KW@@-1:0]   ld_k_q, ld_k_d;
  reg  [@@BW@@-1:0]   ld_beat_q, ld_beat_d;
  reg  [@@FCW@@-1:0]  flush_q, flush_d;
  reg  [@@RRW@@-1:0]  dr_row_q, dr_row_d;
  reg  [@@CCW@@-1:0]  dr_col_q, dr_col_d;
  reg  [31:0]         cyc_total_q, cyc_total_d;
  reg  [31:0]         cyc_load_q, cyc_load_d;
  reg  [31:0]         cyc_compute_q, cyc_compute_d;
  reg  [31:0]         cyc_drain_q, cyc_drain_d;
  reg  [31:0]         macs_issued_q, macs_issued_d;
  reg  [31:0]         macs_gated_q, macs_gated_d;
  reg  [31:0]         nnz_b_q, nnz_b_d;
  reg                 run_d;
  // the start pulse to the rows and its mode leave from registers (the rows start one cycle
  // after DECIDE; COMPUTE waits for that pulse before it looks at rows_busy_i)
  reg                 run_q, run_sparse_q;
  reg                 done_d;
  reg                 tlast_err_d;

  wire ld_fire    = (state_q == ST_LOAD) && s_axis_tvalid_i;
  wire slice_end  = (ld_beat_q == @@BW@@'d@@BPS_M1@@);
  wire ld_last    = slice_end && ({1'b0, ld_k_q} == k_job_q - @@KW1@@'d1);
  wire dr_fire    = (state_q == ST_DRAIN) && m_axis_tready_i;
  wire dr_last    = (dr_row_q == @@RRW@@'d@@R_M1@@) && (dr_col_q == @@CCW@@'d@@C_M1@@);

  // AUTO rule: SPARSE iff 256 * max_r(row_nnz[r]) < THRESH * K (exact integer arithmetic)
  wire [@@DCW@@-1:0] auto_lhs = {{(@@DCW@@-@@KW@@-9){1'b0}}, max_row_nnz_i, 8'd0};
  // THRESH * K as nine shifted adds: a multiplier here would take a DSP block that the PEs
  // need (one SB_MAC16 / DSP48E1 per PE); this is off the critical path of LOAD.
  reg  [@@DCW@@-1:0] auto_rhs;
  integer            t;
  always @* begin
    auto_rhs = {@@DCW@@{1'b0}};
    for (t = 0; t < 9; t = t + 1) begin
      if (thresh_q[t]) begin
        auto_rhs = auto_rhs + ({{(@@DCW@@-@@KW@@-1){1'b0}}, k_job_q} << t);
      end
    end
  end
  // Both sides are registered before they meet the row feeders: DECIDE takes two cycles (the
  // first lets the last row non-zero counts and THRESH*K settle into auto_sparse_q).
  reg  [@@DCW@@-1:0] auto_rhs_q;
  reg                auto_sparse_q;
  reg                decide_q, decide_d;
  wire [1:0]         auto_mode = auto_sparse_q ? MODE_SPARSE : MODE_DENSE;
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      run_q <= 1'b0;
    end else begin
      run_q <= run_d && !abort_i;
    end
  end
  always @(posedge clk_i) begin
    run_sparse_q  <= (mode_used_d == MODE_SPARSE);
    auto_rhs_q    <= auto_rhs;
    auto_sparse_q <= (auto_lhs < auto_rhs_q);
  end

  always @* begin
    state_d       = state_q;
    k_job_d       = k_job_q;
    mode_d        = mode_q;
    mode_used_d   = mode_used_q;
    thresh_d      = thresh_q;
    ld_k_d        = ld_k_q;
    ld_beat_d     = ld_beat_q;
    flush_d       = flush_q;
    decide_d      = 1'b0;
    dr_row_d      = dr_row_q;
    dr_col_d      = dr_col_q;
    cyc_total_d   = cyc_total_q;
    cyc_load_d    = cyc_load_q;
    cyc_compute_d = cyc_compute_q;
    cyc_drain_d   = cyc_drain_q;
    macs_issued_d = macs_issued_q + ({{(32-@@ICW@@){1'b0}}, issue_cnt_i} * 32'd@@C@@);
    macs_gated_d  = macs_gated_q + {{(32-@@TGW@@){1'b0}}, gated_cnt_i};
    nnz_b_d       = nnz_b_q;
    run_d         = 1'b0;
    done_d        = 1'b0;
    tlast_err_d   = 1'b0;

    if (state_q != ST_IDLE) begin
      cyc_total_d = cyc_total_q + 32'd1;
    end

    case (state_q)
      ST_LOAD: begin
        cyc_load_d = cyc_load_q + 32'd1;
        if (ld_fire) begin
          nnz_b_d = nnz_b_q + {{(32-@@NBW@@){1'b0}}, ld_nnzb_i};
          if (s_axis_tlast_i != ld_last) begin
            tlast_err_d = 1'b1;
          end
          if (slice_end) begin
            ld_beat_d = {@@BW@@{1'b0}};
            ld_k_d    = ld_k_q + @@KW@@'d1;
          end else begin
            ld_beat_d = ld_beat_q + @@BW@@'d1;
          end
          if (ld_last) begin
            state_d = ST_DECIDE;
          end
        end
      end
      ST_DECIDE: begin
        cyc_compute_d = cyc_compute_q + 32'd1;
        decide_d      = !decide_q;
        if (decide_q) begin
          mode_used_d = (mode_q == MODE_AUTO) ? auto_mode : mode_q;
          run_d       = 1'b1;
          state_d     = ST_COMPUTE;
        end
      end
      ST_COMPUTE: begin
        cyc_compute_d = cyc_compute_q + 32'd1;
        if (!rows_busy_i && !run_q) begin
          state_d = ST_FLUSH;
          flush_d = @@FCW@@'d@@FLUSH_M1@@;
        end
      end
      ST_FLUSH: begin
        cyc_compute_d = cyc_compute_q + 32'd1;
        if (flush_q == {@@FCW@@{1'b0}}) begin
          state_d = ST_DRAIN;
        end else begin
          flush_d = flush_q - @@FCW@@'d1;
        end
      end
      ST_DRAIN: begin
        cyc_drain_d = cyc_drain_q + 32'd1;
        if (dr_fire) begin
          if (dr_last) begin
            state_d = ST_IDLE;
            done_d  = 1'b1;
          end else if (dr_col_q == @@CCW@@'d@@C_M1@@) begin
            dr_col_d = {@@CCW@@{1'b0}};
            dr_row_d = dr_row_q + @@RRW@@'d1;
          end else begin
            dr_col_d = dr_col_q + @@CCW@@'d1;
          end
        end
      end
      default: begin
      end
    endcase

    if (abort_i) begin
      state_d = ST_IDLE;
    end else if (start_i) begin
      state_d       = ST_LOAD;
      k_job_d       = cfg_k_i;
      mode_d        = cfg_mode_i;
      mode_used_d   = (cfg_mode_i == MODE_AUTO) ? MODE_DENSE : cfg_mode_i;
      thresh_d      = cfg_thresh_i;
      ld_k_d        = {@@KW@@{1'b0}};
      ld_beat_d     = {@@BW@@{1'b0}};
      dr_row_d      = {@@RRW@@{1'b0}};
      dr_col_d      = {@@CCW@@{1'b0}};
      cyc_total_d   = 32'd0;
      cyc_load_d    = 32'd0;
      cyc_compute_d = 32'd0;
      cyc_drain_d   = 32'd0;
      macs_issued_d = 32'd0;
      macs_gated_d  = 32'd0;
      nnz_b_d       = 32'd0;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q       <= ST_IDLE;
      k_job_q       <= {(@@KW@@+1){1'b0}};
      mode_q        <= MODE_DENSE;
      mode_used_q   <= MODE_DENSE;
      thresh_q      <= 9'd256;
      ld_k_q        <= {@@KW@@{1'b0}};
      ld_beat_q     <= {@@BW@@{1'b0}};
      flush_q       <= {@@FCW@@{1'b0}};
      decide_q      <= 1'b0;
      dr_row_q      <= {@@RRW@@{1'b0}};
      dr_col_q      <= {@@CCW@@{1'b0}};
      cyc_total_q   <= 32'd0;
      cyc_load_q    <= 32'd0;
      cyc_compute_q <= 32'd0;
      cyc_drain_q   <= 32'd0;
      macs_issued_q <= 32'd0;
      macs_gated_q  <= 32'd0;
      nnz_b_q       <= 32'd0;
    end else begin
      state_q       <= state_d;
      k_job_q       <= k_job_d;
      mode_q        <= mode_d;
      mode_used_q   <= mode_used_d;
      thresh_q      <= thresh_d;
      ld_k_q        <= ld_k_d;
      ld_beat_q     <= ld_beat_d;
      flush_q       <= flush_d;
      decide_q      <= decide_d;
      dr_row_q      <= dr_row_d;
      dr_col_q      <= dr_col_d;
      cyc_total_q   <= cyc_total_d;
      cyc_load_q    <= cyc_load_d;
      cyc_compute_q <= cyc_compute_d;
      cyc_drain_q   <= cyc_drain_d;
      macs_issued_q <= macs_issued_d;
      macs_gated_q  <= macs_gated_d;
      nnz_b_q       <= nnz_b_d;
    end
  end

  // R*C*K - MACS_ISSUED: the work the sparse schedule never issued
  wire [31:0] rck = {{(32-@@KW@@-1){1'b0}}, k_job_q} * 32'd@@RC@@;

  assign s_axis_tready_o = (state_q == ST_LOAD);
  assign ld_fire_o       = ld_fire;
  assign ld_beat_o       = ld_beat_q;
  assign ld_k_o          = ld_k_q;
  assign job_start_o     = start_i && !abort_i;
  assign kill_o          = abort_i;
  assign clear_o         = start_i && !abort_i && !cfg_acc_i;
  assign row_run_o       = run_q;
  assign row_sparse_o    = run_sparse_q;
  assign k_len_o         = k_job_q;
  assign drain_row_o     = dr_row_q;
  assign drain_col_o     = dr_col_q;
  assign m_axis_tdata_o  = @@OUT_EXT@@;
  assign m_axis_tvalid_o = (state_q == ST_DRAIN);
  assign m_axis_tlast_o  = dr_last;
  assign busy_o          = (state_q != ST_IDLE);
  assign done_o          = done_d && !abort_i;
  assign tlast_err_o     = tlast_err_d && !abort_i;
  assign state_o         = state_q;
  assign mode_used_o     = mode_used_q;
  assign cyc_total_o     = cyc_total_q;
  assign cyc_load_o      = cyc_load_q;
  assign cyc_compute_o   = cyc_compute_q;
  assign cyc_drain_o     = cyc_drain_q;
  assign macs_issued_o   = macs_issued_q;
  assign macs_gated_o    = macs_gated_q;
  assign macs_skipped_o  = rck - macs_issued_q;
  assign nnz_b_o         = nnz_b_q;

endmodule
`default_nettype wire
