/*
 * test_energy_keys.c - the energy model's scenario keys: the defaults that
 * docs/scenarios.md states, every key read into its field, the CSV series,
 * simulation.start, and the resolved YAML round trip of these sections.
 *
 * BASE (expect.h) is an H100 cluster: TDP 700 W, so the default server
 * power is 1.8 x 700 W and the default training power 0.75 of it (Epoch
 * AI's energy model). Expected values are computed the way the loader
 * computes them, so equal to the last bit or within 1e-12 relative.
 */
#include "expect.h"

#include "power.h"

#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>

#define DATA DCSIM_SOURCE_DIR "/tests/scenarios/data/"

Test(energy_keys, no_power_section_leaves_the_energy_model_off)
{
    dcs_scenario s;
    expect_ok(BASE, &s);
    cr_assert_not(s.power.on);
    cr_assert_eq(s.sim.start_s, dcs_epoch_s(2025, 1, 1, 0, 0));
    cr_assert_eq(s.sim.start_s, 1735689600.0, "2025-01-01T00:00 UTC");
}

Test(energy_keys, an_empty_power_section_takes_every_default)
{
    dcs_scenario s;
    expect_ok(BASE "power: {}\n", &s);
    cr_assert(s.power.on);
    /* Epoch AI's H100 server: 10.2 kW / 8 GPUs / 0.7 kW = 1.8214 x TDP,
     * 0.75 of it while training: 956.25 W. */
    double train = 0.75 * ((10.2 / 8.0) / 0.7 * 700.0);
    cr_assert(epsilon_eq(dbl, s.power.training_w, 956.25, 1e-12 * 956.25));
    cr_assert_eq(s.power.training_w, train);
    cr_assert_eq(s.power.ckpt_w, 0.5 * train);
    cr_assert_eq(s.power.restart_w, 0.3 * train);
    cr_assert_eq(s.power.idle_w, 0.3 * train);
    cr_assert_eq(s.power.step_s, 3600.0);
    cr_assert_eq(s.power.wue_l_per_kwh, 0.0);
    cr_assert_eq(s.cooling.model, DCS_COOL_PUE);
    cr_assert_eq(s.cooling.pue, 1.25);
    cr_assert_eq(s.cooling.units, 0);
    cr_assert_eq(s.weather.mean_c, 15.0);
    cr_assert_eq(s.weather.seasonal_k, 0.0);
    cr_assert_eq(s.weather.daily_k, 0.0);
    cr_assert_eq(s.weather.hottest_day, 200.0);
    cr_assert_eq(s.weather.hottest_hour, 15.0);
    cr_assert_eq(s.weather.noise_k, 0.0);
    cr_assert_eq(s.weather.noise_tau_s, 2.0 * 86400.0);
    cr_assert_eq(s.weather.nseries, 0);
    cr_assert_eq(s.electricity.model, DCS_PRICE_FLAT);
    cr_assert_eq(s.electricity.usd_per_kwh, 0.0826);
    cr_assert_eq(s.carbon.kg_per_kwh, 0.429);
    cr_assert_eq(s.carbon.nhourly, 0);
    cr_assert_eq(s.carbon.nseries, 0);
}

Test(energy_keys, tpu_defaults_are_epochs_tpu_ratios)
{
    dcs_scenario s;
    expect_ok("name: x\ncluster: {accelerator: TPU-v3, nodes: 2, accelerators_per_node: 4, "
              "price_usd_per_accelerator_hour: 1}\n"
              "job: {flops: 1e22, mfu: 0.37}\ncheckpoint: {policy: none}\npower: {}\n",
              &s);
    /* Epoch AI's TPU v3 server: 660 W / 450 W = 1.47 (Jouppi et al. 2021,
     * Table 1), 0.43 of it while training. */
    cr_assert_eq(s.power.training_w, 0.43 * (1.47 * 450.0));
}

Test(energy_keys, powers_are_fractions_or_quantities)
{
    dcs_scenario s;
    expect_ok(BASE "power:\n  server_to_chip_ratio: 1.6\n  training: 0.8\n"
                   "  checkpointing: 0.45\n  restarting: 250W\n  idle: 0.2 kW\n"
                   "  step: 15min\n  wue: 1.8\n",
              &s);
    double train = 0.8 * (1.6 * 700.0);
    cr_assert_eq(s.power.training_w, train);
    cr_assert_eq(s.power.ckpt_w, 0.45 * train);
    cr_assert_eq(s.power.restart_w, 250.0);
    cr_assert_eq(s.power.idle_w, 200.0);
    cr_assert_eq(s.power.step_s, 900.0);
    cr_assert_eq(s.power.wue_l_per_kwh, 1.8);
    expect_ok(BASE "power:\n  training: 1.02kW\n", &s);
    cr_assert_eq(s.power.training_w, 1020.0);
    cr_assert_eq(s.power.idle_w, 0.3 * 1020.0);
}

/* A catalog entry without a TDP (TPU v5p) needs training as a power. */
Test(energy_keys, accelerator_without_tdp_takes_a_training_power)
{
    dcs_scenario s;
    expect_ok("name: x\ncluster: {accelerator: TPU-v5p, nodes: 2, "
              "price_usd_per_accelerator_hour: 1}\n"
              "job: {flops: 1e22, mfu: 0.4}\ncheckpoint: {policy: none}\n"
              "power: {training: 380W}\n",
              &s);
    cr_assert_eq(s.power.training_w, 380.0);
}

Test(energy_keys, cop_cooling_defaults_and_units)
{
    dcs_scenario s;
    expect_ok(BASE "power: {}\ncooling:\n  model: cop\n  units: 5\n  unit_capacity: 500kW\n", &s);
    const dcs_cooling_cfg *c = &s.cooling;
    cr_assert_eq(c->model, DCS_COOL_COP);
    cr_assert_eq(c->eta, 0.4);
    cr_assert_eq(c->supply_c, 18.0);
    cr_assert_eq(c->approach_k, 5.0);
    cr_assert_eq(c->free_below_c, 13.0);
    cr_assert_eq(c->free_fraction, 0.05);
    cr_assert_eq(c->facility_frac, 0.05);
    cr_assert_eq(c->units, 5);
    cr_assert_eq(c->unit_w, 500e3);
    cr_assert_eq(c->design_c, 35.0);
    cr_assert_eq(c->derate_per_k, 0.02);
    /* COP(31 C) = 0.4 x 291.15 / (31 + 5 - 18) = 6.47; PUE - 1 = facility
     * 0.05 + fans and pumps 0.05 + 1 / COP. */
    double cop = 0.4 * (18.0 + 273.15) / 18.0;
    cr_assert(epsilon_eq(dbl, dcs_cop(c, 31.0), cop, 1e-12 * cop));
    cr_assert(epsilon_eq(dbl, dcs_cooling_per_w(c, 31.0), 0.1 + 1.0 / cop, 1e-12));
    cr_assert_eq(dcs_cooling_per_w(c, 12.9), 0.05 + 0.05, "free cooling below 13 C");
    /* At 13 C = supply - approach the lift is zero: the chiller adds
     * nothing yet, and cooling is no cheaper than just below. */
    cr_assert_eq(dcs_cooling_per_w(c, 13.0), 0.05 + 0.05);
    /* Capacity at 41 C: 5 x 500 kW x (1 - 0.02 x 6). */
    cr_assert(epsilon_eq(dbl, dcs_cooling_capacity_w(c, 5, 41.0), 2.5e6 * 0.88, 1e-6));
    cr_assert(epsilon_eq(dbl, dcs_cooling_capacity_w(c, 4, 30.0), 2.0e6, 1e-6));
}

Test(energy_keys, every_cop_key_is_read)
{
    dcs_scenario s;
    expect_ok(BASE "power: {}\ncooling:\n  model: cop\n  chiller_efficiency: 0.55\n"
                   "  supply_temperature: 22.5C\n  approach: 3.5\n  free_cooling_below: 19.5C\n"
                   "  free_cooling_fraction: 0.07\n  facility_overhead: 0.04\n  units: 3\n"
                   "  unit_capacity: 1.2MW\n  design_temperature: 38C\n"
                   "  derate_per_kelvin: 0.015\n",
              &s);
    const dcs_cooling_cfg *c = &s.cooling;
    cr_assert_eq(c->eta, 0.55);
    cr_assert_eq(c->supply_c, 22.5);
    cr_assert_eq(c->approach_k, 3.5);
    cr_assert_eq(c->free_below_c, 19.5);
    cr_assert_eq(c->free_fraction, 0.07);
    cr_assert_eq(c->facility_frac, 0.04);
    cr_assert_eq(c->units, 3);
    cr_assert_eq(c->unit_w, 1.2e6);
    cr_assert_eq(c->design_c, 38.0);
    cr_assert_eq(c->derate_per_k, 0.015);
}

Test(energy_keys, weather_cycles_and_noise)
{
    dcs_scenario s;
    expect_ok(BASE "power: {}\ncooling: {model: cop}\n"
                   "weather:\n  mean: 24.7C\n  seasonal_amplitude: 10.8\n  daily_amplitude: 6.1\n"
                   "  hottest_day: 195\n  hottest_hour: 16.5\n  noise_sd: 2.2\n"
                   "  noise_timescale: 36h\n"
                   "simulation:\n  start: 2025-07-01T07:30\n",
              &s);
    const dcs_weather_cfg *w = &s.weather;
    cr_assert_eq(w->mean_c, 24.7);
    cr_assert_eq(w->seasonal_k, 10.8);
    cr_assert_eq(w->daily_k, 6.1);
    cr_assert_eq(w->hottest_day, 195.0);
    cr_assert_eq(w->hottest_hour, 16.5);
    cr_assert_eq(w->noise_k, 2.2);
    cr_assert_eq(w->noise_tau_s, 36.0 * 3600.0);
    cr_assert_eq(s.sim.start_s, dcs_epoch_s(2025, 7, 1, 7, 30));
    /* 2025-07-01T07:30 is day 181.3125 of the year (0-based), a Tuesday. */
    double day, hour;
    int wday;
    dcs_calendar(s.sim.start_s, 0.0, &day, &hour, &wday);
    cr_assert(epsilon_eq(dbl, day, 181.0 + 7.5 / 24.0, 1e-9));
    cr_assert(epsilon_eq(dbl, hour, 7.5, 1e-9));
    cr_assert_eq(wday, 2);
}

Test(energy_keys, start_takes_a_date_or_a_date_and_time)
{
    dcs_scenario s;
    expect_ok(BASE "simulation:\n  start: 2024-02-29\n", &s);
    cr_assert_eq(s.sim.start_s, dcs_epoch_s(2024, 2, 29, 0, 0));
    expect_ok(BASE "simulation:\n  start: 2000-02-29T23:59\n", &s);
    cr_assert_eq(s.sim.start_s, dcs_epoch_s(2000, 2, 29, 23, 59));
}

Test(energy_keys, weather_csv_skips_the_header_comments_and_blank_lines)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    expect_ok(BASE "power: {}\ncooling: {model: cop}\nweather:\n  csv: " DATA "weather-ok.csv\n",
              s);
    cr_assert_eq(s->weather.nseries, 3);
    cr_assert_eq(s->weather.series[0], 21.5);
    cr_assert_eq(s->weather.series[1], -3.25);
    cr_assert_eq(s->weather.series[2], 40.0);
    cr_assert_str_eq(s->weather.csv, DATA "weather-ok.csv");
    /* Hour h of the run takes row h mod 3: the series repeats. */
    cr_assert_eq(dcs_weather_base_c(&s->weather, s->sim.start_s, 3600.0 * 4 + 1.0), -3.25);
    free(s);
}

/* A relative CSV path is relative to the scenario file's folder. */
Test(energy_keys, csv_path_is_relative_to_the_scenario_file)
{
    dcs_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    dcs_err err;
    char buf[768];
    int rc = dcs_scenario_load_string(BASE "power: {}\ncarbon:\n  csv: carbon-ok.csv\n",
                                      DATA "t.yaml", NULL, 0, s, NULL, &err);
    cr_assert_eq(rc, 0, "%s", dcs_err_format(&err, buf, sizeof buf));
    cr_assert_eq(s->carbon.nseries, 2);
    cr_assert_eq(s->carbon.series[1], 0.385);
    cr_assert_str_eq(s->carbon.csv, DATA "carbon-ok.csv");
    free(s);
}

Test(energy_keys, time_of_use_windows)
{
    dcs_scenario s;
    expect_ok(BASE "power: {}\nelectricity:\n  model: tou\n  usd_per_kwh: 0.06\n  tou:\n"
                   "    - {hours: 8-20, days: weekdays, usd_per_kwh: 0.14}\n"
                   "    - {hours: 10-16, days: [sat, sun], usd_per_kwh: 0.1}\n"
                   "    - {hours: 0-6, usd_per_kwh: 0.04}\n",
              &s);
    const dcs_elec_cfg *e = &s.electricity;
    cr_assert_eq(e->model, DCS_PRICE_TOU);
    cr_assert_eq(e->ntou, 3);
    cr_assert_eq(e->tou[0].from_h, 8);
    cr_assert_eq(e->tou[0].to_h, 20);
    cr_assert_eq(e->tou[0].days, 0x3e, "mon..fri");
    cr_assert_eq(e->tou[1].days, 0x41, "sun and sat");
    cr_assert_eq(e->tou[2].days, 0x7f, "every day by default");
    /* 2025-01-01 is a Wednesday: 09:00 is peak, 21:00 the base price. */
    cr_assert_eq(dcs_tou_price(e, s.sim.start_s, 9.0 * 3600.0), 0.14);
    cr_assert_eq(dcs_tou_price(e, s.sim.start_s, 21.0 * 3600.0), 0.06);
    cr_assert_eq(dcs_tou_price(e, s.sim.start_s, 24.0 * 3600.0 + 1.0), 0.04);
    /* Saturday 2025-01-04 at 11:00. */
    cr_assert_eq(dcs_tou_price(e, s.sim.start_s, (3 * 24.0 + 11.0) * 3600.0), 0.1);
}

Test(energy_keys, stochastic_price_defaults)
{
    dcs_scenario s;
    expect_ok(BASE "power: {}\nelectricity: {model: stochastic}\n", &s);
    const dcs_elec_cfg *e = &s.electricity;
    cr_assert_eq(e->usd_per_kwh, 0.0826);
    cr_assert_eq(e->seasonal, 0.0);
    cr_assert_eq(e->peak_day, 200.0);
    cr_assert_eq(e->noise_sd, 0.0);
    cr_assert_eq(e->noise_tau_s, 7.0 * 86400.0);
    expect_ok(BASE "power: {}\nelectricity:\n  model: stochastic\n  usd_per_kwh: 0.071\n"
                   "  seasonal_amplitude: 0.15\n  peak_day: 210\n  noise_sd: 0.25\n"
                   "  noise_timescale: 3d\n",
              &s);
    cr_assert_eq(e->usd_per_kwh, 0.071);
    cr_assert_eq(e->seasonal, 0.15);
    cr_assert_eq(e->peak_day, 210.0);
    cr_assert_eq(e->noise_sd, 0.25);
    cr_assert_eq(e->noise_tau_s, 3.0 * 86400.0);
}

Test(energy_keys, hourly_carbon_profile)
{
    dcs_scenario s;
    expect_ok(BASE "power: {}\ncarbon:\n  hourly: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.3, "
                   "0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.4, 0.5, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5]\n",
              &s);
    cr_assert_eq(s.carbon.nhourly, 24);
    cr_assert_eq(s.carbon.hourly[11], 0.2);
    cr_assert_eq(dcs_carbon_at(&s.carbon, s.sim.start_s, 18.5 * 3600.0), 0.6);
}

Test(energy_keys, resolved_yaml_loads_back_to_the_same_struct)
{
    expect_round_trip(BASE "power: {}\n");
    expect_round_trip(BASE
                      "power: {training: 0.71, idle: 123.4W, step: 20min, wue: 0.3}\n"
                      "cooling: {model: cop, chiller_efficiency: 0.45, units: 5, "
                      "unit_capacity: 410kW, derate_per_kelvin: 0.013}\n"
                      "weather: {mean: 24.7C, seasonal_amplitude: 10.8, daily_amplitude: 6.1, "
                      "hottest_day: 195.5, noise_sd: 2.2}\n"
                      "electricity: {model: stochastic, seasonal_amplitude: 0.1, noise_sd: 0.2}\n"
                      "carbon: {hourly: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.3, 0.3, 0.2, "
                      "0.2, 0.2, 0.2, 0.3, 0.3, 0.4, 0.5, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5]}\n"
                      "simulation: {start: 2025-07-01T07:00}\n");
    expect_round_trip(BASE "power: {}\ncooling: {pue: 1.385, units: 2, unit_capacity: 9kW}\n"
                           "electricity:\n  model: tou\n  tou:\n"
                           "    - {hours: 8-20, days: weekdays, usd_per_kwh: 0.14}\n"
                           "    - {hours: 20-24, days: [fri], usd_per_kwh: 0.2}\n"
                           "weather:\n  csv: " DATA "weather-ok.csv\n"
                           "carbon:\n  csv: " DATA "carbon-ok.csv\n");
}

/* Cooling never gets cheaper as it gets warmer: c(T) = PUE(T) - 1 is
 * non-decreasing from -10 C to 50 C, across the free-cooling threshold
 * too, for a threshold at the lift's floor and one above it. */
Test(energy_keys, cooling_power_does_not_fall_as_it_warms)
{
    static const char *const texts[] = {
        BASE "power: {}\ncooling: {model: cop}\n",
        BASE "power: {}\ncooling: {model: cop, free_cooling_below: 18.5C, "
             "free_cooling_fraction: 0.02}\n",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        dcs_scenario s;
        expect_ok(texts[k], &s);
        double prev = dcs_cooling_per_w(&s.cooling, -10.0);
        for (double t = -10.0; t <= 50.0; t += 0.05) {
            double c = dcs_cooling_per_w(&s.cooling, t);
            cr_assert_geq(c, prev, "text %zu: c(%.2f C) = %.17g < %.17g", k, t, c, prev);
            prev = c;
        }
    }
}
