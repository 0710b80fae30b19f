/*
 * test_progress.c - the progress bar's text: done/total, the group counter
 * a sweep adds ("points 3/20"), and a bar that grows over several runner
 * calls (batches of replications).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <string.h>

#include "progress.h"

#define assert_has(text, want)                                                                     \
    cr_assert(strstr((text), (want)) != NULL, "\"%s\" not found in \"%s\"", (want), (text))

Test(progress, shows_done_total_percent_rate_and_eta)
{
    dcs_progress p;
    dcs_progress_init(&p, NULL, 0, 1000, "replications");
    dcs_progress_update(&p, 250);
    char line[256];
    /* 250 done in 10 s: 25 per second, 750 left: 30 s. */
    dcs_progress_format(&p, p.t_start_s + 10.0, line, sizeof line);
    assert_has(line, "] 250/1000  25%");
    assert_has(line, "25.0 replications/s");
    assert_has(line, "ETA 0:00:30");
    cr_assert(strstr(line, "points") == NULL);
}

Test(progress, shows_the_group_counter_beside_the_items)
{
    dcs_progress p;
    dcs_progress_init(&p, NULL, 0, 400, "replications");
    dcs_progress_groups(&p, 3, 20, "points");
    dcs_progress_update(&p, 60);
    char line[256];
    dcs_progress_format(&p, p.t_start_s + 1.0, line, sizeof line);
    assert_has(line, "] points 3/20  60/400  15%");
    dcs_progress_groups(&p, 4, 20, NULL); /* the label is kept */
    dcs_progress_format(&p, p.t_start_s + 1.0, line, sizeof line);
    assert_has(line, "points 4/20");
}

Test(progress, a_later_runner_call_counts_on_from_the_items_done)
{
    dcs_progress p;
    dcs_progress_init(&p, NULL, 0, 200, "replications");
    dcs_progress_update(&p, 200); /* first call: 200 of 200 */
    dcs_progress_next(&p, 30);    /* a batch of 30 more */
    cr_assert(eq(u64, p.total, 230));
    dcs_progress_update(&p, 0); /* the runner starts its count at 0 */
    cr_assert(eq(u64, p.done, 200));
    dcs_progress_update(&p, 12);
    cr_assert(eq(u64, p.done, 212));
    char line[256];
    dcs_progress_format(&p, p.t_start_s + 2.0, line, sizeof line);
    assert_has(line, " 212/230  92%");
}

Test(progress, more_done_than_total_never_overflows_the_bar)
{
    dcs_progress p;
    dcs_progress_init(&p, NULL, 0, 10, NULL);
    dcs_progress_update(&p, 15);
    char line[256];
    dcs_progress_format(&p, p.t_start_s + 1.0, line, sizeof line);
    assert_has(line, "[########################] 15/10 100%");
    assert_has(line, "ETA 0:00:00");
    assert_has(line, "items/s");
}
