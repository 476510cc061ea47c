/* regdoc: keeps the generated register table of docs/registers.md equal to the contract.
 *   regdoc FILE          rewrite the part of FILE between the BEGIN/END markers
 *   regdoc --check FILE  exit 1 (naming the file) if that part differs from the contract
 * The table is sg_regmap_md(NULL) (contract/sg_contract.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sg_contract.h"

#define BEGIN_MARK "<!-- BEGIN register table: generated from contract/sg_regs.def by make docs -->\n"
#define END_MARK "<!-- END register table -->\n"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap + 1);
    size_t got;
    while (b != NULL && (got = fread(b + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *nb = realloc(b, 2 * cap + 1);
            if (nb == NULL) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (b == NULL || bad) {
        free(b);
        return NULL;
    }
    b[len] = '\0';
    *n = len;
    return b;
}

int main(int argc, char **argv)
{
    int check = argc == 3 && strcmp(argv[1], "--check") == 0;
    if (argc != 2 + check) {
        fprintf(stderr, "usage: regdoc [--check] docs/registers.md\n");
        return 2;
    }
    const char *path = argv[1 + check];
    size_t n;
    char *doc = slurp(path, &n);
    if (doc == NULL) {
        fprintf(stderr, "regdoc: cannot read %s\n", path);
        return 2;
    }
    char *b = strstr(doc, BEGIN_MARK), *e = b ? strstr(b, END_MARK) : NULL;
    if (b == NULL || e == NULL) {
        fprintf(stderr, "regdoc: %s has no BEGIN/END register table markers\n", path);
        free(doc);
        return 2;
    }
    b += strlen(BEGIN_MARK);
    size_t tn = sg_regmap_md(NULL, 0, NULL);
    char *table = malloc(tn + 1);
    if (table == NULL) {
        free(doc);
        return 2;
    }
    sg_regmap_md(table, tn + 1, NULL);
    int same = (size_t)(e - b) == tn && memcmp(b, table, tn) == 0;
    int rc = 0;
    if (check) {
        if (!same) {
            fprintf(stderr, "regdoc: the register table in %s differs from contract/sg_regs.def; run make docs\n", path);
            rc = 1;
        }
    } else if (!same) {
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(doc, 1, (size_t)(b - doc), f) != (size_t)(b - doc) ||
            fwrite(table, 1, tn, f) != tn || fputs(e, f) == EOF || fclose(f) != 0) {
            fprintf(stderr, "regdoc: cannot write %s\n", path);
            rc = 2;
        }
    }
    free(table);
    free(doc);
    return rc;
}
