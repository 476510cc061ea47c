@@HEADER@@
`default_nettype none

// Compressed A decoder (stream format 2, docs/data-formats.md). The compressed A section is
// @@H@@ header beat(s) holding the @@R@@ rows' entry counts (@@CW@@ bits each, row r at header bit
// r*@@CW@@), then the entries {gap (@@GW@@ bits), value (@@DW@@ bits)} of rows 0..@@R_M1@@ in order,
// @@EW@@ bits each, packed from entry bit 0 across the entry beats (@@EB@@ entry bits a beat). An
// entry's k is the previous entry's k of its row + 1 + gap (the row's first: k = gap); an entry of
// value 0 (a filler bridging a long gap) advances k and is not appended.
//
// Header: the last header beat registers the rows' ends (prefix sums of the counts, log2(R)
// adder levels) and checks the counts against K.
// Stage 1 (an entry beat's cycle): a bit buffer (the bits left over from the previous beat below
// the new beat) yields up to @@E@@ complete entries; each one's row is the number of rows ending
// at or before its index in the section, and it opens its row when one ends right at its index.
// Stage 2 (the next cycle; fields, rows and flags registered): k as a prefix sum of gap + 1 over
// the beat's entries (a row's first entry: k = gap); the entries drive the rows' append ports
// (ent_*_o; a beat appends at most @@E@@ entries to a row, consecutive list positions).
// Format errors (dec_afmt_o, ERR.AFMT; the job's results are then undefined): a count above K,
// an entry at k >= K, non-zero bits after the last entry of the section's last beat.
module @@P@@_adec (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  input  wire                 lstart_i,      // START: a new job loads
  input  wire                 kill_i,        // ABORT
  input  wire                 ld_fire_i,     // a beat is taken this cycle ...
  input  wire                 ld_ac_i,       // ... from the compressed A section
/* verilator lint_off UNUSED */
  input  wire [@@SW@@-1:0]      s_axis_tdata_i, // bits past the entry bits of a beat are not read
/* verilator lint_on UNUSED */
  input  wire [@@KW@@:0]        lk_len_i,      // K of the job in LOAD
  output wire                 a_end_o,       // this beat ends the compressed A section
  output wire [@@E@@-1:0]        ent_v_o,       // entry slot s: valid ...
  output wire [@@ERW@@-1:0]       ent_row_o,     // ... row (RW bits a slot)
  output wire [@@EKW@@-1:0]       ent_k_o,       // ... k (KW bits a slot)
  output wire [@@EDW@@-1:0]       ent_a_o,       // ... value (DW bits a slot)
  output wire                 dec_afmt_o     // pulse (registered): the section breaks the format
);

  localparam integer SW  = @@SW@@;   // stream bits
  localparam integer EB  = @@EB@@;   // entry bits per entry beat
  localparam integer EW  = @@EW@@;   // entry bits
  localparam integer GW  = @@GW@@;   // gap bits
  localparam integer DW  = @@DW@@;   // value bits
  localparam integer KW  = @@KW@@;   // k bits
  localparam integer CW  = @@CW@@;   // count bits
  localparam integer R   = @@R@@;
  localparam integer RW  = @@RW@@;   // row index bits
  localparam integer E   = @@E@@;    // entries completed per beat at most
  localparam integer H   = @@H@@;    // header beats
  localparam integer HCW = @@HCW@@;  // header beat counter bits
  localparam integer NW  = @@NW@@;   // entry index / entry count of a section
  localparam integer LW  = @@LW@@;   // leftover bit count 0..EW-1
  localparam integer NCW = @@NCW@@;  // complete entries of a beat, 0..E
  localparam integer XW  = KW + 2;   // k with room to see k >= K
  localparam integer BW  = EB + EW - 1;     // bit buffer
  localparam integer BXW = BW + EW - 1;     // bit buffer with a zero tail (constant selects)
  localparam integer PL  = @@PL@@;   // prefix-sum levels: clog2(R)
  localparam [HCW-1:0] H_M1 = @@H_M1@@;

  // ---------------------------------------------------------------- header
  reg              hdr_q;      // the next section beat is a header beat
  reg  [HCW-1:0]   hbeat_q;    // header beats taken
@@HBUF_DECL@@  reg  [R*NW-1:0]  ends_q;     // row r's entries end (exclusive) at ends_q[r]
  wire             fire      = ld_fire_i && ld_ac_i;
  wire             hfire     = fire && hdr_q;
  wire             efire     = fire && !hdr_q;
  wire             hlast     = (hbeat_q == H_M1);
  wire [H*SW-1:0]  hbuf_d    = @@HBUF_D@@;   // beat j of the header at [j*SW +: SW]
  wire             cnt_zero  = (hbuf_d[R*CW-1:0] == {(R*CW){1'b0}});

  // constants of the slots: slot s's entry ends at buffer bit (s+1)*EW; slot index s at NW bits;
  // row r + 1 at RW bits (R itself wraps: it only names entries past the section)
  localparam [(E+1)*NCW-1:0] SNC = @@SNC@@;          // s at NCW bits
  localparam [(1<<LW)*NCW-1:0] NCT = @@NCT@@;       // lo -> floor((lo + EB) / EW)
  localparam [(1<<LW)*LW-1:0]  LOT = @@LOT@@;       // lo -> (lo + EB) mod EW
  localparam [(E+1)*NW-1:0] SIDX = @@SIDX@@;
  localparam [R*RW-1:0]     ROW1 = @@ROW1@@;

  // prefix sums of the counts (log-depth, in place from the top row down) and the counts above
  // K, from the header as the last header beat completes it
  reg  [R*NW-1:0]  ends_d;
  reg              cnt_bad;
  integer          l, c;
  always @* begin
    cnt_bad = 1'b0;
    for (c = 0; c < R; c = c + 1) begin
      ends_d[c*NW +: NW] = {{(NW-CW){1'b0}}, hbuf_d[c*CW +: CW]};
      if (hbuf_d[c*CW +: CW] > lk_len_i) begin
        cnt_bad = 1'b1;
      end
    end
    for (l = 0; l < PL; l = l + 1) begin
      for (c = R - 1; c >= 0; c = c - 1) begin
        if (c >= (1 << l)) begin
          ends_d[c*NW +: NW] = ends_d[c*NW +: NW] + ends_d[(c-(1<<l))*NW +: NW];
        end
      end
    end
  end
  wire [NW-1:0]    total  = ends_d[(R-1)*NW +: NW];

  // ---------------------------------------------------------------- stage 1: bit buffer
  reg  [NW-1:0]    nleft_q;    // entries still to come
  reg  [NW-1:0]    idx_q;      // index of the next entry
  reg  [LW-1:0]    lo_q;       // bits left over from the previous beat ...
  reg  [EW-2:0]    left_q;     // ... in the low lo_q bits of left_q
  reg  [E:0]       nle_q;      // nle_q[s]: nleft_q <= s (registered, off the beat's path)
  wire [BW-1:0]    ins   = {{(EW-1){1'b0}}, s_axis_tdata_i[EB-1:0]} << lo_q;
  // the buffer with a zero tail, so that every slot's select is in range
  /* verilator lint_off UNUSED */
  wire [BXW-1:0]   bufx  = {{(EW-1){1'b0}}, ins | {{EB{1'b0}}, left_q}};
  /* verilator lint_on UNUSED */
  // complete entries and the bits left after them are functions of lo_q alone (tables, so
  // that no adder or comparator sits on the beat's path): floor((lo + EB) / EW) and
  // (lo + EB) mod EW
  wire [NCW-1:0]   nc    = NCT[lo_q*NCW +: NCW];
  wire [LW-1:0]    lo_n  = LOT[lo_q*LW +: LW];
  wire [NW-1:0]    ncomp = {{(NW-NCW){1'b0}}, nc};
  wire             e_end = nle_q[nc];   // this entry beat completes the section
  reg  [E-1:0]     val;        // slot s holds a complete entry of the section
  reg              nz_tail;    // non-zero bits past the section's last entry
  reg  [EW-2:0]    left_n;
  reg  [E*DW-1:0]  sval;       // the slots' fields
  reg  [E*GW-1:0]  sgap;
  integer          s;
  always @* begin
    left_n  = bufx[EW-2:0];
    nz_tail = 1'b0;
    for (s = 0; s < E; s = s + 1) begin
      val[s] = (nc > SNC[s*NCW +: NCW]) && !nle_q[s];
      if (nc == SNC[(s+1)*NCW +: NCW]) begin
        left_n = bufx[(s+1)*EW +: EW-1];
      end
      if (nle_q[s] && (bufx[s*EW +: EW] != {EW{1'b0}})) begin
        nz_tail = 1'b1;
      end
      sval[s*DW +: DW] = bufx[s*EW +: DW];
      sgap[s*GW +: GW] = bufx[s*EW+DW +: GW];
    end
    if (nle_q[E] && (bufx[E*EW +: EW-1] != {(EW-1){1'b0}})) begin
      nz_tail = 1'b1;
    end
  end
  // nleft_q after this beat, and its flags
  wire [NW-1:0]    nleft_n = (hfire && hlast) ? total : (nleft_q - ncomp);
  reg  [E:0]       nle_n;
  integer          q;
  always @* begin
    for (q = 0; q <= E; q = q + 1) begin
      nle_n[q] = (nleft_n <= SIDX[q*NW +: NW]);
    end
  end

  // each slot's row: the number of rows that end at or before its index; it opens its row
  // when a row ends right at its index
  reg  [NW-1:0]    ix;
  reg  [RW-1:0]    rowc;
  reg              first, tge, tnx;
  reg  [E*RW-1:0]  srow;
  reg  [E-1:0]     sfirst;
  integer          t, r;
  always @* begin
    srow   = {(E*RW){1'b0}};
    sfirst = {E{1'b0}};
    for (t = 0; t < E; t = t + 1) begin
      ix    = idx_q + SIDX[t*NW +: NW];
      first = (ix == {NW{1'b0}});
      rowc  = {RW{1'b0}};
      for (r = 0; r < R; r = r + 1) begin
        // entry ix lies in row r + 1 when row r ends at or before it and row r + 1 after it
        tge = (ends_q[r*NW +: NW] <= ix);
        tnx = (r + 1 < R) && (ends_q[((r+1)%R)*NW +: NW] <= ix);
        if (tge && !tnx) begin
          rowc = rowc | ROW1[r*RW +: RW];
        end
        if (ends_q[r*NW +: NW] == ix) begin
          first = 1'b1;
        end
      end
      srow[t*RW +: RW] = rowc;
      sfirst[t]        = first;
    end
  end

  // ---------------------------------------------------------------- stage 2: rows and k
  reg  [E-1:0]     s2_v_q;
  reg  [E*GW-1:0]  s2_gap_q;
  reg  [E*DW-1:0]  s2_val_q;
  reg  [E*RW-1:0]  s2_row_q;   // the slots' rows ...
  reg  [E-1:0]     s2_first_q; // ... and whether they open their row
  reg  [XW-1:0]    klast_q;    // k of the last entry of the previous beat
  reg  [XW-1:0]    kp, kc, gap;
  reg  [E*KW-1:0]  ek;
  reg              kbad;
  integer          u;
  always @* begin
    kp   = klast_q;
    ek   = {(E*KW){1'b0}};
    kbad = 1'b0;
    for (u = 0; u < E; u = u + 1) begin
      gap = {{(XW-GW){1'b0}}, s2_gap_q[u*GW +: GW]};
      kc  = s2_first_q[u] ? gap : (kp + gap + {{(XW-1){1'b0}}, 1'b1});
      if (s2_v_q[u]) begin
        kp = kc;
        if (kc >= {{(XW-KW-1){1'b0}}, lk_len_i}) begin
          kbad = 1'b1;    // ERR.AFMT: the job's results are undefined
        end
      end
      ek[u*KW +: KW] = kc[KW-1:0];
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni || kill_i || lstart_i) begin
      hdr_q    <= 1'b1;
      hbeat_q  <= {HCW{1'b0}};
      nleft_q  <= {NW{1'b0}};
      nle_q    <= {(E+1){1'b1}};
      idx_q    <= {NW{1'b0}};
      lo_q     <= {LW{1'b0}};
      left_q   <= {(EW-1){1'b0}};
      s2_v_q   <= {E{1'b0}};
      klast_q  <= {XW{1'b0}};
    end else begin
      s2_v_q  <= efire ? val : {E{1'b0}};
      if (s2_v_q != {E{1'b0}}) begin
        klast_q <= kp;
      end
      if (hfire) begin
        hbeat_q <= hbeat_q + {{(HCW-1){1'b0}}, 1'b1};
        if (hlast) begin
          hdr_q <= cnt_zero;   // no entries: the section ends with its header
        end
      end
      if ((hfire && hlast) || efire) begin
        nleft_q <= nleft_n;
        nle_q   <= nle_n;
      end
      if (efire) begin
        idx_q   <= idx_q + ncomp;
        lo_q    <= lo_n;
        left_q  <= left_n;
        if (e_end) begin
          hdr_q <= 1'b1;
        end
      end
    end
  end
  always @(posedge clk_i) begin
@@HBUF_UPD@@    if (hfire && hlast) begin
      ends_q <= ends_d;
    end
    if (efire) begin
      s2_row_q   <= srow;
      s2_first_q <= sfirst;
    end
    if (efire) begin
      s2_gap_q <= sgap;
      s2_val_q <= sval;
    end
  end

  reg afmt_q;
  always @(posedge clk_i) begin
    if (!rst_ni || kill_i) begin
      afmt_q <= 1'b0;
    end else begin
      afmt_q <= (hfire && hlast && cnt_bad) || (efire && e_end && nz_tail) || kbad;
    end
  end

  assign a_end_o    = hdr_q ? (hlast && cnt_zero) : e_end;
  assign ent_v_o    = s2_v_q;
  assign ent_row_o  = s2_row_q;
  assign ent_k_o    = ek;
  assign ent_a_o    = s2_val_q;
  assign dec_afmt_o = afmt_q;

endmodule
`default_nettype wire
