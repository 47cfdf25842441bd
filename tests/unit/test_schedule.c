/*
 * test_schedule: periodic slots — boundaries at start, at a slot, at the
 * end; coalescing missed slots; the 10-year frequency with year-9999
 * times; overflow at the int64 edges; and a brute-force comparison with a
 * slot-by-slot walk on small numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "schedule.h"

#define START INT64_C(1922706000)	/* 2030-12-05T13:00:00Z */
#define DAY INT64_C(86400)
#define END INT64_C(1925384400)	/* 2031-01-05T13:00:00Z = START + 31 days */
#define MAX_FREQ INT64_C(315360000)
#define YEAR_9999_END INT64_C(253402300799)

static void
test_at_or_after(void **state)
{
	(void)state;
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, 0), START);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, START - 1), START);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, START), START);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, START + 1), START + DAY);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, START + DAY), START + DAY);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, START + DAY + 1), START + 2 * DAY);
	/* The end itself is a slot here (31 days); nothing after it. */
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, END - 1), END);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, END), END);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, END, END + 1), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, SCHEDULE_NO_END, END + 1), END + DAY);
}

static void
test_after(void **state)
{
	(void)state;
	assert_int_equal(schedule_slot_after(START, DAY, END, START - 1), START);
	assert_int_equal(schedule_slot_after(START, DAY, END, START), START + DAY);
	assert_int_equal(schedule_slot_after(START, DAY, END, START + DAY - 1), START + DAY);
	assert_int_equal(schedule_slot_after(START, DAY, END, START + DAY), START + 2 * DAY);
	assert_int_equal(schedule_slot_after(START, DAY, END, END - 1), END);
	assert_int_equal(schedule_slot_after(START, DAY, END, END), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_after(START, DAY, SCHEDULE_NO_END, INT64_MAX), SCHEDULE_NONE);
}

static void
test_at_or_before(void **state)
{
	(void)state;
	assert_int_equal(schedule_slot_at_or_before(START, DAY, START - 1), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_before(START, DAY, 0), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_before(START, DAY, START), START);
	assert_int_equal(schedule_slot_at_or_before(START, DAY, START + DAY - 1), START);
	assert_int_equal(schedule_slot_at_or_before(START, DAY, START + DAY), START + DAY);
	/* Ignores the end: a missed slot after it is still "the latest slot". */
	assert_int_equal(schedule_slot_at_or_before(START, DAY, END + 5 * DAY + 7), END + 5 * DAY);
}

/*
 * docs/API.md §18: a dispatcher down for ten and a half days fires the
 * latest missed slot once, then continues at the next future slot.
 */
static void
test_coalesce_missed_slots(void **state)
{
	int64_t now = START + 10 * DAY + DAY / 2;
	(void)state;
	assert_int_equal(schedule_slot_at_or_before(START, DAY, now), START + 10 * DAY);
	assert_int_equal(schedule_slot_after(START, DAY, END, now), START + 11 * DAY);
	/* Past the end: the latest missed slot is the end's, then nothing. */
	now = END + 3 * DAY;
	assert_int_equal(schedule_slot_at_or_before(START, DAY, now), END + 3 * DAY);
	assert_int_equal(schedule_slot_after(START, DAY, END, now), SCHEDULE_NONE);
}

/* An end earlier than start + frequency leaves exactly one slot. */
static void
test_end_before_second_slot(void **state)
{
	(void)state;
	assert_int_equal(schedule_slot_at_or_after(START, DAY, START + 60, START), START);
	assert_int_equal(schedule_slot_after(START, DAY, START + 60, START), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, START, 0), START);
	assert_int_equal(schedule_slot_at_or_after(START, DAY, START - 1, 0), SCHEDULE_NONE);
}

static void
test_frequency_one_second(void **state)
{
	(void)state;
	assert_int_equal(schedule_slot_at_or_after(START, 1, SCHEDULE_NO_END, START + 12345), START + 12345);
	assert_int_equal(schedule_slot_after(START, 1, SCHEDULE_NO_END, START + 12345), START + 12346);
	assert_int_equal(schedule_slot_at_or_before(START, 1, START + 12345), START + 12345);
}

/* Ten-year frequency near year 9999 and beyond: no overflow, exact slots. */
static void
test_large_values(void **state)
{
	(void)state;
	int64_t s = YEAR_9999_END - MAX_FREQ;
	assert_int_equal(schedule_slot_at_or_after(s, MAX_FREQ, YEAR_9999_END, s + 1), YEAR_9999_END);
	assert_int_equal(schedule_slot_after(s, MAX_FREQ, YEAR_9999_END, YEAR_9999_END), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_after(s, MAX_FREQ, SCHEDULE_NO_END, YEAR_9999_END),
	    YEAR_9999_END + MAX_FREQ);
	assert_int_equal(schedule_slot_at_or_after(0, MAX_FREQ, SCHEDULE_NO_END, YEAR_9999_END),
	    (YEAR_9999_END / MAX_FREQ + 1) * MAX_FREQ);
	/* Near INT64_MAX the next slot does not fit: none, never a wrapped value. */
	assert_int_equal(schedule_slot_at_or_after(0, MAX_FREQ, SCHEDULE_NO_END, INT64_MAX - 1), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_after(1, MAX_FREQ, SCHEDULE_NO_END, INT64_MAX), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_after(INT64_MAX - 5, 10, SCHEDULE_NO_END, INT64_MAX - 5), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_before(0, MAX_FREQ, INT64_MAX),
	    INT64_MAX / MAX_FREQ * MAX_FREQ);
	assert_int_equal(schedule_slot_at_or_before(INT64_MIN, INT64_MAX, INT64_MAX), INT64_MAX - 1);
	assert_int_equal(schedule_slot_at_or_after(INT64_MIN, 1, SCHEDULE_NO_END, INT64_MAX), INT64_MAX);
	assert_int_equal(schedule_slot_at_or_after(INT64_MIN, 2, SCHEDULE_NO_END, INT64_MAX), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_after(START, INT64_MAX, SCHEDULE_NO_END, START + 1), SCHEDULE_NONE);
}

static void
test_bad_frequency(void **state)
{
	(void)state;
	assert_int_equal(schedule_slot_at_or_after(START, 0, END, START), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_after(START, -DAY, END, START), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_after(START, 0, END, START), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_before(START, 0, START), SCHEDULE_NONE);
	assert_int_equal(schedule_slot_at_or_before(START, INT64_MIN, START), SCHEDULE_NONE);
}

/* Every answer equals a walk over the slots one by one. */
static void
test_brute_force(void **state)
{
	(void)state;
	srand(4231);
	for (int n = 0; n < 200000; n++) {
		int64_t start = rand() % 200, freq = 1 + rand() % 40;
		int64_t end = rand() % 8 == 0 ? SCHEDULE_NO_END : start - 10 + rand() % 400;
		int64_t t = rand() % 600 - 100;
		int64_t want_ge = SCHEDULE_NONE, want_gt = SCHEDULE_NONE, want_le = SCHEDULE_NONE;
		for (int64_t s = start; s <= 1000; s += freq) {
			if (s <= t)
				want_le = s;
			if (s > end)
				continue;
			if (want_ge == SCHEDULE_NONE && s >= t)
				want_ge = s;
			if (want_gt == SCHEDULE_NONE && s > t)
				want_gt = s;
		}
		if (schedule_slot_at_or_after(start, freq, end, t) != want_ge ||
		    schedule_slot_after(start, freq, end, t) != want_gt ||
		    schedule_slot_at_or_before(start, freq, t) != want_le)
			fail_msg("start=%lld freq=%lld end=%lld t=%lld", (long long)start,
			    (long long)freq, (long long)end, (long long)t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_at_or_after),
		cmocka_unit_test(test_after),
		cmocka_unit_test(test_at_or_before),
		cmocka_unit_test(test_coalesce_missed_slots),
		cmocka_unit_test(test_end_before_second_slot),
		cmocka_unit_test(test_frequency_one_second),
		cmocka_unit_test(test_large_values),
		cmocka_unit_test(test_bad_frequency),
		cmocka_unit_test(test_brute_force),
	};
	return cmocka_run_group_tests_name("schedule", tests, NULL, NULL);
}
