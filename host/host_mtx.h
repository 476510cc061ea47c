/* host_mtx.h - Matrix Market reader (docs/data-formats.md, "Matrix Market input").
 *
 * Supported: `%%MatrixMarket matrix coordinate <field> <symmetry>` with field real, integer or
 * pattern and symmetry general, symmetric or skew-symmetric; 1-based indices; '%' comment lines
 * and blank lines anywhere after the banner; CRLF line ends.
 * Result: COO (host_mtx_t) with 0-based indices, symmetric/skew-symmetric entries already
 * expanded (the mirror of every off-diagonal entry is added, negated for skew), entries in file
 * order (mirrors right after their entry), duplicates kept.  pattern entries have value 1.0.
 * host_mtx_to_dense() builds a row-major dense double matrix, summing duplicates.
 *
 * Rejected with HOST_E_FORMAT/HOST_E_RANGE and a message "<file>:<line>: ...": missing/bad
 * banner, `array` format, complex/hermitian, bad size line, symmetric with rows != cols,
 * index out of range, entries above the diagonal in (skew-)symmetric files or on the diagonal
 * in skew-symmetric files, malformed or non-finite numbers, extra tokens, too few or too many
 * entries, NUL bytes, more than HOST_MTX_MAX_NNZ entries.  A missing file or a folder gives
 * HOST_E_IO.
 *
 * Limits: host_mtx_read_limited() takes the caller's limits on the declared size (rows,
 * columns, entries, rows x columns, and whether an empty 0-row or 0-column matrix is accepted)
 * and checks the size line against them before anything is allocated: a file declaring more
 * than the caller can run fails at once with HOST_E_RANGE and "<file>:<line>: the size line
 * declares N columns, more than the limit L (<why>)".  host_mtx_read() uses
 * HOST_MTX_LIMITS_DEFAULT: what the reader itself can hold (32-bit indices, HOST_MTX_MAX_NNZ
 * entries), and a 0 x 0 matrix is a valid file.
 */
#ifndef SPARSEGEN_HOST_MTX_H
#define SPARSEGEN_HOST_MTX_H

#include <stddef.h>
#include <stdint.h>

#define HOST_MTX_MAX_NNZ (UINT64_C(1) << 28)   /* entries declared on the size line */
#define HOST_MTX_MAX_DENSE (UINT64_C(1) << 28) /* rows*cols for host_mtx_to_dense */

typedef enum { HOST_MTX_REAL = 0, HOST_MTX_INTEGER = 1, HOST_MTX_PATTERN = 2 } host_mtx_field_t;
typedef enum { HOST_MTX_GENERAL = 0, HOST_MTX_SYMMETRIC = 1, HOST_MTX_SKEW = 2 } host_mtx_sym_t;

typedef struct host_mtx {
    uint32_t rows, cols;
    uint64_t nnz;      /* entries in row/col/val (after symmetric expansion) */
    uint64_t nnz_file; /* entries listed in the file (the size line's third number) */
    host_mtx_field_t field;
    host_mtx_sym_t symmetry;
    uint32_t *row, *col; /* 0-based */
    double *val;
} host_mtx_t;

typedef struct host_mtx_limits {
    uint64_t max_rows, max_cols; /* declared rows / columns (at most UINT32_MAX is held) */
    uint64_t max_entries;        /* entries on the size line (before symmetric mirroring) */
    uint64_t max_elems;          /* declared rows x columns; 0: no limit */
    int nonempty;                /* 1: a matrix with 0 rows or 0 columns is an error */
    const char *why;             /* what the limits stand for, quoted in messages; may be NULL */
} host_mtx_limits_t;

#define HOST_MTX_LIMITS_DEFAULT {UINT32_MAX, UINT32_MAX, HOST_MTX_MAX_NNZ, 0, 0, NULL}

/* Read `path` into *m (which is overwritten; free with host_mtx_free, also safe after failure). */
int host_mtx_read(const char *path, host_mtx_t *m, char *err, size_t errlen);
/* The same, with the caller's limits on the declared size (see above). */
int host_mtx_read_limited(const char *path, const host_mtx_limits_t *lim, host_mtx_t *m,
                          char *err, size_t errlen);
void host_mtx_free(host_mtx_t *m);

/* Dense row-major copy (rows*cols doubles, duplicates summed); caller frees *out with free().
 * Fails with HOST_E_RANGE if rows*cols > HOST_MTX_MAX_DENSE. */
int host_mtx_to_dense(const host_mtx_t *m, double **out, char *err, size_t errlen);

/* Convenience: read + to_dense. *nnz (may be NULL) gets the expanded entry count. */
int host_mtx_read_dense(const char *path, double **out, uint32_t *rows, uint32_t *cols,
                        uint64_t *nnz, char *err, size_t errlen);

const char *host_mtx_field_name(host_mtx_field_t f);   /* "real", "integer", "pattern" */
const char *host_mtx_symmetry_name(host_mtx_sym_t s);  /* "general", "symmetric", "skew-symmetric" */

#endif
