/*
 * scenario_doc.c - rewrites the generated key tables of docs/scenarios.md
 * from the key table (schema.h): `cmake --build build --target scenario-doc`.
 * Usage: scenario_doc FILE.md (rewritten in place when it changes).
 */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: scenario_doc docs/scenarios.md\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (size_t n; text != NULL && (n = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (len + 1 == cap) {
            char *t = realloc(text, cap *= 2);
            if (t == NULL)
                free(text);
            text = t;
        }
    }
    fclose(f);
    if (text == NULL) {
        fprintf(stderr, "scenario_doc: out of memory\n");
        return 1;
    }
    text[len] = '\0';
    dcs_err err;
    dcs_err_clear(&err);
    char *out = NULL;
    if (dcs_schema_doc_update(text, &out, &err) != 0) {
        fprintf(stderr, "%s: %s\n", err.where, err.msg);
        free(text);
        return 2;
    }
    int rc = 0;
    if (strcmp(out, text) != 0) {
        f = fopen(argv[1], "wb");
        if (f == NULL || fwrite(out, 1, strlen(out), f) != strlen(out) || fclose(f) != 0) {
            perror(argv[1]);
            rc = 1;
        } else {
            printf("%s: key tables rewritten\n", argv[1]);
        }
    }
    free(out);
    free(text);
    return rc;
}
