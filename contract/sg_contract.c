/* sg_contract.c - tables and rules of the hardware contract.  See sg_contract.h. */
#include "sg_contract.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ parameters */
uint32_t sg_check_params(const sg_params_t *p)
{
    if (p == NULL)
        return SG_PERR_NULL;
    uint32_t e = 0;
    if (p->rows < SG_rows_MIN || p->rows > SG_rows_MAX)
        e |= SG_PERR_ROWS;
    if (p->cols < SG_cols_MIN || p->cols > SG_cols_MAX)
        e |= SG_PERR_COLS;
    if (p->data_w < SG_data_w_MIN || p->data_w > SG_data_w_MAX)
        e |= SG_PERR_DATA_W;
    if (p->acc_w < SG_acc_w_MIN || p->acc_w < 2u * p->data_w || p->acc_w > SG_acc_w_MAX)
        e |= SG_PERR_ACC_W;
    if (p->kmax < SG_kmax_MIN || p->kmax > SG_kmax_MAX)
        e |= SG_PERR_KMAX;
    if ((uint64_t)p->rows * p->cols * p->kmax >= (UINT64_C(1) << 32))
        e |= SG_PERR_SIZE;
    if (p->out_w != 0 && (p->out_w < SG_OUT_W_MIN_STAGE || p->out_w > p->acc_w))
        e |= SG_PERR_OUT_W;
    return e;
}

uint32_t sg_out_w_default(uint32_t acc_w)
{
    return acc_w < SG_out_w_DEFAULT ? acc_w : SG_out_w_DEFAULT;
}

/* ------------------------------------------------------------------ modes */
static const char *const sg_mode_names[SG_MODE_COUNT] = {
#define SG_MODE_NAME_(N, V, S) [V] = S,
    SG_MODES(SG_MODE_NAME_)
#undef SG_MODE_NAME_
};

const char *sg_mode_name(uint32_t mode)
{
    return mode < SG_MODE_COUNT ? sg_mode_names[mode] : "invalid";
}

int sg_mode_parse(const char *name, uint32_t *mode)
{
    if (name == NULL || mode == NULL)
        return -1;
    for (uint32_t m = 0; m < SG_MODE_COUNT; m++)
        if (strcmp(sg_mode_names[m], name) == 0) {
            *mode = m;
            return 0;
        }
    return -1;
}

uint32_t sg_mode_max(const sg_params_t *p)
{
    return p->sparse_capable ? SG_MODE_AUTO : SG_MODE_DENSE;
}

/* ------------------------------------------------------------------ register tables */
const sg_reg_info_t sg_regs[SG_REG_COUNT] = {
#define SG_REG(n, o, a, d) {#n, d, o, SG_ACC_##a, #a},
#define SG_FIELD(r, n, l, w, rst, d)
#define SG_CHECK(f, when, lo, hi, doc, e)
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
};

const sg_field_info_t sg_fields[SG_FIELD_COUNT] = {
#define SG_REG(n, o, a, d)
#define SG_FIELD(r, n, l, w, rst, d) {SG_REG_##r, #n, d, l, w, rst},
#define SG_CHECK(f, when, lo, hi, doc, e)
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
};

const sg_check_info_t sg_checks[] = {
#define SG_REG(n, o, a, d)
#define SG_FIELD(r, n, l, w, rst, d)
#define SG_CHECK(f, when, lo, hi, doc, e) {SG_FLD_##f, SG_WHEN_##when, lo, doc, SG_FLD_ERR_##e},
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
};
const uint32_t sg_nchecks = sizeof sg_checks / sizeof sg_checks[0];

const sg_need_info_t sg_needs[] = {
#define SG_REG(n, o, a, d)
#define SG_FIELD(r, n, l, w, rst, d)
#define SG_CHECK(f, when, lo, hi, doc, e)
#define SG_NEED(f, cond, doc, e) {SG_FLD_##f, SG_COND_##cond, #cond, doc, SG_FLD_ERR_##e},
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
#undef SG_NEED
};
const uint32_t sg_nneeds = sizeof sg_needs / sizeof sg_needs[0];

uint32_t sg_check_max(uint32_t i, const sg_params_t *p)
{
    uint32_t n = 0;
#define SG_REG(n_, o, a, d)
#define SG_FIELD(r, n_, l, w, rst, d)
#define SG_CHECK(f, when, lo, hi, doc, e)                                                           \
    if (n++ == i)                                                                              \
        return (hi);
#include "sg_regs.def"
#undef SG_REG
#undef SG_FIELD
#undef SG_CHECK
    return 0;
}

uint32_t sg_err_all(void)
{
    uint32_t m = 0;
    for (uint32_t f = 0; f < SG_FIELD_COUNT; f++)
        if (sg_fields[f].reg == SG_REG_ERR)
            m |= (uint32_t)((((uint64_t)1 << sg_fields[f].width) - 1u) << sg_fields[f].lsb);
    return m;
}

int sg_reg_at(uint32_t addr, uint32_t rows, uint32_t *row)
{
    if (addr % 4u != 0)
        return -1;
    for (int r = 0; r < SG_REG_COUNT; r++)
        if (sg_regs[r].offset == addr) {
            if (row != NULL)
                *row = 0;
            return r;
        }
    if (addr > SG_ADDR_ROW_NNZ0 && (addr - SG_ADDR_ROW_NNZ0) / 4u < rows) {
        if (row != NULL)
            *row = (addr - SG_ADDR_ROW_NNZ0) / 4u;
        return SG_REG_ROW_NNZ0;
    }
    return -1;
}

const char *sg_reg_name(uint32_t addr, uint32_t rows)
{
    uint32_t row;
    int r = sg_reg_at(addr, rows, &row);
    if (r < 0)
        return NULL;
    return row ? "ROW_NNZ" : sg_regs[r].name;
}

const char *sg_err_str(uint32_t bits, char *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return buf;
    buf[0] = '\0';
    if (bits == 0) {
        snprintf(buf, len, "0");
        return buf;
    }
    size_t used = 0;
    for (unsigned i = 0; i < 32; i++) {
        if (!(bits & (1u << i)))
            continue;
        char one[16];
        snprintf(one, sizeof one, "bit%u", i);
        for (uint32_t f = 0; f < SG_FIELD_COUNT; f++)
            if (sg_fields[f].reg == SG_REG_ERR && sg_fields[f].lsb == i)
                snprintf(one, sizeof one, "%s", sg_fields[f].name);
        int n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "", one);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* ------------------------------------------------------------------ register-file model */
static uint32_t fmask(uint32_t f)
{
    return (uint32_t)(((uint64_t)1 << sg_fields[f].width) - 1u);
}

void sg_regfile_init(sg_regfile_t *rf, const sg_params_t *p, const sg_ident_t *id)
{
    memset(rf, 0, sizeof *rf);
    rf->p = *p;
    for (uint32_t f = 0; f < SG_FIELD_COUNT; f++)
        rf->f[f] = sg_fields[f].reset;
    /* identification: where each field's value comes from */
    sg_regfile_unpack(rf, SG_REG_VERSION, id->version);
    rf->f[SG_FLD_PARAM0_ROWS] = p->rows;
    rf->f[SG_FLD_PARAM0_COLS] = p->cols;
    rf->f[SG_FLD_PARAM0_DATA_W] = p->data_w;
    rf->f[SG_FLD_PARAM0_ACC_W] = p->acc_w;
    rf->f[SG_FLD_PARAM1_KMAX] = p->kmax;
    rf->f[SG_FLD_PARAM2_WINDOW] = id->window;
    rf->f[SG_FLD_PARAM2_SPARSE_CAPABLE] = p->sparse_capable;
    rf->f[SG_FLD_PARAM2_WDEPTH] = p->wdepth;
    rf->f[SG_FLD_PARAM2_IN_STREAM_W] = id->in_stream_w;
    rf->f[SG_FLD_PARAM3_OUT_STREAM_W] = id->out_stream_w;
    rf->f[SG_FLD_PARAM3_IN_LANE_W] = id->in_lane_w;
    rf->f[SG_FLD_PARAM3_ELEMS_PER_BEAT] = id->elems_per_beat;
    rf->f[SG_FLD_PARAM4_A_CAP] = id->a_cap;
    rf->f[SG_FLD_PARAM5_OUT_W] = p->out_w;
}

static uint32_t err_word(const sg_regfile_t *rf)
{
    return sg_regfile_word(rf, SG_REG_ERR);
}

uint32_t sg_regfile_word(const sg_regfile_t *rf, sg_reg_t r)
{
    uint32_t w = 0;
    for (uint32_t f = 0; f < SG_FIELD_COUNT; f++) {
        if (sg_fields[f].reg != r)
            continue;
        uint32_t v = rf->f[f];
        if (f == SG_FLD_STATUS_ERROR)
            v = err_word(rf) != 0;
        w |= (v & fmask(f)) << sg_fields[f].lsb;
    }
    return w;
}

void sg_regfile_unpack(sg_regfile_t *rf, sg_reg_t r, uint32_t word)
{
    for (uint32_t f = 0; f < SG_FIELD_COUNT; f++)
        if (sg_fields[f].reg == r)
            rf->f[f] = (word >> sg_fields[f].lsb) & fmask(f);
}

void sg_regfile_counters(sg_regfile_t *rf, const sg_counters_t *c, uint32_t cyc_total,
                         uint32_t cyc_load, uint32_t cyc_compute, uint32_t cyc_drain)
{
    rf->f[SG_FLD_STATUS_MODE_USED] = c->mode_used;
    rf->f[SG_FLD_CYC_TOTAL_VALUE] = cyc_total;
    rf->f[SG_FLD_CYC_LOAD_VALUE] = cyc_load;
    rf->f[SG_FLD_CYC_COMPUTE_VALUE] = cyc_compute;
    rf->f[SG_FLD_CYC_DRAIN_VALUE] = cyc_drain;
    rf->f[SG_FLD_MACS_ISSUED_VALUE] = c->macs_issued;
    rf->f[SG_FLD_MACS_GATED_VALUE] = c->macs_gated;
    rf->f[SG_FLD_MACS_SKIPPED_VALUE] = c->macs_skipped;
    rf->f[SG_FLD_NNZ_A_VALUE] = c->nnz_a;
    rf->f[SG_FLD_NNZ_B_VALUE] = c->nnz_b;
    rf->f[SG_FLD_MAX_ROW_NNZ_VALUE] = c->max_row_nnz;
    memcpy(rf->row_nnz, c->row_nnz, sizeof rf->row_nnz);
    rf->f[SG_FLD_ROW_NNZ0_VALUE] = c->row_nnz[0];
}

/* ERR bits of the rules of register r checked at `when`, for a value `v` of its field. */
static uint32_t check_value(const sg_regfile_t *rf, sg_field_t field, sg_when_t when,
                            uint32_t v)
{
    uint32_t e = 0;
    for (uint32_t i = 0; i < sg_nchecks; i++)
        if (sg_checks[i].field == field && sg_checks[i].when == when &&
            (v < sg_checks[i].min || v > sg_check_max(i, &rf->p)))
            e |= 1u << sg_fields[sg_checks[i].err].lsb;
    return e;
}

static void set_err(sg_regfile_t *rf, uint32_t bits)
{
    for (uint32_t f = 0; f < SG_FIELD_COUNT; f++)
        if (sg_fields[f].reg == SG_REG_ERR && (bits >> sg_fields[f].lsb) & fmask(f))
            rf->f[f] = 1;
}

static uint32_t start_errors(const sg_regfile_t *rf)
{
    uint32_t e = 0;
    for (uint32_t i = 0; i < sg_nchecks; i++)
        if (sg_checks[i].when == SG_WHEN_START)
            e |= check_value(rf, sg_checks[i].field, SG_WHEN_START, rf->f[sg_checks[i].field]);
    return e;
}

int sg_regfile_write(sg_regfile_t *rf, uint32_t addr, uint32_t data, uint32_t *pulse)
{
    *pulse = 0;
    int r = sg_reg_at(addr, rf->p.rows, NULL);
    if (r < 0 || sg_regs[r].access == SG_ACC_RO) {
        rf->f[SG_FLD_ERR_ADDR] = 1;
        return 1;
    }
    if (r == SG_REG_CTRL) {
        uint32_t e = 0;
        if (SG_FGET(CTRL, ABORT, data))
            *pulse = SG_FMASK(CTRL, ABORT);
        else if (SG_FGET(CTRL, START, data)) {
            e = !rf->f[SG_FLD_STATUS_READY] ? SG_ERR(BUSY) : start_errors(rf);
            for (uint32_t i = 0; i < sg_nneeds && e == 0; i++)
                if (rf->f[sg_needs[i].field] != 0 && !rf->cond[sg_needs[i].cond])
                    e = 1u << sg_fields[sg_needs[i].err].lsb;
            *pulse = e ? 0 : SG_FMASK(CTRL, START);
        }
        set_err(rf, e);
        if (*pulse)
            rf->f[SG_FLD_STATUS_DONE] = 0;
        return 0;
    }
    uint32_t e = 0;
    for (uint32_t f = 0; f < SG_FIELD_COUNT; f++)
        if (sg_fields[f].reg == (sg_reg_t)r)
            e |= check_value(rf, (sg_field_t)f, SG_WHEN_WRITE, data);
    if (e != 0) {
        set_err(rf, e);
        return 0;
    }
    for (uint32_t f = 0; f < SG_FIELD_COUNT; f++) {
        if (sg_fields[f].reg != (sg_reg_t)r)
            continue;
        uint32_t v = (data >> sg_fields[f].lsb) & fmask(f);
        rf->f[f] = sg_regs[r].access == SG_ACC_W1C ? rf->f[f] & ~v : v;
    }
    return 0;
}

int sg_regfile_read(sg_regfile_t *rf, uint32_t addr, uint32_t *data)
{
    uint32_t row;
    int r = sg_reg_at(addr, rf->p.rows, &row);
    *data = 0;
    if (r < 0) {
        rf->f[SG_FLD_ERR_ADDR] = 1;
        return 1;
    }
    if (r == SG_REG_ROW_NNZ0)
        *data = rf->row_nnz[row];
    else if (sg_regs[r].access != SG_ACC_WO)
        *data = sg_regfile_word(rf, (sg_reg_t)r);
    return 0;
}

/* Appends to buf like snprintf, tracking the length the whole text would have. */
typedef struct md {
    char *buf;
    size_t cap, len;
} md_t;

static void md_put(md_t *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void md_put(md_t *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = m->len < m->cap ? m->cap - m->len : 0;
    int n = vsnprintf(room ? m->buf + m->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        m->len += (size_t)n;
}

/* Registers below CTRL identify the variant: their fields read its parameters. */
static bool is_ident(sg_reg_t r)
{
    return r != SG_REG_ID && sg_regs[r].offset < SG_ADDR_CTRL;
}

static void md_rules(md_t *m, uint32_t f, const sg_regfile_t *rf)
{
    for (uint32_t i = 0; i < sg_nneeds; i++)
        if (sg_needs[i].field == f)
            md_put(m, " Set at START: needs %s, else ERR.%s and the job does not start.",
                   sg_needs[i].doc, sg_fields[sg_needs[i].err].name);
    for (uint32_t i = 0; i < sg_nchecks; i++) {
        if (sg_checks[i].field != f)
            continue;
        const char *ev = sg_checks[i].when == SG_WHEN_WRITE ? "a write" : "START";
        const char *then = sg_checks[i].when == SG_WHEN_WRITE ? "the value is kept"
                                                                : "the job does not start";
        if (rf != NULL)
            md_put(m, " Checked at %s: %u..%u, else ERR.%s and %s.", ev, sg_checks[i].min,
                   sg_check_max(i, &rf->p), sg_fields[sg_checks[i].err].name, then);
        else
            md_put(m, " Checked at %s: %u..%s, else ERR.%s and %s.", ev, sg_checks[i].min,
                   sg_checks[i].max_doc, sg_fields[sg_checks[i].err].name, then);
    }
}

size_t sg_regmap_md(char *buf, size_t cap, const sg_regfile_t *rf)
{
    md_t m = {buf, cap, 0};
    if (cap > 0)
        buf[0] = '\0';
    md_put(&m, "| offset | register | access | field | bits | reset | meaning |\n");
    md_put(&m, "|---|---|---|---|---|---|---|\n");
    for (int r = 0; r < SG_REG_COUNT; r++) {
        const sg_reg_info_t *ri = &sg_regs[r];
        uint32_t nf = 0, only = 0;
        for (uint32_t f = 0; f < SG_FIELD_COUNT; f++)
            if (sg_fields[f].reg == (sg_reg_t)r)
                nf++, only = f;
        if (r == SG_REG_ROW_NNZ0)
            md_put(&m, "| 0x%03X + 4r | ROW_NNZ[r] | %s | | [31:0] | 0 | %s |\n", ri->offset,
                   ri->access_name, ri->desc);
        else if (nf == 1 && strcmp(sg_fields[only].name, "VALUE") == 0)
            md_put(&m, "| 0x%03X | %s | %s | | [31:0] | 0 | %s |\n", ri->offset, ri->name,
                   ri->access_name, ri->desc);
        else
            md_put(&m, "| 0x%03X | %s | %s | | | | %s |\n", ri->offset, ri->name,
                   ri->access_name, ri->desc);
        if (nf == 1 && strcmp(sg_fields[only].name, "VALUE") == 0)
            continue;
        for (uint32_t f = 0; f < SG_FIELD_COUNT; f++) {
            const sg_field_info_t *fi = &sg_fields[f];
            if (fi->reg != (sg_reg_t)r)
                continue;
            char bits[16], reset[16];
            if (fi->width == 1)
                snprintf(bits, sizeof bits, "[%u]", fi->lsb);
            else
                snprintf(bits, sizeof bits, "[%u:%u]", fi->lsb + fi->width - 1, fi->lsb);
            uint32_t v = rf != NULL ? rf->f[f] : fi->reset;
            if (rf == NULL && is_ident((sg_reg_t)r))
                snprintf(reset, sizeof reset, "variant");
            else if (v > 0xFFFFu)
                snprintf(reset, sizeof reset, "0x%08X", v);
            else
                snprintf(reset, sizeof reset, "%u", v);
            md_put(&m, "| | | | %s | %s | %s | %s.", fi->name, bits, reset, fi->desc);
            md_rules(&m, f, rf);
            md_put(&m, " |\n");
        }
    }
    return m.len;
}

uint32_t sg_check_job(const sg_params_t *p, const sg_job_t *j)
{
    if (sg_check_params(p) != 0 || j == NULL || j->a == NULL || j->b == NULL)
        return SG_ERR_PARAMS;
    sg_regfile_t rf;
    memset(&rf, 0, sizeof rf);
    rf.p = *p;
    rf.f[SG_FLD_K_K] = j->k;
    uint32_t e = start_errors(&rf);
    e |= check_value(&rf, SG_FLD_MODE_MODE, SG_WHEN_WRITE, j->mode);
    e |= check_value(&rf, SG_FLD_THRESH_THRESH, SG_WHEN_WRITE, j->thresh);
    return e;
}

bool sg_has_out_stage(const sg_params_t *p)
{
    return p != NULL && p->out_w != 0;
}

uint32_t sg_check_out_stage(const sg_params_t *p, const sg_out_stage_t *o)
{
    if (sg_check_params(p) != 0 || o == NULL)
        return SG_ERR_PARAMS;
    sg_regfile_t rf;
    memset(&rf, 0, sizeof rf);
    rf.p = *p;
    uint32_t e = check_value(&rf, SG_FLD_OUT_SHIFT_SHIFT, SG_WHEN_WRITE, o->shift) |
                 check_value(&rf, SG_FLD_OUT_CLAMP_CLAMP, SG_WHEN_WRITE, o->clamp);
    for (uint32_t i = 0; i < sg_nneeds; i++) /* FLAGS.OUT_STAGE's SG_NEED rule */
        if (sg_needs[i].field == SG_FLD_FLAGS_OUT_STAGE && !sg_has_out_stage(p))
            e |= 1u << sg_fields[sg_needs[i].err].lsb;
    return e;
}

/* ------------------------------------------------------------------ arithmetic */
uint64_t sg_trunc(uint64_t v, uint32_t width)
{
    if (width >= 64)
        return v;
    return v & ((UINT64_C(1) << width) - 1u);
}

int64_t sg_sext(uint64_t v, uint32_t width)
{
    if (width == 0)
        return 0;
    if (width > 64)
        width = 64;
    uint64_t mask = width == 64 ? UINT64_MAX : (UINT64_C(1) << width) - 1u;
    uint64_t sign = UINT64_C(1) << (width - 1);
    v &= mask;
    if (v & sign) {
        /* negative: value = -(2^width - v) = -((~v & mask) + 1); (~v & mask) < 2^63 */
        return -(int64_t)(~v & mask) - 1;
    }
    return (int64_t)v;
}

int64_t sg_operand(int32_t x, uint32_t data_w)
{
    return sg_sext((uint64_t)(uint32_t)x, data_w);
}

/* ------------------------------------------------------------------ stream format */
static uint32_t ceil_div(uint32_t a, uint32_t b)
{
    return (a + b - 1u) / b;
}

static uint32_t clog2(uint32_t v)
{
    uint32_t n = 0;
    while ((UINT64_C(1) << n) < v)
        n++;
    return n;
}

void sg_stream_fmt(const sg_params_t *p, uint32_t in_stream_w, uint32_t out_stream_w,
                   sg_stream_fmt_t *f)
{
    f->in_lane_w = 8u * ceil_div(p->data_w, 8u);
    f->elems_per_beat = in_stream_w / f->in_lane_w;
    const uint32_t epb = f->elems_per_beat ? f->elems_per_beat : 1u; /* 0: caller rejects */
    f->beats_per_slice = ceil_div(p->rows + p->cols, epb);
    f->beats_a = ceil_div(p->rows, epb);
    f->beats_b = ceil_div(p->cols, epb);
    /* compressed A, format 2 (docs/data-formats.md) */
    const uint32_t kw = clog2(p->kmax);
    f->a_cnt_w = kw + 1u;
    f->a_gap_w = kw / 2u + 1u < kw ? kw / 2u + 1u : kw;
    if (f->a_gap_w < 1u) f->a_gap_w = 1u;
    f->a_ent_w = f->a_gap_w + p->data_w;
    /* entries per beat = the row list's banks: never more than KMAX (a list holds at most KMAX
     * entries, and Verilator 5.006 crashes on the banks' one-word memories beyond that), nor
     * more than one per 4 PEs (at least 1): the decoder's slots and the rows' banked lists grow
     * with it, so they stay in proportion to the array (ice40-tiny, 2x2: with 3 entries a beat
     * it missed 30 MHz on the UP5K, at 97% of its cells; with 1, 31.5 MHz at 77%). When a cap
     * binds, an entry beat carries exactly a_ents entries and no entry crosses a beat. */
    const uint32_t raw = (in_stream_w + f->a_ent_w - 1u) / f->a_ent_w;
    uint32_t cap = p->rows * p->cols / 4u;
    if (cap < 1u) cap = 1u;
    if (cap > p->kmax) cap = p->kmax;
    f->a_ents = p->sparse_capable && in_stream_w >= f->a_ent_w ? raw : 0u;
    f->a_ebits = in_stream_w;
    if (f->a_ents > cap) {
        f->a_ents = cap;
        f->a_ebits = cap * f->a_ent_w;
    }
    f->a_hdr_beats = f->a_ents && in_stream_w ? ceil_div(p->rows * f->a_cnt_w, in_stream_w) : 0u;
    f->out_lane_w = 8u * ceil_div(p->acc_w, 8u);
    f->results_per_beat = out_stream_w >= f->out_lane_w ? out_stream_w / f->out_lane_w : 1u;
    f->out_beats = ceil_div(p->rows * p->cols, f->results_per_beat);
    f->os_lane_w = 8u * ceil_div(p->out_w ? p->out_w : p->acc_w, 8u);
    f->os_per_beat = out_stream_w >= f->os_lane_w ? out_stream_w / f->os_lane_w : 1u;
    f->os_beats = ceil_div(p->rows * p->cols, f->os_per_beat);
    f->os_group = 1u;
    for (uint32_t d = 1u; d <= f->results_per_beat && d <= f->os_per_beat; d++)
        if (f->os_per_beat % d == 0u)
            f->os_group = d;
}

/* ------------------------------------------------------------------ operand storage */
uint32_t sg_a_entry_bits(const sg_params_t *p)
{
    return 1u + clog2(p->window) + p->data_w;
}

uint64_t sg_operand_bits(const sg_params_t *p, uint32_t wdepth, uint32_t a_cap)
{
    const uint64_t R = p->rows, C = p->cols, DW = p->data_w, KM = p->kmax, W = p->window;
    const uint64_t nwin = KM / W;
    uint64_t bits = C * KM * DW;            /* B, one copy */
    bits += R * wdepth * W * C * DW;        /* window slots */
    if (p->sparse_capable)
        bits += R * (2u * (uint64_t)a_cap * sg_a_entry_bits(p) + 2u * nwin); /* lists, occupancy */
    else
        bits += R * 2u * KM * DW;           /* two dense copies of the row's A */
    return bits;
}

uint64_t sg_operand_limit(const sg_params_t *p)
{
    return ((uint64_t)p->rows + p->cols) * p->kmax * p->data_w * 23u / 10u;
}

uint32_t sg_a_cap_min(const sg_params_t *p, uint32_t a_ents)
{
    uint32_t m = 1;
    while (m < a_ents && m < p->kmax)
        m <<= 1;
    return m;
}

int sg_storage_pick(const sg_params_t *p, uint32_t a_ents, uint32_t wdepth, uint32_t a_cap,
                    uint32_t *wdepth_out, uint32_t *a_cap_out)
{
    const uint64_t lim = sg_operand_limit(p);
    const uint32_t cmin = sg_a_cap_min(p, a_ents);
    uint32_t c_hi = a_cap ? a_cap : (p->kmax / 2u > cmin ? p->kmax / 2u : cmin);
    uint32_t c_lo = a_cap ? a_cap : cmin;
    if (!p->sparse_capable)
        c_hi = c_lo = 0; /* no lists */
    const uint32_t d_hi = wdepth ? wdepth : SG_WDEPTH_AUTO_MAX, d_lo = wdepth ? wdepth : 2u;
    for (uint32_t c = c_hi;; c /= 2u) {
        for (uint32_t d = d_hi; d >= d_lo; d--) {
            *wdepth_out = d;
            *a_cap_out = c;
            if (sg_operand_bits(p, d, c) <= lim)
                return 0;
        }
        if (c <= c_lo)
            return -1;
    }
}

uint32_t sg_a_cap_apply(const sg_params_t *p, uint32_t a_cap, uint32_t k, int32_t *a)
{
    uint32_t lost = 0;
    for (uint32_t r = 0; a_cap && r < p->rows; r++) {
        uint32_t n = 0;
        bool drop = false;
        for (uint32_t kk = 0; kk < k; kk++) {
            const uint32_t m = p->data_w >= 32u ? 0xffffffffu : ((1u << p->data_w) - 1u);
            if (((uint32_t)a[(size_t)r * k + kk] & m) == 0u)
                continue;
            if (++n > a_cap) {
                a[(size_t)r * k + kk] = 0;
                drop = true;
            }
        }
        lost += drop ? 1u : 0u;
    }
    return lost;
}

uint32_t sg_a_cap_chunk(const sg_params_t *p, uint32_t a_cap, uint32_t rows, uint32_t k,
                        const int32_t *a, uint32_t k0)
{
    uint32_t kc = k - k0 < p->kmax ? k - k0 : p->kmax;
    const uint32_t m = p->data_w >= 32u ? 0xffffffffu : ((1u << p->data_w) - 1u);
    for (uint32_t r = 0; a_cap && r < rows; r++) {
        uint32_t n = 0;
        for (uint32_t kk = 0; kk < kc; kk++) {
            if (((uint32_t)a[(size_t)r * k + k0 + kk] & m) != 0u && ++n > a_cap) {
                kc = kk; /* the row's (a_cap+1)-th non-zero starts the next chunk */
                break;
            }
        }
    }
    return kc ? kc : 1u;
}

uint64_t sg_stream_a_beats(const sg_stream_fmt_t *f, uint64_t n)
{
    if (f->a_ents == 0)
        return 0;
    return f->a_hdr_beats + (n * f->a_ent_w + f->a_ebits - 1u) / f->a_ebits;
}

/* ------------------------------------------------------------------ cycle model */
static uint64_t tokens(uint32_t k, const sg_counters_t *c)
{
    return c->mode_used == SG_MODE_SPARSE ? c->max_row_nnz : k;
}

static bool a_nz(const sg_params_t *p, int32_t v)
{
    const uint32_t m = p->data_w >= 32u ? 0xffffffffu : ((1u << p->data_w) - 1u);
    return ((uint32_t)v & m) != 0u;
}

/* row r has a non-zero in window w (k < K) */
static bool win_occ(const sg_params_t *p, const int32_t *a, uint32_t k, uint32_t r, uint32_t w)
{
    const uint32_t lo = w * p->window;
    const uint32_t hi = lo + p->window < k ? lo + p->window : k;
    for (uint32_t kk = lo; kk < hi; kk++)
        if (a_nz(p, a[(size_t)r * k + kk]))
            return true;
    return false;
}

/* first non-zero of row r at or after kk, or k */
static uint32_t next_nz(const sg_params_t *p, const int32_t *a, uint32_t k, uint32_t r, uint32_t kk)
{
    while (kk < k && !a_nz(p, a[(size_t)r * k + kk]))
        kk++;
    return kk;
}

uint32_t sg_issue_cycles(const sg_params_t *p, uint32_t k, uint32_t mode_used, const int32_t *a)
{
    const uint32_t R = p->rows, W = p->window, D = p->wdepth, NW = (p->kmax + W - 1u) / W;
    const bool sp = mode_used == SG_MODE_SPARSE;
    uint32_t pos[SG_MAX_ROWS], prev[SG_MAX_ROWS], cnt[SG_MAX_ROWS];
    bool run[SG_MAX_ROWS], fi[SG_MAX_ROWS];
    const uint32_t lastw = (k - 1u) / W;
    bool any = false;
    for (uint32_t r = 0; r < R; r++) {
        pos[r] = sp ? next_nz(p, a, k, r, 0) : 0u;
        prev[r] = UINT32_MAX;
        cnt[r] = 0;
        fi[r] = true;
        run[r] = !sp || pos[r] < k;
        any = any || run[r];
    }
    if (!any)
        return 0;
    /* windows the fetcher visits: SPARSE those some row has a non-zero in, DENSE 0..(K-1)/W */
    uint32_t f = NW, bcw = 0, last = 0;
    bool bcv = false;
    for (uint32_t w = 0; w < NW && f == NW; w++) {
        bool u = !sp ? w <= lastw : false;
        for (uint32_t r = 0; sp && r < R && !u; r++)
            u = win_occ(p, a, k, r, w);
        if (u)
            f = w;
    }
    for (uint32_t t = 0;; t++) {
        bool live = false, ok = f < NW;
        bool cap[SG_MAX_ROWS];
        for (uint32_t r = 0; r < R; r++) {
            cap[r] = bcv && (!sp || win_occ(p, a, k, r, bcw));
            const bool room = cnt[r] + (cap[r] ? 1u : 0u) < D;
            if (ok && !room && (!sp || win_occ(p, a, k, r, f)))
                ok = false;
        }
        for (uint32_t r = 0; r < R; r++) {
            bool go = false, nxt = false;
            if (run[r]) {
                const uint32_t kk = pos[r];
                nxt = (sp ? (prev[r] == UINT32_MAX || prev[r] / W != kk / W) : kk % W == 0u) && !fi[r];
                go = nxt ? cnt[r] >= 2u : cnt[r] >= 1u;
            }
            cnt[r] = cnt[r] + (cap[r] ? 1u : 0u) - ((go && nxt) ? 1u : 0u);
            if (go) {
                fi[r] = false;
                last = t + 1u;
                prev[r] = pos[r];
                pos[r] = sp ? next_nz(p, a, k, r, pos[r] + 1u) : pos[r] + 1u;
                if (pos[r] >= k)
                    run[r] = false;
            }
            live = live || run[r];
        }
        bcv = ok;
        bcw = f;
        if (ok) {
            uint32_t g = NW;
            for (uint32_t w = f + 1u; w < NW && g == NW; w++) {
                bool u = !sp ? w <= lastw : false;
                for (uint32_t r = 0; sp && r < R && !u; r++)
                    u = win_occ(p, a, k, r, w);
                if (u)
                    g = w;
            }
            f = g;
        }
        if (!live)
            return last;
    }
}

void sg_window_events(const sg_params_t *p, uint32_t k, uint32_t mode_used, const int32_t *a,
                      uint64_t *fetches, uint64_t *captures)
{
    const uint32_t W = p->window ? p->window : 1u, nw = (k + W - 1u) / W;
    *fetches = 0;
    *captures = 0;
    for (uint32_t w = 0; w < nw; w++) {
        uint32_t rows = 0;
        for (uint32_t r = 0; r < p->rows; r++)
            rows += (mode_used != SG_MODE_SPARSE || win_occ(p, a, k, r, w)) ? 1u : 0u;
        *fetches += rows ? 1u : 0u;
        *captures += rows;
    }
}

sg_cycles_t sg_cycle_model(const sg_params_t *p, uint64_t in_beats, uint64_t out_beats,
                           uint32_t k, const sg_counters_t *c, uint32_t source_gap)
{
    sg_cycles_t y;
    y.load = in_beats + source_gap + 1u;
    (void)k; /* the issue cycles already depend on it */
    y.compute = (uint64_t)c->issue_cycles + p->cols + SG_PE_MAC_STAGES + 4u;
    y.drain = out_beats;
    y.total = y.load + y.compute + y.drain;
    return y;
}

uint64_t sg_os_drain_cycles(const sg_params_t *p, uint32_t os_group)
{
    const uint64_t g = os_group ? os_group : 1u;
    return ((uint64_t)p->rows * p->cols + g - 1u) / g + SG_OS_DRAIN_LATENCY;
}

uint64_t sg_compute_bound(const sg_params_t *p, uint32_t k, const sg_counters_t *c)
{
    return tokens(k, c) + p->cols;
}

uint64_t sg_cycle_bound(const sg_params_t *p, uint64_t in_beats, uint64_t out_beats, uint32_t k,
                        const sg_counters_t *c)
{
    return in_beats + sg_compute_bound(p, k, c) + out_beats;
}
