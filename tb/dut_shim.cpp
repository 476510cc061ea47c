// dut_shim.cpp: the only C++ of the test bench; see dut_shim.h.
#include "dut_shim.h"

#include <verilated.h>

#include <cstddef>
#include <cstring>

#include VTOP_H
#ifdef DUT_TRACE
#include <verilated_fst_c.h>
#endif

struct dut {
  VerilatedContext *ctx;
  VTOP *top;
  uint64_t cycles;
#ifdef DUT_TRACE
  VerilatedFstC *fst;
#endif
};

template <typename T> static void set_words(T &dst, const uint32_t *w) {
  if (sizeof(T) > 4)
    dst = (T)((uint64_t)w[0] | ((uint64_t)w[1] << 32));
  else
    dst = (T)w[0];
}
template <std::size_t N> static void set_words(VlWide<N> &dst, const uint32_t *w) {
  for (std::size_t i = 0; i < N; i++) dst[i] = w[i];
}
template <typename T> static void get_words(const T &src, uint32_t *w) {
  uint64_t v = (uint64_t)src;
  w[0] = (uint32_t)v;
  w[1] = (uint32_t)(v >> 32);
}
template <std::size_t N> static void get_words(const VlWide<N> &src, uint32_t *w) {
  for (std::size_t i = 0; i < N; i++) w[i] = src[i];
}

extern "C" dut_t *dut_new(uint64_t seed) {
  dut_t *d = new dut;
  d->ctx = new VerilatedContext;
  d->ctx->randReset(2);
  d->ctx->randSeed((int)(seed & 0x7fffffff));
#ifdef DUT_TRACE
  d->ctx->traceEverOn(true);
  d->fst = nullptr;
#endif
  d->top = new VTOP{d->ctx};
  d->cycles = 0;
  d->top->clk_i = 0;
  d->top->eval();
  return d;
}

extern "C" void dut_free(dut_t *d) {
  if (!d) return;
  d->top->final();
#ifdef DUT_TRACE
  if (d->fst) {
    d->fst->close();
    delete d->fst;
  }
#endif
  delete d->top;
  delete d->ctx;
  delete d;
}

extern "C" void dut_cycle(dut_t *d, dut_pins_t *p) {
  VTOP *t = d->top;
  t->rst_ni = p->rst_ni;
  t->s_axil_awaddr_i = p->awaddr;
  t->s_axil_awvalid_i = p->awvalid;
  t->s_axil_wdata_i = p->wdata;
  t->s_axil_wstrb_i = p->wstrb;
  t->s_axil_wvalid_i = p->wvalid;
  t->s_axil_bready_i = p->bready;
  t->s_axil_araddr_i = p->araddr;
  t->s_axil_arvalid_i = p->arvalid;
  t->s_axil_rready_i = p->rready;
  set_words(t->s_axis_tdata_i, p->s_tdata);
  t->s_axis_tvalid_i = p->s_tvalid;
  t->s_axis_tlast_i = p->s_tlast;
  t->m_axis_tready_i = p->m_tready;
  t->clk_i = 0;
  t->eval();
#ifdef DUT_TRACE
  if (d->fst) d->fst->dump((uint64_t)(2 * d->cycles));
#endif
  p->awready = t->s_axil_awready_o;
  p->wready = t->s_axil_wready_o;
  p->bvalid = t->s_axil_bvalid_o;
  p->bresp = t->s_axil_bresp_o;
  p->arready = t->s_axil_arready_o;
  p->rvalid = t->s_axil_rvalid_o;
  p->rresp = t->s_axil_rresp_o;
  p->rdata = t->s_axil_rdata_o;
  p->s_tready = t->s_axis_tready_o;
  p->m_tvalid = t->m_axis_tvalid_o;
  p->m_tlast = t->m_axis_tlast_o;
  p->irq = t->irq_o;
  get_words(t->m_axis_tdata_o, p->m_tdata);
  t->clk_i = 1;
  t->eval();
#ifdef DUT_TRACE
  if (d->fst) d->fst->dump((uint64_t)(2 * d->cycles + 1));
#endif
  d->cycles++;
}

extern "C" uint64_t dut_cycles(const dut_t *d) { return d->cycles; }

extern "C" int dut_trace(dut_t *d, const char *path) {
#ifdef DUT_TRACE
  if (d->fst) return -1;
  d->fst = new VerilatedFstC;
  d->top->trace(d->fst, 99);
  d->fst->open(path);
  return 0;
#else
  (void)d;
  (void)path;
  return -1;
#endif
}
