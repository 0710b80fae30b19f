/*
 * ledger.c - the cost ledger (ledger.h).
 *
 *   compute = hourly + reserved + owned, where
 *     hourly   = the run's integral of accelerators billed by the hour x price,
 *     reserved = reserved accelerators x (1 - discount) x price at signing x term,
 *                committed in full at signing (idle reserved hours still cost),
 *     owned    = accelerators x purchase x (1 - residual) x min(1, held / lifetime)
 *                + accelerators x hosting x held hours;
 *   energy, cooling = the power model's electricity, or accelerator-hours held x a
 *                flat price without one; 0 when a rental price includes them;
 *   storage  = (checkpoint TB-months + dataset TB x months elapsed) x price;
 *   data     = acquisition + labels x price per label x this replication's draw;
 *   staff    = team x loaded cost per year x years elapsed + research effort;
 *   other    = other fixed costs.
 */
#include "ledger.h"

#include <math.h>

#define HOUR_S  3600.0
#define YEAR_S  (365.25 * 86400.0)
#define MONTH_S (YEAR_S / 12.0)

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
        double used = pr->lifetime_s > 0.0 ? fmin(1.0, in->held_s / pr->lifetime_s) : 1.0;
        double buy = dcs_ledger_purchase_usd(sc, in->purchase_start);
        out->owned = in->held_accels * buy * (1.0 - pr->residual) * used +
                     in->held_accels * pr->hosting_usd_per_h * held_h;
    }
    out->compute = in->hourly_usd + out->reserved + out->owned;

    out->energy = out->cooling = 0.0;
    if (!pr->energy_included) {
        if (sc->power.on) {
            out->energy = in->it_usd;
            out->cooling = in->cool_usd;
        } else {
            out->energy = in->held_accels * held_h * co->energy_usd_per_accel_h;
        }
    }
    double tb_months = (in->ckpt_byte_s + co->data_bytes * in->elapsed_s) / 1e12 / MONTH_S;
    out->storage = tb_months * co->storage_usd_per_tb_month;
    out->data = co->data_usd + co->labels * co->usd_per_label * in->label_factor;
    out->staff = co->team * co->usd_per_person_year * in->elapsed_s / YEAR_S + co->research_usd;
    out->other = co->other_usd;
    out->total = out->compute + out->energy + out->cooling + out->storage + out->data + out->staff +
                 out->other;
}
