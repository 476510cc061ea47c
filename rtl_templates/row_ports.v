// Port list shared by both row flavours (row.v, row_dense.v); filled into their @@PORTS@@.
module @@P@@_row (
  input  wire                  clk_i,
  input  wire                  rst_ni,
  input  wire                  lstart_i,     // START: empty the A list being loaded (lbuf_i)
  input  wire                  lbuf_i,       // the A list (of two) the LOAD stage writes
  input  wire                  cbuf_i,       // the A list the COMPUTE stage reads (and nnz_o counts)
  input  wire [@@KW@@:0]       lk_len_i,     // K of the job being loaded (entry checks)
  input  wire                  kill_i,       // ABORT: stop the feeder, drop tokens
  input  wire                  clear_i,      // zero the accumulators
  input  wire                  cap_i,        // copy the accumulators to the output registers
  input  wire [@@E@@-1:0]      ent_v_i,      // LOAD: slot s carries an element of A for this row
  input  wire [@@EKW@@-1:0]    ent_k_i,      // slot s: its k at [s*@@KW@@ +: @@KW@@]
  input  wire [@@EDW@@-1:0]    ent_a_i,      // slot s: its value at [s*@@DW@@ +: @@DW@@]
  input  wire                  bc_v_i,       // COMPUTE: capture the B window broadcast this cycle
  input  wire [@@WBW@@-1:0]    bc_data_i,    // the window w: B[w*W + o][c] at [(o*@@C@@ + c)*@@DW@@ +: @@DW@@]
  output wire [@@NWIN@@-1:0]   occ_o,        // windows holding a non-zero of A (list cbuf_i)
  output wire                  room_o,       // the window buffer can take one more window
  input  wire                  run_i,        // pulse: start the feeder
@@SPARSE_I@@
  input  wire [@@KW@@:0]       k_len_i,      // K of the job being computed
  output wire                  busy_o,       // feeder still issuing
  output wire                  issue_o,      // a token was issued in the previous cycle
  output wire [@@KW@@:0]       nnz_o,        // non-zeros of A in this row, list cbuf_i
  output wire                  afmt_o,       // an A entry past K or out of k order (LOAD)
  output wire [@@GCW@@-1:0]    gated_cnt_o,  // gated MAC slots this cycle
  input  wire [@@LCCW@@-1:0]   rd_col_i,     // result read-back (DRAIN), one column per lane
  output reg  [@@LNAW@@-1:0]   rd_data_o
);
