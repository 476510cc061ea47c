/* host_mtx.c - Matrix Market coordinate reader.  See host_mtx.h. */
#include "host_mtx.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host_err.h"

#define MAX_TOK 6

const char *host_mtx_field_name(host_mtx_field_t f)
{
    switch (f) {
    case HOST_MTX_REAL: return "real";
    case HOST_MTX_INTEGER: return "integer";
    case HOST_MTX_PATTERN: return "pattern";
    }
    return "?";
}

const char *host_mtx_symmetry_name(host_mtx_sym_t s)
{
    switch (s) {
    case HOST_MTX_GENERAL: return "general";
    case HOST_MTX_SYMMETRIC: return "symmetric";
    case HOST_MTX_SKEW: return "skew-symmetric";
    }
    return "?";
}

void host_mtx_free(host_mtx_t *m)
{
    if (m == NULL)
        return;
    free(m->row);
    free(m->col);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* Split s in place at whitespace; returns the token count (may exceed MAX_TOK, only the first
 * MAX_TOK are stored). */
static int split(char *s, char *tok[MAX_TOK])
{
    int n = 0;
    for (;;) {
        while (*s != '\0' && isspace((unsigned char)*s))
            s++;
        if (*s == '\0')
            return n;
        if (n < MAX_TOK)
            tok[n] = s;
        n++;
        while (*s != '\0' && !isspace((unsigned char)*s))
            s++;
        if (*s == '\0')
            return n;
        *s++ = '\0';
    }
}

/* Unsigned decimal integer, whole token. */
static int parse_u64(const char *t, uint64_t *out)
{
    if (!isdigit((unsigned char)t[0]))
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(t, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static int parse_real(const char *t, double *out)
{
    errno = 0;
    char *end;
    double v = strtod(t, &end);
    if (end == t || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_int(const char *t, double *out)
{
    errno = 0;
    char *end;
    long long v = strtoll(t, &end, 10);
    if (end == t || *end != '\0' || errno != 0 || isspace((unsigned char)t[0]))
        return -1;
    *out = (double)v;
    return 0;
}

typedef struct reader {
    FILE *f;
    const char *path;
    char *line;
    size_t cap;
    unsigned long lineno;
} reader_t;

/* Next line: 1 got one, 0 EOF, <0 error (message set). */
static int next_line(reader_t *r, char *err, size_t errlen)
{
    errno = 0;
    ssize_t len = getline(&r->line, &r->cap, r->f);
    if (len < 0) {
        if (ferror(r->f))
            return host_seterr(err, errlen, HOST_E_IO, "%s:%lu: read error: %s", r->path,
                               r->lineno + 1, strerror(errno ? errno : EIO));
        return 0;
    }
    r->lineno++;
    if (strlen(r->line) != (size_t)len)
        return host_seterr(err, errlen, HOST_E_FORMAT, "%s:%lu: line contains a NUL byte",
                           r->path, r->lineno);
    return 1;
}

static int is_blank(const char *s)
{
    while (*s != '\0' && isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

/* Next line that is neither a comment nor blank; 1 got one, 0 EOF, <0 error. */
static int next_data_line(reader_t *r, char *err, size_t errlen)
{
    for (;;) {
        int rc = next_line(r, err, errlen);
        if (rc <= 0)
            return rc;
        if (r->line[0] != '%' && !is_blank(r->line))
            return 1;
    }
}

static int push(host_mtx_t *m, uint64_t *cap, uint32_t i, uint32_t j, double v)
{
    if (m->nnz == *cap) {
        uint64_t nc = *cap ? *cap * 2 : 1024;
        uint32_t *nr = realloc(m->row, (size_t)nc * sizeof *nr);
        if (nr == NULL)
            return -1;
        m->row = nr;
        uint32_t *ncl = realloc(m->col, (size_t)nc * sizeof *ncl);
        if (ncl == NULL)
            return -1;
        m->col = ncl;
        double *nv = realloc(m->val, (size_t)nc * sizeof *nv);
        if (nv == NULL)
            return -1;
        m->val = nv;
        *cap = nc;
    }
    m->row[m->nnz] = i;
    m->col[m->nnz] = j;
    m->val[m->nnz] = v;
    m->nnz++;
    return 0;
}

static int read_banner(reader_t *r, host_mtx_t *m, char *err, size_t errlen)
{
    char *tok[MAX_TOK];
    const char *P = r->path;
    int rc = next_line(r, err, errlen);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:1: empty file (expected a %%%%MatrixMarket banner)", P);
    int nt = split(r->line, tok);
    if (nt < 1 || strcasecmp(tok[0], "%%MatrixMarket") != 0)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad header: first line must start with %%%%MatrixMarket", P,
                           r->lineno);
    if (nt != 5)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad header: expected '%%%%MatrixMarket matrix coordinate "
                           "<field> <symmetry>' (5 words), got %d",
                           P, r->lineno, nt);
    if (strcasecmp(tok[1], "matrix") != 0)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad header: object '%s' unsupported (only 'matrix')", P,
                           r->lineno, tok[1]);
    if (strcasecmp(tok[2], "array") == 0)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: 'array' (dense) format unsupported, only 'coordinate'", P,
                           r->lineno);
    if (strcasecmp(tok[2], "coordinate") != 0)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad header: format '%s' unknown (only 'coordinate')", P,
                           r->lineno, tok[2]);
    if (strcasecmp(tok[3], "real") == 0)
        m->field = HOST_MTX_REAL;
    else if (strcasecmp(tok[3], "integer") == 0)
        m->field = HOST_MTX_INTEGER;
    else if (strcasecmp(tok[3], "pattern") == 0)
        m->field = HOST_MTX_PATTERN;
    else
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad header: field '%s' unsupported (real, integer, pattern)",
                           P, r->lineno, tok[3]);
    if (strcasecmp(tok[4], "general") == 0)
        m->symmetry = HOST_MTX_GENERAL;
    else if (strcasecmp(tok[4], "symmetric") == 0)
        m->symmetry = HOST_MTX_SYMMETRIC;
    else if (strcasecmp(tok[4], "skew-symmetric") == 0)
        m->symmetry = HOST_MTX_SKEW;
    else
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad header: symmetry '%s' unsupported (general, symmetric, "
                           "skew-symmetric)",
                           P, r->lineno, tok[4]);
    return HOST_OK;
}

/* A declared size against a limit: HOST_E_RANGE naming file, line, value, limit and its why. */
static int over_limit(const reader_t *r, const host_mtx_limits_t *lim, const char *what,
                      uint64_t v, uint64_t max, char *err, size_t errlen)
{
    return host_seterr(err, errlen, HOST_E_RANGE,
                       "%s:%lu: the size line declares %llu %s, more than the limit %llu%s%s%s",
                       r->path, r->lineno, (unsigned long long)v, what,
                       (unsigned long long)max, lim->why ? " (" : "", lim->why ? lim->why : "",
                       lim->why ? ")" : "");
}

/* The size line 'rows cols nnz', checked against the limits before anything is allocated. */
static int read_size(reader_t *r, host_mtx_t *m, const host_mtx_limits_t *lim, char *err,
                     size_t errlen)
{
    char *tok[MAX_TOK];
    const char *P = r->path;
    int rc = next_data_line(r, err, errlen);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: missing size line 'rows cols nnz'", P, r->lineno + 1);
    uint64_t rows, cols, nnz;
    int nt = split(r->line, tok);
    if (nt != 3 || parse_u64(tok[0], &rows) || parse_u64(tok[1], &cols) || parse_u64(tok[2], &nnz))
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad size line: expected 3 non-negative integers 'rows cols nnz'",
                           P, r->lineno);
    if (rows > UINT32_MAX || cols > UINT32_MAX)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "%s:%lu: bad size line: %llu x %llu too large (max %u)", P, r->lineno,
                           (unsigned long long)rows, (unsigned long long)cols, UINT32_MAX);
    uint64_t max_nnz = lim->max_entries < HOST_MTX_MAX_NNZ ? lim->max_entries : HOST_MTX_MAX_NNZ;
    if (rows > lim->max_rows)
        return over_limit(r, lim, "rows", rows, lim->max_rows, err, errlen);
    if (cols > lim->max_cols)
        return over_limit(r, lim, "columns", cols, lim->max_cols, err, errlen);
    if (nnz > max_nnz)
        return over_limit(r, lim, "entries", nnz, max_nnz, err, errlen);
    if (lim->max_elems != 0 && rows * cols > lim->max_elems)
        return over_limit(r, lim, "elements (rows x columns)", rows * cols, lim->max_elems, err,
                          errlen);
    if (lim->nonempty && (rows == 0 || cols == 0))
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "%s:%lu: the size line declares an empty %llu x %llu matrix; this "
                           "caller needs at least 1 x 1",
                           P, r->lineno, (unsigned long long)rows, (unsigned long long)cols);
    if (m->symmetry != HOST_MTX_GENERAL && rows != cols)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: bad size line: %s matrix must be square, is %llu x %llu", P,
                           r->lineno, host_mtx_symmetry_name(m->symmetry),
                           (unsigned long long)rows, (unsigned long long)cols);
    m->rows = (uint32_t)rows;
    m->cols = (uint32_t)cols;
    m->nnz_file = nnz;
    return HOST_OK;
}

/* Entry number e (0-based) on the current line: parsed, checked, pushed (and mirrored). */
static int read_entry(reader_t *r, host_mtx_t *m, uint64_t e, uint64_t *cap, char *err,
                      size_t errlen)
{
    char *tok[MAX_TOK];
    const char *P = r->path;
    const int want = m->field == HOST_MTX_PATTERN ? 2 : 3;
    int nt = split(r->line, tok);
    if (nt != want)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: entry %llu: expected %d fields (%s), got %d", P, r->lineno,
                           (unsigned long long)e + 1, want, want == 2 ? "row col" : "row col value",
                           nt);
    uint64_t i, j;
    if (parse_u64(tok[0], &i) || parse_u64(tok[1], &j))
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: malformed index '%s %s' (positive integers expected)", P,
                           r->lineno, tok[0], tok[1]);
    if (i < 1 || i > m->rows || j < 1 || j > m->cols)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "%s:%lu: index (%llu, %llu) out of range 1..%u x 1..%u", P, r->lineno,
                           (unsigned long long)i, (unsigned long long)j, m->rows, m->cols);
    double v = 1.0;
    if (m->field == HOST_MTX_REAL && parse_real(tok[2], &v))
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: malformed or non-finite real number '%s'", P, r->lineno,
                           tok[2]);
    if (m->field == HOST_MTX_INTEGER && parse_int(tok[2], &v))
        return host_seterr(err, errlen, HOST_E_FORMAT, "%s:%lu: malformed integer '%s'", P,
                           r->lineno, tok[2]);
    if (m->symmetry != HOST_MTX_GENERAL && j > i)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: entry (%llu, %llu) above the diagonal in a %s file "
                           "(only the lower triangle may be stored)",
                           P, r->lineno, (unsigned long long)i, (unsigned long long)j,
                           host_mtx_symmetry_name(m->symmetry));
    if (m->symmetry == HOST_MTX_SKEW && i == j)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: diagonal entry (%llu, %llu) in a skew-symmetric file", P,
                           r->lineno, (unsigned long long)i, (unsigned long long)j);
    if (push(m, cap, (uint32_t)(i - 1), (uint32_t)(j - 1), v))
        return host_seterr(err, errlen, HOST_E_NOMEM, "%s:%lu: out of memory", P, r->lineno);
    if (m->symmetry != HOST_MTX_GENERAL && i != j &&
        push(m, cap, (uint32_t)(j - 1), (uint32_t)(i - 1), m->symmetry == HOST_MTX_SKEW ? -v : v))
        return host_seterr(err, errlen, HOST_E_NOMEM, "%s:%lu: out of memory", P, r->lineno);
    return HOST_OK;
}

static int read_body(reader_t *r, host_mtx_t *m, const host_mtx_limits_t *lim, char *err,
                     size_t errlen)
{
    int rc = read_banner(r, m, err, errlen);
    if (rc == HOST_OK)
        rc = read_size(r, m, lim, err, errlen);
    uint64_t cap = 0;
    for (uint64_t e = 0; rc == HOST_OK && e < m->nnz_file; e++) {
        rc = next_data_line(r, err, errlen);
        if (rc == 0)
            return host_seterr(err, errlen, HOST_E_FORMAT,
                               "%s:%lu: too few entries: file ends after %llu of %llu", r->path,
                               r->lineno, (unsigned long long)e, (unsigned long long)m->nnz_file);
        if (rc > 0)
            rc = read_entry(r, m, e, &cap, err, errlen);
    }
    if (rc != HOST_OK)
        return rc;
    rc = next_data_line(r, err, errlen);
    if (rc < 0)
        return rc;
    if (rc > 0)
        return host_seterr(err, errlen, HOST_E_FORMAT,
                           "%s:%lu: too many entries: the size line declares %llu", r->path,
                           r->lineno, (unsigned long long)m->nnz_file);
    return HOST_OK;
}

int host_mtx_read(const char *path, host_mtx_t *m, char *err, size_t errlen)
{
    static const host_mtx_limits_t lim = HOST_MTX_LIMITS_DEFAULT;
    return host_mtx_read_limited(path, &lim, m, err, errlen);
}

int host_mtx_read_limited(const char *path, const host_mtx_limits_t *lim, host_mtx_t *m,
                          char *err, size_t errlen)
{
    if (m != NULL)
        memset(m, 0, sizeof *m);
    if (path == NULL || m == NULL || lim == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_mtx_read: NULL argument");
    reader_t r = {0};
    r.path = path;
    r.f = fopen(path, "r");
    if (r.f == NULL)
        return host_seterr(err, errlen, HOST_E_IO, "%s: cannot open: %s", path, strerror(errno));
    int rc = read_body(&r, m, lim, err, errlen);
    free(r.line);
    fclose(r.f);
    if (rc != 0)
        host_mtx_free(m);
    return rc;
}

int host_mtx_to_dense(const host_mtx_t *m, double **out, char *err, size_t errlen)
{
    if (m == NULL || out == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_mtx_to_dense: NULL argument");
    *out = NULL;
    uint64_t n = (uint64_t)m->rows * m->cols;
    if (n > HOST_MTX_MAX_DENSE)
        return host_seterr(err, errlen, HOST_E_RANGE,
                           "%u x %u matrix has %llu elements, more than the dense limit %llu",
                           m->rows, m->cols, (unsigned long long)n,
                           (unsigned long long)HOST_MTX_MAX_DENSE);
    double *d = calloc(n ? (size_t)n : 1u, sizeof *d);
    if (d == NULL)
        return host_seterr(err, errlen, HOST_E_NOMEM, "out of memory for %llu doubles",
                           (unsigned long long)n);
    for (uint64_t e = 0; e < m->nnz; e++)
        d[(size_t)m->row[e] * m->cols + m->col[e]] += m->val[e];
    *out = d;
    return HOST_OK;
}

int host_mtx_read_dense(const char *path, double **out, uint32_t *rows, uint32_t *cols,
                        uint64_t *nnz, char *err, size_t errlen)
{
    if (out == NULL || rows == NULL || cols == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_mtx_read_dense: NULL argument");
    *out = NULL;
    host_mtx_t m;
    int rc = host_mtx_read(path, &m, err, errlen);
    if (rc == 0) {
        rc = host_mtx_to_dense(&m, out, err, errlen);
        if (rc != 0 && err != NULL && errlen > 0) {
            /* prefix the file name */
            char tmp[512];
            snprintf(tmp, sizeof tmp, "%s", err);
            snprintf(err, errlen, "%s: %s", path, tmp);
        }
        *rows = m.rows;
        *cols = m.cols;
        if (nnz != NULL)
            *nnz = m.nnz;
    }
    host_mtx_free(&m);
    return rc;
}
