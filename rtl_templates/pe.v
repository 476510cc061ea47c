@@HEADER@@
`default_nettype none

// Processing element (r, c) of the output-stationary array.
// A token (valid, a) arrives from the left neighbour (or the row feeder), is registered
// here for one cycle and passed on to the right: one hop per cycle. B[k][c] arrives with it
// (b_i: the row's window buffer read, delayed c cycles along the row) and is registered in the
// same clock edge, so in the next cycle a, b and the valid bit line up: the MAC slot. A slot
// whose a or b is zero is gated: gated_o reports the event (from a register, a cycle later)
// and nothing after it toggles. The MAC itself is pipelined behind the slot (@@MAC_STAGES@@
// stages, SG_PE_MAC_STAGES in contract/sg_contract.h, which the FLUSH count and the cycle model
// add): the multiplier's operand registers, loaded only for a MAC; the product register; then
// the accumulate.
module @@P@@_pe (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  input  wire                 kill_i,     // drop the token in flight (ABORT)
  input  wire                 clear_i,    // zero the accumulator (a job without ACCUMULATE enters COMPUTE)
  input  wire                 cap_i,      // copy the final sum into the output register (end of COMPUTE)
  input  wire [@@DW@@-1:0]    b_i,        // B[k][c] of the token at tok_*_i
  input  wire                 tok_v_i,    // token from the left
  input  wire [@@DW@@-1:0]    tok_a_i,
  output wire                 tok_v_o,    // token to the right, one cycle later
  output wire [@@DW@@-1:0]    tok_a_o,
  output wire                 gated_o,    // last cycle's MAC slot was gated
  output wire [@@AW@@-1:0]    out_o       // the last job's result, read while the next job computes
);

  reg  [@@DW@@-1:0] b_q;
  always @(posedge clk_i) begin
    b_q <= b_i;
  end

  reg                 v_q, v_d;
  reg  [@@DW@@-1:0]   a_q;

  // MAC pipeline. Product kept at 2*DATA_W bits and sign-extended inside the accumulate (see
  // TOOLCHAIN notes: a full ACC_W-wide product makes synthesis build a much larger multiplier).
  //   slot:    v_q, a_q, b_q; mac_en when the slot is valid and neither operand is zero;
  //   operand: ma_q, mb_q, loaded only when mac_en (clock enable: a run of gated slots leaves
  //            the multiplier's inputs unchanged, operand isolation without logic before it);
  //   product: prod_q = ma_q * mb_q, loaded only for a MAC;
  //   sum:     acc_q += prod_q when pv_q (the accumulator is written only for a MAC).
  // kill_i drops the MACs in flight with the tokens.
  wire                       gate = (a_q == @@DW@@'d0) || (b_q == @@DW@@'d0);
  wire                       mac_en = v_q && !gate;
  reg                        mv_q, mv_d;        // ma_q/mb_q hold a MAC's operands
  reg                        pv_q, pv_d;        // prod_q holds a MAC's product
  reg                        gated_q, gated_d;  // the slot of the last cycle was gated
  reg  signed [@@DW@@-1:0]   ma_q, ma_d, mb_q, mb_d;
  reg  signed [@@PW@@-1:0]   prod_q, prod_d;
  reg  [@@AW@@-1:0]   acc_q, acc_d;

  always @* begin
    v_d     = tok_v_i;
    mv_d    = mac_en;
    pv_d    = mv_q;
    gated_d = v_q && gate;
    ma_d    = ma_q;
    mb_d    = mb_q;
    prod_d  = prod_q;
    acc_d   = acc_q;
    if (mac_en) begin
      ma_d = a_q;
      mb_d = b_q;
    end
    if (mv_q) begin
      prod_d = @@PROD_EXPR@@;
    end
    if (kill_i) begin
      v_d  = 1'b0;
      mv_d = 1'b0;
      pv_d = 1'b0;
    end
    if (clear_i) begin
      acc_d = @@AW@@'d0;
    end else if (pv_q) begin
      acc_d = acc_q + @@PROD_EXT@@;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      v_q     <= 1'b0;
      mv_q    <= 1'b0;
      pv_q    <= 1'b0;
      gated_q <= 1'b0;
      acc_q   <= @@AW@@'d0;
    end else begin
      v_q     <= v_d;
      mv_q    <= mv_d;
      pv_q    <= pv_d;
      gated_q <= gated_d;
      acc_q   <= acc_d;
    end
  end

  // Operand and product registers need no reset: they are only used while mv_q / pv_q say so.
  always @(posedge clk_i) begin
    ma_q   <= ma_d;
    mb_q   <= mb_d;
    prod_q <= prod_d;
  end

  // Token payload needs no reset: it is only looked at when v_q is set.
  always @(posedge clk_i) begin
    a_q <= tok_a_i;
  end

  // Output register: the sum as it will be after this cycle (the last MAC of a job is
  // accumulated in its last FLUSH cycle, the cycle of the capture). Only read in DRAIN, after
  // a capture.
  reg  [@@AW@@-1:0]   out_q;
  always @(posedge clk_i) begin
    if (cap_i) begin
      out_q <= acc_d;
    end
  end

  assign tok_v_o = v_q;
  assign tok_a_o = a_q;
  assign gated_o = gated_q;
  assign out_o   = out_q;

endmodule
`default_nettype wire
