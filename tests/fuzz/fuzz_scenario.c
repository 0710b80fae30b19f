/*
 * fuzz_scenario.c - libFuzzer target of the scenario loader
 * (dcs_scenario_load_input): any bytes as a scenario file.
 *
 * The loader must return 0 or an error value with a message, never crash,
 * leak or hang (ASan, UBSan and LeakSanitizer watch). A scenario that loads
 * is checked by a round trip: its resolved YAML (the emitter's text) must
 * load back to the same resolved text, else the target aborts.
 *
 * The input stands for a file in scenarios/lib, so that the CSV series the
 * shipped scenarios name resolve as they do for those files.
 */
#include "load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char name[] = DCSIM_SOURCE_DIR "/scenarios/lib/fuzz.yaml";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static dcs_scenario *sc; /* ~200 KB: allocated once */
    if (sc == NULL && (sc = malloc(sizeof *sc)) == NULL)
        abort();
    dcs_err err;
    char *resolved = NULL;
    dcs_scenario_input in = {.text = (const char *)data, .len = size, .name = name};
    int rc = dcs_scenario_load_input(&in, sc, &resolved, &err);
    if (rc != 0) {
        if (getenv("FUZZ_VERBOSE") != NULL) { /* why each input is refused */
            char buf[700];
            fprintf(stderr, "fuzz_scenario: %s\n", dcs_err_format(&err, buf, sizeof buf));
        }
        if (err.code != rc || err.msg[0] == '\0' || resolved != NULL) {
            fprintf(stderr, "fuzz_scenario: error %d without its message\n", rc);
            abort();
        }
        return 0;
    }
    if (resolved == NULL)
        abort();
    /* The round trip: the resolved text loads back to itself. */
    char *again = NULL;
    dcs_scenario_input in2 = {.text = resolved, .len = strlen(resolved), .name = name};
    rc = dcs_scenario_load_input(&in2, sc, &again, &err);
    if (rc != 0) {
        char buf[700];
        fprintf(stderr, "fuzz_scenario: the resolved YAML does not load back: %s\n%s\n",
                dcs_err_format(&err, buf, sizeof buf), resolved);
        abort();
    }
    if (strcmp(again, resolved) != 0) {
        fprintf(stderr, "fuzz_scenario: the resolved YAML changed on loading back:\n%s\n---\n%s\n",
                resolved, again);
        abort();
    }
    free(again);
    free(resolved);
    return 0;
}
