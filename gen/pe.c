/* emit_pe: the processing element (rtl_templates/pe.v). */
#include <stdio.h>

#include "gen.h"
#include "sg_contract.h"
#include "tmpl.h"

int emit_pe(gen_ctx_t *g, sb_t *out) {
  const cfg_t *c = g->cfg;
  tmpl_holes_t hs = {0};
  static char ext[96];
  uint32_t pw = 2 * c->data_w;
  tmpl_setu(&hs, "DW", c->data_w);
  tmpl_setu(&hs, "AW", c->acc_w);
  tmpl_setu(&hs, "PW", pw);
  tmpl_set(&hs, "PROD_EXPR", "ma_q * mb_q");
  tmpl_setu(&hs, "MAC_STAGES", SG_PE_MAC_STAGES);
  if (c->acc_w > pw)
    snprintf(ext, sizeof ext, "{{%u{prod_q[%u]}}, prod_q}", c->acc_w - pw, pw - 1);
  else
    snprintf(ext, sizeof ext, "prod_q");
  tmpl_set(&hs, "PROD_EXT", ext);
  return emit_from_template(g, out, "pe.v", &hs);
}
