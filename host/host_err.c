/* host_err.c - status names and the error-message helper. */
#include "host_err.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
    int value;
    const char *name, *desc;
} host_status_table[] = {
#define HOST_STATUS_ROW_(N, V, S) {V, "HOST_" #N, S},
    HOST_STATUSES(HOST_STATUS_ROW_)
#undef HOST_STATUS_ROW_
};

#define HOST_NSTATUS (sizeof host_status_table / sizeof host_status_table[0])

const char *host_status_name(int status)
{
    for (size_t i = 0; i < HOST_NSTATUS; i++)
        if (host_status_table[i].value == status)
            return host_status_table[i].name;
    return "HOST_E_?";
}

const char *host_status_desc(int status)
{
    for (size_t i = 0; i < HOST_NSTATUS; i++)
        if (host_status_table[i].value == status)
            return host_status_table[i].desc;
    return "unknown status";
}

int host_seterr(char *err, size_t errlen, int status, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return status;
}
