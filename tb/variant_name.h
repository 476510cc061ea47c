/* variant_name.h: the name a user knows a variant by in everything a run prints (sim_run
 * output, bench.json records, tb_rtl failure lines): its FOLDER, e.g. v8x8 or bench4k. The
 * module prefix (SG_VARIANT in sparsegen_params.h, e.g. "sg") is reported separately.
 *
 * Builds define it: scripts/model.sh passes -DSG_VARIANT_NAME (the generated folder's name, its
 * parent's for .../NAME/out); scripts/variant.sh passes SG_TB_BIN = build/variants/NAME/tb_rtl,
 * whose folder is the name. Without either, "unnamed". */
#ifndef SG_TB_VARIANT_NAME_H
#define SG_TB_VARIANT_NAME_H
#include <stdio.h>
#include <string.h>

static inline const char *tb_variant_name(void) {
#if defined(SG_VARIANT_NAME)
  return SG_VARIANT_NAME;
#elif defined(SG_TB_BIN)
  static char name[256];
  if (!name[0]) {
    const char *bin = SG_TB_BIN, *slash = strrchr(bin, '/');
    if (!slash) return "unnamed";
    size_t end = (size_t)(slash - bin), start = end;
    while (start > 0 && bin[start - 1] != '/') start--;
    snprintf(name, sizeof name, "%.*s", (int)(end - start), bin + start);
  }
  return name[0] ? name : "unnamed";
#else
  return "unnamed";
#endif
}

/* The generated folder of this build: SG_VARIANT_DIR (scripts/model.sh), else the out/ folder
 * next to SG_TB_BIN (scripts/variant.sh), else "." */
static inline const char *tb_variant_dir(void) {
#if defined(SG_VARIANT_DIR)
  return SG_VARIANT_DIR;
#elif defined(SG_TB_BIN)
  static char dir[1024];
  if (!dir[0]) {
    const char *bin = SG_TB_BIN, *slash = strrchr(bin, '/');
    snprintf(dir, sizeof dir, "%.*s/out", slash ? (int)(slash - bin) : 1, slash ? bin : ".");
  }
  return dir;
#else
  return ".";
#endif
}
#endif
