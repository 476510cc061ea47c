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
  const double e_mul = t->mul8_pj * (dw / 8.0) * (dw / 8.0);
  const double e_add = t->add32_pj * (aw / 32.0);
  /* a row's A storage: the entry list {k, a} (sparse-capable) or the dense A memory */
  const double a_bits = v->p.sparse_capable ? v->a_cnt_w - 1u + dw : dw; /* {k, a}: k clog2(kmax) bits */
  const double e_a = host_energy_sram_bit_pj(t, kmax * a_bits) * a_bits;
  /* a PE's B memory: KMAX x DATA_W */
  const double e_b = host_energy_sram_bit_pj(t, kmax * dw) * dw;
  memset(e, 0, sizeof *e);
  e->mac_pj = (double)(in->issued - in->gated) * (e_mul + e_add);
  e->a_read_pj = (double)in->issued / cols * e_a;
  e->b_read_pj = (double)in->issued * e_b;
  e->load_write_pj = (v->p.sparse_capable ? (double)in->nnz_a : rows * k) * e_a +
                     ((in->flags & HOST_FLAGS_KEEP_B) ? 0.0 : rows * cols * k * e_b);
  e->stream_pj = ((double)in->in_beats * v->in_stream_w + (double)in->out_beats * v->out_stream_w) *
                 t->dram_bit_pj;
  e->total_pj = e->mac_pj + e->a_read_pj + e->b_read_pj + e->load_write_pj + e->stream_pj;
}
