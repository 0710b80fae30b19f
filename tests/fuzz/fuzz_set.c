/*
 * fuzz_set.c - libFuzzer target of the --set override parser: each line of
 * the input is one `--set key.path=value` (at most DCS_FUZZ_MAX_SETS),
 * applied to a small fixed scenario (tests/cli/data/small.yaml) before it
 * is validated. Nothing may crash, leak or hang, and a scenario that loads
 * must load back from its resolved YAML to the same text.
 */
#include "load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DCS_FUZZ_MAX_SETS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const char base_name[] = DCSIM_SOURCE_DIR "/tests/cli/data/small.yaml";
static char *base;
static size_t base_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    dcs_err err;
    if (dcs_scenario_read_file(base_name, &base, &base_len, &err) != 0) {
        fprintf(stderr, "fuzz_set: %s: %s\n", base_name, err.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static dcs_scenario *sc;
    if (sc == NULL && (sc = malloc(sizeof *sc)) == NULL)
        abort();
    char *text = malloc(size + 1);
    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    const char *sets[DCS_FUZZ_MAX_SETS];
    size_t nsets = 0;
    for (char *line = text; line != NULL && nsets < DCS_FUZZ_MAX_SETS;) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        else if (*line == '\0' && nsets > 0)
            break; /* the input's last newline ends a line; no empty --set after it */
        sets[nsets++] = line;
        line = nl != NULL ? nl + 1 : NULL;
    }
    dcs_err err;
    char *resolved = NULL;
    dcs_scenario_input in = {
        .text = base, .len = base_len, .name = base_name, .sets = sets, .nsets = nsets};
    int rc = dcs_scenario_load_input(&in, sc, &resolved, &err);
    free(text);
    if (rc != 0) {
        if (getenv("FUZZ_VERBOSE") != NULL) { /* why each input is refused */
            char buf[700];
            fprintf(stderr, "fuzz_set: %s\n", dcs_err_format(&err, buf, sizeof buf));
        }
        if (err.code != rc || err.msg[0] == '\0' || resolved != NULL) {
            fprintf(stderr, "fuzz_set: error %d without its message\n", rc);
            abort();
        }
        return 0;
    }
    char *again = NULL;
    dcs_scenario_input in2 = {.text = resolved, .len = strlen(resolved), .name = base_name};
    if (dcs_scenario_load_input(&in2, sc, &again, &err) != 0 || strcmp(again, resolved) != 0) {
        fprintf(stderr, "fuzz_set: the resolved YAML does not load back to itself: %s\n%s\n",
                err.msg, resolved);
        abort();
    }
    free(again);
    free(resolved);
    return 0;
}
