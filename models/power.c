/*
 * power.c - calendar, weather, cooling plant, prices and carbon (power.h);
 * and the defaults of the energy model with the ledger's electricity rule.
 *
 * The server-to-chip ratio and training fraction live here and the loader
 * reads them; the rest of what an empty `power: {}` gives is repeated in the
 * loader, and tests/scenarios/test_defaults.c holds the rule's power model
 * equal to the loader's, field by field. Each carries its source:
 * Epoch AI's cost model (epoch-research/training-cost-trends, energy.py and
 * cost_analysis_standalone.py) for the server-to-chip ratio, the training
 * fraction, the PUE and the electricity price; Patterson et al. 2021 for the
 * carbon intensity. The rest are assumptions, said so where they are set.
 */
#include "power.h"

#include <math.h>
#include <string.h>

#define DAY_S  86400.0
#define KELVIN 273.15
#define TWO_PI 6.283185307179586

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

double dcs_epoch_s(int year, int month, int day, int hour, int minute)
{
    return (double)days_from_civil(year, month, day) * DAY_S + hour * 3600.0 + minute * 60.0;
}

/* Civil date of day d since 1970-01-01 (Hinnant's civil_from_days). */
static void civil_from_days(long d, long *y, int *m, int *dd)
{
    long z = d + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void dcs_civil(double epoch_s, int *year, int *month, int *day, int *hour, int *minute)
{
    double days = floor(epoch_s / DAY_S);
    long y;
    civil_from_days((long)days, &y, month, day);
    *year = (int)y;
    long sec = (long)floor(epoch_s - days * DAY_S);
    *hour = (int)(sec / 3600);
    *minute = (int)(sec % 3600 / 60);
}

void dcs_calendar(double start_s, double t, double *day, double *hour, int *wday)
{
    double at = start_s + t;
    double days = floor(at / DAY_S);
    long d = (long)days, y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    double jan1 = (double)days_from_civil(y, 1, 1);
    *hour = (at - days * DAY_S) / 3600.0;
    *day = days - jan1 + *hour / 24.0;
    long w = (d + 4) % 7; /* 1970-01-01 was a Thursday */
    *wday = (int)(w < 0 ? w + 7 : w);
}

double dcs_weather_base_c(const dcs_weather_cfg *w, double start_s, double t)
{
    if (w->nseries > 0) {
        long h = (long)floor(t / 3600.0) % w->nseries;
        return w->series[h < 0 ? h + w->nseries : h];
    }
    double day, hour;
    int wday;
    dcs_calendar(start_s, t, &day, &hour, &wday);
    return w->mean_c + w->seasonal_k * cos(TWO_PI * (day - w->hottest_day) / 365.25) +
           w->daily_k * cos(TWO_PI * (hour - w->hottest_hour) / 24.0);
}

double dcs_cop(const dcs_cooling_cfg *c, double temp_c)
{
    return c->eta * (c->supply_c + KELVIN) / (temp_c + c->approach_k - c->supply_c);
}

double dcs_cooling_per_w(const dcs_cooling_cfg *c, double temp_c)
{
    if (c->model == DCS_COOL_PUE)
        return c->pue - 1.0;
    /* The fans and pumps run in both modes; above the free-cooling
     * threshold the chiller's compressor runs too, so cooling never gets
     * cheaper as it gets warmer. */
    double fans = c->facility_frac + c->free_fraction;
    if (temp_c < c->free_below_c)
        return fans;
    /* 1 / COP written as lift / (eta T_s): zero, not 1 / infinity, at a
     * lift of zero. The loader keeps the lift >= 0 wherever it is used;
     * fmax only absorbs the rounding of T + approach - T_s at its floor. */
    double lift_k = fmax(0.0, temp_c + c->approach_k - c->supply_c);
    return fans + lift_k / (c->eta * (c->supply_c + KELVIN));
}

double dcs_cooling_capacity_w(const dcs_cooling_cfg *c, int64_t working, double temp_c)
{
    if (c->units <= 0)
        return HUGE_VAL;
    double derate = 1.0 - c->derate_per_k * fmax(0.0, temp_c - c->design_c);
    return (double)working * c->unit_w * fmax(0.0, derate);
}

double dcs_tou_price(const dcs_elec_cfg *e, double start_s, double t)
{
    if (e->model != DCS_PRICE_TOU)
        return e->usd_per_kwh;
    double day, hour;
    int wday;
    dcs_calendar(start_s, t, &day, &hour, &wday);
    for (int i = 0; i < e->ntou; i++) {
        const dcs_tou_cfg *w = &e->tou[i];
        if ((w->days >> wday & 1) && hour >= w->from_h && hour < w->to_h)
            return w->usd_per_kwh;
    }
    return e->usd_per_kwh;
}

double dcs_carbon_at(const dcs_carbon_cfg *c, double start_s, double t)
{
    if (c->nseries > 0) {
        long h = (long)floor(t / 3600.0) % c->nseries;
        return c->series[h < 0 ? h + c->nseries : h];
    }
    if (c->nhourly == 24) {
        double day, hour;
        int wday;
        dcs_calendar(start_s, t, &day, &hour, &wday);
        return c->hourly[(int)hour % 24];
    }
    return c->kg_per_kwh;
}

/* True when key contains s (ASCII, case-insensitive). */
static int has(const char *key, const char *s)
{
    size_t n = strlen(s);
    for (const char *k = key; *k != '\0'; k++) {
        size_t i = 0;
        while (i < n && k[i] != '\0' && (k[i] | 0x20) == (s[i] | 0x20))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

double dcs_power_server_ratio(const char *accel_key)
{
    if (has(accel_key, "TPU")) {
        if (has(accel_key, "v2"))
            return 1.64;
        if (has(accel_key, "v3"))
            return 1.47;
        return 1.56;
    }
    if (has(accel_key, "H100"))
        return (10.2 / 8.0) / 0.7;
    if (has(accel_key, "A100"))
        return (6.5 / 8.0) / 0.4;
    if (has(accel_key, "V100"))
        return ((10.0 / 16.0) / 0.3 + (1.5 / 4.0) / 0.3) / 2.0;
    return 1.8;
}

double dcs_power_training_fraction(const char *accel_key)
{
    return has(accel_key, "TPU") ? 0.43 : 0.75;
}

bool dcs_energy_needs_model(const dcs_scenario *sc)
{
    return !sc->procurement.energy_included && !sc->power.on &&
           !(sc->costs.energy_usd_per_accel_h > 0.0);
}
