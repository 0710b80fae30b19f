/*
 * ledger.c - the cost ledger (ledger.h).
 *
 *   compute = hourly + reserved + owned, where
 *     hourly   = the run's integral of accelerators billed by the hour x price,
 *     reserved = reserved accelerators x (1 - discount) x price at signing x term,
 *                committed in full at signing (idle reserved hours still cost),
 *     owned    = accelerators x purchase x written-off share / (1 - interconnect share)
 *                + accelerators x hosting x held hours, the written-off share being
 *                min(1, depreciation per year x years held) (Epoch AI's cost model)
 *                or (1 - residual) x min(1, held / lifetime);
 *   energy, cooling = the power model's electricity, or accelerator-hours held x a
 *                flat price; 0 when a rental price includes them (the loader's
 *                rule, dcs_energy_needs_model, gives every scenario that bills
 *                electricity a power model or a flat price: never silently 0);
 *   storage  = (checkpoint TB-months + dataset TB x months elapsed) x price;
 *   data     = acquisition + labels x price per label x this replication's draw;
 *   processing = TB processed x price per TB;
 *   staff    = team x loaded cost per year x years elapsed + research effort;
 *   licences = seats x price per seat-year x years elapsed
 *                + accelerator-hours held x price per accelerator-hour;
 *   other    = other fixed costs.
 * Committed amounts (reservations, data, processing, research, other) count in
 * full from t = 0; the rest accrue with time.
 */
#include "ledger.h"

#include <math.h>

#define HOUR_S  3600.0
#define YEAR_S  (365.25 * 86400.0)
#define MONTH_S (YEAR_S / 12.0)

const char *const dcs_ledger_line_names[DCS_LEDGER_NLINES] = {
    "compute", "energy", "cooling", "storage", "data", "processing", "staff", "licences", "other"};

void dcs_ledger_lines(const dcs_ledger *l, double out[DCS_LEDGER_NLINES])
{
    out[0] = l->compute;
    out[1] = l->energy;
    out[2] = l->cooling;
    out[3] = l->storage;
    out[4] = l->data;
    out[5] = l->processing;
    out[6] = l->staff;
    out[7] = l->licences;
    out[8] = l->other;
}

dcs_energy_billing dcs_ledger_energy_billing(const dcs_scenario *sc)
{
    if (sc->procurement.energy_included)
        return DCS_ENERGY_IN_RENT;
    return sc->power.on ? DCS_ENERGY_POWER_MODEL : DCS_ENERGY_FLAT;
}

const char *dcs_ledger_energy_note(const dcs_scenario *sc)
{
    switch (dcs_ledger_energy_billing(sc)) {
    case DCS_ENERGY_IN_RENT:
        return "included in rent";
    case DCS_ENERGY_POWER_MODEL:
        return "billed: power model";
    default:
        return "billed: flat per accelerator-hour";
    }
}

double dcs_ledger_purchase_usd(const dcs_scenario *sc, double purchase_start)
{
    if (sc->procurement.purchase_usd > 0.0)
        return sc->procurement.purchase_usd;
    if (sc->market.on && isfinite(purchase_start))
        return purchase_start;
    return sc->cluster.accel.purchase_usd;
}

void dcs_ledger_compute(const dcs_scenario *sc, const dcs_ledger_in *in, dcs_ledger *out)
{
    const dcs_procurement_cfg *pr = &sc->procurement;
    const dcs_costs_cfg *co = &sc->costs;
    double held_h = in->held_s / HOUR_S;

    out->reserved = 0.0;
    if (in->reserved_accels > 0.0)
        out->reserved =
            in->reserved_accels * (1.0 - pr->discount) * in->price_start * pr->term_s / HOUR_S;
    out->owned = 0.0;
    if (pr->mode == DCS_BUY_OWNED) {
        double share;
        if (pr->depreciation_per_year > 0.0)
            share = fmin(1.0, pr->depreciation_per_year * in->held_s / YEAR_S);
        else
            share = (1.0 - pr->residual) *
                    (pr->lifetime_s > 0.0 ? fmin(1.0, in->held_s / pr->lifetime_s) : 1.0);
        double buy = dcs_ledger_purchase_usd(sc, in->purchase_start);
        out->owned = in->held_accels * buy * share / (1.0 - pr->interconnect_share) +
                     in->held_accels * pr->hosting_usd_per_h * held_h;
    }
    out->compute = in->hourly_usd + out->reserved + out->owned;

    out->energy = out->cooling = 0.0;
    switch (dcs_ledger_energy_billing(sc)) {
    case DCS_ENERGY_POWER_MODEL:
        out->energy = in->it_usd;
        out->cooling = in->cool_usd;
        break;
    case DCS_ENERGY_FLAT:
        out->energy = in->held_accels * held_h * co->energy_usd_per_accel_h;
        break;
    default:
        break;
    }
    double tb_months = (in->ckpt_byte_s + co->data_bytes * in->elapsed_s) / 1e12 / MONTH_S;
    out->storage = tb_months * co->storage_usd_per_tb_month;
    out->data = co->data_usd + co->labels * co->usd_per_label * in->label_factor;
    out->processing = co->processed_bytes / 1e12 * co->processing_usd_per_tb;
    out->staff = co->team * co->usd_per_person_year * in->elapsed_s / YEAR_S + co->research_usd;
    out->licences = co->licence_seats * co->usd_per_seat_year * in->elapsed_s / YEAR_S +
                    in->held_accels * held_h * co->licence_usd_per_accel_h;
    out->other = co->other_usd;
    out->total = out->compute + out->energy + out->cooling + out->storage + out->data +
                 out->processing + out->staff + out->licences + out->other;
}
