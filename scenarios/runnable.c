/*
 * runnable.c - a loaded scenario that cannot run is refused before it runs.
 *
 * Three checks, in this order. (1) The models' own refusals: a world is
 * built from the scenario and thrown away, so every rule of models/
 * (dcs_run_cfg_init, the energy model, the market, the engine queue's
 * capacity) is applied here, once, by the code that would apply it at run
 * time; the models name the key at fault. (2) Memory: one replication's
 * engine (its per-node and per-clock arrays and its event queue at its
 * fullest) and the world must fit in the memory this process may use; the
 * commands check threads x that again (cli/common.c). (3) Progress: a job
 * whose checkpoint takes as long as the mean time to interruption (MTTI), or
 * whose restart does, almost never keeps any work, and would run to
 * simulation.max_time for a certain zero; it is refused unless
 * simulation.allow_no_progress says the scenario means it. Young's
 * interval sqrt(2 write MTTI) is below the write time only when the write
 * is above 2 MTTI, which the first rule already refuses.
 */
#include "runnable.h"

#include "../models/checkpoint.h"
#include "../models/world.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

const char *dcs_bytes_text(double bytes, char *buf, size_t n)
{
    if (bytes >= 1e9)
        snprintf(buf, n, "%.3g GB", bytes / 1e9);
    else if (bytes >= 1e6)
        snprintf(buf, n, "%.3g MB", bytes / 1e6);
    else
        snprintf(buf, n, "%.3g kB", bytes / 1e3);
    return buf;
}

double dcs_machine_memory_bytes(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    double have = pages > 0 && size > 0 ? (double)pages * (double)size : HUGE_VAL;
    static const int limits[] = {RLIMIT_AS, RLIMIT_DATA};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        struct rlimit rl;
        if (getrlimit(limits[i], &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
            (double)rl.rlim_cur < have)
            have = (double)rl.rlim_cur;
    }
    return have;
}

static const char *duration(double s, char *buf, size_t n)
{
    if (s >= 2.0 * 86400.0)
        snprintf(buf, n, "%.3g d", s / 86400.0);
    else if (s >= 2.0 * 3600.0)
        snprintf(buf, n, "%.3g h", s / 3600.0);
    else if (s >= 120.0)
        snprintf(buf, n, "%.3g min", s / 60.0);
    else
        snprintf(buf, n, "%.3g s", s);
    return buf;
}

static int check_memory(const dcs_scenario *s, const dcs_world *w, dcs_err *err)
{
    double need = dcs_world_bytes(w) + dcs_world_engine_bytes(w);
    double have = dcs_machine_memory_bytes();
    if (need <= have)
        return 0;
    char a[32], b[32];
    dcs_err_key(err, "cluster.nodes");
    return dcs_err_set(err, DCS_EINPUT,
                       "one replication of %lld nodes x %lld accelerators needs about %s (a "
                       "failure clock per unit, the repair queue, the pending events), more "
                       "than the %s this process may use",
                       (long long)s->cluster.nodes, (long long)s->cluster.accels_per_node,
                       dcs_bytes_text(need, a, sizeof a), dcs_bytes_text(have, b, sizeof b));
}

static int check_progress(const dcs_scenario *s, dcs_err *err)
{
    if (s->sim.allow_no_progress)
        return 0;
    double mtti = dcs_ckpt_mtti_s(s);
    if (!isfinite(mtti))
        return 0;
    char a[32], b[32];
    static const char tail[] = "give simulation.allow_no_progress: true to run it anyway";
    if (s->checkpoint.policy != DCS_CKPT_NONE) {
        const dcs_ckpt_cfg *ck = &s->checkpoint;
        double write = dcs_ckpt_write_s(ck);
        if (write >= mtti) {
            /* The key of the larger part of the write time. */
            dcs_err_key(err, ck->write_overhead_s >= write - ck->write_overhead_s
                                 ? "checkpoint.overhead"
                                 : "checkpoint.write_bandwidth");
            return dcs_err_set(err, DCS_EINPUT,
                               "the write time %s >= the MTTI %s: almost no checkpoint "
                               "completes before the next interruption, so the "
                               "job can never finish; %s",
                               duration(write, a, sizeof a), duration(mtti, b, sizeof b), tail);
        }
    }
    double read = s->checkpoint.policy != DCS_CKPT_NONE ? dcs_ckpt_read_s(&s->checkpoint) : 0.0;
    double restart = s->restart.overhead_s + s->restart.warmup_s + read;
    if (restart >= mtti) {
        /* The key of the largest part of the restart time. */
        dcs_err_key(err, read > s->restart.overhead_s && read > s->restart.warmup_s
                             ? "checkpoint.read_bandwidth"
                         : s->restart.warmup_s > s->restart.overhead_s ? "restart.warmup"
                                                                       : "restart.overhead");
        return dcs_err_set(err, DCS_EINPUT,
                           "the restart time %s (overhead, warm-up, checkpoint read) >= the "
                           "MTTI %s: almost every restart is interrupted before the job "
                           "computes again, so it can never finish; %s",
                           duration(restart, a, sizeof a), duration(mtti, b, sizeof b), tail);
    }
    return 0;
}

int dcs_scenario_check_runnable(const dcs_scenario *s, dcs_err *err)
{
    return dcs_scenario_check_runnable_with(s, NULL, NULL, err);
}

int dcs_scenario_check_runnable_with(const dcs_scenario *s, dcs_runnable_world_fn *keep, void *ctx,
                                     dcs_err *err)
{
    dcs_world *w = dcs_world_create(s, err);
    if (w == NULL)
        return err->code != 0 ? err->code : DCS_ENOMEM;
    int rc = check_memory(s, w, err);
    if (rc == 0)
        rc = check_progress(s, err);
    if (rc != 0 || keep == NULL || !keep(ctx, w))
        dcs_world_destroy(w);
    return rc;
}
