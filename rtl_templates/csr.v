@@HEADER@@
`default_nettype none

// Control/status registers behind an AXI4-Lite slave (32-bit data, 12-bit byte address).
// The register decode, value checks, readback and reset values below are generated from the
// register table (contract/sg_regs.def; regmap.md in the variant folder); this template holds
// only the bus handshake, ERR/DONE bookkeeping and the outputs.
// A write is taken when AWVALID and WVALID are both high and no response is pending; a read
// when ARVALID is high and no read data is pending. Bad accesses answer SLVERR and set ERR.ADDR;
// bad values set their ERR bit and leave the register as it was; START is checked against
// BUSY and K here, so the controller only ever sees a valid job.
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
  output wire [@@THRESH_MSB@@:0]          cfg_thresh_o,
  output wire                cfg_acc_o,
  // status and counters
  input  wire                busy_i,
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
  reg  [@@ERR_MSB@@:0]   err_set;
  reg          wr_ok;
  reg  [31:0]  rd_val;
  reg          rd_ok;

  wire         wr_en   = s_axil_awvalid_i && s_axil_wvalid_i && !bvalid_q;
  wire         rd_en   = s_axil_arvalid_i && !rvalid_q;
  wire [9:0]   wr_word = s_axil_awaddr_i[11:2];
  wire [9:0]   rd_word = s_axil_araddr_i[11:2];
  wire         wr_alig = (s_axil_awaddr_i[1:0] == 2'b00) && (s_axil_wstrb_i == 4'hF);
  wire         rd_alig = (s_axil_araddr_i[1:0] == 2'b00);
  wire [31:0]  wd      = s_axil_wdata_i;
  wire [31:0]  status  = @@STATUS_WORD@@;

  // ---------------------------------------------------------------- writes
  always @* begin
@@CFG_HOLD@@
    err_set  = @@ERR_W@@'d0;
    wr_ok    = 1'b1;
    start_d  = 1'b0;
    abort_d  = 1'b0;
    if (wr_en) begin
      if (!wr_alig) begin
        wr_ok = 1'b0;
      end else begin
        case (wr_word)
@@WRITE_CASES@@
          default: begin
            wr_ok = 1'b0;
          end
        endcase
      end
      if (!wr_ok) begin
        err_set = ERR_ADDR;
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
    if (wr_en && wr_alig && wr_ok && (wr_word == 10'h@@W_ERR@@)) begin
      err_d = err_q & ~wd[@@ERR_MSB@@:0];
    end
    if (done_i) begin
      done_d = 1'b1;
    end
    if (start_d || abort_d) begin
      done_d = 1'b0;
    end
    if (tlast_err_i) begin
      err_d = err_d | ERR_TLAST;
    end
    err_d = err_d | err_set;
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

  always @(posedge clk_i) begin
    if (!rst_ni) begin
@@CFG_RESET@@
      err_q    <= @@ERR_W@@'d0;
      done_q   <= 1'b0;
      bvalid_q <= 1'b0;
      bresp_q  <= 2'b00;
      rvalid_q <= 1'b0;
      rresp_q  <= 2'b00;
      rdata_q  <= 32'd0;
    end else begin
@@CFG_UPDATE@@
      err_q    <= err_d;
      done_q   <= done_d;
      bvalid_q <= bvalid_d;
      bresp_q  <= bresp_d;
      rvalid_q <= rvalid_d;
      rresp_q  <= rresp_d;
      rdata_q  <= rdata_d;
    end
  end

  assign s_axil_awready_o = wr_en;
  assign s_axil_wready_o  = wr_en;
  assign s_axil_bresp_o   = bresp_q;
  assign s_axil_bvalid_o  = bvalid_q;
  assign s_axil_arready_o = rd_en;
  assign s_axil_rdata_o   = rdata_q;
  assign s_axil_rresp_o   = rresp_q;
  assign s_axil_rvalid_o  = rvalid_q;
  assign start_o          = start_d;
  assign abort_o          = abort_d;
  assign cfg_mode_o       = mode_q;
  assign cfg_k_o          = k_q[@@KW@@:0];
  assign cfg_thresh_o     = thresh_q;
  assign cfg_acc_o        = accumulate_q;
  assign irq_o            = done_q || (err_q != @@ERR_W@@'d0);

endmodule
`default_nettype wire
