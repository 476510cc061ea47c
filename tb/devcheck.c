/* devcheck.c - register-contract checks over any host_dev_t.  See devcheck.h. */
#include "devcheck.h"

#include <stdio.h>

/* Keep the first failure's description in msg. */
#define FAIL(...)                                                                              \
    do {                                                                                       \
        if (bad++ == 0 && msg != NULL && n > 0)                                                \
            snprintf(msg, n, __VA_ARGS__);                                                     \
    } while (0)

int devcheck_mode_rejects(const host_dev_t *dev, const sg_params_t *p, char *msg, size_t n)
{
    static const uint32_t always[] = {3u, 4u, 5u, 0xFFFFFFFFu};
    static const uint32_t dense_only[] = {SG_MODE_SPARSE, SG_MODE_AUTO};
    uint32_t vals[6], nv = 0;
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        vals[nv++] = always[i];
    if (!p->sparse_capable)
        for (size_t i = 0; i < sizeof dense_only / sizeof dense_only[0]; i++)
            vals[nv++] = dense_only[i];
    const uint32_t kept = p->sparse_capable ? SG_MODE_SPARSE : SG_MODE_DENSE;
    int bad = 0;
    for (uint32_t i = 0; i < nv; i++) {
        uint32_t err = 0, mode = 0;
        if (dev->reg_write(dev->ctx, SG_ADDR_ERR, SG_ERR_ALL) != 0 ||
            dev->reg_write(dev->ctx, SG_ADDR_MODE, kept) != 0 ||
            dev->reg_write(dev->ctx, SG_ADDR_MODE, vals[i]) != 0 ||
            dev->reg_read(dev->ctx, SG_ADDR_ERR, &err) != 0 ||
            dev->reg_read(dev->ctx, SG_ADDR_MODE, &mode) != 0) {
            FAIL("MODE=0x%x: a register access failed", vals[i]);
            continue;
        }
        if (err != SG_ERR(MODE))
            FAIL("MODE=0x%x: ERR = 0x%x, expected ERR.MODE (0x%x)", vals[i], err, SG_ERR(MODE));
        if (mode != kept)
            FAIL("MODE=0x%x: MODE reads %u afterwards, expected %u (kept)", vals[i], mode, kept);
    }
    if (dev->reg_write(dev->ctx, SG_ADDR_ERR, SG_ERR_ALL) != 0 ||
        dev->reg_write(dev->ctx, SG_ADDR_MODE, SG_MODE_DENSE) != 0)
        FAIL("restoring ERR/MODE failed");
    return bad;
}

int devcheck_start_needs(const host_dev_t *dev, const host_variant_t *v, char *msg, size_t n)
{
    const struct {
        const char *what;
        uint32_t flags, err; /* err 0: the job starts */
    } c[] = {{"KEEP_B without a resident B", SG_FMASK(FLAGS, KEEP_B), SG_ERR(RESIDENT)},
             {"A_COMPRESSED", SG_FMASK(FLAGS, A_COMPRESSED), v->a_ents ? 0u : SG_ERR(AFMT)}};
    int bad = 0;
    uint32_t k0 = 0;
    if (dev->reg_read(dev->ctx, SG_ADDR_K, &k0) != 0)
        FAIL("reading K failed");
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        uint32_t err = 0, status = 0;
        if (dev->reg_write(dev->ctx, SG_ADDR_ERR, SG_ERR_ALL) != 0 ||
            dev->reg_write(dev->ctx, SG_ADDR_K, 1) != 0 ||
            dev->reg_write(dev->ctx, SG_ADDR_FLAGS, c[i].flags) != 0 ||
            dev->reg_write(dev->ctx, SG_ADDR_CTRL, SG_FMASK(CTRL, START)) != 0 ||
            dev->reg_read(dev->ctx, SG_ADDR_ERR, &err) != 0 ||
            dev->reg_read(dev->ctx, SG_ADDR_STATUS, &status) != 0) {
            FAIL("START with %s: a register access failed", c[i].what);
            continue;
        }
        const int started = SG_FGET(STATUS, BUSY, status) != 0;
        if (err != c[i].err || started != (c[i].err == 0))
            FAIL("START with %s: ERR = 0x%x, STATUS.BUSY %d; expected ERR 0x%x, %s", c[i].what,
                 err, started, c[i].err, c[i].err ? "no job" : "a job in LOAD");
        if (started && dev->reg_write(dev->ctx, SG_ADDR_CTRL, SG_FMASK(CTRL, ABORT)) != 0)
            FAIL("ABORT after START with %s failed", c[i].what);
    }
    if (dev->reg_write(dev->ctx, SG_ADDR_ERR, SG_ERR_ALL) != 0 ||
        dev->reg_write(dev->ctx, SG_ADDR_FLAGS, 0) != 0 ||
        dev->reg_write(dev->ctx, SG_ADDR_K, k0) != 0)
        FAIL("restoring ERR/FLAGS/K failed");
    return bad;
}

int devcheck_out_rejects(const host_dev_t *dev, const sg_params_t *p, char *msg, size_t n)
{
    const struct {
        uint32_t addr, ok, bad;
        const char *name;
    } t[] = {
        {SG_ADDR_OUT_SHIFT, p->acc_w - 1u, p->acc_w, "OUT_SHIFT"},
        {SG_ADDR_OUT_SHIFT, p->acc_w - 1u, 127u, "OUT_SHIFT"},
        {SG_ADDR_OUT_SHIFT, p->acc_w - 1u, 0xFFFFFFFFu, "OUT_SHIFT"},
        {SG_ADDR_OUT_CLAMP, 0x7FFFFFFFu, 0x80000000u, "OUT_CLAMP"},
        {SG_ADDR_OUT_CLAMP, 0x7FFFFFFFu, 0xFFFFFFFFu, "OUT_CLAMP"},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint32_t err = 0, val = 0;
        if (dev->reg_write(dev->ctx, SG_ADDR_ERR, SG_ERR_ALL) != 0 ||
            dev->reg_write(dev->ctx, t[i].addr, t[i].ok) != 0 ||
            dev->reg_write(dev->ctx, t[i].addr, t[i].bad) != 0 ||
            dev->reg_read(dev->ctx, SG_ADDR_ERR, &err) != 0 ||
            dev->reg_read(dev->ctx, t[i].addr, &val) != 0) {
            FAIL("%s=0x%x: a register access failed", t[i].name, t[i].bad);
            continue;
        }
        if (err != SG_ERR(OUT))
            FAIL("%s=0x%x: ERR = 0x%x, expected ERR.OUT (0x%x)", t[i].name, t[i].bad, err, SG_ERR(OUT));
        if (val != t[i].ok)
            FAIL("%s=0x%x: reads 0x%x afterwards, expected 0x%x (kept)", t[i].name, t[i].bad, val, t[i].ok);
    }
    /* OUT_BIAS: every value is valid */
    uint32_t err = 0, val = 0;
    if (dev->reg_write(dev->ctx, SG_ADDR_ERR, SG_ERR_ALL) != 0 ||
        dev->reg_write(dev->ctx, SG_ADDR_OUT_BIAS, 0x80000001u) != 0 ||
        dev->reg_read(dev->ctx, SG_ADDR_ERR, &err) != 0 ||
        dev->reg_read(dev->ctx, SG_ADDR_OUT_BIAS, &val) != 0 || err != 0 || val != 0x80000001u)
        FAIL("OUT_BIAS=0x80000001: ERR 0x%x, reads 0x%x", err, val);
    if (dev->reg_write(dev->ctx, SG_ADDR_ERR, SG_ERR_ALL) != 0 ||
        dev->reg_write(dev->ctx, SG_ADDR_OUT_BIAS, sg_fields[SG_FLD_OUT_BIAS_BIAS].reset) != 0 ||
        dev->reg_write(dev->ctx, SG_ADDR_OUT_SHIFT, sg_fields[SG_FLD_OUT_SHIFT_SHIFT].reset) != 0 ||
        dev->reg_write(dev->ctx, SG_ADDR_OUT_CLAMP, sg_fields[SG_FLD_OUT_CLAMP_CLAMP].reset) != 0)
        FAIL("restoring ERR/OUT_* failed");
    return bad;
}
