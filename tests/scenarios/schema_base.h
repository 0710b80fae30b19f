/*
 * schema_base.h - the scenario body the key table's tests start from:
 * every section that has keys with defaults is present (a power section, a
 * market with one shock, one failure class, a catalog of one entry), and
 * none of those keys is given. Follows a "name: ..." line.
 */
#ifndef DCSIM_TESTS_SCHEMA_BASE_H
#define DCSIM_TESTS_SCHEMA_BASE_H

#include <stddef.h>
#include <string.h>

#define SCHEMA_BASE_BODY                                                                           \
    "cluster:\n"                                                                                   \
    "  accelerator: H100-SXM-80GB\n"                                                               \
    "  nodes: 16\n"                                                                                \
    "job:\n"                                                                                       \
    "  parameters: 1e9\n"                                                                          \
    "  tokens: 1e12\n"                                                                             \
    "  mfu: 0.4\n"                                                                                 \
    "checkpoint:\n"                                                                                \
    "  write_bandwidth: 1TB/s\n"                                                                   \
    "failures:\n"                                                                                  \
    "  - name: gpu\n"                                                                              \
    "    scope: accelerator\n"                                                                     \
    "    mtbf: 5y\n"                                                                               \
    "    repair_time: 2d\n"                                                                        \
    "power: {}\n"                                                                                  \
    "market:\n"                                                                                    \
    "  elasticity: 0.5\n"                                                                          \
    "  lead_time: 10w\n"                                                                           \
    "  shocks:\n"                                                                                  \
    "    - target: demand\n"                                                                       \
    "      factor: 2\n"                                                                            \
    "      start: 30d\n"                                                                           \
    "catalog:\n"                                                                                   \
    "  accelerators:\n"                                                                            \
    "    - key: BASE-CHIP\n"                                                                       \
    "      name: base chip\n"                                                                      \
    "      format: BF16\n"                                                                         \
    "      peak_flops: 4e14\n"                                                                     \
    "      memory: 64GB\n"                                                                         \
    "      tdp: 500W\n"                                                                            \
    "      purchase_usd: 20000\n"                                                                  \
    "      rental_usd_per_hour: 2\n"                                                               \
    "      sources: {peak_flops: a, memory: a, tdp: a, purchase_usd: a,\n"                         \
    "                rental_usd_per_hour: a}\n"

/* src with each "[]" (any item of a list) made "[0]" (its first item),
 * into dst[n]: "failures[].mtbf" -> "failures[0].mtbf". */
static inline void schema_first_item(char *dst, size_t n, const char *src, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len && src[i] != '\0' && j + 4 < n; i++) {
        if (src[i] == '[' && src[i + 1] == ']') {
            memcpy(dst + j, "[0]", 3);
            j += 3;
            i++;
        } else {
            dst[j++] = src[i];
        }
    }
    dst[j] = '\0';
}

#endif
