/* host_quant.c - symmetric max-abs quantizer.  See host_quant.h. */
#include "host_quant.h"

#include <math.h>

#include "host_err.h"

int host_quant_with_scale(const double *x, size_t n, uint32_t data_w, double scale, int32_t *q,
                          char *err, size_t errlen)
{
    if ((n > 0 && (x == NULL || q == NULL)))
        return host_seterr(err, errlen, HOST_E_ARG, "host_quant: NULL argument");
    if (data_w < 2 || data_w > 31)
        return host_seterr(err, errlen, HOST_E_RANGE, "host_quant: data_w=%u out of range 2..31",
                           data_w);
    if (!(scale > 0.0) || !isfinite(scale))
        return host_seterr(err, errlen, HOST_E_RANGE, "host_quant: scale %g must be finite and > 0",
                           scale);
    const double qmax = (double)((INT64_C(1) << (data_w - 1)) - 1);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return host_seterr(err, errlen, HOST_E_RANGE, "host_quant: element %zu is not finite",
                               i);
        double v = round(x[i] / scale);
        if (v > qmax)
            v = qmax;
        if (v < -qmax)
            v = -qmax;
        q[i] = (int32_t)v;
    }
    return HOST_OK;
}

int host_quant(const double *x, size_t n, uint32_t data_w, int32_t *q, double *scale, char *err,
               size_t errlen)
{
    if ((n > 0 && (x == NULL || q == NULL)) || scale == NULL)
        return host_seterr(err, errlen, HOST_E_ARG, "host_quant: NULL argument");
    if (data_w < 2 || data_w > 31)
        return host_seterr(err, errlen, HOST_E_RANGE, "host_quant: data_w=%u out of range 2..31",
                           data_w);
    double maxabs = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return host_seterr(err, errlen, HOST_E_RANGE, "host_quant: element %zu is not finite",
                               i);
        if (fabs(x[i]) > maxabs)
            maxabs = fabs(x[i]);
    }
    const double qmax = (double)((INT64_C(1) << (data_w - 1)) - 1);
    double s = maxabs > 0.0 ? maxabs / qmax : 1.0;
    if (!(s > 0.0) || !isfinite(s)) /* subnormal max/qmax underflow */
        s = 1.0;
    int rc = host_quant_with_scale(x, n, data_w, s, q, err, errlen);
    if (rc == 0)
        *scale = s;
    return rc;
}
