/*
 * catalog.c - the built-in accelerator catalog: one static const table.
 *
 * Every figure comes from the project's domain reference (shared refs,
 * sections 5 and 6.1), which in turn quotes the Epoch AI chip database
 * [EPOCH-DB] for peak dense BF16/FP16 FLOP/s, memory and TDP, and Epoch's
 * hardware price table [EPOCH-PRICES] for purchase and rental prices, each
 * row of which carries its own archived URL and date. The comment above an
 * entry says why that price was chosen; the entry's `source` string names
 * the source key and date of each figure so that `dcsim catalog` can show
 * them to users.
 *
 * Prices are one representative market figure, not an average: purchase is
 * a per-accelerator price (an 8-GPU HGX/DGX price divided by 8 where that is
 * all there is, which includes the rest of the server), rental is a typical
 * neocloud or committed-use price at a stated date, not the highest
 * hyperscaler on-demand list price. A figure that was not found in public
 * material is NAN and its source says "not found"; nothing is invented.
 * Memory is in bytes with GB = 1e9 and GiB = 2^30, as the vendor states it.
 * Each entry also names the numeric format its peak counts (BF16; FP16 for
 * the V100, which has no BF16). The source keys in brackets are listed with
 * their full references in docs/references.md (a test checks every key).
 * Lookup is a linear scan: the table has about twenty entries.
 */
#include "catalog.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>

/* An entry: the accelerator and the numeric format of its peak. */
typedef struct entry {
    dcs_accel a;
    const char *format; /* the format peak_flops counts: BF16, or FP16 where there is no BF16 */
} entry;

static const entry catalog[] = {
    /* V100 SXM2 32 GB. Purchase: Microway's single-unit list price, 2018-05, the one
     * chip-only price for this exact part. Rental: AWS p3dn (8 x V100 SXM2 32 GB) 1-year
     * reserved rate, 2019; a committed rate is what a GPT-3-era (2020) run of thousands of
     * V100s would have paid, whereas the $3.90 on-demand list price is the ceiling. */
    {.a =
         {
             .key = "V100-SXM2-32GB",
             .name = "NVIDIA V100 SXM2 32 GB",
             .peak_flops = 125e12,
             .memory_bytes = 32e9,
             .tdp_w = 300.0,
             .purchase_usd = 11458.0,
             .rental_usd_per_h = 2.29,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB], peak 125 TFLOP/s also [PAT21]; "
                       "purchase: Microway single-unit list $11,458 2018-05 [EPOCH-PRICES]; "
                       "rental: AWS p3dn 1-yr reserved $2.29 2019-01..2019-08 [EPOCH-PRICES]",
         },
     .format = "FP16"},
    /* A100 SXM 40 GB. Purchase: $12,500 (2022-07), the market price two years after
     * launch; the launch list price was $15,000 (2020-07, NextPlatform). Rental: Lambda
     * on-demand $1.29, a neocloud price stable from 2024-07 to 2025-02. */
    {.a =
         {
             .key = "A100-SXM-40GB",
             .name = "NVIDIA A100 SXM4 40 GB",
             .peak_flops = 312e12,
             .memory_bytes = 40e9,
             .tdp_w = 400.0,
             .purchase_usd = 12500.0,
             .rental_usd_per_h = 1.29,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB]; purchase: $12,500 2022-07 "
                       "(launch list $15,000 2020-07) [EPOCH-PRICES]; "
                       "rental: Lambda $1.29 2024-07 [EPOCH-PRICES]",
         },
     .format = "BF16"},
    /* A100 SXM 80 GB. Purchase: the $17,500 list price (2020-07), which single-unit and
     * HGX-board prices still matched in 2025-03 ($17,349 to $17,499). Rental: RunPod
     * $1.89, a neocloud price (2025-03; $1.94 in 2024-07). */
    {.a =
         {
             .key = "A100-SXM-80GB",
             .name = "NVIDIA A100 SXM4 80 GB",
             .peak_flops = 312e12,
             .memory_bytes = 80e9,
             .tdp_w = 400.0,
             .purchase_usd = 17500.0,
             .rental_usd_per_h = 1.89,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB]; purchase: list $17,500 2020-07, "
                       "$17,349-17,499 2025-03 [EPOCH-PRICES]; rental: RunPod $1.89 2025-03 "
                       "[EPOCH-PRICES]",
         },
     .format = "BF16"},
    /* H100 SXM 80 GB. Purchase: HGX 8-GPU board price per GPU, $31,905 (2025-01), the most
     * recent of four HGX figures ($31,120 to $36,018, 2023-09 to 2024-07). Rental: Lambda
     * $2.99 (2024-09), the neocloud on-demand price after the 2024 price fall (domain
     * section 6.1: $2.85 typical early 2024, $1.70 low in 2025-10); hyperscaler on-demand
     * ($11 to $12 in 2025-03) is the ceiling, not the market. */
    {.a =
         {
             .key = "H100-SXM-80GB",
             .name = "NVIDIA H100 SXM5 80 GB",
             .peak_flops = 989e12,
             .memory_bytes = 80e9,
             .tdp_w = 700.0,
             .purchase_usd = 31905.0,
             .rental_usd_per_h = 2.99,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB] (vendor datasheet: 989 TFLOP/s "
                       "BF16 dense); purchase: HGX 8-GPU per GPU $31,905 2025-01 [EPOCH-PRICES]; "
                       "rental: Lambda $2.99 2024-09 [EPOCH-PRICES]",
         },
     .format = "BF16"},
    /* H800 SXM5 80 GB (the export variant of the H100: same compute, reduced NVLink).
     * Purchase: $33,800 (2025-02), a chip price; DGX systems were $44,750 per GPU.
     * Rental: $2.00, the rate DeepSeek used to cost its V3 run (2024-12); it matches the
     * neocloud H100 rates of the time, while the one list price found (CR8DL $3.42,
     * 2024-08) is a single on-demand offer. */
    {.a =
         {
             .key = "H800-SXM-80GB",
             .name = "NVIDIA H800 SXM5 80 GB",
             .peak_flops = 989e12,
             .memory_bytes = 80e9,
             .tdp_w = 700.0,
             .purchase_usd = 33800.0,
             .rental_usd_per_h = 2.00,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB]; purchase: $33,800 2025-02 "
                       "[EPOCH-PRICES]; rental: DeepSeek-V3 accounting rate $2.00 2024-12 [DSV3] "
                       "(CR8DL on-demand $3.42 2024-08 [EPOCH-PRICES])",
         },
     .format = "BF16"},
    /* H200 SXM 141 GB. Purchase: HGX 8-GPU price per GPU, $39,083 (2025-01), the same
     * basis and date as the H100 entry. Rental: not found at a neocloud or committed
     * rate; the only figure found, AWS on-demand $10.60 (2025-03), is a hyperscaler list
     * price about 3.5 times the neocloud H100 rate, so it is not used. A scenario on H200
     * must set cluster.price_usd_per_accelerator_hour. */
    {.a =
         {
             .key = "H200-SXM-141GB",
             .name = "NVIDIA H200 SXM 141 GB",
             .peak_flops = 989e12,
             .memory_bytes = 141e9,
             .tdp_w = 700.0,
             .purchase_usd = 39083.0,
             .rental_usd_per_h = NAN,
             .source =
                 "peak/TDP: Epoch chip DB [EPOCH-DB]; memory 141 GB: nvidia.com H200 page "
                 "[S-H200]; purchase: HGX 8-GPU per GPU $39,083 2025-01 [EPOCH-PRICES]; rental: "
                 "not found (only AWS on-demand $10.60 2025-03 [EPOCH-PRICES], not typical)",
         },
     .format = "BF16"},
    /* B200. Purchase: DGX B200 price per GPU including the system, $47,409 (2024-12,
     * converted from EUR); no chip-only price was found. Rental: about $3.20 per GPU-hour
     * in early 2025 (RBC data reported by FT Alphaville, secondary source), a market
     * average rather than a list price. */
    {.a =
         {
             .key = "B200",
             .name = "NVIDIA B200 192 GB",
             .peak_flops = 2250e12,
             .memory_bytes = 192e9,
             .tdp_w = 1000.0,
             .purchase_usd = 47409.0,
             .rental_usd_per_h = 3.20,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB] (192 GB nominal, 180 GB usable in "
                       "HGX [S-B200]); purchase: DGX B200 per GPU incl. system $47,409 2024-12 "
                       "[EPOCH-PRICES]; rental: ~$3.20 early 2025, FT Alphaville/RBC [S-B200]",
         },
     .format = "BF16"},
    /* MI300X. Purchase: 8-GPU OAM board price per GPU, $25,734 (2025-02). Rental: Vultr
     * on-demand $1.85, a neocloud price between TensorWave ($1.50) and the Azure/Oracle
     * list prices (about $6); from a low-authority research note dated 2026-05. */
    {.a =
         {
             .key = "MI300X",
             .name = "AMD Instinct MI300X 192 GB",
             .peak_flops = 1307e12,
             .memory_bytes = 192e9,
             .tdp_w = 750.0,
             .purchase_usd = 25734.0,
             .rental_usd_per_h = 1.85,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB]; purchase: 8-GPU OAM board per GPU "
                       "$25,734 2025-02 [EPOCH-PRICES]; rental: Vultr $1.85, cliffcenter.com note "
                       "2026-05 [S-MI300X] (low authority)",
         },
     .format = "BF16"},
    /* TPU v4. Not sold: the purchase price is Epoch's estimate ($5,176, 2021-05, the
     * geometric mean of manufacturing cost and an equivalent GPU's price), not a
     * transaction. Rental: GCP 1-year committed-use price per chip-hour, $2.03, unchanged
     * 2022-05 to 2025-03; committed use is how large TPU jobs are bought. */
    /* TPU v3: the chip of four of the five runs of Patterson et al. 2021
     * Table 4. Peak 123 TFLOP/s and 32 GiB HBM2 per chip (Google Cloud TPU v3
     * docs), TDP 450 W (Patterson Table 4); not sold, and no rental price in
     * the references. */
    {.a =
         {
             .key = "TPU-v3",
             .name = "Google TPU v3 32 GiB",
             .peak_flops = 123e12,
             .memory_bytes = 34359738368.0, /* 32 GiB */
             .tdp_w = 450.0,
             .purchase_usd = NAN,
             .rental_usd_per_h = NAN,
             .source =
                 "peak 123 TFLOP/s, 32 GiB HBM2: Google Cloud TPU v3 docs [GCP-TPU]; TDP 450 W: "
                 "Patterson et al. 2021, arXiv 2104.10350, Table 4 [PAT21]; purchase and "
                 "rental prices: not found",
         },
     .format = "BF16"},
    {.a =
         {
             .key = "TPU-v4",
             .name = "Google TPU v4 32 GiB",
             .peak_flops = 275e12,
             .memory_bytes = 34359738368.0, /* 32 GiB = 32 * 2^30 bytes */
             .tdp_w = 170.0,
             .purchase_usd = 5176.0,
             .rental_usd_per_h = 2.03,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB]; purchase: not sold, Epoch estimate "
                       "$5,176 2021-05 [EPOCH24]; rental: GCP 1-yr committed $2.03/chip-h "
                       "2022-05..2025-03 [EPOCH-PRICES]",
         },
     .format = "BF16"},
    /* TPU v5e. Not sold: Epoch's purchase estimate, $1,781. Rental: GCP 1-year
     * committed-use price in US regions, $0.84 per chip-hour (2024-08, 2025-03). */
    {.a =
         {
             .key = "TPU-v5e",
             .name = "Google TPU v5e 16 GB",
             .peak_flops = 197e12,
             .memory_bytes = 16e9,
             .tdp_w = 140.0,
             .purchase_usd = 1781.0,
             .rental_usd_per_h = 0.84,
             .source = "peak/mem/TDP: Epoch chip DB [EPOCH-DB]; purchase: not sold, Epoch estimate "
                       "$1,781 [EPOCH24]; rental: GCP US 1-yr committed $0.84/chip-h 2024-08 "
                       "[EPOCH-PRICES]",
         },
     .format = "BF16"},
    /* TPU v5p. Not sold: Epoch's purchase estimate, $3,694. TDP and rental price were not
     * found in the stored public material; the commonly cited GCP on-demand list price
     * (about $4.20 per chip-hour) was not confirmed, so both are NAN. */
    {.a =
         {
             .key = "TPU-v5p",
             .name = "Google TPU v5p 95 GB",
             .peak_flops = 459e12,
             .memory_bytes = 95e9,
             .tdp_w = NAN,
             .purchase_usd = 3694.0,
             .rental_usd_per_h = NAN,
             .source = "peak/mem: Epoch chip DB [EPOCH-DB]; TDP: not found; purchase: not sold, "
                       "Epoch estimate $3,694 [EPOCH24]; rental: not found (GCP ~$4.20 on-demand "
                       "is [CC], unconfirmed)",
         },
     .format = "BF16"},
    /* The parts planners ask about next (issue 17). Their figures come from
     * secondary pages that reproduce vendor datasheets ([S] with the page in
     * docs/references.md), or the domain reference; what was not found in
     * public material is NAN, and the source says so. */
    /* L40S: a PCIe inference and fine-tuning card. Dense BF16 362 TFLOP/s
     * (733 with sparsity), 48 GB GDDR6, 350 W: NVIDIA's L40/L40S datasheet
     * table. No purchase or rental price in the references. */
    {.a =
         {
             .key = "L40S",
             .name = "NVIDIA L40S 48 GB",
             .peak_flops = 362.05e12,
             .memory_bytes = 48e9,
             .tdp_w = 350.0,
             .purchase_usd = NAN,
             .rental_usd_per_h = NAN,
             .source = "peak (dense; 733 sparse), memory, power: NVIDIA L40/L40S datasheet table "
                       "[S-L40S]; purchase and rental: not found",
         },
     .format = "BF16"},
    /* GH200 (96 GB): the H100 GPU of a Grace Hopper superchip, as in NCSA's
     * Delta (608 H100 96 GB in GH200, domain 1.5). Its peak is the H100's
     * silicon. No GPU-only power: the module's power is set for CPU and GPU
     * together. */
    {.a =
         {
             .key = "GH200-96GB",
             .name = "NVIDIA GH200 (H100 96 GB GPU)",
             .peak_flops = 989e12,
             .memory_bytes = 96e9,
             .tdp_w = NAN,
             .purchase_usd = NAN,
             .rental_usd_per_h = NAN,
             .source = "peak: the H100 SXM's [EPOCH-DB] (same GPU); memory: 96 GB HBM3, Delta "
                       "cluster [DELTA25]; TDP: n/a, the superchip's power budget is shared with "
                       "its Grace CPU; purchase and rental: not found",
         },
     .format = "BF16"},
    /* GB200: one Blackwell GPU of a GB200 superchip (NVL72 rack), at its
     * 1,200 W configuration: dense BF16 2,500 TFLOP/s against the HGX
     * B200's 2,250 at 1,000 W. */
    {.a =
         {
             .key = "GB200",
             .name = "NVIDIA GB200 (one B200 GPU, 1,200 W)",
             .peak_flops = 2500e12,
             .memory_bytes = 192e9,
             .tdp_w = 1200.0,
             .purchase_usd = NAN,
             .rental_usd_per_h = NAN,
             .source = "peak, memory, power: GB200 variant of B200 at 1,200 W [S-BLACKWELL]; "
                       "purchase and rental: not found (sold as NVL72 racks)",
         },
     .format = "BF16"},
    /* B300 (Blackwell Ultra), HGX: dense BF16 2,250 TFLOP/s as the B200
     * (the gains are in FP4), 288 GB HBM3e; 1,100 W for the HGX part
     * (1,400 W in GB300). */
    {.a =
         {
             .key = "B300",
             .name = "NVIDIA B300 (Blackwell Ultra) 288 GB",
             .peak_flops = 2250e12,
             .memory_bytes = 288e9,
             .tdp_w = 1100.0,
             .purchase_usd = NAN,
             .rental_usd_per_h = NAN,
             .source = "peak, memory: HGX B300 [S-BLACKWELL]; TDP 1,100 W (GB300: 1,400 W) "
                       "[S-B300]; purchase and rental: not found",
         },
     .format = "BF16"},
    /* MI325X: the MI300X's CDNA 3 compute with 256 GB HBM3E, at 1,000 W. */
    {.a =
         {
             .key = "MI325X",
             .name = "AMD Instinct MI325X 256 GB",
             .peak_flops = 1307.4e12,
             .memory_bytes = 256e9,
             .tdp_w = 1000.0,
             .purchase_usd = NAN,
             .rental_usd_per_h = NAN,
             .source =
                 "peak, memory, power: AMD MI325X specifications [S-MI325X]; purchase: not "
                 "found; rental: only low-authority listings ($2.00-2.25) [S-MI325X], not used",
         },
     .format = "BF16"},
    /* Gaudi 3 (OAM): 1,835 TFLOP/s BF16 from its matrix engines, 128 GB
     * HBM2e, 900 W. Purchase: Intel's price of an 8-accelerator kit,
     * $125,000, is $15,625 each (2024). */
    {.a =
         {
             .key = "Gaudi3",
             .name = "Intel Gaudi 3 128 GB (OAM)",
             .peak_flops = 1835e12,
             .memory_bytes = 128e9,
             .tdp_w = 900.0,
             .purchase_usd = 15625.0,
             .rental_usd_per_h = NAN,
             .source = "peak (matrix engines), memory, power: Intel Vision 2024 [S-GAUDI3]; "
                       "purchase: 8-accelerator kit $125,000 / 8, Intel 2024 [S-GAUDI3]; rental: "
                       "not found",
         },
     .format = "BF16"},
    /* TPU v6e (Trillium): domain section 5. Not sold: Epoch's estimate.
     * Rental: GCP 1-year committed price, US, 2025-03. TDP not found. */
    {.a =
         {
             .key = "TPU-v6e",
             .name = "Google TPU v6e (Trillium) 32 GB",
             .peak_flops = 918e12,
             .memory_bytes = 32e9,
             .tdp_w = NAN,
             .purchase_usd = 6518.0,
             .rental_usd_per_h = 1.89,
             .source =
                 "peak/mem: Epoch chip DB [EPOCH-DB]; TDP: not found; purchase: not sold, "
                 "Epoch estimate $6,518 [EPOCH24]; rental: GCP US 1-yr committed $1.89/chip-h "
                 "2025-03 [EPOCH-PRICES]",
         },
     .format = "BF16"},
    /* Trainium2: about 667 TFLOP/s BF16 dense, 96 GB HBM, about 500 W (an
     * analysis of the chip; AWS publishes per-instance figures: 20.8 PF
     * dense FP8 for 16 chips). Only rented, by the instance. */
    {.a =
         {
             .key = "Trainium2",
             .name = "AWS Trainium2 96 GB",
             .peak_flops = 667e12,
             .memory_bytes = 96e9,
             .tdp_w = 500.0,
             .purchase_usd = NAN,
             .rental_usd_per_h = NAN,
             .source = "peak, power: analysis of the chip (~667 TFLOP/s BF16, ~500 W) [S-TRN2]; "
                       "memory 96 GB HBM: AWS re:Invent 2023 [S-TRN2]; purchase: not sold; rental: "
                       "not found per chip (AWS prices whole Trn2 instances)",
         },
     .format = "BF16"},
};

size_t dcs_catalog_count(void)
{
    return sizeof catalog / sizeof catalog[0];
}

const dcs_accel *dcs_catalog_at(size_t i)
{
    if (i >= dcs_catalog_count())
        return NULL;
    return &catalog[i].a;
}

/* ASCII case-insensitive string equality; keys are ASCII. */
static int equal_nocase(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    }
    return *a == *b;
}

const char *dcs_catalog_format(const dcs_accel *a)
{
    for (size_t i = 0; i < dcs_catalog_count(); i++)
        if (&catalog[i].a == a || (a != NULL && equal_nocase(catalog[i].a.key, a->key)))
            return catalog[i].format;
    return "BF16";
}

const dcs_accel *dcs_catalog_find(const char *key)
{
    if (key == NULL)
        return NULL;
    for (size_t i = 0; i < dcs_catalog_count(); i++) {
        if (equal_nocase(catalog[i].a.key, key))
            return &catalog[i].a;
    }
    return NULL;
}
