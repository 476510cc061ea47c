#include "host_energy.h"

#include <string.h>

const host_energy_table_t host_energy_horowitz45 = {0.2, 0.1, 10.0 / 64.0};

void host_energy_job(const host_variant_t *v, const host_energy_table_t *t, uint32_t k,
                     uint64_t issued, uint64_t gated, host_energy_t *e) {
  const double dw = v->p.data_w, aw = v->p.acc_w;
  const double rows = v->p.rows, cols = v->p.cols;
  const double e_mul = t->mul8_pj * (dw / 8.0) * (dw / 8.0);
  const double e_add = t->add32_pj * (aw / 32.0);
  const double e_elem = t->sram_bit_pj * dw;
  memset(e, 0, sizeof *e);
  e->mac_pj = (double)(issued - gated) * (e_mul + e_add);
  e->a_read_pj = (double)issued / cols * e_elem;
  e->b_read_pj = (double)issued * e_elem;
  e->load_write_pj = (rows * k + rows * cols * k) * e_elem;
  e->total_pj = e->mac_pj + e->a_read_pj + e->b_read_pj + e->load_write_pj;
}
