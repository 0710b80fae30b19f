/*
 * test_jobs.c - validation of the shipped job scenarios against the
 * figures they were built from: DeepSeek-V3's published GPU-hours and cost
 * per stage, Alpaca's fine-tuning time and compute cost, the LoRA pair's
 * FLOP rule and measured speed-up, and the vision job whose labels cost
 * more than its compute.
 *
 * Most checks are deterministic: a run with no failure classes and no
 * checkpoints takes exactly its failure-free time, so the tolerances are
 * the published figures' own rounding (0.1 %: 2,788K GPU-hours is given
 * to four digits) or 1e-9 relative for identities. The two Monte Carlo
 * checks state their bounds where they are made.
 */
#include "load.h"
#include "reps.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>

TestSuite(jobs, .timeout = 900);

#define HOUR 3600.0

/* Loads a shipped scenario into a heap copy (the struct is large). */
static dcs_scenario *load_file(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DCSIM_SOURCE_DIR, rel);
    dcs_scenario *sc = malloc(sizeof *sc);
    cr_assert_not_null(sc);
    dcs_err err;
    dcs_err_clear(&err);
    char buf[768];
    cr_assert_eq(dcs_scenario_load(path, NULL, 0, sc, NULL, &err), 0, "%s",
                 dcs_err_format(&err, buf, sizeof buf));
    return sc;
}

/* No failures, no checkpoints at all (not even the final save): the run
 * then takes the job's failure-free time. */
static void failure_free(dcs_scenario *sc)
{
    sc->nfailures = 0;
    sc->checkpoint.policy = DCS_CKPT_NONE;
    sc->checkpoint.final = false;
}

static double accels(const dcs_scenario *sc)
{
    return (double)(sc->cluster.nodes * sc->cluster.accels_per_node);
}

/* Failure-free accelerator-hours of one stage on the scenario's cluster:
 * given as hours, or FLOPs / (peak x the stage's MFU). */
static double stage_accel_hours(const dcs_scenario *sc, int i)
{
    const dcs_stage_cfg *st = &sc->job.stages[i];
    if (st->accel_hours > 0.0)
        return st->accel_hours;
    return st->flops / (sc->cluster.accel.peak_flops * st->mfu) / HOUR;
}

/* Accelerator-hours held, as /summary counts them: job nodes plus billed
 * spares, for the makespan less any wait for capacity. */
static double held_accel_hours(const dcs_scenario *sc, const dcs_run_result *r)
{
    double spares = sc->cluster.bill_spares ? (double)sc->cluster.spare_nodes : 0.0;
    double per_h = ((double)sc->cluster.nodes + spares) * (double)sc->cluster.accels_per_node;
    return per_h * (r->makespan_s - r->acquisition_wait_s) / HOUR;
}

static void assert_rel(double got, double want, double tol, const char *what)
{
    double rel = got / want - 1.0;
    cr_log_info("%s: %.6g vs %.6g published (%+.4f %%)", what, got, want, 100.0 * rel);
    cr_assert_lt(fabs(rel), tol, "%s: %.9g, want %.9g (rel %.3g > %.3g)", what, got, want, rel,
                 tol);
}

/* DeepSeek-V3 ([DSV3] Table 1): with no failures, no checkpoints and the
 * flat $2 rate, each stage's failure-free GPU-hours, the run's
 * GPU-hours held and its compute cost equal the published 2,664K / 119K /
 * 5K, 2,788K and $5.576M to 0.1 %. The published figure is GPU rent only
 * ("the official training"), so it is compared with the compute line, not
 * with the whole bill, which adds storage, data, processing and staff. */
Test(jobs, deepseek_v3_failure_free_reproduces_the_published_hours_and_cost)
{
    dcs_scenario *sc = load_file("scenarios/lib/deepseek-v3.yaml");
    failure_free(sc);
    sc->market.on = false;
    sc->procurement.mode = DCS_BUY_ON_DEMAND;
    sc->cluster.price_usd_per_accel_h = 2.0;
    cr_assert_eq(sc->cluster.accel.peak_flops, 989e12, "the catalog's H800 peak changed");
    cr_assert_eq(accels(sc), 2048.0);

    static const struct {
        const char *name;
        double gpu_h;
    } published[] = {
        {"pretraining", 2664e3},
        {"context_extension", 119e3},
        {"post_training", 5e3},
    };
    cr_assert_eq(sc->job.nstages, 3);
    double sum_h = 0.0;
    for (int i = 0; i < 3; i++) {
        cr_assert_str_eq(sc->job.stages[i].name, published[i].name);
        double h = stage_accel_hours(sc, i);
        assert_rel(h, published[i].gpu_h, 1e-3, published[i].name);
        sum_h += h;
    }
    /* The pre-training stage's FLOPs are 6 x active parameters x tokens:
     * 6 x 37e9 x 14.8e12 (to 1e-12, floating-point products). */
    cr_assert(epsilon_eq(dbl, sc->job.stages[0].flops, 3.2856e24, 1e-12 * 3.2856e24));

    dcs_run_result *r = reps_run(sc, sc->sim.seed, 1);
    cr_assert_eq(r[0].completed, 1);
    /* The run takes exactly the stages' failure-free time: the sum of
     * their accelerator-hours over the 2,048 GPUs (1e-9: sums of doubles). */
    cr_assert(
        epsilon_eq(dbl, r[0].makespan_s / HOUR, sum_h / accels(sc), 1e-9 * sum_h / accels(sc)));
    assert_rel(held_accel_hours(sc, &r[0]), 2.788e6, 1e-3, "accelerator-hours held");
    assert_rel(r[0].ledger.compute, 5.576e6, 1e-3, "cost_compute_usd");
    /* The rent includes the electricity, as on the published basis; the
     * rest of the bill comes on top of the compute. */
    cr_assert_eq(r[0].ledger.energy, 0.0);
    cr_assert_eq(r[0].ledger.cooling, 0.0);
    cr_assert_gt(r[0].ledger.total, r[0].ledger.compute);
    free(r);
    free(sc);
}

/* The default run adds failures' cost to those totals: every replication
 * holds more GPU-hours than the published 2,788K, and the mean makespan is
 * 1 % to 10 % above the failure-free 1,361 h. Daly's model with the
 * scenario's figures predicts about 4 %, and the replications' makespans
 * spread by about 0.3 % (sd), so with 20 replications the bounds are more
 * than 10 standard errors away from the expected value. */
Test(jobs, deepseek_v3_default_run_shows_what_failures_add)
{
    dcs_scenario *sc = load_file("scenarios/lib/deepseek-v3.yaml");
    cr_assert_gt(sc->nfailures, 0);
    const size_t n = 20;
    dcs_run_result *r = reps_run(sc, sc->sim.seed, n);
    double ts_h = 2.788e6 / accels(sc);
    double mean = 0.0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(r[i].completed, 1);
        cr_assert_gt(held_accel_hours(sc, &r[i]), 2.788e6, "replication %zu", i);
        cr_assert_gt(r[i].ledger.compute, 5.576e6, "replication %zu", i);
        cr_assert_gt(r[i].n_interruptions, 0u, "replication %zu", i);
        mean += r[i].makespan_s / HOUR / (double)n;
    }
    cr_log_info("deepseek-v3: mean makespan %.1f h vs %.1f h failure-free (%+.2f %%)", mean, ts_h,
                100.0 * (mean / ts_h - 1.0));
    cr_assert_gt(mean / ts_h, 1.01);
    cr_assert_lt(mean / ts_h, 1.10);
    free(r);
    free(sc);
}

/* sft-small: kind fine_tuning's 6 N D x epochs, and Alpaca's published
 * comparison [S]: about 3 h on 8 x A100 (within 10 %: "3 h" is one
 * significant figure) for < $100 of compute. */
Test(jobs, sft_small_matches_alpacas_published_time_and_compute_cost)
{
    dcs_scenario *sc = load_file("scenarios/lib/sft-small.yaml");
    cr_assert_eq(sc->job.kind, DCS_JOB_FINE_TUNING);
    cr_assert_eq(sc->job.epochs, 3.0);
    double want = 6.0 * sc->job.parameters * sc->job.tokens * sc->job.epochs;
    cr_assert(epsilon_eq(dbl, sc->job.flops, want, 1e-12 * want));
    failure_free(sc);
    dcs_run_result *r = reps_run(sc, sc->sim.seed, 1);
    double h = r[0].makespan_s / HOUR;
    cr_log_info("sft-small: %.3f h, compute $%.2f, total $%.2f", h, r[0].ledger.compute,
                r[0].ledger.total);
    cr_assert_lt(fabs(h / 3.0 - 1.0), 0.10, "%.3f h", h);
    cr_assert_lt(r[0].ledger.compute, 100.0);
    /* Data (Alpaca's < $500) and staff are costs on top of compute. */
    cr_assert(epsilon_eq(dbl, r[0].ledger.data, 500.0, 1e-12));
    cr_assert_gt(r[0].ledger.staff, 0.0);
    free(r);
    free(sc);
}

/* lora-small differs from sft-small only in the job: the same base
 * model, tokens, epochs and hardware. Its FLOPs are (4 + 2 f) / 6 of the
 * full fine-tuning's (1e-12: products of the same doubles); its
 * failure-free time is the LoRA paper's measured 32.5 / 43.1 of
 * sft-small's (1e-3: the MFU is given to four digits); its checkpoint is
 * f x N x 16 bytes. */
Test(jobs, lora_small_is_sft_small_with_the_adapter_flop_rule_and_measured_speedup)
{
    dcs_scenario *sft = load_file("scenarios/lib/sft-small.yaml");
    dcs_scenario *lora = load_file("scenarios/lib/lora-small.yaml");
    cr_assert_eq(lora->job.kind, DCS_JOB_ADAPTER);
    cr_assert_eq(lora->job.parameters, sft->job.parameters);
    cr_assert_eq(lora->job.tokens, sft->job.tokens);
    cr_assert_eq(lora->job.epochs, sft->job.epochs);
    cr_assert_str_eq(lora->cluster.accel.key, sft->cluster.accel.key);
    cr_assert_eq(accels(lora), accels(sft));
    cr_assert_eq(lora->cluster.price_usd_per_accel_h, sft->cluster.price_usd_per_accel_h);
    cr_assert_eq(lora->costs.data_usd, sft->costs.data_usd);

    double f = lora->job.trainable_fraction;
    cr_assert(epsilon_eq(dbl, f, 4194304.0 / 6738415616.0, 1e-4 * f));
    double ratio = (4.0 + 2.0 * f) / 6.0;
    cr_assert(epsilon_eq(dbl, lora->job.flops / sft->job.flops, ratio, 1e-12));
    double ckpt = f * lora->job.parameters * 16.0;
    cr_assert(epsilon_eq(dbl, lora->checkpoint.size_bytes, ckpt, 1e-12 * ckpt));

    failure_free(sft);
    failure_free(lora);
    dcs_run_result *rs = reps_run(sft, sft->sim.seed, 1);
    dcs_run_result *rl = reps_run(lora, lora->sim.seed, 1);
    double speed = rl[0].makespan_s / rs[0].makespan_s;
    cr_log_info("lora-small %.3f h vs sft-small %.3f h: %.4f (LoRA paper 32.5 / 43.1 = %.4f)",
                rl[0].makespan_s / HOUR, rs[0].makespan_s / HOUR, speed, 32.5 / 43.1);
    cr_assert(epsilon_eq(dbl, speed, 32.5 / 43.1, 1e-3));
    cr_assert_lt(rl[0].ledger.compute, rs[0].ledger.compute);
    free(rs);
    free(rl);
    free(sft);
    free(lora);
}

/* vision-transfer: FLOPs are flops_per_image x images x epochs, and the
 * labels, not the GPU, are the cost. In every replication data costs more
 * than 100 times compute; the mean data cost is 1,000 labels x $0.108
 * within 4 standard errors: the price factor is lognormal with mean 1 and
 * relative sd 0.7, so with n = 4,000 the SE of the mean is
 * 108 x 0.7 / sqrt(4000) = $1.20 (P(false fail) < 1e-4). */
Test(jobs, vision_transfer_costs_more_in_labels_than_in_compute)
{
    dcs_scenario *sc = load_file("scenarios/lib/vision-transfer.yaml");
    cr_assert_eq(sc->job.kind, DCS_JOB_VISION);
    double want = sc->job.flops_per_image * sc->job.images * sc->job.epochs;
    cr_assert(epsilon_eq(dbl, sc->job.flops, want, 1e-12 * want));
    const size_t n = 4000;
    dcs_run_result *r = reps_run(sc, sc->sim.seed, n);
    double mean = 0.0;
    for (size_t i = 0; i < n; i++) {
        cr_assert_gt(r[i].ledger.data, 100.0 * r[i].ledger.compute, "replication %zu", i);
        mean += r[i].ledger.data / (double)n;
    }
    double mu = sc->costs.labels * sc->costs.usd_per_label;
    double se = mu * sc->costs.label_sd / sqrt((double)n);
    cr_log_info("vision-transfer: mean data $%.2f (want $%.2f +- %.2f), compute $%.4f", mean, mu,
                4.0 * se, r[0].ledger.compute);
    cr_assert_lt(fabs(mean - mu), 4.0 * se);
    free(r);
    free(sc);
}
