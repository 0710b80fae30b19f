/*
 * rng.c - Philox-4x64-10 streams as a gsl_rng_type.
 *
 * Random123's GSL_MICRORNG macro defines the generator type and a reset
 * function that installs a counter and a key. We put the master seed in the
 * key and (replication, stream) in the first two counter words; the adapter
 * counts draws in the upper 32 bits of the last counter word. Nothing here
 * holds state outside the gsl_rng object, so streams can live in any thread.
 * Why not one mt19937 per stream: its seed is 32 bits, so with 10^5 streams
 * two of them would collide more often than not (DESIGN.md section 2).
 */
#include "rng.h"

#include "rng_zig.h"

#include <Random123/gsl_microrng.h>
#include <Random123/philox.h>
#include <math.h>

/* The literal "dcsim" in ASCII: a constant second key word, so that dcsim's
 * streams differ from other users of Philox keyed by the bare seed. */
#define DCS_RNG_KEY_TAG UINT64_C(0x646373696d)

GSL_MICRORNG(dcsim_philox4x64, philox4x64);

const gsl_rng_type *dcs_rng_type(void)
{
    return gsl_rng_dcsim_philox4x64;
}

gsl_rng *dcs_rng_create(dcs_err *err)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_dcsim_philox4x64);
    if (r == NULL)
        dcs_err_set(err, DCS_ENOMEM, "cannot allocate a random stream");
    return r;
}

void dcs_rng_key(gsl_rng *r, uint64_t seed, uint64_t replication, uint32_t stream)
{
    philox4x64_ctr_t c = {{replication, stream, 0, 0}};
    philox4x64_key_t k = {{seed, DCS_RNG_KEY_TAG}};
    dcsim_philox4x64_reset(r, c, k);
}

/* 32 random bits: a draw of dcsim's streams as it is, or of any other GSL
 * generator (tests) scaled from its uniform. */
static uint32_t bits32(gsl_rng *r)
{
    if (r->type == &dcsim_philox4x64_type)
        return (uint32_t)dcsim_philox4x64_get(r->state);
    return (uint32_t)(gsl_rng_uniform(r) * 4294967296.0);
}

double dcs_rng_exponential(gsl_rng *r, double mean)
{
    double base = 0.0; /* R for each time the draw fell in the tail */
    for (;;) {
        uint32_t b = bits32(r);
        unsigned j = b & 0xff; /* the strip: the low 8 bits */
        uint32_t u = b >> 8;   /* the position in it: the other 24 */
        double x = ((double)u + 0.5) * zig_x[j] * 0x1p-24;
        if (u < zig_k[j]) /* inside the strip's rectangle: 97.8 % of draws */
            return mean * (base + x);
        if (j == 0)
            base += zig_x[1]; /* the tail beyond R: R plus an exponential */
        else if (zig_f[j] + gsl_rng_uniform(r) * (zig_f[j + 1] - zig_f[j]) < exp(-x))
            return mean * (base + x); /* in the wedge, under the curve */
    }
}
