@@HEADER@@
`default_nettype none

// Job controller and mode controller.
// IDLE -> LOAD (operand stream into the row memories, in sections: see below) -> DECIDE (mode
// used for the tile)
// -> COMPUTE (row feeders run) -> FLUSH (last tokens leave the rows) -> DRAIN (results out)
// -> IDLE with DONE. ABORT returns to IDLE from any state. Also keeps the per-job
// cycle and event counters, and whether B is resident (loaded, with which K).
//
// LOAD sections (docs/data-formats.md): FLAGS.KEEP_B = 0 and A_COMPRESSED = 0: K interleaved
// slices (A column k, then B row k); otherwise the A section (dense: K slices of the R
// elements A[.][k]; compressed: a header beat with the entry count N, then ceil(N/@@E@@) beats
// of entries) followed, unless KEEP_B, by the B section (K slices of the C elements B[k][.]).
module @@P@@_ctrl (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  input  wire                  start_i,       // validated START pulse from the CSRs
  input  wire                  abort_i,       // ABORT pulse
  input  wire [1:0]            cfg_mode_i,    // 0 DENSE, 1 SPARSE, 2 AUTO
  input  wire [@@KW@@:0]       cfg_k_i,       // K, 1..KMAX (checked by the CSRs)
  input  wire [@@DCW@@-1:0]    cfg_rhs_i,     // THRESH * K, computed by the CSRs
  input  wire                  cfg_acc_i,     // ACCUMULATE
  input  wire                  cfg_keep_b_i,  // KEEP_B: no B section, B stays resident
  input  wire                  cfg_acomp_i,   // A_COMPRESSED: A section as entries
  // operand stream (data lanes are wired to the rows in the top level)
  input  wire                  s_axis_tvalid_i,
  output wire                  s_axis_tready_o,
  input  wire                  s_axis_tlast_i,
  output wire                  ld_fire_o,     // a beat is written this cycle
  output wire [@@BW@@-1:0]     ld_beat_o,     // beat index within the slice
  output wire [@@KW@@-1:0]     ld_k_o,        // slice index k
  output wire                  ld_il_o,       // beat of an interleaved slice
  output wire                  ld_ad_o,       // beat of the dense A section
  output wire                  ld_ac_o,       // beat of compressed A entries
  output wire                  ld_b_o,        // beat of the B section
  input  wire [@@NHW@@-1:0]    hdr_n_i,       // compressed A header: entry count N
  input  wire [@@NBW@@-1:0]    ld_nnzb_i,     // non-zeros of B in this beat
  output wire                  b_valid_o,     // B is resident ...
  output wire [@@KW@@:0]       b_k_o,         // ... loaded with this K
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
  // result stream: @@L@@ result lane(s) per beat, lane l reads row/col at [l*RRW], [l*CCW]
  output wire [@@LRRW@@-1:0]   drain_row_o,
  output wire [@@LCCW@@-1:0]   drain_col_o,
  input  wire [@@LAW@@-1:0]    drain_data_i,
  output wire [@@OSW@@-1:0]    m_axis_tdata_o,
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
  reg  [@@KW@@-1:0]   ld_k_q, ld_k_d;
  reg  [@@BW@@-1:0]   ld_beat_q, ld_beat_d;
  reg  [@@FCW@@-1:0]  flush_q, flush_d;
  reg  [@@OBW@@-1:0]  dr_beat_q, dr_beat_d;     // result beat within the job
  reg  [31:0]         cyc_total_q, cyc_total_d;
  reg  [31:0]         cyc_load_q, cyc_load_d;
  reg  [31:0]         cyc_compute_q, cyc_compute_d;
  reg  [31:0]         cyc_drain_q, cyc_drain_d;
  reg  [31:0]         macs_issued_q, macs_issued_d;
  reg  [31:0]         macs_gated_q, macs_gated_d;
  reg  [31:0]         nnz_b_q, nnz_b_d;
  reg  [2:0]          sec_q, sec_d;            // LOAD section
  reg                 keep_b_q, keep_b_d;
  reg  [@@NHW@@-1:0]  ents_q, ents_d;          // compressed A entries still to come
  reg                 b_valid_q, b_valid_d;
  reg  [@@KW@@:0]     b_k_q, b_k_d;
  reg                 run_d;
  // the start pulse to the rows and its mode leave from registers (the rows start one cycle
  // after DECIDE; COMPUTE waits for that pulse before it looks at rows_busy_i)
  reg                 run_q, run_sparse_q;
  reg                 done_d;
  reg                 tlast_err_d;

  localparam [2:0] SEC_IL = 3'd0;  // interleaved slices
  localparam [2:0] SEC_AD = 3'd1;  // dense A section
  localparam [2:0] SEC_AH = 3'd2;  // compressed A header
  localparam [2:0] SEC_AC = 3'd3;  // compressed A entries
  localparam [2:0] SEC_B  = 3'd4;  // B section

  wire ld_fire    = (state_q == ST_LOAD) && s_axis_tvalid_i;
  reg  slice_end;
  always @* begin
    case (sec_q)
      SEC_AD:  slice_end = (ld_beat_q == @@BW@@'d@@BPA_M1@@);
      SEC_B:   slice_end = (ld_beat_q == @@BW@@'d@@BPB_M1@@);
      default: slice_end = (ld_beat_q == @@BW@@'d@@BPS_M1@@);
    endcase
  end
  wire last_k     = ({1'b0, ld_k_q} == k_job_q - @@KW1@@'d1);
  // the beat that ends the current section, and the one that ends the job (TLAST)
  wire hdr_zero   = (hdr_n_i == {@@NHW@@{1'b0}});
  wire ents_end   = (ents_q <= @@NHW@@'d@@E@@);
  reg  sec_last;
  always @* begin
    case (sec_q)
      SEC_AH:  sec_last = hdr_zero;
      SEC_AC:  sec_last = ents_end;
      default: sec_last = slice_end && last_k;
    endcase
  end
  wire a_sec      = (sec_q == SEC_AD) || (sec_q == SEC_AH) || (sec_q == SEC_AC);
  wire ld_last    = sec_last && !(a_sec && !keep_b_q);
  wire dr_fire    = (state_q == ST_DRAIN) && m_axis_tready_i;
  wire dr_last    = (dr_beat_q == @@OBW@@'d@@OB_M1@@);

  // AUTO rule: SPARSE iff 256 * max_r(row_nnz[r]) < THRESH * K (exact integer arithmetic)
  wire [@@DCW@@-1:0] auto_lhs = {{(@@DCW@@-@@KW@@-9){1'b0}}, max_row_nnz_i, 8'd0};
  // THRESH * K comes from the CSRs (a shift-and-add over THRESH's nine bits, one per cycle,
  // after every write of K or THRESH: no multiplier, no long adder chain) and is latched at
  // START. DECIDE takes two cycles: the first lets the last row non-zero counts settle into
  // auto_sparse_q.
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
  // The gated-slot count is registered before it is accumulated: it comes from the PEs' B
  // reads through the row and array sums, and the 32-bit add is a path of its own. The last
  // gated slot of a job is in its last FLUSH cycle, so it is counted in the first DRAIN cycle.
  // Likewise the non-zero count of a B beat (from the stream lanes): the last B beat of a job
  // is counted in the first DECIDE cycle.
  reg  [@@TGW@@-1:0] gated_q;
  reg  [@@NBW@@-1:0] nnzb_q;
  // The accumulators are zeroed one cycle after START (they are next used in COMPUTE), so the
  // wide fan-out of the clear does not sit behind the CSR's START decode.
  reg                clear_q;
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      gated_q <= {@@TGW@@{1'b0}};
      nnzb_q  <= {@@NBW@@{1'b0}};
      clear_q <= 1'b0;
    end else begin
      clear_q <= start_i && !abort_i && !cfg_acc_i;
      gated_q <= gated_cnt_i;
      nnzb_q  <= ld_nnzb_i;
    end
  end
  always @(posedge clk_i) begin
    run_sparse_q  <= (mode_used_d == MODE_SPARSE);
    auto_sparse_q <= (auto_lhs < auto_rhs_q);
    if (start_i) begin
      auto_rhs_q <= cfg_rhs_i;
    end
  end

  always @* begin
    state_d       = state_q;
    k_job_d       = k_job_q;
    mode_d        = mode_q;
    mode_used_d   = mode_used_q;
    ld_k_d        = ld_k_q;
    ld_beat_d     = ld_beat_q;
    flush_d       = flush_q;
    decide_d      = 1'b0;
    dr_beat_d     = dr_beat_q;
    cyc_total_d   = cyc_total_q;
    cyc_load_d    = cyc_load_q;
    cyc_compute_d = cyc_compute_q;
    cyc_drain_d   = cyc_drain_q;
    macs_issued_d = macs_issued_q + ({{(32-@@ICW@@){1'b0}}, issue_cnt_i} * 32'd@@C@@);
    macs_gated_d  = macs_gated_q + {{(32-@@TGW@@){1'b0}}, gated_q};
    nnz_b_d       = nnz_b_q + {{(32-@@NBW@@){1'b0}}, nnzb_q};
    sec_d         = sec_q;
    keep_b_d      = keep_b_q;
    ents_d        = ents_q;
    b_valid_d     = b_valid_q;
    b_k_d         = b_k_q;
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
          if (s_axis_tlast_i != ld_last) begin
            tlast_err_d = 1'b1;
          end
          if (slice_end) begin
            ld_beat_d = {@@BW@@{1'b0}};
            ld_k_d    = ld_k_q + @@KW@@'d1;
          end else begin
            ld_beat_d = ld_beat_q + @@BW@@'d1;
          end
          if (sec_q == SEC_AH) begin
            ents_d = hdr_n_i;
            sec_d  = SEC_AC;
          end else if (sec_q == SEC_AC) begin
            ents_d = ents_q - @@NHW@@'d@@E@@;
          end
          if (ld_last) begin
            state_d = ST_DECIDE;
            if (!keep_b_q) begin
              b_valid_d = 1'b1;
              b_k_d     = k_job_q;
            end
          end else if (sec_last) begin
            // end of the A section: the B section follows
            sec_d     = SEC_B;
            ld_beat_d = {@@BW@@{1'b0}};
            ld_k_d    = {@@KW@@{1'b0}};
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
          end else begin
            dr_beat_d = dr_beat_q + @@OBW@@'d1;
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
      keep_b_d      = cfg_keep_b_i;
      sec_d         = cfg_acomp_i ? SEC_AH : ((cfg_keep_b_i) ? SEC_AD : SEC_IL);
      if (!cfg_keep_b_i) begin
        b_valid_d = 1'b0;  // B is being replaced
      end
      ld_k_d        = {@@KW@@{1'b0}};
      ld_beat_d     = {@@BW@@{1'b0}};
      dr_beat_d     = {@@OBW@@{1'b0}};
      cyc_total_d   = 32'd0;
      cyc_load_d    = 32'd0;
      cyc_compute_d = 32'd0;
      cyc_drain_d   = 32'd0;
      macs_issued_d = 32'd0;
      macs_gated_d  = 32'd0;
      if (!cfg_keep_b_i) begin
        nnz_b_d = 32'd0;   // a resident B keeps its count
      end
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q       <= ST_IDLE;
      k_job_q       <= {(@@KW@@+1){1'b0}};
      mode_q        <= MODE_DENSE;
      mode_used_q   <= MODE_DENSE;
      ld_k_q        <= {@@KW@@{1'b0}};
      ld_beat_q     <= {@@BW@@{1'b0}};
      flush_q       <= {@@FCW@@{1'b0}};
      decide_q      <= 1'b0;
      dr_beat_q     <= {@@OBW@@{1'b0}};
      cyc_total_q   <= 32'd0;
      cyc_load_q    <= 32'd0;
      cyc_compute_q <= 32'd0;
      cyc_drain_q   <= 32'd0;
      macs_issued_q <= 32'd0;
      macs_gated_q  <= 32'd0;
      nnz_b_q       <= 32'd0;
      sec_q         <= SEC_IL;
      keep_b_q      <= 1'b0;
      ents_q        <= {@@NHW@@{1'b0}};
      b_valid_q     <= 1'b0;
      b_k_q         <= {(@@KW@@+1){1'b0}};
    end else begin
      state_q       <= state_d;
      k_job_q       <= k_job_d;
      mode_q        <= mode_d;
      mode_used_q   <= mode_used_d;
      ld_k_q        <= ld_k_d;
      ld_beat_q     <= ld_beat_d;
      flush_q       <= flush_d;
      decide_q      <= decide_d;
      dr_beat_q     <= dr_beat_d;
      cyc_total_q   <= cyc_total_d;
      cyc_load_q    <= cyc_load_d;
      cyc_compute_q <= cyc_compute_d;
      cyc_drain_q   <= cyc_drain_d;
      macs_issued_q <= macs_issued_d;
      macs_gated_q  <= macs_gated_d;
      nnz_b_q       <= nnz_b_d;
      sec_q         <= sec_d;
      keep_b_q      <= keep_b_d;
      ents_q        <= ents_d;
      b_valid_q     <= b_valid_d;
      b_k_q         <= b_k_d;
    end
  end

  // R*C*K - MACS_ISSUED: the work the sparse schedule never issued
  wire [31:0] rck = {{(32-@@KW@@-1){1'b0}}, k_job_q} * 32'd@@RC@@;

  assign s_axis_tready_o = (state_q == ST_LOAD);
  assign ld_fire_o       = ld_fire;
  assign ld_beat_o       = ld_beat_q;
  assign ld_k_o          = ld_k_q;
  assign ld_il_o         = (sec_q == SEC_IL);
  assign ld_ad_o         = (sec_q == SEC_AD);
  assign ld_ac_o         = (sec_q == SEC_AC);
  assign ld_b_o          = (sec_q == SEC_B);
  assign b_valid_o       = b_valid_q;
  assign b_k_o           = b_k_q;
  assign job_start_o     = start_i && !abort_i;
  assign kill_o          = abort_i;
  assign clear_o         = clear_q;
  assign row_run_o       = run_q;
  assign row_sparse_o    = run_sparse_q;
  assign k_len_o         = k_job_q;
  // Result lanes: lane l carries result beat*@@L@@ + l (row-major). Each lane keeps its own
  // (row, col), set in FLUSH to (l / C, l % C) and advanced by @@L@@ results per beat; a lane
  // past the last result sends 0.
  genvar gl;
  generate
    for (gl = 0; gl < @@L@@; gl = gl + 1) begin : gen_lane
      localparam integer       INIT_RI = gl / @@C@@;
      localparam integer       INIT_CI = gl % @@C@@;
      localparam [@@RLW@@-1:0] INIT_R = INIT_RI[@@RLW@@-1:0];
      localparam [@@CCW@@-1:0] INIT_C = INIT_CI[@@CCW@@-1:0];
      reg  [@@RLW@@-1:0] r_q;
      reg  [@@CCW@@-1:0] c_q;
      wire [@@CCW@@:0]   c_sum = {1'b0, c_q} + @@CCW1@@'d@@STEP_C@@;
      wire [@@AW@@-1:0]  d     = drain_data_i[gl*@@AW@@ +: @@AW@@];
      always @(posedge clk_i) begin
        if (!rst_ni) begin
          r_q <= {@@RLW@@{1'b0}};
          c_q <= {@@CCW@@{1'b0}};
        end else if (state_q == ST_FLUSH) begin
          r_q <= INIT_R;
          c_q <= INIT_C;
        end else if (dr_fire && !dr_last) begin
          if (c_sum >= @@CCW1@@'d@@C@@) begin
            c_q <= c_sum[@@CCW@@-1:0] - @@CCW@@'d@@C_MOD@@;
            r_q <= r_q + @@RLW@@'d@@STEP_R1@@;
          end else begin
            c_q <= c_sum[@@CCW@@-1:0];
            r_q <= r_q + @@RLW@@'d@@STEP_R@@;
          end
        end
      end
      assign drain_row_o[gl*@@RRW@@ +: @@RRW@@] = r_q[@@RRW@@-1:0];
      assign drain_col_o[gl*@@CCW@@ +: @@CCW@@] = c_q;
      assign m_axis_tdata_o[gl*@@OW@@ +: @@OW@@] = (r_q < @@RLW@@'d@@R@@) ? @@LANE_EXT@@ : @@OW@@'d0;
    end
  endgenerate
@@TDATA_PAD@@  assign m_axis_tvalid_o = (state_q == ST_DRAIN);
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
