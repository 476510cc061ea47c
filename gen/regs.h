/* The register table (gen/sg_regs.def) as data, for the CSR emitter and regmap.md. */
#ifndef SG_REGS_H
#define SG_REGS_H
#include <stdint.h>

typedef enum {
#define SG_REG(n, o, a, d) SG_REG_##n,
#include "sg_regs.def"
#undef SG_REG
  SG_REG_COUNT
} sg_reg_t;

typedef struct sg_reg_info {
  const char *name;
  uint32_t offset;
  const char *access;
  const char *desc;
} sg_reg_info_t;

extern const sg_reg_info_t sg_regs[SG_REG_COUNT];
#endif
