/* emit_adec: the compressed A decoder (rtl_templates/adec.v, stream format 2), emitted on
 * variants with the compressed format (sg_stream_fmt: a_ents > 0). Every width comes from the
 * contract's stream format. */
#include <stdio.h>

#include "gen.h"
#include "tmpl.h"

/* "{w'dv[n-1], ..., w'dv[0]}" for values v[0..count-1]; "" when it does not fit. */
static void vtable(char *buf, size_t n, const uint32_t *v, uint32_t count, uint32_t w) {
  size_t used = 0;
  buf[0] = '\0';
  for (uint32_t i = count; i-- > 0;) {
    int k = snprintf(buf + used, n - used, "%s%u'd%u%s", i + 1 == count ? "{" : "", w, v[i], i ? ", " : "}");
    if (k < 0 || (size_t)k >= n - used) {
      buf[0] = '\0';
      return;
    }
    used += (size_t)k;
  }
}

/* The same with v[i] = (i + off) mod 2^w (count at most TABLE_MAX; "" beyond). */
#define TABLE_MAX 1024
static void table(char *buf, size_t n, uint32_t count, uint32_t w, uint32_t off) {
  static uint32_t v[TABLE_MAX];
  buf[0] = '\0';
  if (count > TABLE_MAX) return;
  for (uint32_t i = 0; i < count; i++) v[i] = (uint32_t)((i + off) & ((UINT64_C(1) << w) - 1u));
  vtable(buf, n, v, count, w);
}

int emit_adec(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  const sg_stream_fmt_t *f = &g->d.f;
  if (f->a_ents == 0) {
    snprintf(g->errbuf, sizeof g->errbuf, "internal: no compressed A format, no decoder");
    return -1;
  }
  gen_widths_t w;
  gen_widths(g, &w);
  const uint32_t R = c->rows, E = f->a_ents, EW = f->a_ent_w, EB = f->a_ebits;
  /* entries of a section: R counts of a_cnt_w bits, each at most 2^a_cnt_w - 1 */
  const uint64_t nmax = (uint64_t)R * ((UINT64_C(1) << f->a_cnt_w) - 1u);
  uint32_t nw = 1;
  while ((UINT64_C(1) << nw) <= nmax + E) nw++;
  tmpl_holes_t hs = {0};
  tmpl_setu(&hs, "SW", c->stream_w);
  tmpl_setu(&hs, "EB", EB);
  tmpl_setu(&hs, "EW", EW);
  tmpl_setu(&hs, "GW", f->a_gap_w);
  tmpl_setu(&hs, "DW", c->data_w);
  tmpl_setu(&hs, "KW", w.kw);
  tmpl_setu(&hs, "CW", f->a_cnt_w);
  tmpl_setu(&hs, "R", R);
  tmpl_setu(&hs, "R_M1", R - 1);
  tmpl_setu(&hs, "RW", w.rrw);
  tmpl_setu(&hs, "ERW", E * w.rrw);
  tmpl_setu(&hs, "EKW", E * w.kw);
  tmpl_setu(&hs, "EDW", E * c->data_w);
  tmpl_setu(&hs, "E", E);
  tmpl_setu(&hs, "H", f->a_hdr_beats);
  tmpl_setu(&hs, "H_M1", f->a_hdr_beats - 1);
  tmpl_setu(&hs, "HCW", cfg_clog2(f->a_hdr_beats + 1));
  tmpl_setu(&hs, "NW", nw);
  tmpl_setu(&hs, "LW", cfg_clog2(EW));
  tmpl_setu(&hs, "PL", R > 1 ? cfg_clog2(R) : 0);
  /* constant tables (element 0 last in the concatenation) */
  const uint32_t RW = w.rrw, H = f->a_hdr_beats, LW = cfg_clog2(EW), NCW = cfg_clog2(E + 1);
  static char snc[4096], sidx[4096], row1[4096], nct[8192], lot[8192], hbd[128];
  table(snc, sizeof snc, E + 1, NCW, 0);
  table(sidx, sizeof sidx, E + 1, nw, 0);
  table(row1, sizeof row1, R, RW, 1);
  /* per leftover bit count lo (0..EW-1; larger values never occur): the complete entries of
     the beat, floor((lo + EB) / EW) (at most E), and the bits left, (lo + EB) mod EW */
  uint32_t ncv[1u << 6], lov[1u << 6];
  for (uint32_t lo = 0; lo < (1u << LW); lo++) {
    ncv[lo] = lo < EW ? (lo + EB) / EW : 0;
    lov[lo] = lo < EW ? (lo + EB) % EW : 0;
  }
  vtable(nct, sizeof nct, ncv, 1u << LW, NCW);
  vtable(lot, sizeof lot, lov, 1u << LW, LW);
  if (snc[0] == '\0' || sidx[0] == '\0' || row1[0] == '\0' || nct[0] == '\0' || lot[0] == '\0') {
    snprintf(g->errbuf, sizeof g->errbuf, "internal: decoder constant table too long");
    return -1;
  }
  tmpl_setu(&hs, "NCW", NCW);
  tmpl_set(&hs, "SNC", snc);
  tmpl_set(&hs, "NCT", nct);
  tmpl_set(&hs, "LOT", lot);
  tmpl_set(&hs, "SIDX", sidx);
  tmpl_set(&hs, "ROW1", row1);
  /* the header beats before the last one, beat j at [j*SW +: SW] (none with one header beat) */
  static char hdecl[160], hupd[160];
  if (H > 1) {
    snprintf(hdecl, sizeof hdecl, "  reg  [%u:0] hbuf_q;     // the header beats before the last, beat j at [j*SW +: SW]\n",
             (H - 1) * c->stream_w - 1);
    snprintf(hbd, sizeof hbd, "{s_axis_tdata_i, hbuf_q}");
    snprintf(hupd, sizeof hupd, "    if (hfire) begin\n      hbuf_q <= hbuf_d[H*SW-1:SW];\n    end\n");
  } else {
    hdecl[0] = hupd[0] = '\0';
    snprintf(hbd, sizeof hbd, "s_axis_tdata_i");
  }
  tmpl_set(&hs, "HBUF_D", hbd);
  tmpl_set(&hs, "HBUF_DECL", hdecl);
  tmpl_set(&hs, "HBUF_UPD", hupd);
  return emit_from_template(g, out, "adec.v", &hs);
}
