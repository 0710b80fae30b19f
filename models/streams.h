/*
 * streams.h - the random stream ids of every stochastic source.
 *
 * APPEND-ONLY: never renumber or reuse an id. Replication r of any run
 * draws stream s from the same Philox counter block whatever else changed,
 * which is what makes results reproducible across versions and gives
 * sweep points common random numbers. New single streams take the next
 * free id below DCS_STREAM_FAILURE_FIRST; failure class i (in scenario
 * order) draws its times to failure from DCS_STREAM_FAILURE_FIRST + i.
 *
 * A market given as market.types draws each type's noise and lead times
 * from two streams of its catalog entry c: DCS_STREAM_MARKET_TYPE_FIRST +
 * 2 c and + 2 c + 1, whatever else the market holds, so that a type's path
 * is the same alone or beside others that do not affect it (a single
 * `market` mapping keeps DCS_STREAM_MARKET and DCS_STREAM_MARKET_LEAD).
 * Its random jumps draw from DCS_STREAM_MARKET_JUMP_TYPE_FIRST + c (a single
 * mapping: DCS_STREAM_MARKET_JUMPS), so that a market without jumps keeps its
 * draws. Catalog entries are appended, never reordered, so c stays.
 */
#ifndef DCSIM_MODELS_STREAMS_H
#define DCSIM_MODELS_STREAMS_H

#ifndef DCS_LAYER_MODELS
#error "models/ is not visible from sim/"
#endif

#include "config.h"

/* The uncertain inputs (models/uncertain.h): one stream per key, its id
 * DCS_STREAM_INPUT_FIRST + a 31-bit hash of the key path, far above the
 * ids of the enum below. */
#define DCS_STREAM_INPUT_FIRST 0x80000000u

enum dcs_stream {
    DCS_STREAM_REPAIR = 0,       /* node repair times */
    DCS_STREAM_WEATHER = 1,      /* outdoor temperature noise (power model) */
    DCS_STREAM_ENERGY_PRICE = 2, /* electricity price noise */
    DCS_STREAM_MARKET = 3,       /* accelerator market noise */
    DCS_STREAM_DATA_COST = 4,    /* data and annotation cost uncertainty */
    DCS_STREAM_MARKET_LEAD = 5,  /* lead times of the market's supply orders */
    DCS_STREAM_ACQUIRE = 6,      /* waits for capacity when the market is short */
    DCS_STREAM_MARKET_JUMPS = 7, /* the market's random jumps (market.jump_rate) */
    DCS_STREAM_CORRELATION = 8,  /* the score matrix of uncertain.correlation, a block
                                    of replications as the "replication" (correlation.h) */
    DCS_STREAM_FAILURE_FIRST = 64,
    DCS_STREAM_MARKET_TYPE_FIRST = 128, /* room for failure classes to grow to 64 */
    /* market type c's random jumps: DCS_STREAM_MARKET_JUMP_TYPE_FIRST + c */
    DCS_STREAM_MARKET_JUMP_TYPE_FIRST = DCS_STREAM_MARKET_TYPE_FIRST + 2 * DCS_MARKET_TYPE_STREAMS,
    DCS_STREAM_COUNT = DCS_STREAM_MARKET_JUMP_TYPE_FIRST + DCS_MARKET_TYPE_STREAMS
};

_Static_assert(DCS_STREAM_FAILURE_FIRST + DCS_MAX_FAILURE_CLS <= DCS_STREAM_MARKET_TYPE_FIRST,
               "failure streams run into the market types'");

#endif /* DCSIM_MODELS_STREAMS_H */
