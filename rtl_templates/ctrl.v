@@HEADER@@
`default_nettype none

// Job controller and mode controller: a three-stage job pipeline.
//   LOAD    (L): the operand stream into the A list the rows are not computing from and, unless
//                KEEP_B, into the B memories (only while no job computes: B has one copy);
//   COMPUTE (C): DECIDE (mode used for the tile), the row feeders run, FLUSH;
//   DRAIN   (D): the results, copied into the PEs' output registers at the end of COMPUTE, go out
//                on the result stream (with FLAGS.OUT_STAGE through the output stage, @@OUT_W@@ bits
//                each), followed with FLAGS.TRAILER by the job's counters.
// One job per stage: while job n drains, job n+1 computes and job n+2 loads. A job moves on when
// the next stage is free (a loaded job waits in L, a computed one in C). Every job's counters
// travel with it stage to stage; when its last beat is accepted they become the counters the
// CSRs read (the last completed job's) and DONE is raised. ABORT empties every stage.
//
// LOAD sections (docs/data-formats.md): FLAGS.KEEP_B = 0 and A_COMPRESSED = 0: K interleaved
// slices (A column k, then B row k); otherwise the A section (dense: K slices of the R
// elements A[.][k]; compressed: the header beats with the rows' entry counts, then the entry
// beats, decoded by the adec module, which also says which beat ends the section) followed,
// unless KEEP_B, by the B section (K slices of the C elements B[k][.]).
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
  input  wire                  cfg_trailer_i, // TRAILER: the job's counters follow its results
  input  wire                  cfg_os_i,      // OUT_STAGE: results through the output stage
  input  wire                  cfg_relu_i,    // OUT_RELU
  input  wire [31:0]           cfg_bias_i,    // OUT_BIAS
  input  wire [@@SHW@@-1:0]        cfg_shift_i,   // OUT_SHIFT, 0..@@AW@@-1 (checked by the CSRs)
  input  wire [31:0]           cfg_clamp_i,   // OUT_CLAMP, 0..2^31-1 (checked by the CSRs)
  // operand stream (data lanes are wired to the rows in the top level)
  input  wire                  s_axis_tvalid_i,
  output wire                  s_axis_tready_o,
  input  wire                  s_axis_tlast_i,
  output wire                  ld_fire_o,     // a beat is written this cycle
  output wire [@@BW@@-1:0]     ld_beat_o,     // beat index within the slice
  output wire [@@KW@@-1:0]     ld_k_o,        // slice index k
  output wire                  ld_il_o,       // beat of an interleaved slice
  output wire                  ld_ad_o,       // beat of the dense A section
  output wire                  ld_ac_o,       // beat of the compressed A section
  output wire                  ld_b_o,        // beat of the B section
  input  wire                  a_end_i,       // this compressed A beat ends the section
  input  wire [@@NBW@@-1:0]    ld_nnzb_i,     // non-zeros of B in this beat
  output wire                  b_valid_o,     // B is resident ...
  output wire [@@KW@@:0]       b_k_o,         // ... loaded with this K
  // rows
  output wire                  lstart_o,      // START: empty the list being loaded
  output wire                  lbuf_o,        // the A list the LOAD stage writes
  output wire [@@KW@@:0]       lk_len_o,      // K of the job in LOAD
  output wire                  cbuf_o,        // the A list the COMPUTE stage reads
  output wire                  kill_o,
  output wire                  clear_o,
  output wire                  cap_o,         // accumulators -> output registers
  output wire                  row_run_o,
  output wire                  row_sparse_o,
  output wire [@@KW@@:0]       k_len_o,       // K of the job in COMPUTE
  input  wire                  rows_busy_i,
  input  wire [@@ICW@@-1:0]    issue_cnt_i,   // rows that issued a token this cycle
  input  wire [@@TGW@@-1:0]    gated_cnt_i,   // gated MAC slots this cycle, whole array
  // arr_*: the rows' counts of the list being computed, summed by the top level
  input  wire [@@KW@@:0]       arr_max_row_nnz_i,
  input  wire [31:0]           arr_nnz_a_i,
  input  wire [@@RNW@@-1:0]    arr_row_nnz_i,
  // result stream: @@L@@ read lane(s), lane l reads row/col at [l*RRW], [l*CCW]; a beat carries
  // @@L@@ result(s) of @@OW@@ bits, or @@NL@@ of @@ONW@@ bits with FLAGS.OUT_STAGE
  output wire [@@LRRW@@-1:0]   drain_row_o,
  output wire [@@LCCW@@-1:0]   drain_col_o,
  input  wire [@@LAW@@-1:0]    drain_data_i,
  output wire [@@OSW@@-1:0]    m_axis_tdata_o,
  output wire                  m_axis_tvalid_o,
  input  wire                  m_axis_tready_i,
  output wire                  m_axis_tlast_o,
  // status and the counters of the last completed job
  output wire                  busy_o,        // a job in any stage
  output wire                  ready_o,       // the LOAD stage is free: START is accepted
  output wire                  hold_o,        // a START must wait (LOAD holds a loaded job, or
                                              // the resident B just changed); from registers
  output wire                  done_o,        // pulse: last beat of a job accepted
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
  output wire [31:0]           nnz_a_o,
  output wire [31:0]           nnz_b_o,
  output wire [@@KW@@:0]       max_row_nnz_o,
  output wire [@@RNW@@-1:0]    row_nnz_o
);

  // controller states, STATUS.STATE encoding (contract/sg_contract.h SG_STATES)
@@STATE_PARAMS@@

  // The count registers hold the bits their largest value needs (the rest are 0, and synthesis
  // drops them): MACS_ISSUED, MACS_GATED and MACS_SKIPPED <= R*C*KMAX, NNZ_B <= C*KMAX,
  // NNZ_A <= R*KMAX; the cycle counters keep 32 bits.
  localparam [31:0] MC_MASK = 32'd@@MC_MASK@@;
  localparam [31:0] NB_MASK = 32'd@@NB_MASK@@;
  localparam [31:0] NA_MASK = 32'd@@NA_MASK@@;
  localparam [2:0] CS_DEC1  = 3'd0;
  localparam [2:0] CS_DEC2  = 3'd1;
  localparam [2:0] CS_RUN   = 3'd2;
  localparam [2:0] CS_FLUSH = 3'd3;
  localparam [2:0] CS_WAIT  = 3'd4;  // computed, waiting for the DRAIN stage

  localparam [1:0] MODE_DENSE  = 2'd0;
  localparam [1:0] MODE_SPARSE = 2'd1;
  localparam [1:0] MODE_AUTO   = 2'd2;

  localparam [2:0] SEC_IL = 3'd0;  // interleaved slices
  localparam [2:0] SEC_AD = 3'd1;  // dense A section
  localparam [2:0] SEC_AC = 3'd2;  // compressed A section (header and entries)
  localparam [2:0] SEC_B  = 3'd3;  // B section

  // ================================================================ LOAD stage
  reg                 l_busy_q, l_busy_d;    // a job is in LOAD
  reg                 l_full_q, l_full_d;    // its last beat is in
  reg  [@@KW@@:0]     l_k_q, l_k_d;
  reg  [@@KW@@:0]     l_km1_q, l_km1_d;      // K - 1, set with K (no subtraction in the beat logic)
  reg  [1:0]          l_mode_q, l_mode_d;
  reg  [@@DCW@@-1:0]  l_rhs_q, l_rhs_d;
  reg                 l_acc_q, l_acc_d;
  reg                 l_keep_b_q, l_keep_b_d;
  reg                 l_trl_q, l_trl_d;
  reg                 l_buf_q, l_buf_d;      // the free A list, loaded by the job in LOAD
  reg  [2:0]          sec_q, sec_d;
  reg  [@@KW@@-1:0]   ld_k_q, ld_k_d;
  reg  [@@BW@@-1:0]   ld_beat_q, ld_beat_d;
  reg  [31:0]         l_cyc_q, l_cyc_d;      // the job's CYC_LOAD so far
  reg  [31:0]         l_nnzb_q, l_nnzb_d;    // its NNZ_B so far
  reg                 b_valid_q, b_valid_d;  // B resident ...
  reg  [@@KW@@:0]     b_k_q, b_k_d;          // ... with this K ...
  reg  [31:0]         b_nnz_q, b_nnz_d;      // ... and this many non-zeros
  reg                 tlast_err_d;

  // B has one copy: a job writes B only while no job computes
  wire b_sec      = (sec_q == SEC_IL) || (sec_q == SEC_B);
  wire ld_ready   = l_busy_q && !l_full_q && !(b_sec && c_busy_q);
  wire ld_fire    = ld_ready && s_axis_tvalid_i;
  reg  slice_end;
  always @* begin
    case (sec_q)
      SEC_AD:  slice_end = (ld_beat_q == @@BW@@'d@@BPA_M1@@);
      SEC_B:   slice_end = (ld_beat_q == @@BW@@'d@@BPB_M1@@);
      default: slice_end = (ld_beat_q == @@BW@@'d@@BPS_M1@@);
    endcase
  end
  wire last_k     = ({1'b0, ld_k_q} == l_km1_q);
  // the beat that ends the current section, and the one that ends the job (TLAST)
  wire sec_last   = (sec_q == SEC_AC) ? a_end_i : (slice_end && last_k);
  wire a_sec      = (sec_q == SEC_AD) || (sec_q == SEC_AC);
  wire ld_last    = sec_last && !(a_sec && !l_keep_b_q);

  // The non-zero count of a B beat (from the stream lanes) is registered before it is added:
  // the last B beat is counted in the cycle after it, the job's last cycle in LOAD (a loaded
  // job stays in LOAD for at least that cycle).
  reg  [@@NBW@@-1:0]  nnzb_q;

  // ================================================================ COMPUTE stage
  reg                 c_busy_q, c_busy_d;
  reg  [2:0]          cs_q, cs_d;
  reg  [@@KW@@:0]     c_k_q, c_k_d;
  reg  [1:0]          c_mode_q, c_mode_d;
  reg  [@@DCW@@-1:0]  c_rhs_q, c_rhs_d;
  reg                 c_trl_q, c_trl_d;
  reg                 c_buf_q, c_buf_d;
  reg  [1:0]          c_used_q, c_used_d;
  reg  [31:0]         c_cyl_q, c_cyl_d;      // CYC_LOAD, carried
  reg  [31:0]         c_cyc_q, c_cyc_d;      // CYC_COMPUTE so far
  reg  [31:0]         c_nnzb_q, c_nnzb_d;
  reg  [31:0]         c_iss_q, c_iss_d;
  reg  [31:0]         c_gat_q, c_gat_d;
  reg  [@@FCW@@-1:0]  flush_q, flush_d;
  reg                 run_d;
  // the start pulse to the rows and its mode leave from registers (the rows start one cycle
  // after DECIDE; RUN waits for that pulse before it looks at rows_busy_i)
  reg                 run_q, run_sparse_q;
  // AUTO rule: SPARSE iff 256 * max_r(row_nnz[r]) < THRESH * K (exact integer arithmetic).
  // THRESH * K comes from the CSRs (shift-and-add after every write of K or THRESH) and
  // travels with the job; DECIDE1 registers the comparison on the final row counts.
  wire [@@DCW@@-1:0]  auto_lhs = {{(@@DCW@@-@@KW@@-9){1'b0}}, arr_max_row_nnz_i, 8'd0};
  reg                 auto_sparse_q;
  wire [1:0]          auto_mode = auto_sparse_q ? MODE_SPARSE : MODE_DENSE;
  // The gated-slot count is registered before it is accumulated (it comes from the PEs' B
  // reads through the row and array sums); the one of a job's last FLUSH cycle arrives in its
  // first DRAIN cycle (gq_to_d_q).
  reg  [@@TGW@@-1:0]  gated_q;
  reg                 gq_to_d_q;
  reg                 clear_q;
  reg                 l2c_q;                 // the LOAD stage handed its job on last cycle

  // ================================================================ DRAIN stage
  reg                 d_busy_q, d_busy_d;
  reg                 d_trl_q, d_trl_d;      // send the trailer after the results
  reg                 d_tr_q, d_tr_d;        // sending the trailer
  reg  [@@OBW@@-1:0]  dr_beat_q, dr_beat_d;  // result beat
  reg  [@@TBW@@-1:0]  tr_beat_q, tr_beat_d;  // trailer beat
  reg  [@@KW@@:0]     d_k_q, d_k_d;
  reg  [1:0]          d_used_q, d_used_d;
  reg  [31:0]         d_cyl_q, d_cyl_d;
  reg  [31:0]         d_cyc_q, d_cyc_d;
  reg  [31:0]         d_cyd_q, d_cyd_d;      // CYC_DRAIN so far
  reg  [31:0]         d_nnzb_q, d_nnzb_d;
  reg  [31:0]         d_iss_q, d_iss_d;
  reg  [31:0]         d_gat_q, d_gat_d;
  reg  [31:0]         d_nnza_q, d_nnza_d;
  reg  [@@KW@@:0]     d_max_q, d_max_d;
  reg  [@@RNW@@-1:0]  d_rnz_q, d_rnz_d;
  // output stage (FLAGS.OUT_STAGE): the settings of the jobs in LOAD, COMPUTE and DRAIN, and the
  // result pipeline of the job in DRAIN (below)
  // OS_PRESENT 0: a variant without an output stage (out_width 0; the CSRs refuse a START with
  // FLAGS.OUT_STAGE): the settings stay 0 and synthesis drops the output stage's logic
  localparam          OS_PRESENT = 1'b@@OS_PRESENT@@;
  reg                 l_os_q, c_os_q, d_os_q;
  reg                 l_relu_q, c_relu_q, d_relu_q;
  reg  [@@SHE@@-1:0]      l_sh_q, c_sh_q, d_sh_q;   // OUT_SHIFT < ACC_W: its low bits
  reg  [@@EW@@-1:0]   l_add_q, c_add_q, d_add_q;
  reg  [@@HIW@@-1:0]      l_hi_q, c_hi_q, d_hi_q;
  reg  [@@RCW@@-1:0]      os_rd_q;                    // results read so far
  reg                 os_v1_q, os_v2_q, os_v3_q;  // pipeline stage holds a result
  reg                 os_l1_q, os_l2_q, os_l3_q;  // ... the job's last one
  reg  [@@PKW@@-1:0]      os_pn_q;                    // results in the beat being packed
  reg                 os_pl_q;                    // ... which holds the last result
  wire                os_full = (os_pn_q == @@PKW@@'d@@NL@@) || os_pl_q;  // the beat is complete

  // ================================================================ the last completed job
  reg  [1:0]          o_used_q;
  reg  [31:0]         o_cyl_q, o_cyc_q, o_cyd_q, o_tot_q, o_nnzb_q, o_iss_q, o_gat_q, o_nnza_q;
  reg  [31:0]         o_skip_q;              // R*C*K - MACS_ISSUED, registered (a CSR read)
  reg  [@@KW@@:0]     o_max_q;
  reg  [@@RNW@@-1:0]  o_rnz_q;
  reg                 done_d;

  // MACS_SKIPPED of the job in DRAIN, R*C*K - MACS_ISSUED (the work the sparse schedule never
  // issued), registered into o_skip_q when it completes; its trailer word is d_skip_q, the same
  // a cycle later (K and MACS_ISSUED are set as the job enters DRAIN, and its first trailer
  // beat comes at least two cycles after that, behind a result beat)
  wire [31:0] d_skip = ({{(32-@@KW@@-1){1'b0}}, d_k_q} * 32'd@@RC@@) - d_iss_q;
  reg  [31:0] d_skip_q;
  always @(posedge clk_i) begin
    d_skip_q <= d_skip & MC_MASK;
  end

  // a job's gated slots including the ones arriving this cycle (its first DRAIN cycle)
  wire [31:0] d_gat_now = gq_to_d_q ? (d_gat_q + {{(32-@@TGW@@){1'b0}}, gated_q}) : d_gat_q;

  // the COMPUTE job's counters including this cycle (what it hands to DRAIN)
  wire [31:0] c_iss_nxt = c_iss_q + ({{(32-@@ICW@@){1'b0}}, issue_cnt_i} * 32'd@@C@@);
  wire [31:0] c_gat_nxt = gq_to_d_q ? c_gat_q : (c_gat_q + {{(32-@@TGW@@){1'b0}}, gated_q});
  wire [31:0] c_cyc_nxt = c_cyc_q + 32'd1;

  // ---------------------------------------------------------------- stage hand-offs
  wire dr_fire    = d_busy_q && !d_tr_q && (!d_os_q || os_full) && m_axis_tready_i;
  wire dr_last    = d_os_q ? os_pl_q : (dr_beat_q == @@OBW@@'d@@OB_M1@@);
  wire tr_fire    = d_busy_q && d_tr_q && m_axis_tready_i;
  wire tr_last    = (tr_beat_q == @@TBW@@'d@@TB_M1@@);
  wire d_end      = (dr_fire && dr_last && !d_trl_q) || (tr_fire && tr_last);
  // A stage takes a job only when it was free in the previous cycle (no chained hand-offs in one
  // cycle: the result stream's TREADY does not reach the LOAD stage's registers).
  wire d_free     = !d_busy_q;
  wire c_done     = (cs_q == CS_WAIT) || ((cs_q == CS_FLUSH) && (flush_q == {@@FCW@@{1'b0}}));
  wire c2d        = c_busy_q && c_done && d_free;
  wire c_free     = !c_busy_q;
  wire l2c        = l_busy_q && l_full_q && c_free;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      run_q     <= 1'b0;
      gated_q   <= {@@TGW@@{1'b0}};
      nnzb_q    <= {@@NBW@@{1'b0}};
      gq_to_d_q <= 1'b0;
      clear_q   <= 1'b0;
      l2c_q     <= 1'b0;
    end else begin
      run_q     <= run_d && !abort_i;
      gated_q   <= gated_cnt_i;
      nnzb_q    <= ld_nnzb_i;
      gq_to_d_q <= c2d;
      clear_q   <= l2c && !l_acc_q && !abort_i;
      l2c_q     <= l2c;
    end
  end
  always @(posedge clk_i) begin
    run_sparse_q  <= (c_used_d == MODE_SPARSE);
    auto_sparse_q <= (auto_lhs < c_rhs_q);
  end

  always @* begin
    // ---- LOAD
    l_busy_d    = l_busy_q;
    l_full_d    = l_full_q;
    l_k_d       = l_k_q;
    l_km1_d     = l_km1_q;
    l_mode_d    = l_mode_q;
    l_rhs_d     = l_rhs_q;
    l_acc_d     = l_acc_q;
    l_keep_b_d  = l_keep_b_q;
    l_trl_d     = l_trl_q;
    l_buf_d     = l_buf_q;
    sec_d       = sec_q;
    ld_k_d      = ld_k_q;
    ld_beat_d   = ld_beat_q;
    l_cyc_d     = l_cyc_q;
    l_nnzb_d    = l_nnzb_q + {{(32-@@NBW@@){1'b0}}, nnzb_q};
    b_valid_d   = b_valid_q;
    b_k_d       = b_k_q;
    b_nnz_d     = b_nnz_q;
    tlast_err_d = 1'b0;
    if (l_busy_q) begin
      l_cyc_d = l_cyc_q + 32'd1;
    end
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
      if (ld_last) begin
        l_full_d = 1'b1;
      end else if (sec_last) begin
        // end of the A section: the B section follows
        sec_d     = SEC_B;
        ld_beat_d = {@@BW@@{1'b0}};
        ld_k_d    = {@@KW@@{1'b0}};
      end
    end
    if (l2c) begin
      l_busy_d = 1'b0;
      l_full_d = 1'b0;
      l_buf_d  = !l_buf_q;
      if (!l_keep_b_q) begin
        // the B this job loaded is now resident
        b_valid_d = 1'b1;
        b_k_d     = l_k_q;
        b_nnz_d   = l_nnzb_d;
      end
    end

    // ---- COMPUTE
    c_busy_d = c_busy_q;
    cs_d     = cs_q;
    c_k_d    = c_k_q;
    c_mode_d = c_mode_q;
    c_rhs_d  = c_rhs_q;
    c_trl_d  = c_trl_q;
    c_buf_d  = c_buf_q;
    c_used_d = c_used_q;
    c_cyl_d  = c_cyl_q;
    c_cyc_d  = c_cyc_q;
    c_nnzb_d = c_nnzb_q;
    c_iss_d  = c_iss_nxt;
    c_gat_d  = c_gat_nxt;
    flush_d  = flush_q;
    run_d    = 1'b0;
    if (c_busy_q) begin
      c_cyc_d = c_cyc_nxt;
      case (cs_q)
        CS_DEC1: begin
          cs_d = CS_DEC2;
        end
        CS_DEC2: begin
          c_used_d = (c_mode_q == MODE_AUTO) ? auto_mode : c_mode_q;
          run_d    = 1'b1;
          cs_d     = CS_RUN;
        end
        CS_RUN: begin
          if (!rows_busy_i && !run_q) begin
            cs_d    = CS_FLUSH;
            flush_d = @@FCW@@'d@@FLUSH_M1@@;
          end
        end
        CS_FLUSH: begin
          if (flush_q == {@@FCW@@{1'b0}}) begin
            cs_d = CS_WAIT;
          end else begin
            flush_d = flush_q - @@FCW@@'d1;
          end
        end
        default: begin
        end
      endcase
    end
    if (c2d) begin
      c_busy_d = 1'b0;
    end
    if (l2c) begin
      c_busy_d = 1'b1;
      cs_d     = CS_DEC1;
      c_k_d    = l_k_q;
      c_mode_d = l_mode_q;
      c_rhs_d  = l_rhs_q;
      c_trl_d  = l_trl_q;
      c_buf_d  = l_buf_q;
      c_used_d = (l_mode_q == MODE_AUTO) ? MODE_DENSE : l_mode_q;
      c_cyl_d  = l_cyc_d;
      c_cyc_d  = 32'd0;
      c_nnzb_d = l_nnzb_d;
      c_iss_d  = 32'd0;
      c_gat_d  = 32'd0;
    end

    // ---- DRAIN
    d_busy_d  = d_busy_q;
    d_trl_d   = d_trl_q;
    d_tr_d    = d_tr_q;
    dr_beat_d = dr_beat_q;
    tr_beat_d = tr_beat_q;
    d_k_d     = d_k_q;
    d_used_d  = d_used_q;
    d_cyl_d   = d_cyl_q;
    d_cyc_d   = d_cyc_q;
    d_cyd_d   = d_cyd_q;
    d_nnzb_d  = d_nnzb_q;
    d_iss_d   = d_iss_q;
    d_gat_d   = d_gat_now;
    d_nnza_d  = d_nnza_q;
    d_max_d   = d_max_q;
    d_rnz_d   = d_rnz_q;
    done_d    = 1'b0;
    if (d_busy_q) begin
      d_cyd_d = d_cyd_q + 32'd1;
    end
    if (dr_fire) begin
      if (dr_last) begin
        d_tr_d = d_trl_q;
      end else begin
        dr_beat_d = dr_beat_q + @@OBW@@'d1;
      end
    end
    if (tr_fire && !tr_last) begin
      tr_beat_d = tr_beat_q + @@TBW@@'d1;
    end
    if (d_end) begin
      d_busy_d = 1'b0;
      done_d   = 1'b1;
    end
    if (c2d) begin
      d_busy_d  = 1'b1;
      d_trl_d   = c_trl_q;
      d_tr_d    = 1'b0;
      dr_beat_d = {@@OBW@@{1'b0}};
      tr_beat_d = {@@TBW@@{1'b0}};
      d_k_d     = c_k_q;
      d_used_d  = c_used_q;
      d_cyl_d   = c_cyl_q;
      d_cyc_d   = c_cyc_nxt;
      d_cyd_d   = 32'd0;
      d_nnzb_d  = c_nnzb_q;
      d_iss_d   = c_iss_nxt;
      d_gat_d   = c_gat_nxt;
      d_nnza_d  = arr_nnz_a_i;
      d_max_d   = arr_max_row_nnz_i;
      d_rnz_d   = arr_row_nnz_i;
    end

    // ---- START (the CSRs only pass it while LOAD is free) and ABORT
    if (abort_i) begin
      l_busy_d = 1'b0;
      l_full_d = 1'b0;
      c_busy_d = 1'b0;
      d_busy_d = 1'b0;
      done_d   = 1'b0;
    end else if (start_i) begin
      l_busy_d   = 1'b1;
      l_full_d   = 1'b0;
      l_k_d      = cfg_k_i;
      l_km1_d    = cfg_k_i - @@KW1@@'d1;
      l_mode_d   = cfg_mode_i;
      l_rhs_d    = cfg_rhs_i;
      l_acc_d    = cfg_acc_i;
      l_keep_b_d = cfg_keep_b_i;
      l_trl_d    = cfg_trailer_i;
      sec_d      = cfg_acomp_i ? SEC_AC : ((cfg_keep_b_i) ? SEC_AD : SEC_IL);
      ld_k_d     = {@@KW@@{1'b0}};
      ld_beat_d  = {@@BW@@{1'b0}};
      l_cyc_d    = 32'd0;
      if (cfg_keep_b_i) begin
        l_nnzb_d = b_nnz_q;   // a resident B keeps its count
      end else begin
        l_nnzb_d  = 32'd0;
        b_valid_d = 1'b0;     // B is being replaced
      end
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      l_busy_q   <= 1'b0;
      l_full_q   <= 1'b0;
      l_k_q      <= {(@@KW@@+1){1'b0}};
      l_km1_q    <= {(@@KW@@+1){1'b1}};
      l_mode_q   <= MODE_DENSE;
      l_rhs_q    <= {@@DCW@@{1'b0}};
      l_acc_q    <= 1'b0;
      l_keep_b_q <= 1'b0;
      l_trl_q    <= 1'b0;
      l_buf_q    <= 1'b0;
      sec_q      <= SEC_IL;
      ld_k_q     <= {@@KW@@{1'b0}};
      ld_beat_q  <= {@@BW@@{1'b0}};
      l_cyc_q    <= 32'd0;
      l_nnzb_q   <= 32'd0;
      b_valid_q  <= 1'b0;
      b_k_q      <= {(@@KW@@+1){1'b0}};
      b_nnz_q    <= 32'd0;
      c_busy_q   <= 1'b0;
      cs_q       <= CS_DEC1;
      c_k_q      <= {(@@KW@@+1){1'b0}};
      c_mode_q   <= MODE_DENSE;
      c_rhs_q    <= {@@DCW@@{1'b0}};
      c_trl_q    <= 1'b0;
      c_buf_q    <= 1'b0;
      c_used_q   <= MODE_DENSE;
      c_cyl_q    <= 32'd0;
      c_cyc_q    <= 32'd0;
      c_nnzb_q   <= 32'd0;
      c_iss_q    <= 32'd0;
      c_gat_q    <= 32'd0;
      flush_q    <= {@@FCW@@{1'b0}};
      d_busy_q   <= 1'b0;
      d_trl_q    <= 1'b0;
      d_tr_q     <= 1'b0;
      dr_beat_q  <= {@@OBW@@{1'b0}};
      tr_beat_q  <= {@@TBW@@{1'b0}};
      d_k_q      <= {(@@KW@@+1){1'b0}};
      d_used_q   <= MODE_DENSE;
      d_cyl_q    <= 32'd0;
      d_cyc_q    <= 32'd0;
      d_cyd_q    <= 32'd0;
      d_nnzb_q   <= 32'd0;
      d_iss_q    <= 32'd0;
      d_gat_q    <= 32'd0;
      d_nnza_q   <= 32'd0;
      d_max_q    <= {(@@KW@@+1){1'b0}};
      d_rnz_q    <= {@@RNW@@{1'b0}};
      o_used_q   <= MODE_DENSE;
      o_cyl_q    <= 32'd0;
      o_cyc_q    <= 32'd0;
      o_cyd_q    <= 32'd0;
      o_tot_q    <= 32'd0;
      o_nnzb_q   <= 32'd0;
      o_iss_q    <= 32'd0;
      o_skip_q   <= 32'd0;
      o_gat_q    <= 32'd0;
      o_nnza_q   <= 32'd0;
      o_max_q    <= {(@@KW@@+1){1'b0}};
      o_rnz_q    <= {@@RNW@@{1'b0}};
    end else begin
      l_busy_q   <= l_busy_d;
      l_full_q   <= l_full_d;
      l_k_q      <= l_k_d;
      l_km1_q    <= l_km1_d;
      l_mode_q   <= l_mode_d;
      l_rhs_q    <= l_rhs_d;
      l_acc_q    <= l_acc_d;
      l_keep_b_q <= l_keep_b_d;
      l_trl_q    <= l_trl_d;
      l_buf_q    <= l_buf_d;
      sec_q      <= sec_d;
      ld_k_q     <= ld_k_d;
      ld_beat_q  <= ld_beat_d;
      l_cyc_q    <= l_cyc_d;
      l_nnzb_q   <= l_nnzb_d & NB_MASK;
      b_valid_q  <= b_valid_d;
      b_k_q      <= b_k_d;
      b_nnz_q    <= b_nnz_d & NB_MASK;
      c_busy_q   <= c_busy_d;
      cs_q       <= cs_d;
      c_k_q      <= c_k_d;
      c_mode_q   <= c_mode_d;
      c_rhs_q    <= c_rhs_d;
      c_trl_q    <= c_trl_d;
      c_buf_q    <= c_buf_d;
      c_used_q   <= c_used_d;
      c_cyl_q    <= c_cyl_d;
      c_cyc_q    <= c_cyc_d;
      c_nnzb_q   <= c_nnzb_d & NB_MASK;
      c_iss_q    <= c_iss_d & MC_MASK;
      c_gat_q    <= c_gat_d & MC_MASK;
      flush_q    <= flush_d;
      d_busy_q   <= d_busy_d;
      d_trl_q    <= d_trl_d;
      d_tr_q     <= d_tr_d;
      dr_beat_q  <= dr_beat_d;
      tr_beat_q  <= tr_beat_d;
      d_k_q      <= d_k_d;
      d_used_q   <= d_used_d;
      d_cyl_q    <= d_cyl_d;
      d_cyc_q    <= d_cyc_d;
      d_cyd_q    <= d_cyd_d;
      d_nnzb_q   <= d_nnzb_d & NB_MASK;
      d_iss_q    <= d_iss_d & MC_MASK;
      d_gat_q    <= d_gat_d & MC_MASK;
      d_nnza_q   <= d_nnza_d & NA_MASK;
      d_max_q    <= d_max_d;
      d_rnz_q    <= d_rnz_d;
      if (done_d) begin
        o_used_q <= d_used_q;
        o_cyl_q  <= d_cyl_q;
        o_cyc_q  <= d_cyc_q;
        o_cyd_q  <= d_cyd_q + 32'd1;
        o_tot_q  <= d_cyl_q + d_cyc_q + d_cyd_q + 32'd1;
        o_nnzb_q <= d_nnzb_q & NB_MASK;
        o_iss_q  <= d_iss_q & MC_MASK;
        o_skip_q <= d_skip & MC_MASK;
        o_gat_q  <= d_gat_now & MC_MASK;
        o_nnza_q <= d_nnza_q & NA_MASK;
        o_max_q  <= d_max_q;
        o_rnz_q  <= d_rnz_q;
      end
    end
  end

  // ---------------------------------------------------------------- output stage settings
  // FLAGS.OUT_STAGE and its settings travel with the job: taken at START, handed on with it to
  // COMPUTE and DRAIN. At START the bias and the rounding term are summed (os_add = OUT_BIAS +
  // 2^(OUT_SHIFT-1), 0 for shift 0) and the upper bound is min(OUT_CLAMP, 2^(OUT_W-1)-1).
  wire [@@EW@@-1:0]   os_rnd    = (cfg_shift_i == @@SHW@@'d0) ? @@EW@@'d0 :
                                  (@@EW@@'d1 << (cfg_shift_i - @@SHW@@'d1));
  wire [@@EW@@-1:0]   os_add_in = {{(@@EW@@-32){cfg_bias_i[31]}}, cfg_bias_i} + os_rnd;
@@OS_HI_IN@@
  always @(posedge clk_i) begin
    if (!rst_ni) begin
      l_os_q   <= 1'b0;
      c_os_q   <= 1'b0;
      d_os_q   <= 1'b0;
      l_relu_q <= 1'b0;
      c_relu_q <= 1'b0;
      d_relu_q <= 1'b0;
      l_sh_q   <= {@@SHE@@{1'b0}};
      c_sh_q   <= {@@SHE@@{1'b0}};
      d_sh_q   <= {@@SHE@@{1'b0}};
      l_add_q  <= {@@EW@@{1'b0}};
      c_add_q  <= {@@EW@@{1'b0}};
      d_add_q  <= {@@EW@@{1'b0}};
      l_hi_q   <= {@@HIW@@{1'b0}};
      c_hi_q   <= {@@HIW@@{1'b0}};
      d_hi_q   <= {@@HIW@@{1'b0}};
    end else begin
      if (start_i && !abort_i) begin
        l_os_q   <= cfg_os_i && OS_PRESENT;
        l_relu_q <= cfg_relu_i;
        l_sh_q   <= cfg_shift_i[@@SHE@@-1:0];
        l_add_q  <= os_add_in;
        l_hi_q   <= os_hi_in;
      end
      if (l2c) begin
        c_os_q   <= l_os_q;
        c_relu_q <= l_relu_q;
        c_sh_q   <= l_sh_q;
        c_add_q  <= l_add_q;
        c_hi_q   <= l_hi_q;
      end
      if (c2d) begin
        d_os_q   <= c_os_q;
        d_relu_q <= c_relu_q;
        d_sh_q   <= c_sh_q;
        d_add_q  <= c_add_q;
        d_hi_q   <= c_hi_q;
      end
    end
  end

  // ---------------------------------------------------------------- output stage pipeline
  // A job with FLAGS.OUT_STAGE drains @@G@@ result(s) a cycle, read by result lanes 0..@@G@@-1
  // (gen_lane), each through four registers: the read -> os_acc_q; + OUT_BIAS + rounding term
  // -> os_sum_q; the arithmetic right shift (floor) -> os_shr_q; the clamps into the beat being
  // packed (@@NL@@ results of @@ONW@@ bits, a group of @@G@@ per cycle). The pipeline moves on
  // unless a complete beat waits for TREADY (os_adv). DRAIN takes ceil(R*C / @@G@@) + 4 cycles
  // plus the trailer (contract: sg_os_drain_cycles).
  localparam [@@EW@@-1:0]  OS_MIN = {{(@@EW@@-@@OUT_W@@+1){1'b1}}, {(@@OUT_W@@-1){1'b0}}};  // -2^(OUT_W-1)
  wire               os_on  = d_busy_q && d_os_q && !d_tr_q;
  wire               os_adv = !os_full || dr_fire;
  wire               os_rd  = os_on && os_adv && (os_rd_q < @@RCW@@'d@@RC@@);
  wire [@@PKW@@-1:0]     os_slot = dr_fire ? {@@PKW@@{1'b0}} : os_pn_q;
  // the clamp bounds as OUT_W-bit results: min(OUT_CLAMP, 2^(OUT_W-1)-1), and 0 or -2^(OUT_W-1)
  wire [@@OUT_W@@-1:0]     os_hi = {{(@@OUT_W@@-@@HIW@@){1'b0}}, d_hi_q};
  wire [@@OUT_W@@-1:0]     os_lo = d_relu_q ? {@@OUT_W@@{1'b0}} : OS_MIN[@@OUT_W@@-1:0];
  wire [@@G@@*@@ONW@@-1:0]   os_lanes;  // the group leaving the pipeline ...
  wire [@@G@@-1:0]         os_live3;  // ... and which of its lanes hold a result
  always @(posedge clk_i) begin
    if (!rst_ni || c2d || abort_i) begin
      os_rd_q <= {@@RCW@@{1'b0}};
      os_v1_q <= 1'b0;
      os_v2_q <= 1'b0;
      os_v3_q <= 1'b0;
      os_l1_q <= 1'b0;
      os_l2_q <= 1'b0;
      os_l3_q <= 1'b0;
      os_pn_q <= {@@PKW@@{1'b0}};
      os_pl_q <= 1'b0;
    end else if (os_adv) begin
      os_v1_q <= os_rd;
      os_l1_q <= os_rd && (os_rd_q + @@RCW@@'d@@G@@ >= @@RCW@@'d@@RC@@);
      if (os_rd) os_rd_q <= os_rd_q + @@RCW@@'d@@G@@;
      os_v2_q <= os_v1_q;
      os_l2_q <= os_l1_q;
      os_v3_q <= os_v2_q;
      os_l3_q <= os_l2_q;
      os_pn_q <= os_slot + (os_v3_q ? @@PKW@@'d@@G@@ : @@PKW@@'d0);
      os_pl_q <= (!dr_fire && os_pl_q) || (os_v3_q && os_l3_q);
    end
  end
  wire [@@OSW@@-1:0] res_os;
  genvar gp;
  generate
    for (gp = 0; gp < @@NL@@; gp = gp + 1) begin : gen_pack
      localparam integer   BASE_I = (gp / @@G@@) * @@G@@;  // first slot of this slot's group
      localparam integer   LANE   = gp % @@G@@;            // the lane that fills it
      localparam [@@PKW@@-1:0] BASE = BASE_I[@@PKW@@-1:0];
      reg [@@ONW@@-1:0] pk_q;
      always @(posedge clk_i) begin
        if (!rst_ni) begin
          pk_q <= {@@ONW@@{1'b0}};
        end else if (os_adv) begin
          if (os_v3_q && (os_slot == BASE))
            pk_q <= os_live3[LANE] ? os_lanes[LANE*@@ONW@@ +: @@ONW@@] : {@@ONW@@{1'b0}};
          else if (os_slot == {@@PKW@@{1'b0}})
            pk_q <= {@@ONW@@{1'b0}};  // a new beat: lanes past the last result are 0
        end
      end
      assign res_os[gp*@@ONW@@ +: @@ONW@@] = pk_q;
    end
  endgenerate
@@RES_PAD_OS@@
  // ---------------------------------------------------------------- result lanes
  // Lane l carries result beat*@@L@@ + l (row-major). Each lane keeps its own (row, col), set
  // to (l / C, l % C) when a job enters DRAIN and advanced by @@L@@ results per beat; a lane
  // past the last result sends 0. With FLAGS.OUT_STAGE lanes 0..@@G@@-1 read, @@G@@ results a
  // cycle, into the output stage pipeline.
  wire [@@OSW@@-1:0] res_wide;
  genvar gl;
  generate
    for (gl = 0; gl < @@L@@; gl = gl + 1) begin : gen_lane
      localparam integer       INIT_RI = gl / @@C@@;
      localparam integer       INIT_CI = gl % @@C@@;
      localparam [@@RLW@@-1:0] INIT_R = INIT_RI[@@RLW@@-1:0];
      localparam [@@CCW@@-1:0] INIT_C = INIT_CI[@@CCW@@-1:0];
      reg  [@@RLW@@-1:0] r_q;
      reg  [@@CCW@@-1:0] c_q;
      wire               step  = d_os_q ? os_rd : (dr_fire && !dr_last);
      wire [@@CCW@@:0]   c_sum = {1'b0, c_q} + (d_os_q ? @@CCW1@@'d@@STEP_CG@@ : @@CCW1@@'d@@STEP_C@@);
      wire [@@RLW@@-1:0] r_step = d_os_q ? @@RLW@@'d@@STEP_RG@@ : @@RLW@@'d@@STEP_R@@;
      wire [@@AW@@-1:0]  d     = drain_data_i[gl*@@AW@@ +: @@AW@@];
      wire               live  = (r_q < @@RLW@@'d@@R@@);
      always @(posedge clk_i) begin
        if (!rst_ni) begin
          r_q <= {@@RLW@@{1'b0}};
          c_q <= {@@CCW@@{1'b0}};
        end else if (c2d) begin
          r_q <= INIT_R;
          c_q <= INIT_C;
        end else if (step) begin
          if (c_sum >= @@CCW1@@'d@@C@@) begin
            c_q <= c_sum[@@CCW@@-1:0] - @@CCW@@'d@@C_MOD@@;
            r_q <= r_q + r_step + @@RLW@@'d1;
          end else begin
            c_q <= c_sum[@@CCW@@-1:0];
            r_q <= r_q + r_step;
          end
        end
      end
      assign drain_row_o[gl*@@RRW@@ +: @@RRW@@] = r_q[@@RRW@@-1:0];
      assign drain_col_o[gl*@@CCW@@ +: @@CCW@@] = c_q;
      assign res_wide[gl*@@OW@@ +: @@OW@@] = live ? @@LANE_EXT@@ : @@OW@@'d0;
      if (gl < @@G@@) begin : gen_os
        // this lane's output stage pipeline (docs/architecture.md, "Output stage")
        reg                lv1_q, lv2_q, lv3_q;  // the stage holds a result of this lane
        reg  [@@AW@@-1:0]  acc_q;
        reg  [@@EW@@-1:0]  sum_q, shr_q;
        always @(posedge clk_i) begin
          if (!rst_ni) begin
            lv1_q <= 1'b0;
            lv2_q <= 1'b0;
            lv3_q <= 1'b0;
          end else if (os_adv) begin
            lv1_q <= os_rd && live;
            lv2_q <= lv1_q;
            lv3_q <= lv2_q;
          end
        end
        always @(posedge clk_i) begin
          if (os_adv) begin
            acc_q <= d;
            sum_q <= {{(@@EW@@-@@AW@@){acc_q[@@AW@@-1]}}, acc_q} + d_add_q;
            shr_q <= $signed(sum_q) >>> d_sh_q;
          end
        end
        // q > hi (hi >= 0, @@HIW@@ bits): q is not negative and has a bit set above them, or its
        // low bits exceed hi; q < lo: with ReLU any negative q, else a negative q whose bits
        // from OUT_W-1 up are not all set (q < -2^(OUT_W-1))
        wire                     over  = !shr_q[@@EW@@-1] &&
                                         ((|shr_q[@@EW@@-2:@@HIW@@]) || (shr_q[@@HIW@@-1:0] > d_hi_q));
        wire                     under = shr_q[@@EW@@-1] && (d_relu_q || !(&shr_q[@@EW@@-1:@@OUT_W@@-1]));
        wire [@@OUT_W@@-1:0]     os_res = over ? os_hi : under ? os_lo : shr_q[@@OUT_W@@-1:0];
        assign os_lanes[gl*@@ONW@@ +: @@ONW@@] = @@OS_EXT@@;
        assign os_live3[gl] = lv3_q;
      end
    end
  endgenerate
@@RES_PAD_W@@
  wire [@@OSW@@-1:0] res_data = d_os_q ? res_os : res_wide;
  // ---------------------------------------------------------------- trailer (FLAGS.TRAILER)
  // The job's counters as 32-bit words, word i at bits [32*i +: 32], @@TB@@ beat(s) of
  // @@OSW@@ bits: @@TR_NAMES@@, ROW_NNZ[0..@@R_M1@@]
  // (SG_TRAILER_WORDS in contract/sg_contract.h).
  wire [@@TRW@@-1:0] trailer = {@@TR_PAD@@@@TR_RNZ@@@@TR_FIXED@@};
  wire [@@OSW@@-1:0] tr_data = trailer[tr_beat_q*@@OSW@@ +: @@OSW@@];

  assign s_axis_tready_o = ld_ready;
  assign ld_fire_o       = ld_fire;
  assign ld_beat_o       = ld_beat_q;
  assign ld_k_o          = ld_k_q;
  assign ld_il_o         = (sec_q == SEC_IL);
  assign ld_ad_o         = (sec_q == SEC_AD);
  assign ld_ac_o         = (sec_q == SEC_AC);
  assign ld_b_o          = (sec_q == SEC_B);
  assign b_valid_o       = b_valid_q;
  assign b_k_o           = b_k_q;
  assign lstart_o        = start_i && !abort_i;
  assign lbuf_o          = l_buf_q;
  assign lk_len_o        = l_k_q;
  assign cbuf_o          = c_buf_q;
  assign kill_o          = abort_i;
  assign clear_o         = clear_q;
  assign cap_o           = c2d;
  assign row_run_o       = run_q;
  assign row_sparse_o    = run_sparse_q;
  assign k_len_o         = c_k_q;
  assign m_axis_tdata_o  = d_tr_q ? tr_data : res_data;
  assign m_axis_tvalid_o = d_busy_q && (d_tr_q || !d_os_q || os_full);
  assign m_axis_tlast_o  = d_tr_q ? tr_last : (dr_last && !d_trl_q);
  assign busy_o          = l_busy_q || c_busy_q || d_busy_q;
  assign ready_o         = !l_busy_q;
  assign hold_o          = (l_busy_q && l_full_q) || l2c_q;
  assign done_o          = done_d && !abort_i;
  assign tlast_err_o     = tlast_err_d && !abort_i;
  assign state_o         = d_busy_q ? ST_DRAIN :
                           c_busy_q ? ((cs_q == CS_DEC1 || cs_q == CS_DEC2) ? ST_DECIDE :
                                       (cs_q == CS_RUN) ? ST_COMPUTE : ST_FLUSH) :
                           l_busy_q ? ST_LOAD : ST_IDLE;
  assign mode_used_o     = o_used_q;
  assign cyc_total_o     = o_tot_q;
  assign cyc_load_o      = o_cyl_q;
  assign cyc_compute_o   = o_cyc_q;
  assign cyc_drain_o     = o_cyd_q;
  assign macs_issued_o   = o_iss_q;
  assign macs_gated_o    = o_gat_q;
  assign macs_skipped_o  = o_skip_q;
  assign nnz_a_o         = o_nnza_q;
  assign nnz_b_o         = o_nnzb_q;
  assign max_row_nnz_o   = o_max_q;
  assign row_nnz_o       = o_rnz_q;

endmodule
`default_nettype wire
