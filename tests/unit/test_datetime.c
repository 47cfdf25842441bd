/*
 * test_datetime: every datetime form docs/API.md §7.4 accepts and
 * refuses, offsets across day and year boundaries, leap years, the
 * 1970-9999 span, and the MariaDB DATETIME text round trips. Expected
 * epoch values were computed with Python's datetime module, not with the
 * code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "datetime.h"

static void
accepts(const char *s, int64_t want)
{
	int64_t t = -12345;
	if (datetime_parse(s, strlen(s), &t) != 0)
		fail_msg("refused \"%s\"", s);
	if (t != want)
		fail_msg("\"%s\" gave %lld, want %lld", s, (long long)t, (long long)want);
}

static void
refuses(const char *s)
{
	int64_t t = -12345;
	if (datetime_parse(s, strlen(s), &t) == 0)
		fail_msg("accepted \"%s\" as %lld", s, (long long)t);
	assert_int_equal(t, -12345);	/* out untouched on failure */
}

static void
test_rfc3339_zulu(void **state)
{
	(void)state;
	accepts("2015-12-05T13:00:00Z", 1449320400);
	accepts("2015-12-05t13:00:00z", 1449320400);
	accepts("2015-12-05T13:00:00z", 1449320400);
	accepts("2015-12-05t13:00:00Z", 1449320400);
	accepts("2015-12-05 13:00:00Z", 1449320400);
	accepts("2015-12-05 13:00:00z", 1449320400);
	accepts("2030-12-05T13:00:00Z", 1922706000);
}

static void
test_offsets(void **state)
{
	(void)state;
	accepts("2015-12-05T08:00:00-05:00", 1449320400);
	accepts("2015-12-05T18:30:00+05:30", 1449320400);
	accepts("2015-12-05T13:00:00+00:00", 1449320400);
	accepts("2015-12-05T13:00:00-00:00", 1449320400);
	accepts("2015-12-05 08:00:00-05:00", 1449320400);
	accepts("2015-12-05t08:00:00-05:00", 1449320400);
	accepts("2030-06-15T10:20:30+05:30", 1907729430);
	/* The extreme offsets ±23:59. */
	accepts("2015-12-05T08:00:00+23:59", 1449216060);
	accepts("2015-12-05T08:00:00-23:59", 1449388740);
}

/* Converting must move the date across midnight and new year, both ways. */
static void
test_offsets_cross_day_and_year(void **state)
{
	(void)state;
	/* 2030-12-31T23:30-01:00 is 2031-01-01T00:30Z. */
	accepts("2030-12-31T23:30:00-01:00", 1924993800);
	/* 2031-01-01T00:30+01:00 is 2030-12-31T23:30Z. */
	accepts("2031-01-01T00:30:00+01:00", 1924990200);
	char buf[DATETIME_RFC3339_LEN];
	datetime_format(1924993800, buf);
	assert_string_equal(buf, "2031-01-01T00:30:00Z");
	datetime_format(1924990200, buf);
	assert_string_equal(buf, "2030-12-31T23:30:00Z");
	/* Leap day reached through an offset. */
	accepts("2024-02-28T23:00:00-02:00", 1709168400);
	datetime_format(1709168400, buf);
	assert_string_equal(buf, "2024-02-29T01:00:00Z");
}

static void
test_no_zone_is_utc(void **state)
{
	(void)state;
	accepts("2015-12-05 13:00:00", 1449320400);
	accepts("2015-12-05T13:00:00", 1449320400);
	accepts("2015-12-05t13:00:00", 1449320400);
}

static void
test_fraction_truncated(void **state)
{
	(void)state;
	accepts("2015-12-05T13:00:00.9Z", 1449320400);
	accepts("2015-12-05T13:00:00.999999999999Z", 1449320400);
	accepts("2015-12-05T13:00:00.000Z", 1449320400);
	accepts("2015-12-05T08:00:00.5-05:00", 1449320400);
	accepts("2015-12-05 13:00:00.123456", 1449320400);
	accepts("2015-12-05T13:00:00.1", 1449320400);
	/* Truncated, never rounded up into the next second or day. */
	accepts("1999-12-31T23:59:59.999Z", 946684799);
	refuses("2015-12-05T13:00:00.Z");
	refuses("2015-12-05T13:00:00.");
	refuses("2015-12-05T13:00:00.-05:00");
	refuses("2015-12-05T13:00:00,5Z");
	refuses("2015-12-05T13:00:00.5.5Z");
	refuses("2015-12-05T13:00:00.aZ");
}

static void
test_leap_years(void **state)
{
	(void)state;
	accepts("2024-02-29T12:34:56Z", 1709210096);
	accepts("2000-02-29T00:00:00Z", 951782400);
	refuses("2023-02-29T00:00:00Z");
	refuses("2100-02-29T00:00:00Z");
	refuses("1900-02-29T00:00:00Z");
	accepts("2100-03-01T00:00:00Z", 4107542400);
	accepts("2024-12-31T23:59:59Z", 1735689599);
}

static void
test_impossible_dates(void **state)
{
	(void)state;
	refuses("2024-02-30T00:00:00Z");
	refuses("2023-02-30T00:00:00Z");
	refuses("2024-04-31T00:00:00Z");
	refuses("2024-06-31T00:00:00Z");
	refuses("2024-09-31T00:00:00Z");
	refuses("2024-11-31T00:00:00Z");
	refuses("2024-01-32T00:00:00Z");
	refuses("2024-00-10T00:00:00Z");
	refuses("2024-13-10T00:00:00Z");
	refuses("2024-01-00T00:00:00Z");
	accepts("2024-01-31T00:00:00Z", 1706659200);
	accepts("2024-04-30T00:00:00Z", 1714435200);
}

static void
test_time_ranges(void **state)
{
	(void)state;
	refuses("2015-12-05T13:00:60Z");
	refuses("2016-12-31T23:59:60Z");	/* a real leap second: still refused */
	refuses("2015-12-05T24:00:00Z");
	refuses("2015-12-05T13:60:00Z");
	accepts("2015-12-05T23:59:59Z", 1449359999);
	accepts("2015-12-05T00:00:00Z", 1449273600);
}

static void
test_year_span(void **state)
{
	(void)state;
	accepts("1970-01-01T00:00:00Z", 0);
	accepts("9999-12-31T23:59:59Z", INT64_C(253402300799));
	refuses("1969-12-31T23:59:59Z");
	refuses("10000-01-01T00:00:00Z");
	refuses("0000-01-01T00:00:00Z");
	/* The span applies after conversion to UTC. */
	refuses("9999-12-31T23:59:59-01:00");
	accepts("9999-12-31T23:59:59+01:00", INT64_C(253402297199));
	refuses("1970-01-01T00:00:00+00:01");
	accepts("1970-01-01T05:00:00+05:00", 0);
	accepts("1969-12-31T23:00:00-01:00", 0);
	refuses("1969-12-31T22:59:59-01:00");
	accepts("2038-01-19T03:14:08Z", INT64_C(2147483648));
}

static void
test_bad_offsets(void **state)
{
	(void)state;
	refuses("2015-12-05T08:00:00-0500");
	refuses("2015-12-05T08:00:00+0500");
	refuses("2015-12-05T08:00:00-05");
	refuses("2015-12-05T08:00:00-5:00");
	refuses("2015-12-05T08:00:00-05:0");
	refuses("2015-12-05T08:00:00+24:00");
	refuses("2015-12-05T08:00:00+05:60");
	refuses("2015-12-05T08:00:00+99:99");
	refuses("2015-12-05T08:00:00 -05:00");
	refuses("2015-12-05T08:00:00Z-05:00");
	refuses("2015-12-05T08:00:00-05:00Z");
	refuses("2015-12-05T08:00:00UTC");
	refuses("2015-12-05T08:00:00 UTC");
	refuses("2015-12-05T08:00:00GMT");
	refuses("2015-12-05T08:00:00+");
	refuses("2015-12-05T08:00:00-");
	refuses("2015-12-05T08:00:00+05:");
	refuses("2015-12-05T08:00:00ZZ");
	refuses("2015-12-05T08:00:00\xe2\x88\x92" "05:00");	/* U+2212 minus */
}

static void
test_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", " ", "now", "tomorrow", "null", "0", "1449320400",
		"2015-12-05", "2015-12-05T", "2015-12-05T13", "2015-12-05T13:00",
		"2015-12-05T13:00Z", "2015-12-05T13:00:0Z", "15-12-05T13:00:00Z",
		"2015-12-5T13:00:00Z", "2015-1-05T13:00:00Z", "2015/12/05 13:00:00",
		"2015-12-05_13:00:00", "2015-12-05  13:00:00", "2015-12-05X13:00:00",
		"2015-12-05T13-00-00", "2015-12-05T13:00:00Zjunk",
		" 2015-12-05T13:00:00Z", "2015-12-05T13:00:00Z ",
		"2015-12-05T13:00:00Z\n", "+2015-12-05T13:00:00Z",
		"-2015-12-05T13:00:00Z", "2015-12-05T1a:00:00Z",
		"２015-12-05T13:00:00Z", "2015-12-05\t13:00:00",
		"Sat, 05 Dec 2015 13:00:00 GMT", "2015-W49-6T13:00:00Z",
		"2015-339T13:00:00Z", "20151205T130000Z",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuses(bad[i]);
}

/* len counts every byte: an embedded NUL is garbage, not an end. */
static void
test_embedded_nul_and_length(void **state)
{
	int64_t t;
	static const char with_nul[] = "2015-12-05T13:00:00Z\0junk";
	static const char nul_mid[] = "2015-12-05T13:00\0:00Z";
	(void)state;
	assert_int_equal(datetime_parse(with_nul, sizeof(with_nul) - 1, &t), -1);
	assert_int_equal(datetime_parse(with_nul, 21, &t), -1);
	assert_int_equal(datetime_parse(with_nul, 20, &t), 0);
	assert_int_equal(t, 1449320400);
	assert_int_equal(datetime_parse(nul_mid, sizeof(nul_mid) - 1, &t), -1);
	/* Not NUL-terminated: only len bytes are read. */
	assert_int_equal(datetime_parse("2015-12-05T13:00:00Zxx", 20, &t), 0);
	assert_int_equal(datetime_parse("2015-12-05T13:00:00Z", 19, &t), 0);
	assert_int_equal(datetime_parse("2015-12-05T13:00:00Z", 18, &t), -1);
	assert_int_equal(datetime_parse("2015-12-05T13:00:00-05:00", 24, &t), -1);
	assert_int_equal(datetime_parse("x", 0, &t), -1);
}

static void
test_format(void **state)
{
	char buf[DATETIME_RFC3339_LEN];
	char sql[DATETIME_SQL_LEN];
	(void)state;
	datetime_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	datetime_format(1449320400, buf);
	assert_string_equal(buf, "2015-12-05T13:00:00Z");
	datetime_format(INT64_C(253402300799), buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	datetime_format(951782400, buf);
	assert_string_equal(buf, "2000-02-29T00:00:00Z");
	datetime_format_sql(1449320400, sql);
	assert_string_equal(sql, "2015-12-05 13:00:00");
	datetime_format_sql(0, sql);
	assert_string_equal(sql, "1970-01-01 00:00:00");
	datetime_format_sql(INT64_C(253402300799), sql);
	assert_string_equal(sql, "9999-12-31 23:59:59");
	/* Out of the span: clamped, never a 5-digit year or overflow. */
	datetime_format(INT64_MAX, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	datetime_format(INT64_MIN, buf);
	assert_string_equal(buf, "0000-01-01T00:00:00Z");
	datetime_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

/*
 * Every day of 1970-9999 at a moving time of day: format agrees with the
 * C library's gmtime_r, and parse reads the text back to the same second.
 */
static void
test_format_parse_agree_with_gmtime(void **state)
{
	char buf[DATETIME_RFC3339_LEN], want[32], sql[DATETIME_SQL_LEN];
	struct tm tm;
	int64_t back;
	(void)state;
	for (int64_t t = 0; t <= INT64_C(253402300799); t += 86400 + 3671) {
		time_t tt = (time_t)t;
		assert_non_null(gmtime_r(&tt, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		datetime_format(t, buf);
		if (strcmp(buf, want) != 0)
			fail_msg("t=%lld: %s, gmtime says %s", (long long)t, buf, want);
		assert_int_equal(datetime_parse(buf, strlen(buf), &back), 0);
		assert_int_equal(back, t);
		datetime_format_sql(t, sql);
		assert_int_equal(datetime_parse_sql(sql, &back, NULL), 0);
		assert_int_equal(back, t);
	}
}

static void
test_parse_sql(void **state)
{
	int64_t t;
	int ms;
	(void)state;
	assert_int_equal(datetime_parse_sql("2015-12-05 13:00:00", &t, &ms), 0);
	assert_int_equal(t, 1449320400);
	assert_int_equal(ms, 0);
	assert_int_equal(datetime_parse_sql("2015-12-05 13:00:00.012", &t, &ms), 0);
	assert_int_equal(t, 1449320400);
	assert_int_equal(ms, 12);
	assert_int_equal(datetime_parse_sql("2015-12-05 13:00:00.123456", &t, &ms), 0);
	assert_int_equal(ms, 123);
	assert_int_equal(datetime_parse_sql("2015-12-05 13:00:00.999999", &t, &ms), 0);
	assert_int_equal(t, 1449320400);
	assert_int_equal(ms, 999);
	assert_int_equal(datetime_parse_sql("2015-12-05 13:00:00.5", &t, &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(datetime_parse_sql("2015-12-05 13:00:00.05", &t, &ms), 0);
	assert_int_equal(ms, 50);
	assert_int_equal(datetime_parse_sql("2015-12-05 13:00:00.1", &t, NULL), 0);
	static const char *const bad[] = {
		"", "2015-12-05T13:00:00", "2015-12-05 13:00:00Z",
		"2015-12-05 13:00:00.", "2015-12-05 13:00:00.1234567",
		"0000-00-00 00:00:00", "2015-02-30 00:00:00",
		"2015-12-05 13:00:60", "2015-12-05 13:00", "2015-12-05",
		"2015-12-05 13:00:00 ", "2015-12-05 13:00:00+00:00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (datetime_parse_sql(bad[i], &t, &ms) == 0)
			fail_msg("accepted SQL \"%s\"", bad[i]);
	assert_int_equal(datetime_parse_sql(NULL, &t, &ms), -1);
}

static void
test_sql_to_api(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00", 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2030-12-05T13:00:00Z");
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00.012", 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2030-12-05T13:00:00Z");
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00.012", 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2030-12-05T13:00:00.012Z");
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00", 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2030-12-05T13:00:00.000Z");
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00.999999", 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2030-12-05T13:00:00.999Z");
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00.1", 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2030-12-05T13:00:00.100Z");
	/* Exactly-sized buffers work; one byte less does not. */
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00", 0, buf, DATETIME_RFC3339_LEN), 0);
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00", 0, buf, DATETIME_RFC3339_LEN - 1), -1);
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00", 1, buf, DATETIME_RFC3339_MS_LEN), 0);
	assert_string_equal(buf, "2030-12-05T13:00:00.000Z");
	assert_int_equal(datetime_sql_to_api("2030-12-05 13:00:00", 1, buf, DATETIME_RFC3339_MS_LEN - 1), -1);
	assert_int_equal(datetime_sql_to_api("garbage", 0, buf, sizeof(buf)), -1);
	assert_int_equal(datetime_sql_to_api("2030-12-05T13:00:00Z", 0, buf, sizeof(buf)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339_zulu),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_offsets_cross_day_and_year),
		cmocka_unit_test(test_no_zone_is_utc),
		cmocka_unit_test(test_fraction_truncated),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_impossible_dates),
		cmocka_unit_test(test_time_ranges),
		cmocka_unit_test(test_year_span),
		cmocka_unit_test(test_bad_offsets),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_embedded_nul_and_length),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_parse_agree_with_gmtime),
		cmocka_unit_test(test_parse_sql),
		cmocka_unit_test(test_sql_to_api),
	};
	return cmocka_run_group_tests_name("datetime", tests, NULL, NULL);
}
