@@HEADER@@
`default_nettype none

// Control/status registers behind an AXI4-Lite slave (32-bit data, 12-bit byte address).
// The register decode, value checks, readback and reset values below are generated from the
// register table (contract/sg_regs.def; regmap.md in the variant folder); this template holds
// only the bus handshake, ERR/DONE bookkeeping and the outputs.
// A write is taken (AWREADY, WREADY) when AWVALID and WVALID are both high and neither a taken
// write nor a response is pending; it is registered as taken and decoded in the next cycle (the
// bus inputs reach only registers), which raises BVALID. A read is taken (ARREADY) when ARVALID
// is high and neither a taken read nor read data is pending, and decoded the next cycle into the
// read data register (RVALID the cycle after). Bad accesses answer SLVERR and set ERR.ADDR; bad
// values set their ERR bit and leave the register as it was; START is checked against
// READY, K, the resident B (FLAGS.KEEP_B) and the A format (FLAGS.A_COMPRESSED) here, so the
// controller only ever sees a valid job.
module @@P@@_csr (
  input  wire                clk_i,
  input  wire                rst_ni,
  // AXI4-Lite slave
  input  wire [11:0]         s_axil_awaddr_i,
  input  wire                s_axil_awvalid_i,
  output wire                s_axil_awready_o,
  input  wire [31:0]         s_axil_wdata_i,
  input  wire [3:0]          s_axil_wstrb_i,
  input  wire                s_axil_wvalid_i,
  output wire                s_axil_wready_o,
  output wire [1:0]          s_axil_bresp_o,
  output wire                s_axil_bvalid_o,
  input  wire                s_axil_bready_i,
  input  wire [11:0]         s_axil_araddr_i,
  input  wire                s_axil_arvalid_i,
  output wire                s_axil_arready_o,
  output wire [31:0]         s_axil_rdata_o,
  output wire [1:0]          s_axil_rresp_o,
  output wire                s_axil_rvalid_o,
  input  wire                s_axil_rready_i,
  // job configuration
  output wire                start_o,
  output wire                abort_o,
  output wire [@@MODE_MSB@@:0]          cfg_mode_o,
  output wire [@@KW@@:0]     cfg_k_o,
  output wire [@@DCW@@-1:0]  cfg_rhs_o,     // THRESH * K (K's low bits), for the AUTO rule
  output wire                cfg_acc_o,     // FLAGS.ACCUMULATE
  output wire                cfg_keep_b_o,  // FLAGS.KEEP_B
  output wire                cfg_acomp_o,   // FLAGS.A_COMPRESSED
  output wire                cfg_trailer_o, // FLAGS.TRAILER
  output wire                cfg_os_o,      // FLAGS.OUT_STAGE
  output wire                cfg_relu_o,    // FLAGS.OUT_RELU
  output wire [31:0]         cfg_bias_o,    // OUT_BIAS
  output wire [@@SHW@@-1:0]  cfg_shift_o,   // OUT_SHIFT
  output wire [31:0]         cfg_clamp_o,   // OUT_CLAMP
  input  wire                b_valid_i,     // B resident ...
  input  wire [@@KW@@:0]     b_k_i,         // ... loaded with this K
  input  wire                afmt_err_i,    // pulse: a compressed A entry broke the format
  // status and counters
  input  wire                busy_i,
  input  wire                ready_i,       // the LOAD stage is free
  input  wire                hold_i,        // a START must wait (the LOAD stage holds a loaded
                                            // job, which moves on soon; or B just changed)
  input  wire                done_i,
  input  wire                tlast_err_i,
  input  wire [@@STATE_MSB@@:0]          state_i,
  input  wire [@@MODE_USED_MSB@@:0]          mode_used_i,
  input  wire [31:0]         cyc_total_i,
  input  wire [31:0]         cyc_load_i,
  input  wire [31:0]         cyc_compute_i,
  input  wire [31:0]         cyc_drain_i,
  input  wire [31:0]         macs_issued_i,
  input  wire [31:0]         macs_gated_i,
  input  wire [31:0]         macs_skipped_i,
  input  wire [31:0]         nnz_a_i,
  input  wire [31:0]         nnz_b_i,
  input  wire [@@KW@@:0]     max_row_nnz_i,
  input  wire [@@RNW@@-1:0]  row_nnz_i,     // row r at [r*@@NW@@ +: @@NW@@]
  output wire                irq_o
);

@@ERR_BITS@@

@@CFG_REGS@@
  reg  [@@ERR_MSB@@:0]   err_q, err_d;
  reg          done_q, done_d;
  reg          bvalid_q, bvalid_d;
  reg  [1:0]   bresp_q, bresp_d;
  reg          rvalid_q, rvalid_d;
  reg  [1:0]   rresp_q, rresp_d;
  reg  [31:0]  rdata_q, rdata_d;
  reg          start_d, abort_d;
  // START and ABORT reach the controller from registers, one cycle after the write (the
  // START decode is then not on a path into the whole controller); a START in flight counts
  // as busy for the next CTRL write (which cannot come earlier anyway: B is still pending)
  reg          start_q, abort_q;
  // the error pulses of the operand stream (the controller's TLAST check, the rows' A-entry
  // checks) are registered before they set ERR.TLAST / ERR.AFMT
  reg          tlast_q, afmt_q;
  reg  [@@ERR_MSB@@:0]   err_set;
  reg          wr_ok;
  reg  [31:0]  rd_val;
  reg          rd_ok;

  // THRESH * K by shift-and-add, one THRESH bit per cycle, restarted by every write of K or
  // THRESH; a CTRL write (START) waits until it is done (at most 9 cycles after such a write).
  reg  [@@DCW@@-1:0] rhs_q, rhs_d;
  reg  [@@DCW@@-1:0] rhs_k_q, rhs_k_d;   // K shifted left by the bits done
  reg  [@@THRESH_MSB@@:0]         rhs_t_q, rhs_t_d;   // THRESH shifted right by the bits done
  reg  [3:0]         rhs_n_q, rhs_n_d;   // bits still to add
  reg                rhs_go_q;           // K or THRESH was written last cycle: restart
  wire               rhs_go_d;
  wire               rhs_busy = rhs_go_q || (rhs_n_q != 4'd0);
  // START rules precomputed into registers (sg_regs.def SG_CHECK ... START): a write of their
  // register (start_chk_d) holds CTRL for the cycle the check catches up
@@START_OK_REGS@@
  wire               start_chk_d;
  // device conditions of the SG_NEED rules: B_RESIDENT (only changes while a job is busy)
  reg                res_ok_q;           // a B loaded with this K is resident
  // A CTRL write also waits while the LOAD stage holds a loaded job (it moves on as soon as the
  // COMPUTE stage frees, so a host can START the next job right after its last operand beat)
  // and for one cycle after the resident B changed (res_ok_q catches up): hold_i, from the
  // controller's registers. The CSRs' own hold is a register, computed a cycle ahead, so the
  // write decode has no long path behind it.
  reg          hold_q;
  wire         wr_hold = hold_q || hold_i;
  // The taken write, decoded the next cycle (a CTRL write waits there while wr_hold, its
  // response with it): word address, data, and decodes made as it is taken: the access is a
  // full aligned word to a writable register (wq_ok_q), it is CTRL (wq_ctrl_q), a good CTRL
  // write with ABORT or START (wq_abort_q, wq_start_q), the data fails a WRITE rule's value
  // check (wq_chk_q, one bit per rule, looked at for its register only).
  reg          wq_v_q, wq_v_d;
  reg  [9:0]   wq_word_q, wq_word_d;
  reg  [31:0]  wq_data_q, wq_data_d;
  reg          wq_ok_q, wq_ok_d;
  reg          wq_ctrl_q, wq_ctrl_d;
  reg          wq_abort_q, wq_abort_d;     // a good CTRL write with ABORT
  reg          wq_start_q, wq_start_d;     // ... with START and not ABORT
  reg  [@@WCHK_W@@-1:0]   wq_chk_q, wq_chk_d;   // the WRITE rules' value checks, failed
  wire         wr_take = s_axil_awvalid_i && s_axil_wvalid_i && !bvalid_q && !wq_v_q;
  wire         wr_known = @@WRITE_KNOWN@@;
  wire [9:0]   wr_word = wq_word_q;
  wire         wr_en   = wq_v_q && !(wr_hold && wq_ctrl_q);
  // The taken read (ARREADY), decoded the next cycle (rd_en), which raises RVALID: word address
  // and alignment. A bad read sets ERR.ADDR with its RVALID.
  reg          rq_v_q, rq_v_d;
  reg  [9:0]   rq_word_q, rq_word_d;
  reg          rq_alig_q, rq_alig_d;
  wire         rd_take = s_axil_arvalid_i && !rvalid_q && !rq_v_q;
  wire         rd_en   = rq_v_q;
  assign       rhs_go_d = wr_en && ((wr_word == 10'h@@W_K@@) || (wr_word == 10'h@@W_THRESH@@));
  assign       start_chk_d = @@START_CHK@@;
  wire [9:0]   rd_word = rq_word_q;
  wire         rd_alig = rq_alig_q;
  wire [31:0]  wd      = wq_data_q;
  wire [31:0]  status  = @@STATUS_WORD@@;
  // no START rule refuses a START now (the error chain of the CTRL write names the first that
  // does); a START is taken with it, in a flat expression of registers
  wire         start_ok = @@START_OK@@;

  // ---------------------------------------------------------------- writes
  always @* begin
@@CFG_HOLD@@
    err_set  = @@ERR_W@@'d0;
    wr_ok    = wq_ok_q;
    abort_d  = wr_en && wq_abort_q;
    start_d  = wr_en && wq_start_q && start_ok;
    if (wr_en) begin
      if (!wq_ok_q) begin
        err_set = ERR_ADDR;
      end else if (wq_ctrl_q) begin
@@WRITE_CTRL@@
      end else begin
        case (wr_word)
@@WRITE_CASES@@
          default: begin
          end
        endcase
      end
    end
  end

  // ---------------------------------------------------------------- reads
  always @* begin
    rd_val = 32'd0;
    rd_ok  = rd_alig;
    case (rd_word)
@@READ_CASES@@
      default: begin
        rd_ok = 1'b0;
      end
    endcase
  end

  always @* begin
    err_d    = err_q;
    done_d   = done_q;
    bvalid_d = bvalid_q;
    bresp_d  = bresp_q;
    rvalid_d = rvalid_q;
    rresp_d  = rresp_q;
    rdata_d  = rdata_q;
    if (wr_en && wq_ok_q && (wr_word == 10'h@@W_ERR@@)) begin
      err_d = err_q & ~wd[@@ERR_MSB@@:0];
    end
    if (done_i) begin
      done_d = 1'b1;
    end
    if (start_d || abort_d) begin
      done_d = 1'b0;
    end
    if (tlast_q) begin
      err_d = err_d | ERR_TLAST;
    end
    if (afmt_q) begin
      err_d = err_d | ERR_AFMT;
    end
    err_d = err_d | err_set;
    rq_v_d    = rd_take;
    rq_word_d = rq_word_q;
    rq_alig_d = rq_alig_q;
    if (rd_take) begin
      rq_word_d = s_axil_araddr_i[11:2];
      rq_alig_d = (s_axil_araddr_i[1:0] == 2'b00);
    end
    wq_v_d    = wq_v_q;
    wq_word_d = wq_word_q;
    wq_data_d = wq_data_q;
    wq_ok_d   = wq_ok_q;
    wq_ctrl_d = wq_ctrl_q;
    wq_abort_d = wq_abort_q;
    wq_start_d = wq_start_q;
    wq_chk_d  = wq_chk_q;
    if (wr_take) begin
      wq_v_d    = 1'b1;
      wq_word_d = s_axil_awaddr_i[11:2];
      wq_data_d = s_axil_wdata_i;
      wq_ok_d   = (s_axil_awaddr_i[1:0] == 2'b00) && (s_axil_wstrb_i == 4'hF) && wr_known;
      wq_ctrl_d = (s_axil_awaddr_i[11:2] == 10'h@@W_CTRL@@);
      wq_abort_d = wq_ok_d && wq_ctrl_d && s_axil_wdata_i[@@CTRL_ABORT@@];
      wq_start_d = wq_ok_d && wq_ctrl_d && !s_axil_wdata_i[@@CTRL_ABORT@@] && s_axil_wdata_i[@@CTRL_START@@];
@@WRITE_CHECKS@@
    end else if (wr_en) begin
      wq_v_d = 1'b0;
    end
    if (wr_en) begin
      bvalid_d = 1'b1;
      bresp_d  = wr_ok ? 2'b00 : 2'b10;
    end else if (s_axil_bready_i) begin
      bvalid_d = 1'b0;
    end
    if (rd_en) begin
      rvalid_d = 1'b1;
      rresp_d  = rd_ok ? 2'b00 : 2'b10;
      rdata_d  = rd_ok ? rd_val : 32'd0;
      if (!rd_ok) begin
        err_d = err_d | ERR_ADDR;
      end
    end else if (s_axil_rready_i) begin
      rvalid_d = 1'b0;
    end
  end

  always @* begin
    rhs_d   = rhs_q;
    rhs_k_d = rhs_k_q;
    rhs_t_d = rhs_t_q;
    rhs_n_d = rhs_n_q;
    if (rhs_busy) begin
      if (rhs_t_q[0]) begin
        rhs_d = rhs_q + rhs_k_q;
      end
      rhs_k_d = {rhs_k_q[@@DCW@@-2:0], 1'b0};
      rhs_t_d = {1'b0, rhs_t_q[@@THRESH_MSB@@:1]};
      rhs_n_d = rhs_n_q - 4'd1;
    end
    if (rhs_go_q) begin
      rhs_d   = {@@DCW@@{1'b0}};
      rhs_k_d = {{(@@DCW@@-@@KW@@-1){1'b0}}, k_q[@@KW@@:0]};
      rhs_t_d = thresh_q;
      rhs_n_d = 4'd@@THRESH_W@@;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rhs_q    <= {@@DCW@@{1'b0}};
      rhs_k_q  <= {{(@@DCW@@-1){1'b0}}, 1'b1};
      rhs_t_q  <= @@THRESH_W@@'d@@THRESH_RESET@@;
      rhs_n_q  <= 4'd@@THRESH_W@@;
      rhs_go_q <= 1'b0;
      start_q  <= 1'b0;
      abort_q  <= 1'b0;
      tlast_q  <= 1'b0;
      afmt_q   <= 1'b0;
      res_ok_q <= 1'b0;
      hold_q   <= 1'b1;
@@START_OK_RESET@@
    end else begin
      hold_q   <= rhs_go_d || start_chk_d || (rhs_n_d != 4'd0);
      res_ok_q <= b_valid_i && ({{(31-@@KW@@){1'b0}}, b_k_i} == k_q);
      rhs_go_q <= rhs_go_d;
      start_q  <= start_d;
      abort_q  <= abort_d;
      tlast_q  <= tlast_err_i;
      afmt_q   <= afmt_err_i;
      rhs_q    <= rhs_d;
      rhs_k_q  <= rhs_k_d;
      rhs_t_q  <= rhs_t_d;
      rhs_n_q  <= rhs_n_d;
@@START_OK_UPDATE@@
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
@@CFG_RESET@@
      err_q    <= @@ERR_W@@'d0;
      done_q   <= 1'b0;
      wq_v_q   <= 1'b0;
      wq_word_q <= 10'd0;
      wq_data_q <= 32'd0;
      wq_ok_q   <= 1'b0;
      wq_ctrl_q <= 1'b0;
      wq_abort_q <= 1'b0;
      wq_start_q <= 1'b0;
      wq_chk_q  <= {@@WCHK_W@@{1'b0}};
      rq_v_q    <= 1'b0;
      rq_word_q <= 10'd0;
      rq_alig_q <= 1'b0;
      bvalid_q <= 1'b0;
      bresp_q  <= 2'b00;
      rvalid_q <= 1'b0;
      rresp_q  <= 2'b00;
      rdata_q  <= 32'd0;
    end else begin
@@CFG_UPDATE@@
      err_q    <= err_d;
      done_q   <= done_d;
      wq_v_q   <= wq_v_d;
      wq_word_q <= wq_word_d;
      wq_data_q <= wq_data_d;
      wq_ok_q   <= wq_ok_d;
      wq_ctrl_q <= wq_ctrl_d;
      wq_abort_q <= wq_abort_d;
      wq_start_q <= wq_start_d;
      wq_chk_q  <= wq_chk_d;
      rq_v_q    <= rq_v_d;
      rq_word_q <= rq_word_d;
      rq_alig_q <= rq_alig_d;
      bvalid_q <= bvalid_d;
      bresp_q  <= bresp_d;
      rvalid_q <= rvalid_d;
      rresp_q  <= rresp_d;
      rdata_q  <= rdata_d;
    end
  end

  assign s_axil_awready_o = wr_take;
  assign s_axil_wready_o  = wr_take;
  assign s_axil_bresp_o   = bresp_q;
  assign s_axil_bvalid_o  = bvalid_q;
  assign s_axil_arready_o = rd_take;
  assign s_axil_rdata_o   = rdata_q;
  assign s_axil_rresp_o   = rresp_q;
  assign s_axil_rvalid_o  = rvalid_q;
  assign start_o          = start_q;
  assign abort_o          = abort_q;
  assign cfg_mode_o       = mode_q;
  assign cfg_k_o          = k_q[@@KW@@:0];
  assign cfg_rhs_o        = rhs_q;
  assign cfg_acc_o        = accumulate_q;
  assign cfg_keep_b_o     = keep_b_q;
  assign cfg_acomp_o      = a_compressed_q;
  assign cfg_trailer_o    = trailer_q;
  assign cfg_os_o         = out_stage_q;
  assign cfg_relu_o       = out_relu_q;
  assign cfg_bias_o       = bias_q;
  assign cfg_shift_o      = shift_q;
  assign cfg_clamp_o      = clamp_q;
  assign irq_o            = done_q || (err_q != @@ERR_W@@'d0);

endmodule
`default_nettype wire
