/*
 * test_occurrence: which occurrence a due task fires and where its
 * schedule continues — on time, late (missed slots coalesce into the
 * latest), at and after the end, and one-time tasks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "occurrence.h"

#define T0 1900000000LL		/* a start slot */

static struct occurrence_task
periodic(int64_t next, int64_t freq, int64_t end)
{
	struct occurrence_task t = { OCCURRENCE_PERIODIC, next, T0, freq, end };
	return t;
}

static void
test_one_time(void **state)
{
	struct occurrence_task t = { OCCURRENCE_ONE_TIME, T0, 0, 0, 0 };
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, T0 + 100, &slot, &next), 0);
	assert_int_equal(slot, T0);
	assert_int_equal(next, SCHEDULE_NONE);
}

static void
test_on_time(void **state)
{
	struct occurrence_task t = periodic(T0 + 60, 60, SCHEDULE_NO_END);
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
	struct occurrence_task t = periodic(T0, 4, SCHEDULE_NO_END);
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
	struct occurrence_task t = periodic(T0 + 20, 10, T0 + 25);
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
	struct occurrence_task t = periodic(T0, 7, SCHEDULE_NO_END);
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
	struct occurrence_task t = periodic(T0, 0, SCHEDULE_NO_END);
	int64_t slot, next;
	(void)state;
	assert_int_equal(occurrence_plan(&t, T0, &slot, &next), -1);
	t = periodic(T0 - 5, 10, SCHEDULE_NO_END);
	assert_int_equal(occurrence_plan(&t, T0, &slot, &next), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_time),
		cmocka_unit_test(test_on_time),
		cmocka_unit_test(test_missed_slots_coalesce),
		cmocka_unit_test(test_end),
		cmocka_unit_test(test_no_drift),
		cmocka_unit_test(test_bad_fields),
	};
	return cmocka_run_group_tests_name("occurrence", tests, NULL, NULL);
}
