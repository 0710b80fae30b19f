/*
 * cmd_validate.c - `dcsim validate FILE.yaml [--set key.path=value]...`.
 *
 * Loads and checks a scenario exactly as `dcsim run` would, without running
 * it, or a sweep file (one with a top-level `base`) as `dcsim sweep` would,
 * every point included. On success it prints "FILE: ok (<scenario name>)"
 * (for a sweep, "FILE: ok (<sweep name>, N points)") on standard output,
 * or with --resolved the resolved YAML (every key with its effective value,
 * defaults included). On failure it prints the loader's message as
 * "file:line:col: key.path: message" on standard error, with no program
 * prefix, so that editors and compilers' error parsers can jump to the
 * position; usage errors are prefixed "dcsim validate: ". Bad input and bad
 * usage exit with 2, other failures (I/O, memory) with 1.
 */
#include "cmd.h"
#include "load.h"
#include "sweep.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: dcsim validate FILE.yaml [--set key.path=value]... [--resolved]\n"
    "\n"
    "Checks a scenario file without running it: every key, type, unit and range;\n"
    "or a sweep file and every one of its points.\n"
    "  --set key.path=value  override a key before validation (repeatable; default: none),\n"
    "                        e.g. --set checkpoint.interval=2h --set failures[0].mtbf=5y\n"
    "  --resolved            print the resolved scenario (defaults filled in) as YAML\n"
    "  -h, --help            show this help\n";

int dcs_cmd_validate(int argc, char **argv)
{
    const char *file = NULL;
    bool resolved = false;
    const char **sets = calloc((size_t)(argc > 0 ? argc : 1), sizeof *sets);
    size_t nsets = 0;
    int status = 2;
    if (sets == NULL) {
        fprintf(stderr, "dcsim validate: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            status = 0;
            goto done;
        } else if (strcmp(a, "--resolved") == 0) {
            resolved = true;
        } else if (strcmp(a, "--set") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "dcsim validate: --set needs key.path=value\n%s", usage);
                goto done;
            }
            sets[nsets++] = argv[++i];
        } else if (strncmp(a, "--set=", 6) == 0) {
            sets[nsets++] = a + 6;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "dcsim validate: unknown option %s\n%s", a, usage);
            goto done;
        } else if (file != NULL) {
            fprintf(stderr, "dcsim validate: more than one file given (%s, %s)\n%s", file, a,
                    usage);
            goto done;
        } else {
            file = a;
        }
    }
    if (file == NULL) {
        fprintf(stderr, "dcsim validate: no scenario file given\n%s", usage);
        goto done;
    }

    if (dcs_cmd_input_is_sweep(file)) {
        dcs_err err;
        dcs_err_clear(&err);
        dcs_sweep *sw = NULL;
        int rc = dcs_cmd_load_sweep(file, sets, nsets, &sw, &err);
        if (rc != 0) {
            dcs_cmd_print_err(&err);
            status = dcs_cmd_exit_status(rc);
        } else {
            if (resolved)
                fputs(dcs_sweep_base_resolved(sw), stdout);
            else
                printf("%s: ok (%s, %zu points)\n", file, dcs_sweep_name(sw),
                       dcs_sweep_npoints(sw));
            status = 0;
        }
        dcs_sweep_destroy(sw);
        goto done;
    }
    dcs_scenario *s = malloc(sizeof *s);
    if (s == NULL) {
        fprintf(stderr, "dcsim validate: out of memory\n");
        status = 1;
        goto done;
    }
    dcs_err err;
    dcs_err_clear(&err);
    char *text = NULL;
    int rc = dcs_cmd_load_scenario(file, sets, nsets, s, resolved ? &text : NULL, &err);
    if (rc != 0) {
        dcs_cmd_print_err(&err);
        status = dcs_cmd_exit_status(rc);
    } else {
        if (resolved)
            fputs(text, stdout);
        else
            printf("%s: ok (%s)\n", file, s->name);
        status = 0;
    }
    free(text);
    free(s);
done:
    free(sets);
    return status;
}
