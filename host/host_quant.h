/* host_quant.h - quantize doubles to signed data_w-bit integers.
 *
 * Symmetric max-abs scaling: qmax = 2^(data_w-1) - 1, scale = max|x| / qmax (scale = 1.0 if all
 * x are 0), q = clamp(round(x / scale), -qmax, qmax) with round half away from zero, so that
 * x ~= q * scale.  -2^(data_w-1) is never produced.  Deterministic (no FP environment tricks).
 */
#ifndef SPARSEGEN_HOST_QUANT_H
#define SPARSEGEN_HOST_QUANT_H

#include <stddef.h>
#include <stdint.h>

/* q[i] for i < n; *scale gets the scale used.  data_w 2..31.  Fails with HOST_E_RANGE on
 * non-finite input (names the index). n == 0 is allowed (scale 1.0). */
int host_quant(const double *x, size_t n, uint32_t data_w, int32_t *q, double *scale, char *err,
               size_t errlen);

/* Quantize with a given scale (> 0, finite): q = clamp(round(x / scale)). Same rules. */
int host_quant_with_scale(const double *x, size_t n, uint32_t data_w, double scale, int32_t *q,
                          char *err, size_t errlen);

#endif
