/* test_contract.c - the hardware contract (contract/): the register table is consistent
 * (fields inside their register, no overlaps, reset values that fit, rules that name an ERR
 * bit), docs/registers.md carries the table as generated, the register-file model as the
 * golden-backed device applies it (reset values, RO/unmapped SLVERR, W1C, STATUS, START/ABORT),
 * the MODE rejection check shared with the RTL suite (tb/devcheck.c) on a sparse-capable and a
 * dense-only variant, names of registers and ERR bits, and the cycle model against the
 * numbers measured on the RTL in docs/architecture.md.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devcheck.h"
#include "gold.h"
#include "golddev.h"
#include "host_driver.h"
#include "host_err.h"
#include "sg_contract.h"
#include "test_sw.h"

#ifndef SG_SRC_ROOT
#define SG_SRC_ROOT "."
#endif

START_TEST(test_table_consistent)
{
    for (int r = 0; r < SG_REG_COUNT; r++) {
        ck_assert_msg(sg_regs[r].offset % 4 == 0, "%s: offset 0x%x not word aligned",
                      sg_regs[r].name, sg_regs[r].offset);
        for (int q = 0; q < r; q++)
            ck_assert_msg(sg_regs[q].offset < sg_regs[r].offset, "%s: offset not after %s",
                          sg_regs[r].name, sg_regs[q].name);
        uint64_t used = 0;
        int nf = 0;
        for (int f = 0; f < SG_FIELD_COUNT; f++) {
            const sg_field_info_t *fi = &sg_fields[f];
            if (fi->reg != (sg_reg_t)r)
                continue;
            nf++;
            ck_assert_msg(fi->width >= 1 && fi->lsb + fi->width <= 32,
                          "%s.%s: bits %u+%u outside 32", sg_regs[r].name, fi->name, fi->lsb,
                          fi->width);
            uint64_t m = ((UINT64_C(1) << fi->width) - 1u) << fi->lsb;
            ck_assert_msg((used & m) == 0, "%s.%s overlaps another field", sg_regs[r].name,
                          fi->name);
            used |= m;
            ck_assert_msg(fi->width == 32 || fi->reset < (1u << fi->width),
                          "%s.%s: reset %u does not fit", sg_regs[r].name, fi->name, fi->reset);
        }
        ck_assert_msg(nf > 0, "%s has no field", sg_regs[r].name);
    }
    for (uint32_t i = 0; i < sg_nchecks; i++) {
        ck_assert_msg(sg_fields[sg_checks[i].err].reg == SG_REG_ERR, "check %u: not an ERR bit", i);
        ck_assert_msg(sg_regs[sg_fields[sg_checks[i].field].reg].access == SG_ACC_RW,
                      "check %u: field not writable", i);
    }
}
END_TEST

START_TEST(test_regmap_doc)
{
    const char *path = SG_SRC_ROOT "/docs/registers.md";
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char doc[1 << 16];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    size_t tn = sg_regmap_md(NULL, 0, NULL);
    char *table = malloc(tn + 1);
    ck_assert(table != NULL);
    sg_regmap_md(table, tn + 1, NULL);
    const char *b = strstr(doc, "generated from contract/sg_regs.def by make docs -->\n");
    ck_assert_msg(b != NULL, "%s: no generated register table marker", path);
    b = strchr(b, '\n') + 1;
    const char *e = strstr(b, "<!-- END register table -->");
    ck_assert_msg(e != NULL, "%s: no END marker", path);
    int same = (size_t)(e - b) == tn && memcmp(b, table, tn) == 0;
    free(table);
    ck_assert_msg(same, "%s: the register table differs from contract/sg_regs.def; run make docs",
                  path);
}
END_TEST

/* MODE 3, 4, 5, 0xFFFFFFFF (and 1, 2 dense-only), then the SG_NEED rules at START, on the
 * golden-backed device; the RTL suite runs the same devcheck functions on every variant. */
START_TEST(test_mode_rejects_golddev)
{
    const bool sparse = _i == 0;
    host_variant_t v = mkvar(2, 3, 8, 32, 16, sparse, sparse ? 4 : 0, 32);
    golddev_t g;
    host_dev_t dev;
    char err[256], msg[256] = "";
    ck_assert_int_eq(golddev_init(&g, &v, 1, &dev, err, sizeof err), 0);
    int bad = devcheck_mode_rejects(&dev, &v.p, msg, sizeof msg);
    if (bad == 0)
        bad = devcheck_start_needs(&dev, &v, msg, sizeof msg);
    if (bad == 0)
        bad = devcheck_out_rejects(&dev, &v.p, msg, sizeof msg);
    golddev_free(&g);
    ck_assert_msg(bad == 0, "golddev (%s): %d failures, first: %s",
                  sparse ? "sparse-capable" : "dense-only", bad, msg);
}
END_TEST

/* One cycle-model case: the four phases expected. */
static void cycles_is(const char *what, sg_cycles_t y, uint64_t load, uint64_t compute,
                      uint64_t drain)
{
    ck_assert_msg(y.load == load && y.compute == compute && y.drain == drain &&
                      y.total == load + compute + drain,
                  "%s: %llu %llu %llu %llu", what, (unsigned long long)y.load,
                  (unsigned long long)y.compute, (unsigned long long)y.drain,
                  (unsigned long long)y.total);
}

/* The model's arithmetic on the default 8x8 preset (K = 512 interleaved: 1024 operand beats;
 * 64 results two per 64-bit beat: 32 result beats; 2 cycles of source latency), which tb_rtl
 * checks against the RTL's CYC_* registers on every full-speed job, and a dense-only 2x3.
 * COMPUTE = issue cycles + C + 2 + 4: the 2 are the PE's MAC pipeline stages (SG_PE_MAC_STAGES). */
START_TEST(test_cycle_model)
{
    const sg_params_t p = {8, 8, 8, 32, 1024, true, 16, 4, 16};
    sg_counters_t c;
    memset(&c, 0, sizeof c);
    c.mode_used = SG_MODE_DENSE;
    c.max_row_nnz = 56;
    c.issue_cycles = 514; /* K + 2: the first window reaches the rows two cycles into the run */
    cycles_is("DENSE", sg_cycle_model(&p, 1024, 32, 512, &c, 2), 1027, 528, 32);
    ck_assert_uint_eq(sg_compute_bound(&p, 512, &c), 520);
    c.mode_used = SG_MODE_SPARSE;
    c.issue_cycles = 60;
    cycles_is("SPARSE", sg_cycle_model(&p, 1024, 32, 512, &c, 2), 1027, 74, 32);
    ck_assert_uint_eq(sg_cycle_bound(&p, 1024, 32, 512, &c), 1024 + 56 + 8 + 32);
    c.max_row_nnz = 0;
    c.issue_cycles = 0;
    cycles_is("SPARSE all-zero K=1", sg_cycle_model(&p, 2, 32, 1, &c, 2), 5, 14, 32);
    const sg_params_t d = {2, 3, 8, 32, 64, false, 16, 4, 16};
    c.mode_used = SG_MODE_DENSE;
    c.issue_cycles = 12;
    cycles_is("dense-only", sg_cycle_model(&d, 10, 6, 10, &c, 0), 11, 21, 6);
    /* the issue schedule itself: DENSE K + 2 with the fetcher ahead; one row with one entry:
     * fetched, captured, issued (3); two rows whose entries share window 1 of 16: one fetch */
    static int32_t a[8 * 512];
    memset(a, 0, sizeof a);
    ck_assert_uint_eq(sg_issue_cycles(&p, 512, SG_MODE_DENSE, a), 514);
    ck_assert_uint_eq(sg_issue_cycles(&p, 512, SG_MODE_SPARSE, a), 0);
    a[0 * 512 + 20] = 1;
    ck_assert_uint_eq(sg_issue_cycles(&p, 512, SG_MODE_SPARSE, a), 3);
    a[1 * 512 + 17] = 1;
    a[1 * 512 + 18] = 1;
    ck_assert_uint_eq(sg_issue_cycles(&p, 512, SG_MODE_SPARSE, a), 4);
}
END_TEST

/* golddev register semantics (the contract's register-file model) through host_dev_t */
START_TEST(test_golddev_regs)
{
    host_variant_t v = mkvar(2, 2, 8, 16, 4, false, 0, 16);
    golddev_t g;
    host_dev_t dev;
    char err[256];
    ck_assert_int_eq(golddev_init(&g, &v, 7, &dev, err, sizeof err), 0);
    uint32_t d;
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_THRESH, &d), 0);
    ck_assert_uint_eq(d, 256);
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_K, &d), 0);
    ck_assert_uint_eq(d, 1);
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_ID, 1), 1); /* read-only */
    ck_assert_int_eq(dev.reg_read(dev.ctx, 0x0F0, &d), 1);       /* unmapped */
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_ROW_NNZ(2), &d), 1); /* rows = 2 */
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_ERR, &d), 0);
    ck_assert_uint_eq(d, SG_ERR(ADDR));
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_MODE, 1), 0); /* dense-only variant */
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_MODE, &d), 0);
    ck_assert_uint_eq(d, 0);
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_STATUS, &d), 0);
    ck_assert_uint_eq(d, SG_FMASK(STATUS, ERROR) | SG_FMASK(STATUS, READY));
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_ERR, SG_ERR(ADDR)), 0); /* W1C, one bit */
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_ERR, &d), 0);
    ck_assert_uint_eq(d, SG_ERR(MODE));
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_ERR, SG_ERR_ALL), 0);
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_K, 2), 0);
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_CTRL, SG_FMASK(CTRL, START)), 0);
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_STATUS, &d), 0);
    ck_assert_uint_eq(d, SG_FMASK(STATUS, BUSY) | SG_FPUT(STATUS, STATE, SG_STATE_LOAD));
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_CTRL, SG_FMASK(CTRL, START)), 0); /* busy */
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_ERR, &d), 0);
    ck_assert_uint_eq(d, SG_ERR(BUSY));
    uint32_t recvw[1];
    uint8_t recvl[1];
    ck_assert_int_lt(dev.stream_recv(dev.ctx, recvw, 1, 1, recvl), 0); /* nothing to drain */
    ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_CTRL, SG_FMASK(CTRL, ABORT)), 0);
    ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_STATUS, &d), 0);
    ck_assert_uint_eq(d & (SG_FMASK(STATUS, BUSY) | SG_FMASK(STATUS, DONE) | SG_FMASK(STATUS, STATE)), 0);
    /* SG_NEED rules: no B resident yet; no compressed format on a dense-only variant */
    const struct {
        uint32_t flags, err;
    } needs[] = {{SG_FMASK(FLAGS, KEEP_B), SG_ERR(RESIDENT)},
                 {SG_FMASK(FLAGS, A_COMPRESSED), SG_ERR(AFMT)}};
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_ERR, SG_ERR_ALL), 0);
        ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_FLAGS, needs[i].flags), 0);
        ck_assert_int_eq(dev.reg_write(dev.ctx, SG_ADDR_CTRL, SG_FMASK(CTRL, START)), 0);
        ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_ERR, &d), 0);
        ck_assert_uint_eq(d, needs[i].err);
        ck_assert_int_eq(dev.reg_read(dev.ctx, SG_ADDR_STATUS, &d), 0);
        ck_assert_uint_eq(d & SG_FMASK(STATUS, BUSY), 0);
    }
    golddev_free(&g);
}
END_TEST

/* The register-file model's START order: READY (ERR.BUSY), the START range rules (ERR.K), then
 * the SG_NEED rules in table order, each on its device condition. */
START_TEST(test_start_rules)
{
    const sg_params_t p = {2, 2, 8, 32, 64, true, 16, 4, 16};
    const sg_ident_t id = {0, 4, 16, 8, 2, 32, 32};
    sg_regfile_t rf;
    sg_regfile_init(&rf, &p, &id);
    uint32_t pulse;
    const uint32_t flags = SG_FMASK(FLAGS, KEEP_B) | SG_FMASK(FLAGS, A_COMPRESSED) | SG_FMASK(FLAGS, OUT_STAGE);
    ck_assert_int_eq(sg_regfile_write(&rf, SG_ADDR_FLAGS, flags, &pulse), 0);
    ck_assert_int_eq(sg_regfile_write(&rf, SG_ADDR_K, 0, &pulse), 0);
    const struct {
        int ready, resident, format, ostage;
        uint32_t err;
        uint32_t k;
    } c[] = {{0, 1, 1, 1, SG_ERR(BUSY), 0},     {1, 0, 0, 0, SG_ERR(K), 0},
             {1, 0, 0, 0, SG_ERR(RESIDENT), 8}, {1, 1, 0, 0, SG_ERR(AFMT), 8},
             {1, 1, 1, 0, SG_ERR(OUT), 8},      {1, 1, 1, 1, 0, 8}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        rf.f[SG_FLD_ERR_K] = rf.f[SG_FLD_ERR_BUSY] = rf.f[SG_FLD_ERR_RESIDENT] = 0;
        rf.f[SG_FLD_ERR_AFMT] = rf.f[SG_FLD_ERR_OUT] = 0;
        rf.f[SG_FLD_K_K] = c[i].k;
        rf.f[SG_FLD_STATUS_READY] = (uint32_t)c[i].ready;
        rf.cond[SG_COND_B_RESIDENT] = c[i].resident;
        rf.cond[SG_COND_A_FORMAT] = c[i].format;
        rf.cond[SG_COND_OUT_STAGE] = c[i].ostage;
        ck_assert_int_eq(sg_regfile_write(&rf, SG_ADDR_CTRL, SG_FMASK(CTRL, START), &pulse), 0);
        ck_assert_msg(sg_regfile_word(&rf, SG_REG_ERR) == c[i].err &&
                          pulse == (c[i].err ? 0u : SG_FMASK(CTRL, START)),
                      "case %zu: ERR 0x%x (want 0x%x), pulse 0x%x", i,
                      sg_regfile_word(&rf, SG_REG_ERR), c[i].err, pulse);
    }
}
END_TEST

/* out_width 0: a variant without an output stage (its SG_NEED condition false, ERR.OUT for
 * any settings); out_width 1 is no variant. */
START_TEST(test_no_out_stage)
{
    sg_params_t p = {2, 2, 8, 24, 256, true, 8, 6, 0};
    const sg_out_stage_t o = {0, 0, 0x7FFFFFFFu, false};
    ck_assert_uint_eq(sg_check_params(&p), 0);
    ck_assert(!sg_has_out_stage(&p));
    ck_assert_uint_eq(sg_check_out_stage(&p, &o), SG_ERR(OUT));
    p.out_w = 1;
    ck_assert_uint_eq(sg_check_params(&p), SG_PERR_OUT_W);
    p.out_w = 2;
    ck_assert_uint_eq(sg_check_params(&p), 0);
    ck_assert(sg_has_out_stage(&p));
    ck_assert_uint_eq(sg_check_out_stage(&p, &o), 0);
}
END_TEST

START_TEST(test_misc_names)
{
    char buf[64];
    ck_assert_str_eq(sg_err_str(0, buf, sizeof buf), "0");
    ck_assert_str_eq(sg_err_str(SG_ERR(K) | SG_ERR(TLAST), buf, sizeof buf), "K|TLAST");
    ck_assert_str_eq(sg_err_str(0x445, buf, sizeof buf), "K|MODE|RESIDENT|bit10");
    ck_assert_str_eq(host_status_name(HOST_E_JOB), "HOST_E_JOB");
    ck_assert_str_eq(host_status_name(12345), "HOST_E_?");
    ck_assert_str_eq(sg_reg_name(0x044, 4), "ERR");
    ck_assert_str_eq(sg_reg_name(0x10C, 4), "ROW_NNZ");
    ck_assert_ptr_null(sg_reg_name(0x110, 4));
    ck_assert_uint_eq(SG_ADDR_ROW_NNZ(3), 0x10C);
    ck_assert_uint_eq(SG_ADDR_MAX_ROW_NNZ, 0x084);
}
END_TEST

/* The storage rule of issue 8 (sg_storage_pick): what the generator picks on the default preset,
 * exactly; a depth or capacity given that breaks the rule is refused; over a sweep of shapes
 * every configuration picked meets 2.3 x (A + B), and the A list capacity cuts rows as the RTL
 * does (first A_CAP non-zeros kept) and K chunks that fit. */
START_TEST(test_storage_rule)
{
    sg_params_t p = {8, 8, 8, 32, 1024, true, 32, 0, 16};
    uint32_t wd = 0, cap = 0;
    /* default preset: 3 compressed entries per 64-bit beat */
    ck_assert_int_eq(sg_storage_pick(&p, 3, 0, 0, &wd, &cap), 0);
    ck_assert_uint_eq(wd, 6);
    ck_assert_uint_eq(cap, 512);
    ck_assert_uint_eq(sg_a_entry_bits(&p), 14);
    ck_assert_uint_eq(sg_operand_bits(&p, 6, 512), 65536u + 98304u + 114688u + 512u);
    ck_assert_uint_eq(sg_operand_limit(&p), 301465u);
    ck_assert_int_eq(sg_storage_pick(&p, 3, 16, 0, &wd, &cap), -1);  /* depth 16: slots too big */
    ck_assert_int_eq(sg_storage_pick(&p, 3, 0, 1024, &wd, &cap), -1); /* lists of KMAX entries */
    ck_assert_int_eq(sg_storage_pick(&p, 3, 6, 256, &wd, &cap), 0);
    ck_assert_uint_eq(wd, 6);
    ck_assert_uint_eq(cap, 256);
    /* a shape no depth or capacity can save: 32 x 32, KMAX 64, window 32 */
    sg_params_t big = {32, 32, 8, 32, 64, true, 32, 0, 16};
    ck_assert_int_eq(sg_storage_pick(&big, 1, 0, 0, &wd, &cap), -1);
    /* every accepted shape meets the rule */
    unsigned picked = 0;
    for (uint32_t r = 1; r <= 32; r *= 2)
        for (uint32_t c = 1; c <= 32; c *= 2)
            for (uint32_t km = 16; km <= 4096; km *= 4)
                for (uint32_t w = 2; w <= 64 && 2 * w <= km; w *= 4)
                    for (uint32_t dw = 2; dw <= 16; dw *= 2)
                        for (int sp = 0; sp < 2; sp++) {
                            sg_params_t q = {r, c, dw, 2 * dw, km, sp != 0, w, 0, sg_out_w_default(2 * dw)};
                            if (sg_storage_pick(&q, 1, 0, 0, &wd, &cap) == 0) {
                                picked++;
                                ck_assert_msg(sg_operand_bits(&q, wd, cap) <= sg_operand_limit(&q) &&
                                                  wd >= 2 && (sp ? cap >= 1 && cap <= km / 2 : cap == 0),
                                              "%ux%u kmax %u window %u dw %u: depth %u capacity %u "
                                              "storage %llu > %llu",
                                              r, c, km, w, dw, wd, cap,
                                              (unsigned long long)sg_operand_bits(&q, wd, cap),
                                              (unsigned long long)sg_operand_limit(&q));
                            }
                        }
    ck_assert_msg(picked > 100, "only %u shapes accepted", picked);
    /* capacity: rows keep their first A_CAP non-zeros; K chunks fit */
    sg_params_t s = {2, 1, 8, 32, 16, true, 4, 2, 16};
    int32_t a[2 * 16];
    for (int i = 0; i < 32; i++) a[i] = i < 16 ? 1 : (i % 2 ? 3 : 0);
    ck_assert_uint_eq(sg_a_cap_chunk(&s, 4, 2, 16, a, 0), 4);  /* row 0: the 5th non-zero at k 4 */
    ck_assert_uint_eq(sg_a_cap_chunk(&s, 4, 2, 16, a, 12), 4);
    ck_assert_uint_eq(sg_a_cap_chunk(&s, 0, 2, 16, a, 0), 16);
    ck_assert_uint_eq(sg_a_cap_apply(&s, 4, 16, a), 2);
    int n0 = 0, n1 = 0, last1 = -1;
    for (int k = 0; k < 16; k++) {
        n0 += a[k] != 0;
        n1 += a[16 + k] != 0;
        if (a[16 + k]) last1 = k;
    }
    ck_assert_int_eq(n0, 4);
    ck_assert_int_eq(n1, 4);
    ck_assert_int_eq(last1, 7);
}
END_TEST

Suite *make_contract_suite(void)
{
    TSW_SUITE("contract", 30, {test_table_consistent, 0}, {test_regmap_doc, 0},
              {test_mode_rejects_golddev, 2}, {test_cycle_model, 0}, {test_golddev_regs, 0}, {test_start_rules, 0},
              {test_misc_names, 0}, {test_no_out_stage, 0}, {test_storage_rule, 0});
}
