/* bus: C bus models over the Verilated variant: an AXI4-Lite master and AXI4-Stream master
 * and slave, with random valid/ready back-pressure from a seeded generator, and a host_dev_t
 * over them so the host driver runs unchanged on the simulation. */
#ifndef SG_TB_BUS_H
#define SG_TB_BUS_H
#include <stdint.h>

#include "dut_shim.h"
#include "host_driver.h"

typedef struct tb {
  dut_t *dut;
  dut_pins_t pins;
  uint64_t rng;
  unsigned p_valid;  /* % of cycles a master offers data when it has some */
  unsigned p_ready;  /* % of cycles a slave (B, R, result stream) is ready */
  uint64_t timeout;  /* cycles without progress before an operation gives up */
  /* back-pressure seen, for functional coverage */
  uint64_t axil_resp_stalls; /* B/R valid while the master was not ready */
  uint64_t in_gaps;          /* cycles the operand master withheld TVALID mid-stream */
  uint64_t in_stalls;        /* operand TVALID while TREADY low */
  uint64_t out_stalls;       /* result TVALID while TREADY low */
} tb_t;

int tb_init(tb_t *tb, uint64_t seed, unsigned p_valid, unsigned p_ready);
void tb_free(tb_t *tb);
uint64_t tb_rand(tb_t *tb);
void tb_idle(tb_t *tb, unsigned cycles);
void tb_reset(tb_t *tb, unsigned cycles);
/* Return 0 OKAY, 1 SLVERR (or other non-OKAY), -1 timeout. */
int tb_axil_write(tb_t *tb, uint32_t addr, uint32_t data, uint8_t strb);
int tb_axil_read(tb_t *tb, uint32_t addr, uint32_t *data);
/* Return 0, or -1 on timeout. last[i] is TLAST of beat i. */
int tb_axis_send(tb_t *tb, const uint32_t *words, uint32_t wpb, uint32_t nbeats,
                 const uint8_t *last);
int tb_axis_recv(tb_t *tb, uint32_t *words, uint32_t wpb, uint32_t nbeats, uint8_t *last);
/* Both at once: send nsend operand beats while receiving nrecv result beats (each side with
 * its own random valid/ready); returns when both are done. 0, or -1 on timeout. */
int tb_axis_xfer(tb_t *tb, const uint32_t *swords, uint32_t swpb, uint32_t nsend,
                 const uint8_t *slast, uint32_t *rwords, uint32_t rwpb, uint32_t nrecv,
                 uint8_t *rlast);
/* The host device table over this test bench. */
host_dev_t tb_dev(tb_t *tb);
#endif
