/* host_err.h - status codes shared by every host_ module.
 *
 * Every host_ function that can fail returns one of these (0 = success) and, when the caller
 * passes a buffer, writes a one-line human-readable message into `char *err, size_t errlen`
 * (always NUL-terminated if errlen > 0; err may be NULL).  Nothing in host/ prints or exits.
 */
#ifndef SPARSEGEN_HOST_ERR_H
#define SPARSEGEN_HOST_ERR_H

#include <stddef.h>

/* X(NAME, value, "short description") */
#define HOST_STATUSES(X)                                                    \
    X(OK, 0, "ok")                                                          \
    X(E_ARG, -1, "invalid argument")                                        \
    X(E_IO, -2, "I/O error")                                                \
    X(E_FORMAT, -3, "malformed input")                                      \
    X(E_RANGE, -4, "value out of range")                                    \
    X(E_NOMEM, -5, "out of memory")                                         \
    X(E_DEV, -6, "device transport error")                                  \
    X(E_SLVERR, -7, "device answered SLVERR")                               \
    X(E_JOB, -8, "device rejected the job (ERR register non-zero)")        \
    X(E_TIMEOUT, -9, "device timeout")                                      \
    X(E_PROTO, -10, "device protocol violation")                            \
    X(E_ID, -11, "not a sparsegen device (bad ID magic)")                   \
    X(E_CALLBACK, -12, "aborted by callback")

typedef enum {
#define HOST_STATUS_ENUM_(N, V, S) HOST_##N = V,
    HOST_STATUSES(HOST_STATUS_ENUM_)
#undef HOST_STATUS_ENUM_
} host_status_t;

/* "HOST_E_IO" etc.; "HOST_E_?" for unknown values. */
const char *host_status_name(int status);
/* Short description of a status code. */
const char *host_status_desc(int status);

/* Formats into err (if err != NULL && errlen > 0) and returns `status`.  Internal helper,
 * public so every host_ module uses the same convention. */
int host_seterr(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
