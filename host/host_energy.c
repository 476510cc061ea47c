#include "host_energy.h"

#include <string.h>

const host_energy_table_t host_energy_horowitz45 = {0.2, 0.1, 10.0, 1300.0 / 64.0};

/* square root by Newton's method (keeps the library free of libm) */
static double en_sqrt(double x) {
  if (x <= 0.0) return 0.0;
  double r = x > 1.0 ? x : 1.0;
  for (int i = 0; i < 200; i++) {
    double n = 0.5 * (r + x / r);
    if (n == r) break;
    r = n;
  }
  return r;
}

double host_energy_sram_bit_pj(const host_energy_table_t *t, double bits) {
  return t->sram64_8kb_pj / 64.0 * en_sqrt(bits / (8.0 * 8192.0));
}

void host_energy_job(const host_variant_t *v, const host_energy_table_t *t,
                     const host_energy_in_t *in, host_energy_t *e) {
  const double dw = v->p.data_w, aw = v->p.acc_w, k = in->k;
  const double rows = v->p.rows, cols = v->p.cols, kmax = v->p.kmax;
  const double win = v->p.window ? v->p.window : 1.0, wd = v->p.wdepth;
  const double e_mul = t->mul8_pj * (dw / 8.0) * (dw / 8.0);
  const double e_add = t->add32_pj * (aw / 32.0);
  /* a row's A storage: one list of A_CAP entries {first, offset, a} (sparse-capable) or the
     dense A memory of KMAX elements */
  const double a_bits = v->p.sparse_capable ? sg_a_entry_bits(&v->p) : dw;
  const double a_size = v->p.sparse_capable ? (v->a_cap ? v->a_cap : kmax) * a_bits : kmax * dw;
  const double e_a = host_energy_sram_bit_pj(t, a_size) * a_bits;
  /* B, one copy: W banks of KMAX/W words of C x DATA_W bits; a window fetch reads one word of
     each bank, the B load writes one word per k. A row's window slots: one memory of
     WDEPTH x W x C x DATA_W bits (rtl_templates/row.v); a capture writes a window (W rows of
     B), a token reads its row of B (C x DATA_W bits; the RTL's read port is a whole window
     wide and selects the row after the read: a slot memory banked by row would read only the
     row, which is what is priced). */
  const double row_b = cols * dw;
  const double e_bank = host_energy_sram_bit_pj(t, kmax / win * row_b) * row_b;
  const double e_slot = host_energy_sram_bit_pj(t, wd * win * row_b) * row_b;
  const double tokens = (double)in->issued / cols;
  memset(e, 0, sizeof *e);
  e->mac_pj = (double)(in->issued - in->gated) * (e_mul + e_add);
  e->a_read_pj = tokens * e_a;
  e->b_read_pj = ((double)in->win_fetches * e_bank + (double)in->win_captures * e_slot) * win +
                 tokens * e_slot;
  e->load_write_pj = (v->p.sparse_capable ? (double)in->nnz_a : rows * k) * e_a +
                     ((in->flags & HOST_FLAGS_KEEP_B) ? 0.0 : k * e_bank);
  e->stream_pj = ((double)in->in_beats * v->in_stream_w + (double)in->out_beats * v->out_stream_w) *
                 t->dram_bit_pj;
  e->total_pj = e->mac_pj + e->a_read_pj + e->b_read_pj + e->load_write_pj + e->stream_pj;
}
