/*
 * test_occurrence: which occurrence a due task fires and where its
 * schedule continues — on time, late (missed slots coalesce into the
 * latest), at and after the end, one-time tasks, and cron tasks (same
 * rules on calendar occurrences, DST included).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "occurrence.h"

#define T0 1900000000LL		/* a start slot */

static struct task_schedule
periodic(int64_t next, int64_t freq, int64_t end)
{
	struct task_schedule t = { .kind = TASK_PERIODIC, .next_run_at = next,
	    .start = T0, .frequency = freq, .end = end };
	return t;
}

static void
test_one_time(void **state)
{
	struct task_schedule t = { .kind = TASK_ONE_TIME, .next_run_at = T0 };
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, T0 + 100, &slot, &next), 0);
	assert_int_equal(slot, T0);
	assert_int_equal(next, SCHEDULE_NONE);
}

static void
test_on_time(void **state)
{
	struct task_schedule t = periodic(T0 + 60, 60, SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, T0 + 60, &slot, &next), 0);
	assert_int_equal(slot, T0 + 60);
	assert_int_equal(next, T0 + 120);
	/* Half a period late: still that slot, next one unchanged. */
	assert_int_equal(occurrence_plan(&t, T0 + 90, &slot, &next), 0);
	assert_int_equal(slot, T0 + 60);
	assert_int_equal(next, T0 + 120);
}

static void
test_missed_slots_coalesce(void **state)
{
	struct task_schedule t = periodic(T0, 4, SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	/* Down for 3 slots and a bit: one late fire as the latest slot. */
	assert_int_equal(occurrence_plan(&t, T0 + 13, &slot, &next), 0);
	assert_int_equal(slot, T0 + 12);
	assert_int_equal(next, T0 + 16);
	/* Exactly on a slot: that slot fires, the next is one period later. */
	assert_int_equal(occurrence_plan(&t, T0 + 12, &slot, &next), 0);
	assert_int_equal(slot, T0 + 12);
	assert_int_equal(next, T0 + 16);
}

static void
test_end(void **state)
{
	struct task_schedule t = periodic(T0 + 20, 10, T0 + 25);
	int64_t slot, next;
	(void)state;
	/* The last slot: nothing after it. */
	assert_int_equal(occurrence_plan(&t, T0 + 20, &slot, &next), 0);
	assert_int_equal(slot, T0 + 20);
	assert_int_equal(next, SCHEDULE_NONE);
	/* End passed while down: the latest slot before the end fires once. */
	t = periodic(T0 + 10, 10, T0 + 35);
	assert_int_equal(occurrence_plan(&t, T0 + 500, &slot, &next), 0);
	assert_int_equal(slot, T0 + 30);
	assert_int_equal(next, SCHEDULE_NONE);
	/* An end before start + frequency: one occurrence. */
	t = periodic(T0, 3600, T0 + 60);
	assert_int_equal(occurrence_plan(&t, T0, &slot, &next), 0);
	assert_int_equal(slot, T0);
	assert_int_equal(next, SCHEDULE_NONE);
}

static void
test_no_drift(void **state)
{
	struct task_schedule t = periodic(T0, 7, SCHEDULE_NO_END);
	int64_t slot, next, now = T0;
	(void)state;
	/* Fired a little late each time, the slots stay on start + k*7. */
	for (int k = 0; k < 1000; k++) {
		assert_int_equal(occurrence_plan(&t, now + 1, &slot, &next), 0);
		assert_int_equal(slot, T0 + 7LL * k);
		assert_int_equal(next, T0 + 7LL * (k + 1));
		t.next_run_at = next;
		now = next;
	}
}

static void
test_bad_fields(void **state)
{
	struct task_schedule t = periodic(T0, 0, SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, T0, &slot, &next), -1);
	t = periodic(T0 - 5, 10, SCHEDULE_NO_END);
	assert_int_equal(occurrence_plan(&t, T0, &slot, &next), -1);
}

/* Cron tasks: 2027-01-01T00:00Z is a Friday; times in UTC seconds. */
#define C0 1798761600LL
#define MIN 60LL
#define HOUR 3600LL
#define DAYS 86400LL

static struct task_schedule
cron_task(const char *text, const char *zone, int64_t next, int64_t end)
{
	struct task_schedule t = { .kind = TASK_CRON, .next_run_at = next,
	    .start = C0, .end = end, .expr_ok = 1 };
	char err[256];

	assert_int_equal(cron_parse(text, &t.expr, err, sizeof(err)), 0);
	snprintf(t.cron, sizeof(t.cron), "%s", text);
	snprintf(t.zone, sizeof(t.zone), "%s", zone);
	return t;
}

static void
test_cron_on_time_and_late(void **state)
{
	struct task_schedule t = cron_task("*/15 * * * *", "UTC", C0,
	    SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, C0, &slot, &next), 0);
	assert_int_equal(slot, C0);
	assert_int_equal(next, C0 + 15 * MIN);
	assert_int_equal(occurrence_plan(&t, C0 + 5, &slot, &next), 0);
	assert_int_equal(slot, C0);
	assert_int_equal(next, C0 + 15 * MIN);
	/* Down for 10 hours and 7 minutes: one late fire as 10:00. */
	assert_int_equal(occurrence_plan(&t, C0 + 10 * HOUR + 7 * MIN, &slot,
	    &next), 0);
	assert_int_equal(slot, C0 + 10 * HOUR);
	assert_int_equal(next, C0 + 10 * HOUR + 15 * MIN);
	/* Down for 40 days: the walk stays short, the answer exact. */
	assert_int_equal(occurrence_plan(&t, C0 + 40 * DAYS + 1, &slot, &next), 0);
	assert_int_equal(slot, C0 + 40 * DAYS);
	assert_int_equal(next, C0 + 40 * DAYS + 15 * MIN);
}

static void
test_cron_sparse_missed(void **state)
{
	/* 09:00 New York on the 1st: EST -5 in January..March 1st. */
	struct task_schedule t = cron_task("0 9 1 * *", "America/New_York",
	    C0 + 14 * HOUR, SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	/* 2027-03-20: Feb 1 and Mar 1 missed, Mar 1 fires late. */
	assert_int_equal(occurrence_plan(&t, C0 + 78 * DAYS, &slot, &next), 0);
	assert_int_equal(slot, C0 + 59 * DAYS + 14 * HOUR);	/* 2027-03-01 */
	assert_int_equal(next, C0 + 90 * DAYS + 13 * HOUR);	/* Apr 1, EDT */
}

static void
test_cron_end(void **state)
{
	struct task_schedule t = cron_task("0 * * * *", "UTC", C0,
	    C0 + 3 * HOUR);
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, C0 + 2 * HOUR, &slot, &next), 0);
	assert_int_equal(slot, C0 + 2 * HOUR);
	assert_int_equal(next, C0 + 3 * HOUR);	/* the end itself is a slot */
	assert_int_equal(occurrence_plan(&t, C0 + 3 * HOUR, &slot, &next), 0);
	assert_int_equal(next, SCHEDULE_NONE);	/* then completed */
	/* Back long after the end: the latest slot before the end fires. */
	t.next_run_at = C0 + HOUR;
	assert_int_equal(occurrence_plan(&t, C0 + 9 * HOUR, &slot, &next), 0);
	assert_int_equal(slot, C0 + 3 * HOUR);
	assert_int_equal(next, SCHEDULE_NONE);
}

static void
test_cron_dst_and_bad(void **state)
{
	/* Berlin 02:30 on 2027-03-28 (spring forward at 01:00Z): the jump. */
	struct task_schedule t = cron_task("30 2 * * *", "Europe/Berlin",
	    1806111000LL, SCHEDULE_NO_END);	/* 2027-03-27T01:30Z */
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, 1806111000LL, &slot, &next), 0);
	assert_int_equal(next, 1806195600LL);	/* 2027-03-28T01:00Z */
	t.expr_ok = 0;
	assert_int_equal(occurrence_plan(&t, 1806111000LL, &slot, &next), -1);
}

/* A stored next_run_at that is no occurrence fires nothing. */
static void
test_cron_skip_and_recheck(void **state)
{
	struct task_schedule t = cron_task("0 * * * *", "UTC", C0 + 90,
	    SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	/* C0+90 is a recheck time: at C0+100 nothing is due, next 01:00. */
	assert_int_equal(occurrence_plan(&t, C0 + 100, &slot, &next),
	    OCCURRENCE_SKIP);
	assert_int_equal(next, C0 + HOUR);
	/* At 03:10 the 03:00 occurrence, missed since, fires. */
	assert_int_equal(occurrence_plan(&t, C0 + 3 * HOUR + 600, &slot,
	    &next), 0);
	assert_int_equal(slot, C0 + 3 * HOUR);
	assert_int_equal(next, C0 + 4 * HOUR);
	/* An unreadable zone: the stored occurrence fires, and the task is
	 * looked at again a minute later instead of ending. */
	t = cron_task("0 * * * *", "Nowhere/City", C0, SCHEDULE_NO_END);
	assert_int_equal(occurrence_plan(&t, C0 + 5, &slot, &next),
	    OCCURRENCE_RECHECK);
	assert_int_equal(slot, C0);
	assert_int_equal(next, C0 + MIN + 30);	/* second 30: a recheck time */
	/* Still unreadable at the recheck: nothing fires, not every minute. */
	t.next_run_at = next;
	assert_int_equal(occurrence_plan(&t, C0 + MIN + 30, &slot, &next),
	    OCCURRENCE_RECHECK);
	assert_int_equal(slot, SCHEDULE_NONE);
	assert_int_equal(next, C0 + 2 * MIN + 30);
	/* Readable again: the recheck time is no occurrence; 01:00 is next. */
	snprintf(t.zone, sizeof(t.zone), "%s", "UTC");
	assert_int_equal(occurrence_plan(&t, C0 + 2 * MIN + 30, &slot, &next),
	    OCCURRENCE_SKIP);
	assert_int_equal(next, C0 + HOUR);
	snprintf(t.zone, sizeof(t.zone), "%s", "Nowhere/City");
	t.next_run_at = C0;
	t.end = C0 + 30;
	assert_int_equal(occurrence_plan(&t, C0 + 5, &slot, &next),
	    OCCURRENCE_RECHECK);
	assert_int_equal(next, SCHEDULE_NONE);
}

/* Dense occurrences missed for most of a year: found by bisection. */
static void
test_cron_long_outage(void **state)
{
	/* Every minute, January to October; next_run_at 2027-01-01. */
	struct task_schedule t = cron_task("* * * 1-10 *", "Europe/Berlin",
	    C0, SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	/* 2027-12-31T00:00Z: the latest is 2027-10-31 23:59 CET = 22:59Z. */
	assert_int_equal(occurrence_plan(&t, C0 + 364 * DAYS, &slot, &next), 0);
	assert_int_equal(slot, C0 + 303 * DAYS + 22 * HOUR + 59 * MIN);
	/* 2028-01-01 00:00 CET = 2027-12-31T23:00Z. */
	assert_int_equal(next, C0 + 364 * DAYS + 23 * HOUR);
}

/*
 * The preview walks the planner: each time is what the claim fires when
 * the one before it has fired on time.
 */
static void
test_preview_periodic(void **state)
{
	struct task_schedule t = periodic(T0 + 60, 60, T0 + 240);
	int64_t times[10];
	(void)state;
	/* From before the stored slot: it first, then the grid to the end. */
	assert_int_equal(occurrence_preview(&t, T0 + 10, times, 10), 4);
	assert_int_equal(times[0], T0 + 60);
	assert_int_equal(times[1], T0 + 120);
	assert_int_equal(times[3], T0 + 240);
	/* At most max. */
	assert_int_equal(occurrence_preview(&t, T0 + 10, times, 2), 2);
	assert_int_equal(times[1], T0 + 120);
	/* The stored slot a little in the past is still what fires next. */
	assert_int_equal(occurrence_preview(&t, T0 + 70, times, 10), 4);
	assert_int_equal(times[0], T0 + 60);
	/* Missed slots coalesce as the claim coalesces them. */
	assert_int_equal(occurrence_preview(&t, T0 + 200, times, 10), 2);
	assert_int_equal(times[0], T0 + 180);
	assert_int_equal(times[1], T0 + 240);
	/* Nothing stored: nothing fires. */
	t.next_run_at = SCHEDULE_NONE;
	assert_int_equal(occurrence_preview(&t, T0, times, 10), 0);
}

static void
test_preview_one_time_and_cron(void **state)
{
	struct task_schedule o = { .kind = TASK_ONE_TIME, .next_run_at = T0 };
	struct task_schedule c = cron_task("0 * * * *", "UTC", C0,
	    SCHEDULE_NO_END);
	int64_t times[100], slot, next;
	(void)state;
	assert_int_equal(occurrence_preview(&o, T0 - 5, times, 10), 1);
	assert_int_equal(times[0], T0);
	assert_int_equal(occurrence_preview(&c, C0 - 5, times, 100), 100);
	assert_int_equal(times[0], C0);
	assert_int_equal(times[99], C0 + 99 * HOUR);
	/* Each one is what occurrence_plan fires after the one before. */
	for (int i = 1; i < 100; i++) {
		c.next_run_at = times[i - 1];
		assert_int_equal(occurrence_plan(&c, times[i - 1], &slot, &next), 0);
		assert_int_equal(next, times[i]);
	}
	/* A stored time that is no occurrence fires nothing: skipped. */
	c.next_run_at = C0 + 30 * MIN;
	assert_int_equal(occurrence_preview(&c, C0, times, 2), 2);
	assert_int_equal(times[0], C0 + HOUR);
	assert_int_equal(times[1], C0 + 2 * HOUR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cron_skip_and_recheck),
		cmocka_unit_test(test_cron_long_outage),
		cmocka_unit_test(test_cron_on_time_and_late),
		cmocka_unit_test(test_cron_sparse_missed),
		cmocka_unit_test(test_cron_end),
		cmocka_unit_test(test_cron_dst_and_bad),
		cmocka_unit_test(test_one_time),
		cmocka_unit_test(test_on_time),
		cmocka_unit_test(test_missed_slots_coalesce),
		cmocka_unit_test(test_end),
		cmocka_unit_test(test_no_drift),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_preview_periodic),
		cmocka_unit_test(test_preview_one_time_and_cron),
	};
	return cmocka_run_group_tests_name("occurrence", tests, NULL, NULL);
}
