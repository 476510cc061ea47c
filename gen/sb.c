#include "sb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(sb_t *sb) { memset(sb, 0, sizeof *sb); }

void sb_free(sb_t *sb) {
  free(sb->buf);
  memset(sb, 0, sizeof *sb);
}

static int sb_reserve(sb_t *sb, size_t extra) {
  if (sb->oom) return 0;
  if (sb->len + extra + 1 <= sb->cap) return 1;
  size_t cap = sb->cap ? sb->cap : 256;
  while (cap < sb->len + extra + 1) cap *= 2;
  char *nb = realloc(sb->buf, cap);
  if (!nb) {
    sb->oom = 1;
    return 0;
  }
  sb->buf = nb;
  sb->cap = cap;
  return 1;
}

void sb_putn(sb_t *sb, const char *s, size_t n) {
  if (!sb_reserve(sb, n)) return;
  memcpy(sb->buf + sb->len, s, n);
  sb->len += n;
  sb->buf[sb->len] = '\0';
}

void sb_puts(sb_t *sb, const char *s) { sb_putn(sb, s, strlen(s)); }

static void sb_vprintf(sb_t *sb, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) {
    sb->oom = 1;
    return;
  }
  if (!sb_reserve(sb, (size_t)n)) return;
  vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
  sb->len += (size_t)n;
}

void sb_printf(sb_t *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(sb, fmt, ap);
  va_end(ap);
}

void emit(sb_t *sb, const char *fmt, ...) {
  size_t start = sb->len;
  for (int i = 0; i < sb->indent; i++) sb_puts(sb, "  ");
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(sb, fmt, ap);
  va_end(ap);
  /* no trailing blanks: an empty line gets no indent, a line ending in blanks loses them */
  while (!sb->oom && sb->len > start && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t'))
    sb->buf[--sb->len] = '\0';
  sb_puts(sb, "\n");
}

const char *sb_str(const sb_t *sb) { return sb->buf ? sb->buf : ""; }
