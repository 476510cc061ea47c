@@HEADER@@
`default_nettype none

// One row r of the PE array: the row's A as a list of its non-zeros (k, A[r][k]) in k order,
// the window buffer (B windows broadcast by the top level), the row feeder and the @@C@@ PEs of
// the row.
//
// Storage: two lists (the one the LOAD stage fills and the one the COMPUTE stage reads, so the
// next job loads while this one computes) of at most CAP = @@CAP@@ entries (PARAM4.A_CAP), each
// in @@E@@ bank(s) of @@NB@@ entries; entry i is in bank i % @@E@@ at word i / @@E@@. An entry is
// {first in its window, offset in the window, a}: the window itself is the list's occupancy
// bitmap (the i-th first entry is in the i-th occupied window). A row's non-zeros past CAP in a
// job are dropped (not written, not counted) and raise afmt_o (ERR.AFMT). A beat of the compressed A stream carries up to @@E@@ entries, so it appends at most
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
  localparam integer ENW = @@ENW@@;  // entry bits: {first in its window, offset, a}
  localparam [@@KW@@:0] CAP = @@CAP@@; // list capacity
  localparam integer LWB = @@LWB@@;  // log2(window)
  localparam integer NWIN = @@NWIN@@; // windows in KMAX
  localparam integer NWW = @@NWW@@;   // window index bits
  localparam integer WD  = @@WD@@;   // window slots
  localparam integer DPW = @@DPW@@;  // slot index bits
  localparam integer CNW = @@CNW@@;  // slot count bits
  localparam integer BRW = @@BRW@@;  // one row of B: C x DATA_W
  localparam [DPW-1:0] WD_M1 = @@WD_M1@@;
  localparam [CNW-1:0] WD_C  = @@WD@@;
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
  reg  [NWIN-1:0]   occ0_q, occ0_d;    // windows of list 0 holding an entry
  reg  [NWIN-1:0]   occ1_q, occ1_d;
  reg  [NWIN-1:0]   occ_set;
  reg               sf;
  reg  [E-1:0]      bwe;
  reg  [E*LAW-1:0]  bwa;
  reg  [E*ENW-1:0]  bwd;
  reg               fmt_err;
  reg               cap_err;
  reg  [EBW:0]      cnt, pos;
  wire [@@KW@@:0]   lroom = CAP - n_l;   // free entries of the list being loaded
  reg               hp;
  reg  [@@KW@@-1:0] pk, sk;
  reg  [@@DW@@-1:0] sa;
  integer           s, b;

  always @* begin
    cnt     = {(EBW+1){1'b0}};
    hp      = (n_l != {(@@KW@@+1){1'b0}});
    pk      = lastk_q;
    fmt_err = 1'b0;
    cap_err = 1'b0;
    bwe     = {E{1'b0}};
    bwa     = {(E*LAW){1'b0}};
    bwd     = {(E*ENW){1'b0}};
    pos     = {(EBW+1){1'b0}};
    sk      = {@@KW@@{1'b0}};
    sa      = {@@DW@@{1'b0}};
    occ_set = {NWIN{1'b0}};
    sf      = 1'b0;
    for (s = 0; s < E; s = s + 1) begin
      sk = ent_k_i[s*@@KW@@ +: @@KW@@];
      sa = ent_a_i[s*@@DW@@ +: @@DW@@];
      if (ent_v_i[s] && (sa != @@DW@@'d0)) begin
        if (({1'b0, sk} >= lk_len_i) || (hp && (sk <= pk))) begin
          fmt_err = 1'b1;
        end
        if ({{(@@KW@@-EBW){1'b0}}, cnt} < lroom) begin
          sf  = !hp || (sk[@@KW@@-1:LWB] != pk[@@KW@@-1:LWB]);
          occ_set = occ_set | ({{(NWIN-1){1'b0}}, 1'b1} << sk[@@KW@@-1:LWB]);
          pos = {1'b0, wbank_q} + cnt;
          for (b = 0; b < E; b = b + 1) begin
            if ((pos == b[EBW:0]) || (pos == (b[EBW:0] + E_W))) begin
              bwe[b] = 1'b1;
              bwa[b*LAW +: LAW] = (pos >= E_W) ? (wword_q + {{(LAW-1){1'b0}}, 1'b1}) : wword_q;
              bwd[b*ENW +: ENW] = {sf, sk[LWB-1:0], sa};
            end
          end
          cnt = cnt + {{EBW{1'b0}}, 1'b1};
        end else begin
          cap_err = 1'b1;
        end
        hp  = 1'b1;
        pk  = sk;
      end
    end
  end

  wire [EBW:0] wend = {1'b0, wbank_q} + cnt;
  wire [@@KW@@:0] n_add = n_l + {{(@@KW@@-EBW){1'b0}}, cnt};
  always @* begin
    n0_d    = n0_q;
    n1_d    = n1_q;
    occ0_d  = occ0_q;
    occ1_d  = occ1_q;
    if (lbuf_i) begin
      n1_d   = n_add;
      occ1_d = occ1_q | occ_set;
    end else begin
      n0_d   = n_add;
      occ0_d = occ0_q | occ_set;
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
        n1_d   = {(@@KW@@+1){1'b0}};
        occ1_d = {NWIN{1'b0}};
      end else begin
        n0_d   = {(@@KW@@+1){1'b0}};
        occ0_d = {NWIN{1'b0}};
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
  reg  [@@DW@@-1:0] s1_a_q;
  // window buffer: a ring of WD slots, filled in window order with the broadcast windows this
  // row needs (all in DENSE), the oldest live slot holds the head's window
  reg  [DPW-1:0]    wr_q, wr_d;
  reg  [DPW-1:0]    rs_q, rs_d;        // oldest live slot
  reg  [CNW-1:0]    cnt_q, cnt_d;      // live slots
  reg               fi_q, fi_d;        // no token issued yet in this run
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

  wire [NWIN-1:0]   occ_c   = cbuf_i ? occ1_q : occ0_q;
  wire              head_f  = head[ENW-1];
  wire [LWB-1:0]    head_o  = head[ENW-2:@@DW@@];
  wire [@@DW@@-1:0] head_a  = head[@@DW@@-1:0];
  // DENSE takes the head when it is at dk_q: its offset is dk_q's, and its window is dk_q's
  // (every entry below dk_q is taken, so a head that is not first in its window is in the
  // window of the last entry taken, which is dk_q's; a first one is in dk_q's window when that
  // window is occupied and none of its entries is taken yet, tw_q)
  reg               tw_q, tw_d;        // an entry of dk_q's window was taken
  reg               ok_q, ok_d;        // dk_q's window is occupied (registered: off the issue path)
  wire              head_w = !head_f || (ok_q && !tw_q);
  wire [NWW-1:0]    dk_wn  = dk_q[@@KW@@-1:LWB] + {{(NWW-1){1'b0}}, 1'b1};  // dk_q's next window
  wire              head_v  = (rem_q != {(@@KW@@+1){1'b0}});
  wire              cap     = bc_v_i;   // the fetcher tells each row which windows it captures
  // the token's window is the next slot when it is the first entry of a new window
  wire              nxt     = (sparse_q ? head_f : (dk_q[LWB-1:0] == {LWB{1'b0}})) && !fi_q;
  wire              present = nxt ? (cnt_q > {{(CNW-1){1'b0}}, 1'b1}) : (cnt_q != {CNW{1'b0}});
  wire [DPW-1:0]    rs_n    = (rs_q == WD_M1) ? {DPW{1'b0}} : rs_q + {{(DPW-1){1'b0}}, 1'b1};
  wire [DPW-1:0]    rsel    = nxt ? rs_n : rs_q;
  wire              go      = run_q && present;
  wire              take    = go && head_v &&
                              (sparse_q || (head_w && (head_o == dk_q[LWB-1:0])));
  wire              emit_v  = go;
  wire [LWB-1:0]    emit_o  = sparse_q ? head_o : dk_q[LWB-1:0];
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
    tw_d     = tw_q;
    ok_d     = ok_q;
    if (take) begin
      tw_d = 1'b1;
    end
    if (go && (dk_q[LWB-1:0] == {LWB{1'b1}})) begin
      tw_d = 1'b0;                     // dk_q moves into the next window
      ok_d = occ_c[dk_wn];
    end
    if (take) begin
      rem_d = rem_q - {{@@KW@@{1'b0}}, 1'b1};
      if (rbank_q == E_M1) begin
        rbank_d = {EBW{1'b0}};
        rword_d = rword_q + {{(LAW-1){1'b0}}, 1'b1};
      end else begin
        rbank_d = rbank_q + {{(EBW-1){1'b0}}, 1'b1};
      end
    end
    wr_d   = wr_q;
    rs_d   = rs_q;
    fi_d   = fi_q;
    cnt_d  = cnt_q + {{(CNW-1){1'b0}}, cap} - {{(CNW-1){1'b0}}, go && nxt};
    if (cap) begin
      wr_d = (wr_q == WD_M1) ? {DPW{1'b0}} : wr_q + {{(DPW-1){1'b0}}, 1'b1};
    end
    if (go) begin
      fi_d = 1'b0;
      rs_d = rsel;
    end
    if (go) begin
      dk_d = dk_q + @@KW@@'d1;
      if (sparse_q ? rem_one : dk_last) begin
        run_d = 1'b0;
      end
    end
    if (kill_i || run_i) begin
      wr_d  = {DPW{1'b0}};
      rs_d  = {DPW{1'b0}};
      cnt_d = {CNW{1'b0}};
      fi_d  = 1'b1;
    end
    if (kill_i) begin
      run_d  = 1'b0;
      s1_v_d = 1'b0;
    end else if (run_i) begin
      // the head (entry 0) is read in this cycle; SPARSE with no entry has nothing to issue
      run_d    = !sparse_i || (n_q != {(@@KW@@+1){1'b0}});
      sparse_d = sparse_i;
      rem_d    = n_q;
      tw_d     = 1'b0;
      ok_d     = occ_c[0];
      rword_d  = {LAW{1'b0}};
      rbank_d  = {EBW{1'b0}};
      dk_d     = {@@KW@@{1'b0}};
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      n0_q     <= {(@@KW@@+1){1'b0}};
      n1_q     <= {(@@KW@@+1){1'b0}};
      occ0_q   <= {NWIN{1'b0}};
      occ1_q   <= {NWIN{1'b0}};
      wr_q     <= {DPW{1'b0}};
      rs_q     <= {DPW{1'b0}};
      cnt_q    <= {CNW{1'b0}};
      fi_q     <= 1'b1;
      wword_q  <= {LAW{1'b0}};
      wbank_q  <= {EBW{1'b0}};
      lastk_q  <= {@@KW@@{1'b0}};
      run_q    <= 1'b0;
      sparse_q <= 1'b0;
      rem_q    <= {(@@KW@@+1){1'b0}};
      tw_q     <= 1'b0;
      ok_q     <= 1'b0;
      rword_q  <= {LAW{1'b0}};
      rbank_q  <= {EBW{1'b0}};
      dk_q     <= {@@KW@@{1'b0}};
      s1_v_q   <= 1'b0;
    end else begin
      n0_q     <= n0_d;
      n1_q     <= n1_d;
      occ0_q   <= occ0_d;
      occ1_q   <= occ1_d;
      wr_q     <= wr_d;
      rs_q     <= rs_d;
      cnt_q    <= cnt_d;
      fi_q     <= fi_d;
      wword_q  <= wword_d;
      wbank_q  <= wbank_d;
      lastk_q  <= lastk_d;
      run_q    <= run_d;
      sparse_q <= sparse_d;
      rem_q    <= rem_d;
      tw_q     <= tw_d;
      ok_q     <= ok_d;
      rword_q  <= rword_d;
      rbank_q  <= rbank_d;
      dk_q     <= dk_d;
      s1_v_q   <= s1_v_d;
    end
  end

  // window slots (no reset: a slot is read only while it is live): one memory of WD windows
  // with a registered read (block RAM where the target has it); the read of the slot the
  // token issues from and the token's offset are registered together, the offset selects the
  // token's row of B after the read register (the cycle s1_b_q took before)
  reg  [@@WBW@@-1:0] wbuf [0:WD-1];
  reg  [@@WBW@@-1:0] wrd_q;
  reg  [LWB-1:0]     eo_q;
  always @(posedge clk_i) begin
    if (cap) begin
      wbuf[wr_q] <= bc_data_i;
    end
    wrd_q <= wbuf[rsel];
  end

  // token payload: only looked at when s1_v_q is set
  always @(posedge clk_i) begin
    s1_a_q <= emit_a;
    eo_q   <= emit_o;
  end
  wire [BRW-1:0]     s1_b = wrd_q[eo_q*BRW +: BRW];  // the token's row of B

  assign busy_o  = run_q;
  assign issue_o = s1_v_q;   // registered: counted one cycle after the issue
  assign nnz_o   = n_q;
  assign afmt_o  = fmt_err || cap_err;
  assign occ_o   = occ_c;
  // one more window fits after the one captured this cycle (the fetcher's decision now is
  // captured next cycle; slots freed this cycle are not counted)
  assign room_o  = ({1'b0, cnt_q} + {{CNW{1'b0}}, cap}) < {1'b0, WD_C};

  // ---------------------------------------------------------------- PEs
@@PES@@
endmodule
`default_nettype wire
