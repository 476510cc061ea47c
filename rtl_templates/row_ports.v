// Port list shared by both row flavours (row.v, row_dense.v); filled into their @@PORTS@@.
module @@P@@_row (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  input  wire                  job_start_i,  // START: clear the non-zero counter
  input  wire                  kill_i,       // ABORT: stop the feeder, drop tokens
  input  wire                  clear_i,      // zero the accumulators
  input  wire                  a_we_i,       // A[r][waddr] write (LOAD)
  input  wire [@@KW@@-1:0]     waddr_i,
  input  wire [@@DW@@-1:0]     a_wdata_i,
  input  wire [@@C@@-1:0]      b_we_i,       // B[waddr][c] write, one enable per column
  input  wire [@@BWW@@-1:0]    b_wdata_i,    // column c at [c*@@DW@@ +: @@DW@@]
  input  wire                  run_i,        // pulse: start the feeder
@@SPARSE_I@@
  input  wire [@@KW@@:0]       k_len_i,      // K
  output wire                  busy_o,       // feeder still issuing
  output wire                  issue_o,      // a token was issued this cycle
  output wire [@@KW@@:0]       nnz_o,        // non-zeros of A in this row
  output wire [@@GCW@@-1:0]    gated_cnt_o,  // gated MAC slots this cycle
  input  wire [@@CCW@@-1:0]    rd_col_i,     // result read-back (DRAIN)
  output reg  [@@AW@@-1:0]     rd_data_o
);
