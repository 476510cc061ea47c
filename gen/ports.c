/* ports: the port widths of the generated modules, computed once (gen_widths), and the port
 * lists of emitted modules read back (gen_module_ports) so that the top level instantiates
 * every module from the ports it really has and checks every connection's width at
 * generation time. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "sg_contract.h"

void gen_widths(const gen_ctx_t *g, gen_widths_t *w) {
  const cfg_t *c = g->cfg;
  const uint32_t R = c->rows, C = c->cols;
  w->kw = g->d.kw;                           /* K index 0..KMAX-1 */
  w->nw = g->d.kw + 1;                       /* counts 0..KMAX (K, non-zeros of a row) */
  w->bw = cfg_clog2(g->d.f.beats_per_slice);   /* beat within a slice */
  w->nbw = cfg_clog2(C + 1);                 /* non-zeros of B in one beat, 0..C */
  w->icw = cfg_clog2(R + 1);                 /* rows issuing in one cycle, 0..R */
  w->gcw = cfg_clog2(C + 1);                 /* gated slots of a row in one cycle, 0..C */
  w->tgw = cfg_clog2(R * C + 1);             /* gated slots of the array in one cycle */
  w->rrw = cfg_clog2(R);                     /* row index */
  w->ccw = cfg_clog2(C);                     /* column index */
  w->dw = c->data_w;
  w->aw = c->acc_w;
  w->ow = g->d.f.out_lane_w;
  w->bww = C * c->data_w;                    /* one B slice row, C operands */
  w->dcw = w->nw + SG_THRESH_THRESH_WIDTH;   /* THRESH * K */
  w->rnw = R * w->nw;
  w->nhw = g->d.f.a_row_w + g->d.kw + 1;       /* compressed A header: entries 0..R*KMAX */
  w->e = g->d.a_banks;                       /* A element slots per beat */
  w->ekw = w->e * w->kw;
  w->edw = w->e * c->data_w;
  w->osw = c->out_stream_w;
  w->l = g->d.f.results_per_beat;
  w->lrrw = w->l * w->rrw;
  w->lccw = w->l * w->ccw;
  w->law = w->l * c->acc_w;
}

/* Value of a constant expression of decimal numbers, '+' and '-' (what templates leave in a
 * range after filling, e.g. "6-1"); -1 on anything else. */
static long eval_sum(const char *s, const char *end) {
  long v = 0;
  int sign = 1, have = 0;
  while (s < end) {
    if (isspace((unsigned char)*s)) {
      s++;
    } else if (isdigit((unsigned char)*s)) {
      char *e;
      long x = strtol(s, &e, 10);
      v += sign * x;
      have = 1;
      s = e;
    } else if ((*s == '+' || *s == '-') && have) {
      sign = *s == '+' ? 1 : -1;
      have = 0;
      s++;
    } else {
      return -1;
    }
  }
  return have ? v : -1;
}

int gen_module_ports(const char *text, gen_pport_t *p, int max, char *err, size_t errlen) {
  const char *m = strstr(text, "\nmodule ");
  const char *open = m ? strchr(m, '(') : NULL;
  const char *close = open ? strstr(open, "\n);") : NULL;
  if (!close) {
    snprintf(err, errlen, "internal: no module port list found");
    return -1;
  }
  int n = 0;
  for (const char *line = open + 1; line && line < close; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
    while (*line == ' ') line++;
    int out = strncmp(line, "output ", 7) == 0;
    if (!out && strncmp(line, "input ", 6) != 0) continue; /* comments, lint pragmas */
    const char *s = line + (out ? 7 : 6), *eol = strchr(line, '\n');
    while (*s == ' ') s++;
    if (strncmp(s, "wire ", 5) == 0 || strncmp(s, "reg ", 4) == 0) s = strchr(s, ' ');
    while (*s == ' ') s++;
    uint32_t width = 1;
    if (*s == '[') {
      const char *colon = strchr(s, ':'), *rb = strchr(s, ']');
      long msb = colon && rb ? eval_sum(s + 1, colon) : -1, lsb = colon && rb ? eval_sum(colon + 1, rb) : -1;
      if (msb < 0 || lsb != 0 || (eol && rb > eol)) {
        snprintf(err, errlen, "internal: cannot read the range of port line '%.*s'",
                 (int)(eol ? eol - line : 40), line);
        return -1;
      }
      width = (uint32_t)msb + 1;
      s = rb + 1;
      while (*s == ' ') s++;
    }
    size_t len = 0;
    while (isalnum((unsigned char)s[len]) || s[len] == '_') len++;
    if (n >= max || len == 0 || len >= sizeof p[0].name) {
      snprintf(err, errlen, "internal: port list too long or unreadable");
      return -1;
    }
    memcpy(p[n].name, s, len);
    p[n].name[len] = '\0';
    p[n].out = out;
    p[n].width = width;
    n++;
  }
  return n;
}
