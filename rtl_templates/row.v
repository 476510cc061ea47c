@@HEADER@@
`default_nettype none

// One row r of the PE array: the row's A as a list of its non-zeros (k, A[r][k]) in k order,
// the row feeder and the @@C@@ PEs of the row.
//
// Storage: two lists (the one the LOAD stage fills and the one the COMPUTE stage reads, so the
// next job loads while this one computes), each in @@E@@ bank(s) of @@NB@@ entries; entry i is in
// bank i % @@E@@ at word i / @@E@@. A beat of the compressed A stream carries up to @@E@@ entries, so it appends at most
// @@E@@ consecutive entries to a row, which land in distinct banks: one write port per bank is
// enough and LOAD never stalls. Dense A (one element per row per beat) appends its non-zeros.
//
// Feeder: SPARSE issues the list in order, one entry per cycle (ROW_NNZ tokens, no bubbles,
// nothing to search). DENSE issues every k = 0..K-1, one per cycle, with a = the list head's
// value when the head is at that k and 0 otherwise (a gated slot in every PE), so both modes
// read the same storage. The head entry is a registered (synchronous) memory read.
@@PORTS@@
  localparam integer E   = @@E@@;    // banks = entry slots per beat
  localparam integer EBW = @@EBW@@;  // bank index bits
  localparam integer LAW = @@LAW@@;  // word address bits of a bank
  localparam integer ENW = @@ENW@@;  // entry bits: {k, a}
  localparam [EBW:0]   E_W  = @@E@@;   // E, E - 1 at the widths they are compared with
  localparam [EBW-1:0] E_M1 = @@E_M1@@;

  // ---------------------------------------------------------------- append (LOAD)
  reg  [@@KW@@:0]   n0_q, n0_d;        // entries in list 0
  reg  [@@KW@@:0]   n1_q, n1_d;        // entries in list 1
  wire [@@KW@@:0]   n_l = lbuf_i ? n1_q : n0_q;   // the list being loaded
  wire [@@KW@@:0]   n_q = cbuf_i ? n1_q : n0_q;   // the list being computed (= ROW_NNZ)
  reg  [LAW-1:0]    wword_q, wword_d;  // next free entry: word
  reg  [EBW-1:0]    wbank_q, wbank_d;  //                  bank
  reg  [@@KW@@-1:0] lastk_q, lastk_d;  // k of the last entry appended
  reg  [E-1:0]      bwe;
  reg  [E*LAW-1:0]  bwa;
  reg  [E*ENW-1:0]  bwd;
  reg               fmt_err;
  reg  [EBW:0]      cnt, pos;
  reg               hp;
  reg  [@@KW@@-1:0] pk, sk;
  reg  [@@DW@@-1:0] sa;
  integer           s, b;

  always @* begin
    cnt     = {(EBW+1){1'b0}};
    hp      = (n_l != {(@@KW@@+1){1'b0}});
    pk      = lastk_q;
    fmt_err = 1'b0;
    bwe     = {E{1'b0}};
    bwa     = {(E*LAW){1'b0}};
    bwd     = {(E*ENW){1'b0}};
    pos     = {(EBW+1){1'b0}};
    sk      = {@@KW@@{1'b0}};
    sa      = {@@DW@@{1'b0}};
    for (s = 0; s < E; s = s + 1) begin
      sk = ent_k_i[s*@@KW@@ +: @@KW@@];
      sa = ent_a_i[s*@@DW@@ +: @@DW@@];
      if (ent_v_i[s] && (sa != @@DW@@'d0)) begin
        if (({1'b0, sk} >= lk_len_i) || (hp && (sk <= pk))) begin
          fmt_err = 1'b1;
        end
        hp  = 1'b1;
        pk  = sk;
        pos = {1'b0, wbank_q} + cnt;
        for (b = 0; b < E; b = b + 1) begin
          if ((pos == b[EBW:0]) || (pos == (b[EBW:0] + E_W))) begin
            bwe[b] = 1'b1;
            bwa[b*LAW +: LAW] = (pos >= E_W) ? (wword_q + {{(LAW-1){1'b0}}, 1'b1}) : wword_q;
            bwd[b*ENW +: ENW] = {sk, sa};
          end
        end
        cnt = cnt + {{EBW{1'b0}}, 1'b1};
      end
    end
  end

  wire [EBW:0] wend = {1'b0, wbank_q} + cnt;
  wire [@@KW@@:0] n_add = n_l + {{(@@KW@@-EBW){1'b0}}, cnt};
  always @* begin
    n0_d    = n0_q;
    n1_d    = n1_q;
    if (lbuf_i) begin
      n1_d = n_add;
    end else begin
      n0_d = n_add;
    end
    lastk_d = pk;
    if (wend >= E_W) begin
      wbank_d = wend[EBW-1:0] - E_W[EBW-1:0];
      wword_d = wword_q + {{(LAW-1){1'b0}}, 1'b1};
    end else begin
      wbank_d = wend[EBW-1:0];
      wword_d = wword_q;
    end
    if (lstart_i) begin
      if (lbuf_i) begin
        n1_d = {(@@KW@@+1){1'b0}};
      end else begin
        n0_d = {(@@KW@@+1){1'b0}};
      end
      wbank_d = {EBW{1'b0}};
      wword_d = {LAW{1'b0}};
    end
  end

  // ---------------------------------------------------------------- feeder
  reg               run_q, run_d;
  reg               sparse_q, sparse_d;
  reg  [@@KW@@:0]   rem_q, rem_d;      // entries not issued yet (a down-counter: no compare
                                       // with the list count on the read-address path)
  reg  [LAW-1:0]    rword_q, rword_d;  // head entry: word (read address)
  reg  [EBW-1:0]    rbank_q, rbank_d;  //             bank (selects the read data)
  reg  [@@KW@@-1:0] dk_q, dk_d;        // DENSE: the k issued this cycle
  reg               s1_v_q, s1_v_d;
  reg  [@@KW@@-1:0] s1_k_q;
  reg  [@@DW@@-1:0] s1_a_q;
  wire [2*E*ENW-1:0] brd2;              // both lists' read data
  wire [E*ENW-1:0]  brd = cbuf_i ? brd2[2*E*ENW-1:E*ENW] : brd2[E*ENW-1:0];
  reg  [ENW-1:0]    head;
  integer           h;

  // Memory idiom per bank (write port and registered read in one clocked block) so that
  // synthesis infers a RAM; every bank reads the head's word, the head's list and bank are
  // selected. Bank gb belongs to list gb / E.
  genvar gb;
  generate
    for (gb = 0; gb < 2*E; gb = gb + 1) begin : gen_bank
      localparam integer B  = gb % E;
      localparam         LB = (gb >= E);
      // no_rw_check: a read of the word written in the same cycle may return either value
      // (never used: the list being loaded is not the one computed), so synthesis adds no
      // collision bypass on the read path (iCE40: it was the critical path)
      (* no_rw_check *)
      reg [ENW-1:0] lmem [0:@@NB@@-1];
      reg [ENW-1:0] rd_q;
      always @(posedge clk_i) begin
        if (bwe[B] && (lbuf_i == LB)) begin
          lmem[bwa[B*LAW +: LAW]] <= bwd[B*ENW +: ENW];
        end
        rd_q <= lmem[rword_d];
      end
      assign brd2[gb*ENW +: ENW] = rd_q;
    end
  endgenerate

  always @* begin
    head = brd[ENW-1:0];
    for (h = 1; h < E; h = h + 1) begin
      if (rbank_q == h[EBW-1:0]) begin
        head = brd[h*ENW +: ENW];
      end
    end
  end

  wire [@@KW@@-1:0] head_k  = head[ENW-1:@@DW@@];
  wire [@@DW@@-1:0] head_a  = head[@@DW@@-1:0];
  wire              head_v  = (rem_q != {(@@KW@@+1){1'b0}});
  wire              take    = run_q && head_v && (sparse_q || (head_k == dk_q));
  wire              emit_v  = run_q;
  wire [@@KW@@-1:0] emit_k  = sparse_q ? head_k : dk_q;
  wire [@@DW@@-1:0] emit_a  = take ? head_a : @@DW@@'d0;
  wire              rem_one = (rem_q == {{@@KW@@{1'b0}}, 1'b1});
  wire              dk_last = ({1'b0, dk_q} == k_len_i - @@KW1@@'d1);

  always @* begin
    run_d    = run_q;
    sparse_d = sparse_q;
    rem_d    = rem_q;
    rword_d  = rword_q;
    rbank_d  = rbank_q;
    dk_d     = dk_q;
    s1_v_d   = emit_v;
    if (take) begin
      rem_d = rem_q - {{@@KW@@{1'b0}}, 1'b1};
      if (rbank_q == E_M1) begin
        rbank_d = {EBW{1'b0}};
        rword_d = rword_q + {{(LAW-1){1'b0}}, 1'b1};
      end else begin
        rbank_d = rbank_q + {{(EBW-1){1'b0}}, 1'b1};
      end
    end
    if (run_q) begin
      dk_d = dk_q + @@KW@@'d1;
      if (sparse_q ? rem_one : dk_last) begin
        run_d = 1'b0;
      end
    end
    if (kill_i) begin
      run_d  = 1'b0;
      s1_v_d = 1'b0;
    end else if (run_i) begin
      // the head (entry 0) is read in this cycle; SPARSE with no entry has nothing to issue
      run_d    = !sparse_i || (n_q != {(@@KW@@+1){1'b0}});
      sparse_d = sparse_i;
      rem_d    = n_q;
      rword_d  = {LAW{1'b0}};
      rbank_d  = {EBW{1'b0}};
      dk_d     = {@@KW@@{1'b0}};
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      n0_q     <= {(@@KW@@+1){1'b0}};
      n1_q     <= {(@@KW@@+1){1'b0}};
      wword_q  <= {LAW{1'b0}};
      wbank_q  <= {EBW{1'b0}};
      lastk_q  <= {@@KW@@{1'b0}};
      run_q    <= 1'b0;
      sparse_q <= 1'b0;
      rem_q    <= {(@@KW@@+1){1'b0}};
      rword_q  <= {LAW{1'b0}};
      rbank_q  <= {EBW{1'b0}};
      dk_q     <= {@@KW@@{1'b0}};
      s1_v_q   <= 1'b0;
    end else begin
      n0_q     <= n0_d;
      n1_q     <= n1_d;
      wword_q  <= wword_d;
      wbank_q  <= wbank_d;
      lastk_q  <= lastk_d;
      run_q    <= run_d;
      sparse_q <= sparse_d;
      rem_q    <= rem_d;
      rword_q  <= rword_d;
      rbank_q  <= rbank_d;
      dk_q     <= dk_d;
      s1_v_q   <= s1_v_d;
    end
  end

  // token payload: only looked at when s1_v_q is set
  always @(posedge clk_i) begin
    s1_k_q <= emit_k;
    s1_a_q <= emit_a;
  end

  assign busy_o  = run_q;
  assign issue_o = emit_v;
  assign nnz_o   = n_q;
  assign afmt_o  = fmt_err;

  // ---------------------------------------------------------------- PEs
@@PES@@
endmodule
`default_nettype wire
