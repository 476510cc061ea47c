/* host_energy.h - energy estimate of a job from its event counts.
 *
 * Events come from the architectural counters (MACS_ISSUED, MACS_GATED, MACS_SKIPPED) and the
 * job shape; each is priced from a per-event table at 45 nm (Horowitz, "Computing's energy
 * problem", ISSCC 2014): 8-bit integer multiply 0.2 pJ, 32-bit integer add 0.1 pJ, 64-bit read
 * of an 8 KB SRAM 10 pJ. Widths scale the arithmetic (multiply ~ width^2, add ~ width) and
 * memory energy is per bit. See docs/benchmarks.md ("Energy") for what is and is not counted.
 * Skipped work costs nothing; gated work costs its buffer read but no arithmetic.
 */
#ifndef SPARSEGEN_HOST_ENERGY_H
#define SPARSEGEN_HOST_ENERGY_H

#include <stdint.h>

#include "host_stream.h"

typedef struct host_energy_table {
  double mul8_pj;      /* 8x8-bit integer multiply */
  double add32_pj;     /* 32-bit integer add */
  double sram_bit_pj;  /* one bit read or written in a small SRAM (10 pJ / 64 bits) */
} host_energy_table_t;

extern const host_energy_table_t host_energy_horowitz45;

typedef struct host_energy {
  double mac_pj;        /* multiply + accumulate of issued, non-gated MAC slots */
  double a_read_pj;     /* A buffer reads: one per issued token (issued / cols) */
  double b_read_pj;     /* B buffer reads: one per issued MAC slot (every PE reads b, gated or not) */
  double load_write_pj; /* operand buffer writes: A once, B once per row (each PE keeps its copy) */
  double total_pj;
} host_energy_t;

/* k: the job's K; issued/gated from the counters. */
void host_energy_job(const host_variant_t *v, const host_energy_table_t *t, uint32_t k,
                     uint64_t issued, uint64_t gated, host_energy_t *e);

#endif
