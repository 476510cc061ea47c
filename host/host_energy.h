/* host_energy.h - energy estimate of a job from its event counts.
 *
 * Events come from the architectural counters (MACS_ISSUED, MACS_GATED, NNZ_A), the job shape
 * and what crossed the streams; each is priced from a per-event table at 45 nm (Horowitz,
 * "Computing's energy problem", ISSCC 2014): 8-bit integer multiply 0.2 pJ, 32-bit integer add
 * 0.1 pJ, a 64-bit SRAM access 10 pJ at 8 KB, 20 pJ at 32 KB, 100 pJ at 1 MB (modelled as
 * 10 pJ * sqrt(size / 8 KB), so an on-chip memory is priced by its size), and a 64-bit DRAM
 * access 1.3 to 2.6 nJ (the low end, 1300 pJ / 64 bits, prices every bit crossing either
 * stream: in a system those bits come from or go to DRAM).  Widths scale the arithmetic
 * (multiply ~ width^2, add ~ width).  See docs/benchmarks.md ("Energy").
 * Skipped work costs nothing; gated work costs its buffer read but no arithmetic; a zero that
 * is not sent on the stream costs nothing either.
 */
#ifndef SPARSEGEN_HOST_ENERGY_H
#define SPARSEGEN_HOST_ENERGY_H

#include <stdint.h>

#include "host_stream.h"

typedef struct host_energy_table {
  double mul8_pj;        /* 8x8-bit integer multiply */
  double add32_pj;       /* 32-bit integer add */
  double sram64_8kb_pj;  /* 64-bit access of an 8 KB SRAM; other sizes scale with sqrt(size) */
  double dram_bit_pj;    /* one bit read from or written to off-chip DRAM */
} host_energy_table_t;

extern const host_energy_table_t host_energy_horowitz45;

/* pJ per bit accessed in an on-chip memory of `bits` bits. */
double host_energy_sram_bit_pj(const host_energy_table_t *t, double bits);

typedef struct host_energy_in {
  uint32_t k;
  uint32_t flags;             /* HOST_FLAGS_KEEP_B: B not loaded (resident) */
  uint64_t issued, gated;     /* MACS_ISSUED, MACS_GATED */
  uint64_t nnz_a;             /* NNZ_A */
  uint64_t in_beats, out_beats; /* beats on the operand and the result stream */
  uint64_t win_fetches, win_captures; /* B windows fetched, window slot writes (sg_window_events) */
} host_energy_in_t;

typedef struct host_energy {
  double mac_pj;        /* multiply + accumulate of issued, non-gated MAC slots */
  double a_read_pj;     /* A storage reads: one entry per issued token (issued / cols) */
  double b_read_pj;     /* B during COMPUTE (one copy of B): each window fetch reads W words of
                           C x DATA_W bits from the B banks, each capture writes W words into a
                           row's window slots, each token reads one slot word (its row of B) */
  double load_write_pj; /* operand storage writes: A (its non-zero entries on a sparse-capable
                           variant, every element on a dense-only one), B once (K words of
                           C x DATA_W bits into the B banks) unless resident */
  double stream_pj;     /* bits crossing the operand and result streams, at the DRAM price */
  double total_pj;
} host_energy_t;

void host_energy_job(const host_variant_t *v, const host_energy_table_t *t,
                     const host_energy_in_t *in, host_energy_t *e);

#endif
