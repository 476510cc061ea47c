#include "bus.h"

#include <stdlib.h>
#include <string.h>

uint64_t tb_rand(tb_t *tb) {
  /* xorshift64* */
  uint64_t x = tb->rng;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  tb->rng = x;
  return x * 0x2545F4914F6CDD1Dull;
}

static int tb_chance(tb_t *tb, unsigned pct) { return pct >= 100 || (tb_rand(tb) % 100) < pct; }

int tb_init(tb_t *tb, uint64_t seed, unsigned p_valid, unsigned p_ready) {
  memset(tb, 0, sizeof *tb);
  tb->rng = seed ? seed : 0x9E3779B97F4A7C15ull;
  tb->p_valid = p_valid;
  tb->p_ready = p_ready;
  tb->timeout = 200000;
  tb->dut = dut_new(seed);
  if (!tb->dut) return -1;
  tb->pins.wstrb = 0xF;
  tb_reset(tb, 2);
  return 0;
}

void tb_free(tb_t *tb) {
  dut_free(tb->dut);
  tb->dut = NULL;
}

/* Inputs that carry no meaning this cycle get random values, so the design cannot depend on
 * them by accident. */
static void tb_scramble(tb_t *tb) {
  dut_pins_t *p = &tb->pins;
  if (!p->awvalid) p->awaddr = (uint16_t)(tb_rand(tb) & 0xfff);
  if (!p->wvalid) p->wdata = (uint32_t)tb_rand(tb);
  if (!p->arvalid) p->araddr = (uint16_t)(tb_rand(tb) & 0xfff);
  if (!p->s_tvalid) {
    for (int i = 0; i < DUT_MAX_WORDS; i++) p->s_tdata[i] = (uint32_t)tb_rand(tb);
    p->s_tlast = (uint8_t)(tb_rand(tb) & 1);
  }
}

static void tb_cycle(tb_t *tb) {
  tb_scramble(tb);
  dut_cycle(tb->dut, &tb->pins);
}

void tb_idle(tb_t *tb, unsigned cycles) {
  for (unsigned i = 0; i < cycles; i++) tb_cycle(tb);
}

void tb_reset(tb_t *tb, unsigned cycles) {
  dut_pins_t *p = &tb->pins;
  p->awvalid = p->wvalid = p->arvalid = p->s_tvalid = 0;
  p->bready = p->rready = p->m_tready = 0;
  p->rst_ni = 0;
  tb_idle(tb, cycles);
  p->rst_ni = 1;
}

int tb_axil_write(tb_t *tb, uint32_t addr, uint32_t data, uint8_t strb) {
  dut_pins_t *p = &tb->pins;
  int aw_done = 0, w_done = 0;
  uint64_t n = 0;
  p->bready = 0;
  while (!(aw_done && w_done)) {
    if (!aw_done && !p->awvalid && tb_chance(tb, tb->p_valid)) {
      p->awvalid = 1;
      p->awaddr = (uint16_t)(addr & 0xfff);
    }
    if (!w_done && !p->wvalid && tb_chance(tb, tb->p_valid)) {
      p->wvalid = 1;
      p->wdata = data;
      p->wstrb = strb;
    }
    tb_cycle(tb);
    if (p->awvalid && p->awready) {
      aw_done = 1;
      p->awvalid = 0;
    }
    if (p->wvalid && p->wready) {
      w_done = 1;
      p->wvalid = 0;
    }
    if (++n > tb->timeout) return -1;
  }
  for (;;) {
    p->bready = (uint8_t)tb_chance(tb, tb->p_ready);
    tb_cycle(tb);
    if (p->bvalid && p->bready) break;
    tb->axil_resp_stalls += p->bvalid;
    if (++n > tb->timeout) return -1;
  }
  p->bready = 0;
  return p->bresp == 0 ? 0 : 1;
}

int tb_axil_read(tb_t *tb, uint32_t addr, uint32_t *data) {
  dut_pins_t *p = &tb->pins;
  uint64_t n = 0;
  p->rready = 0;
  for (;;) {
    if (!p->arvalid && tb_chance(tb, tb->p_valid)) {
      p->arvalid = 1;
      p->araddr = (uint16_t)(addr & 0xfff);
    }
    tb_cycle(tb);
    if (p->arvalid && p->arready) {
      p->arvalid = 0;
      break;
    }
    if (++n > tb->timeout) return -1;
  }
  for (;;) {
    p->rready = (uint8_t)tb_chance(tb, tb->p_ready);
    tb_cycle(tb);
    if (p->rvalid && p->rready) break;
    tb->axil_resp_stalls += p->rvalid;
    if (++n > tb->timeout) return -1;
  }
  p->rready = 0;
  *data = p->rdata;
  return p->rresp == 0 ? 0 : 1;
}

int tb_axis_send(tb_t *tb, const uint32_t *words, uint32_t wpb, uint32_t nbeats,
                 const uint8_t *last) {
  dut_pins_t *p = &tb->pins;
  uint64_t idle = 0;
  uint32_t i = 0;
  while (i < nbeats) {
    if (!p->s_tvalid && tb_chance(tb, tb->p_valid)) {
      p->s_tvalid = 1;
      memcpy(p->s_tdata, words + (size_t)i * wpb, wpb * sizeof(uint32_t));
      for (uint32_t w = wpb; w < DUT_MAX_WORDS; w++) p->s_tdata[w] = 0;
      p->s_tlast = last[i];
    }
    tb_cycle(tb);
    tb->in_gaps += !p->s_tvalid;
    tb->in_stalls += p->s_tvalid && !p->s_tready;
    if (p->s_tvalid && p->s_tready) {
      p->s_tvalid = 0;
      i++;
      idle = 0;
    } else if (++idle > tb->timeout) {
      p->s_tvalid = 0;
      return -1;
    }
  }
  return 0;
}

int tb_axis_recv(tb_t *tb, uint32_t *words, uint32_t wpb, uint32_t nbeats, uint8_t *last) {
  dut_pins_t *p = &tb->pins;
  uint64_t idle = 0;
  uint32_t i = 0;
  while (i < nbeats) {
    p->m_tready = (uint8_t)tb_chance(tb, tb->p_ready);
    tb_cycle(tb);
    tb->out_stalls += p->m_tvalid && !p->m_tready;
    if (p->m_tvalid && p->m_tready) {
      for (uint32_t w = 0; w < wpb; w++) words[(size_t)i * wpb + w] = w < DUT_MAX_WORDS ? p->m_tdata[w] : 0;
      last[i] = p->m_tlast;
      i++;
      idle = 0;
    } else if (++idle > tb->timeout) {
      p->m_tready = 0;
      return -1;
    }
  }
  p->m_tready = 0;
  return 0;
}

int tb_axis_xfer(tb_t *tb, const uint32_t *swords, uint32_t swpb, uint32_t nsend,
                 const uint8_t *slast, uint32_t *rwords, uint32_t rwpb, uint32_t nrecv,
                 uint8_t *rlast) {
  dut_pins_t *p = &tb->pins;
  uint64_t idle = 0;
  uint32_t is = 0, ir = 0;
  while (is < nsend || ir < nrecv) {
    if (is < nsend && !p->s_tvalid && tb_chance(tb, tb->p_valid)) {
      p->s_tvalid = 1;
      memcpy(p->s_tdata, swords + (size_t)is * swpb, swpb * sizeof(uint32_t));
      for (uint32_t w = swpb; w < DUT_MAX_WORDS; w++) p->s_tdata[w] = 0;
      p->s_tlast = slast[is];
    }
    p->m_tready = (uint8_t)(ir < nrecv && tb_chance(tb, tb->p_ready));
    tb_cycle(tb);
    int progress = 0;
    if (is < nsend) {
      tb->in_gaps += !p->s_tvalid;
      tb->in_stalls += p->s_tvalid && !p->s_tready;
    }
    tb->out_stalls += p->m_tvalid && !p->m_tready && ir < nrecv;
    if (p->s_tvalid && p->s_tready) {
      p->s_tvalid = 0;
      is++;
      progress = 1;
    }
    if (p->m_tvalid && p->m_tready) {
      for (uint32_t w = 0; w < rwpb; w++)
        rwords[(size_t)ir * rwpb + w] = w < DUT_MAX_WORDS ? p->m_tdata[w] : 0;
      rlast[ir] = p->m_tlast;
      ir++;
      progress = 1;
    }
    if (progress) {
      idle = 0;
    } else if (++idle > tb->timeout) {
      p->s_tvalid = 0;
      p->m_tready = 0;
      return -1;
    }
  }
  p->m_tready = 0;
  return 0;
}

static int dev_reg_write(void *ctx, uint32_t addr, uint32_t data) {
  return tb_axil_write(ctx, addr, data, 0xF);
}
static int dev_reg_read(void *ctx, uint32_t addr, uint32_t *data) {
  return tb_axil_read(ctx, addr, data);
}
static int dev_stream_send(void *ctx, const uint32_t *words, uint32_t wpb, uint32_t nbeats,
                           const uint8_t *last) {
  return tb_axis_send(ctx, words, wpb, nbeats, last);
}
static int dev_stream_recv(void *ctx, uint32_t *words, uint32_t wpb, uint32_t nbeats,
                           uint8_t *last) {
  return tb_axis_recv(ctx, words, wpb, nbeats, last);
}

static int dev_stream_xfer(void *ctx, const uint32_t *sw, uint32_t swpb, uint32_t ns,
                           const uint8_t *sl, uint32_t *rw, uint32_t rwpb, uint32_t nr,
                           uint8_t *rl) {
  return tb_axis_xfer(ctx, sw, swpb, ns, sl, rw, rwpb, nr, rl);
}

host_dev_t tb_dev(tb_t *tb) {
  host_dev_t d;
  memset(&d, 0, sizeof d);
  d.ctx = tb;
  d.reg_write = dev_reg_write;
  d.reg_read = dev_reg_read;
  d.stream_send = dev_stream_send;
  d.stream_recv = dev_stream_recv;
  d.stream_xfer = dev_stream_xfer;
  return d;
}
