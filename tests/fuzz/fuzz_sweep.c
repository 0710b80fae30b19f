/*
 * fuzz_sweep.c - libFuzzer target of the sweep loader (dcs_sweep_load_string):
 * any bytes as a sweep file, standing for a file in scenarios/sweeps so
 * that a base named as the shipped sweeps name theirs (../lib/x.yaml)
 * resolves. A sweep that loads has every point's scenario and label
 * derived, as `dcsim sweep` does. Nothing may crash, leak or hang.
 */
#include "sweep.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char name[] = DCSIM_SOURCE_DIR "/scenarios/sweeps/fuzz.yaml";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    dcs_err err;
    dcs_sweep *sw = NULL;
    int rc = dcs_sweep_load_string(text, name, NULL, 0, &sw, &err);
    free(text);
    if (rc != 0) {
        if (getenv("FUZZ_VERBOSE") != NULL) { /* why each input is refused */
            char buf[700];
            fprintf(stderr, "fuzz_sweep: %s\n", dcs_err_format(&err, buf, sizeof buf));
        }
        if (err.code != rc || err.msg[0] == '\0' || sw != NULL) {
            fprintf(stderr, "fuzz_sweep: error %d without its message\n", rc);
            abort();
        }
        return 0;
    }
    size_t n = dcs_sweep_npoints(sw);
    if (n == 0 || n > DCS_SWEEP_MAX_POINTS)
        abort();
    /* The points were validated at load: each must derive again. A few
     * at most, so that a large design costs no more than its load. */
    for (size_t p = 0; p < n && p < 4; p++) {
        char *resolved = NULL;
        if (dcs_sweep_point_scenario(sw, p, NULL, &resolved, &err) != 0 || resolved == NULL) {
            fprintf(stderr, "fuzz_sweep: point %zu loaded but does not derive: %s\n", p, err.msg);
            abort();
        }
        free(resolved);
        (void)dcs_sweep_label(sw, p);
        for (size_t k = 0; k < dcs_sweep_nkeys(sw); k++) {
            (void)dcs_sweep_value_text(sw, p, k);
            (void)dcs_sweep_value_si(sw, p, k, NULL);
        }
    }
    dcs_sweep_destroy(sw);
    return 0;
}
