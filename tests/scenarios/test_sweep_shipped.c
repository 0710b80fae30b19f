/*
 * test_sweep_shipped.c - every sweep file shipped in scenarios/sweeps/
 * loads: its base, every key path, every range and every point validate,
 * and the scenario of each point can be built again on demand.
 */
#include "expect.h"

#include <dirent.h>
#include <stdio.h>

#define SWEEPS DCSIM_SOURCE_DIR "/scenarios/sweeps"

Test(sweep_shipped, every_shipped_sweep_loads)
{
    DIR *d = opendir(SWEEPS);
    cr_assert_not_null(d, "cannot open %s", SWEEPS);
    int n = 0;
    char *scratch = NULL;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SWEEPS, e->d_name);
        dcs_sweep *s = NULL;
        dcs_err err;
        char buf[768];
        int rc = dcs_sweep_load(path, NULL, 0, &s, &err);
        cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
        cr_assert_gt(dcs_sweep_npoints(s), 1, "%s", path);
        for (size_t p = 0; p < dcs_sweep_npoints(s); p++) {
            rc = dcs_sweep_point_scenario(s, p, NULL, &scratch, &err);
            cr_assert_eq(rc, 0, "%s point %zu: %s", path, p, dcs_err_format(&err, buf, sizeof buf));
            free(scratch);
        }
        dcs_sweep_destroy(s);
        n++;
    }
    closedir(d);
    /* Checkpoint x bandwidth, spares x repairs, the LHS sensitivity study. */
    cr_assert_geq(n, 3);
}
