/* dut_shim: a thin extern "C" face of one Verilated variant. The C side sets the input pins,
 * calls dut_cycle(), and reads the outputs as they were just before the rising edge (the
 * values every handshake of that edge is decided on). */
#ifndef SG_DUT_SHIM_H
#define SG_DUT_SHIM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DUT_MAX_WORDS 32 /* 1024-bit stream */

typedef struct dut_pins {
  /* inputs, driven by the C bus models */
  uint8_t rst_ni;
  uint16_t awaddr, araddr;
  uint8_t awvalid, wvalid, bready, arvalid, rready;
  uint32_t wdata;
  uint8_t wstrb;
  uint32_t s_tdata[DUT_MAX_WORDS];
  uint8_t s_tvalid, s_tlast, m_tready;
  /* outputs, sampled before the rising edge */
  uint8_t awready, wready, bvalid, bresp, arready, rvalid, rresp;
  uint32_t rdata;
  uint8_t s_tready, m_tvalid, m_tlast, irq;
  uint32_t m_tdata[DUT_MAX_WORDS];
} dut_pins_t;

typedef struct dut dut_t;

/* seed: randomises every register's power-on value (Verilator --x-initial unique), so tests
 * show that reset really covers the state. */
dut_t *dut_new(uint64_t seed);
void dut_free(dut_t *d);
/* One clock cycle: apply inputs, settle, sample outputs into pins, rising edge. */
void dut_cycle(dut_t *d, dut_pins_t *pins);
uint64_t dut_cycles(const dut_t *d);
/* Start an FST/VCD trace of this model (only in a tracing build; returns -1 otherwise). */
int dut_trace(dut_t *d, const char *path);

#ifdef __cplusplus
}
#endif
#endif
