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

/* MODE 3, 4, 5, 0xFFFFFFFF (and 1, 2 dense-only) on the golden-backed device; the RTL suite
 * runs the same devcheck_mode_rejects on every Verilated variant. */
START_TEST(test_mode_rejects_golddev)
{
    const bool sparse = _i == 0;
    host_variant_t v = mkvar(2, 3, 8, 32, 16, sparse, sparse ? 4 : 0, 32);
    golddev_t g;
    host_dev_t dev;
    char err[256], msg[256] = "";
    ck_assert_int_eq(golddev_init(&g, &v, 1, &dev, err, sizeof err), 0);
    int bad = devcheck_mode_rejects(&dev, &v.p, msg, sizeof msg);
    golddev_free(&g);
    ck_assert_msg(bad == 0, "golddev (%s): %d failures, first: %s",
                  sparse ? "sparse-capable" : "dense-only", bad, msg);
}
END_TEST

/* Values measured on the RTL of the default 8x8 preset (docs/architecture.md, worked example:
 * K = 512, BEATS_PER_SLICE 2, 3 cycles from START to the first beat) and on a dense-only
 * variant (K + C + 4). */
START_TEST(test_cycle_model)
{
    const sg_params_t p = {8, 8, 8, 32, 1024, true};
    sg_counters_t c;
    memset(&c, 0, sizeof c);
    c.mode_used = SG_MODE_DENSE;
    c.max_row_nnz = 56;
    sg_cycles_t y = sg_cycle_model(&p, 2, 512, &c, 3);
    ck_assert_msg(y.load == 1027 && y.compute == 525 && y.drain == 64 && y.total == 1616,
                  "DENSE: %u %u %u %u", y.load, y.compute, y.drain, y.total);
    c.mode_used = SG_MODE_SPARSE;
    y = sg_cycle_model(&p, 2, 512, &c, 3);
    ck_assert_msg(y.load == 1027 && y.compute == 69 && y.drain == 64 && y.total == 1160,
                  "SPARSE: %u %u %u %u", y.load, y.compute, y.drain, y.total);
    c.max_row_nnz = 0;
    y = sg_cycle_model(&p, 2, 1, &c, 3);
    ck_assert_msg(y.compute == 13 && y.load == 5, "SPARSE all-zero K=1: %u %u", y.compute, y.load);
    const sg_params_t d = {2, 3, 8, 32, 64, false};
    c.mode_used = SG_MODE_DENSE;
    y = sg_cycle_model(&d, 1, 10, &c, 0);
    ck_assert_msg(y.load == 10 && y.compute == 17 && y.drain == 6 && y.total == 33,
                  "dense-only: %u %u %u %u", y.load, y.compute, y.drain, y.total);
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
    ck_assert_uint_eq(d, SG_FMASK(STATUS, ERROR));
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
    golddev_free(&g);
}
END_TEST

START_TEST(test_misc_names)
{
    char buf[64];
    ck_assert_str_eq(sg_err_str(0, buf, sizeof buf), "0");
    ck_assert_str_eq(sg_err_str(SG_ERR(K) | SG_ERR(TLAST), buf, sizeof buf), "K|TLAST");
    ck_assert_str_eq(sg_err_str(0x45, buf, sizeof buf), "K|MODE|bit6");
    ck_assert_str_eq(host_status_name(HOST_E_JOB), "HOST_E_JOB");
    ck_assert_str_eq(host_status_name(12345), "HOST_E_?");
    ck_assert_str_eq(sg_reg_name(0x044, 4), "ERR");
    ck_assert_str_eq(sg_reg_name(0x10C, 4), "ROW_NNZ");
    ck_assert_ptr_null(sg_reg_name(0x110, 4));
    ck_assert_uint_eq(SG_ADDR_ROW_NNZ(3), 0x10C);
    ck_assert_uint_eq(SG_ADDR_MAX_ROW_NNZ, 0x084);
}
END_TEST

Suite *make_contract_suite(void)
{
    TSW_SUITE("contract", 30, {test_table_consistent, 0}, {test_regmap_doc, 0},
              {test_mode_rejects_golddev, 2}, {test_cycle_model, 0}, {test_golddev_regs, 0},
              {test_misc_names, 0});
}
