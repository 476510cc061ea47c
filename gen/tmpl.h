/* tmpl: fill @@NAME@@ holes of an RTL template. A hole without a value, or a value whose
 * hole does not occur, is a hard error (returned, with a message naming template and hole). */
#ifndef SG_TMPL_H
#define SG_TMPL_H
#include <stddef.h>

#include "sb.h"

typedef struct tmpl_hole {
  const char *name;
  char value_buf[64]; /* short values are stored here ... */
  const char *value;  /* ... long ones point elsewhere (e.g. an sb_t's text) */
} tmpl_hole_t;

typedef struct tmpl_holes {
  tmpl_hole_t h[96];
  int n;
  int overflow;
} tmpl_holes_t;

void tmpl_set(tmpl_holes_t *hs, const char *name, const char *value);
void tmpl_setu(tmpl_holes_t *hs, const char *name, unsigned long value);
/* Returns 0 on success; on error writes a message to err. */
int tmpl_fill(sb_t *out, const char *tname, const char *text, const tmpl_holes_t *hs, char *err,
              size_t errlen);
/* Embedded templates (build/obj/templates.c, made from rtl_templates/ by gen/embed.c). */
const char *tmpl_get(const char *name);
#endif
