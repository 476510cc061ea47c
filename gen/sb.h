/* sb: a growable string builder (sb_str() is always a C string), and emit(), which writes one indented
 * line. Out-of-memory is sticky: sb->oom is set and later calls append nothing; check it once at
 * the end. */
#ifndef SG_SB_H
#define SG_SB_H
#include <stdarg.h>
#include <stddef.h>

typedef struct sb {
  char *buf;
  size_t len, cap;
  int indent; /* in units of two spaces, put before each line written by emit() */
  int oom;
} sb_t;

void sb_init(sb_t *sb);
void sb_free(sb_t *sb);
void sb_putn(sb_t *sb, const char *s, size_t n);
void sb_puts(sb_t *sb, const char *s);
/* Append formatted text as is (no indent). */
void sb_printf(sb_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* emit(): one line of output: indent, formatted text, newline. Trailing blanks are dropped
 * (an empty line gets no indent), so generated text never ends a line in whitespace. */
void emit(sb_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sb_str(const sb_t *sb);
#endif
