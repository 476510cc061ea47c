#include "tmpl.h"

#include <stdio.h>
#include <string.h>

void tmpl_set(tmpl_holes_t *hs, const char *name, const char *value) {
  if (hs->n >= (int)(sizeof hs->h / sizeof hs->h[0])) {
    hs->overflow = 1;
    return;
  }
  tmpl_hole_t *h = &hs->h[hs->n++];
  h->name = name;
  h->value = value;
}

void tmpl_setu(tmpl_holes_t *hs, const char *name, unsigned long value) {
  if (hs->n >= (int)(sizeof hs->h / sizeof hs->h[0])) {
    hs->overflow = 1;
    return;
  }
  tmpl_hole_t *h = &hs->h[hs->n++];
  h->name = name;
  snprintf(h->value_buf, sizeof h->value_buf, "%lu", value);
  h->value = h->value_buf;
}

int tmpl_fill(sb_t *out, const char *tname, const char *text, const tmpl_holes_t *hs, char *err,
              size_t errlen) {
  int used[sizeof hs->h / sizeof hs->h[0]] = {0};
  if (hs->overflow) {
    snprintf(err, errlen, "template %s: too many holes", tname);
    return -1;
  }
  const char *p = text;
  int line = 1;
  while (*p) {
    const char *q = strstr(p, "@@");
    if (!q) {
      sb_puts(out, p);
      break;
    }
    for (const char *s = p; s < q; s++) line += (*s == '\n');
    sb_putn(out, p, (size_t)(q - p));
    const char *name = q + 2;
    const char *end = strstr(name, "@@");
    if (!end) {
      snprintf(err, errlen, "template %s:%d: unterminated @@ hole", tname, line);
      return -1;
    }
    size_t nlen = (size_t)(end - name);
    int found = -1;
    for (int i = 0; i < hs->n; i++) {
      if (strlen(hs->h[i].name) == nlen && memcmp(hs->h[i].name, name, nlen) == 0) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      snprintf(err, errlen, "template %s:%d: hole @@%.*s@@ has no value", tname, line, (int)nlen,
               name);
      return -1;
    }
    used[found] = 1;
    sb_puts(out, hs->h[found].value);
    p = end + 2;
  }
  for (int i = 0; i < hs->n; i++) {
    if (!used[i]) {
      snprintf(err, errlen, "template %s: value for @@%s@@ given but the template has no such hole",
               tname, hs->h[i].name);
      return -1;
    }
  }
  return out->oom ? -1 : 0;
}
