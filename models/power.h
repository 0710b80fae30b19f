/*
 * power.h - the energy model's pure functions: the calendar, outdoor
 * temperature, the cooling plant, time-of-use prices and carbon intensity.
 *
 * Equations (docs/scenarios.md states them for users):
 *   temperature  T(t) = mean + A_s cos(2 pi (day(t) - hottest_day) / 365.25)
 *                            + A_d cos(2 pi (hour(t) - hottest_hour) / 24) + X(t),
 *                X an Ornstein-Uhlenbeck process (env.c), or an hourly CSV series;
 *   chiller COP  COP(T) = eta (T_s + 273.15) / (T + approach - T_s)   (Carnot fraction),
 *   cooling      P_cool = P_IT (f_fac + f_free + (0 if T < T_free else 1 / COP(T))):
 *                facility overhead, fans and pumps always, the chiller above T_free,
 *                so PUE(T) = 1 + f_fac + f_free + (0 or 1 / COP(T));
 *   capacity     C(T) = n_working C_unit max(0, 1 - d (T - T_design)+).
 */
#ifndef DCSIM_MODELS_POWER_H
#define DCSIM_MODELS_POWER_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"

#include <stdbool.h>

/* What the energy model says now; the run model charges energy with it. */
typedef struct dcs_env_now {
    double temp_c;     /* outdoor temperature, C */
    double cool_per_w; /* cooling and facility power per W of IT power (PUE - 1) */
    double usd_per_j;  /* electricity price, USD per J */
    double kg_per_j;   /* carbon intensity, kg CO2e per J */
    double throttle;   /* speed and training power factor from cooling capacity, (0, 1] */
} dcs_env_now;

/* Day of the year (0-based, fractional), hour of day (fractional) and
 * weekday (0 = Sunday) of time t after start (s since 1970-01-01 UTC). */
void dcs_calendar(double start_s, double t, double *day, double *hour, int *wday);

/* Seconds since 1970-01-01T00:00 UTC of a civil date and time. */
double dcs_epoch_s(int year, int month, int day, int hour, int minute);

/* The civil date and time (UTC, to the minute) of epoch_s. */
void dcs_civil(double epoch_s, int *year, int *month, int *day, int *hour, int *minute);

/* The deterministic part of the outdoor temperature (no noise), C; with a
 * CSV series, the series' value for the hour of t (repeating). */
double dcs_weather_base_c(const dcs_weather_cfg *w, double start_s, double t);

/* Chiller COP at outdoor temperature temp_c (may be <= 0 below the
 * free-cooling threshold, where it is not used). */
double dcs_cop(const dcs_cooling_cfg *c, double temp_c);

/* Cooling and facility power per W of IT power at temp_c: PUE - 1. */
double dcs_cooling_per_w(const dcs_cooling_cfg *c, double temp_c);

/* Heat the working units can remove at temp_c, W (+HUGE_VAL: unlimited). */
double dcs_cooling_capacity_w(const dcs_cooling_cfg *c, int64_t working, double temp_c);

/* The time-of-use (or flat) price at time t, USD per kWh. */
double dcs_tou_price(const dcs_elec_cfg *e, double start_s, double t);

/* Carbon intensity at time t, kg CO2e per kWh. */
double dcs_carbon_at(const dcs_carbon_cfg *c, double start_s, double t);

/* ---- Defaults of the energy model that depend on the accelerator, and
 * the electricity rule of the ledger. Each default equals its cited source;
 * tests/scenarios/test_defaults.c holds them to a reference table. The
 * other defaults of the energy model are the key table's
 * (scenarios/keys_energy.c) alone. ---- */

/* Server power per accelerator over the accelerator's TDP, as Epoch AI's cost
 * model (energy.py, chip_to_server_power) gives it for the catalog key: H100
 * 10.2 kW / 8 / 0.7 kW; A100 6.5 kW / 8 / 0.4 kW; V100 the mean of DGX-2's
 * and DGX-1's (10 kW / 16 and 1.5 kW / 4, over 0.3 kW); TPU v2 1.64, v3 1.47,
 * other TPUs 1.56; other GPUs 1.8. */
double dcs_power_server_ratio(const char *accel_key);

/* Fraction of the server power drawn while training (Epoch AI,
 * server_TDP_fraction): 0.43 for TPUs, 0.75 otherwise. */
double dcs_power_training_fraction(const char *accel_key);

/* The one rule for electricity: when the ledger bills it
 * (procurement.energy_included false: owned hardware by default) and the
 * scenario has neither a power section nor a flat
 * costs.energy_usd_per_accelerator_hour, a power model is needed, so that
 * billed electricity is never silently $0. The loader then reads the
 * scenario as if it held an empty `power: {}` section (read_money.c), or
 * refuses it when the accelerator has no TDP; a loaded scenario never
 * needs one. Rent includes electricity by default; the report then says
 * "included in rent". */
bool dcs_energy_needs_model(const dcs_scenario *sc);

#endif /* DCSIM_MODELS_POWER_H */
