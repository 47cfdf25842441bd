/*
 * test_backoff: retry delays double from the base, stop at the cap, and
 * jitter stays within [d/2, d].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backoff.h"

static void
test_doubles_from_base(void **state)
{
	(void)state;
	/* rnd = max gives the full nominal delay. */
	assert_int_equal(backoff_delay_ms(1, 10, 3600, UINT32_MAX), 10000);
	assert_int_equal(backoff_delay_ms(2, 10, 3600, UINT32_MAX), 20000);
	assert_int_equal(backoff_delay_ms(3, 10, 3600, UINT32_MAX), 40000);
	assert_int_equal(backoff_delay_ms(5, 10, 3600, UINT32_MAX), 160000);
}

static void
test_capped(void **state)
{
	(void)state;
	assert_int_equal(backoff_delay_ms(10, 10, 3600, UINT32_MAX), 3600000);
	assert_int_equal(backoff_delay_ms(100, 10, 3600, UINT32_MAX), 3600000);
	assert_int_equal(backoff_delay_ms(4000000000u, 86400, 604800,
	    UINT32_MAX), 604800000);
	/* A base above the cap is cut to the cap. */
	assert_int_equal(backoff_delay_ms(1, 100, 30, UINT32_MAX), 30000);
}

static void
test_jitter_bounds(void **state)
{
	(void)state;
	assert_int_equal(backoff_delay_ms(1, 10, 3600, 0), 5000);
	assert_int_equal(backoff_delay_ms(3, 10, 3600, 0), 20000);
	for (uint32_t r = 0; r < 1000; r++) {
		uint32_t rnd = r * 4294967u;
		int64_t d = backoff_delay_ms(2, 2, 10, rnd);
		assert_true(d >= 2000 && d <= 4000);
	}
	/* The middle of the range lands in the middle. */
	int64_t mid = backoff_delay_ms(1, 10, 3600, UINT32_MAX / 2);
	assert_true(mid >= 7499 && mid <= 7501);
}

static void
test_never_zero(void **state)
{
	(void)state;
	assert_true(backoff_delay_ms(0, 0, 0, 0) >= 1);
	assert_int_equal(backoff_delay_ms(0, 1, 1, UINT32_MAX), 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles_from_base),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_jitter_bounds),
		cmocka_unit_test(test_never_zero),
	};
	return cmocka_run_group_tests_name("backoff", tests, NULL, NULL);
}
