/*
 * ledger.h - the cost ledger of one replication: every cost the planning
 * documents of real teams list, from the run's integrals (accelerator-hours
 * billed by the hour at the market price, electricity, retained
 * checkpoints) and the scenario's procurement and cost sections.
 *
 * The same function prices a replication at its end and at any moment of
 * it (the time series' cumulative cost), so the last sample equals the
 * total. Components add up to the total exactly: the total is their sum,
 * taken in the order of the struct.
 */
#ifndef DCSIM_MODELS_LEDGER_H
#define DCSIM_MODELS_LEDGER_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"

/* What the run has accumulated by some time. */
typedef struct dcs_ledger_in {
    double elapsed_s;       /* since t = 0 */
    double held_s;          /* capacity held: elapsed minus the wait for capacity */
    double hourly_usd;      /* accelerator-hours billed by the hour x their price */
    double it_usd;          /* electricity of the IT load (power model) */
    double cool_usd;        /* electricity of cooling and facility overhead */
    double ckpt_byte_s;     /* retained checkpoints, bytes x s */
    double price_start;     /* accelerator-hour price at t = 0 (signing), USD */
    double purchase_start;  /* accelerator purchase price at t = 0, USD (NAN without market) */
    double label_factor;    /* price per label drawn / its mean */
    double held_accels;     /* accelerators held: job nodes and billed spares */
    double reserved_accels; /* of them, reserved for a term */
} dcs_ledger_in;

typedef struct dcs_ledger {
    double compute;    /* rent (hourly and reserved) or amortization and hosting */
    double energy;     /* electricity of the IT load, unless the rental price includes it */
    double cooling;    /* electricity of cooling and facility overhead, likewise */
    double storage;    /* retained checkpoints and the dataset, per TB-month */
    double data;       /* acquisition and annotation */
    double processing; /* the data pipeline: TB processed x price per TB */
    double staff;      /* team x loaded cost x duration, plus fixed research effort */
    double licences;   /* software: seats x price per seat-year x duration, plus
                          accelerator-hours held x price per accelerator-hour */
    double other;      /* other fixed costs */
    double total;      /* the sum of the above, in this order */
    double reserved;   /* of compute: the reservation's prepaid term */
    double owned;      /* of compute: amortization and hosting of owned hardware */
} dcs_ledger;

/* The ledger's lines, in the order they add up to the total: their names
 * (as in cost_<name>_usd) and values. */
#define DCS_LEDGER_NLINES 9
extern const char *const dcs_ledger_line_names[DCS_LEDGER_NLINES];
void dcs_ledger_lines(const dcs_ledger *l, double out[DCS_LEDGER_NLINES]);

/* Prices `in` for scenario sc. */
void dcs_ledger_compute(const dcs_scenario *sc, const dcs_ledger_in *in, dcs_ledger *out);

/* How the ledger bills electricity for scenario sc. */
typedef enum {
    DCS_ENERGY_IN_RENT = 0,     /* the rental price includes it: energy and cooling are 0 */
    DCS_ENERGY_POWER_MODEL = 1, /* the power model's electricity (a power section, given or
                                   the default one the loader adds, dcs_energy_needs_model) */
    DCS_ENERGY_FLAT = 2         /* accelerator-hours held x costs.energy_usd_per_accelerator_hour */
} dcs_energy_billing;

dcs_energy_billing dcs_ledger_energy_billing(const dcs_scenario *sc);

/* A short phrase for reports: "included in rent", "billed: power model",
 * "billed: flat per accelerator-hour". */
const char *dcs_ledger_energy_note(const dcs_scenario *sc);

/* The purchase price per accelerator that owned hardware is bought at:
 * procurement.purchase_usd, else the market's at the start, else the
 * catalog's. USD (NAN when none is known). */
double dcs_ledger_purchase_usd(const dcs_scenario *sc, double purchase_start);

#endif /* DCSIM_MODELS_LEDGER_H */
