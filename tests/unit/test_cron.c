/*
 * test_cron: the cron parser (fields, lists, ranges, steps, names,
 * shortcuts, error messages), zone validation, and cron_next across
 * month ends, leap years and DST transitions in both directions
 * (New York, Berlin, Lord Howe's 30-minute shift, Kolkata's half-hour
 * offset), and cron_check's 8-year and min_frequency rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "cron.h"

static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (int64_t)timegm(&tm);
}

static struct cron_expr
parse_ok(const char *text)
{
	struct cron_expr e;
	char err[256] = "";

	if (cron_parse(text, &e, err, sizeof(err)) != 0)
		fail_msg("cron_parse(\"%s\"): %s", text, err);
	return e;
}

static void
parse_fails(const char *text, const char *want)
{
	struct cron_expr e;
	char err[256] = "";

	assert_int_equal(cron_parse(text, &e, err, sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("cron_parse(\"%s\"): \"%s\" lacks \"%s\"", text, err, want);
}

static int64_t
next(const char *text, const char *zone, int64_t after)
{
	struct cron_expr e = parse_ok(text);

	return cron_next(&e, zone, after);
}

static void
test_parse_fields(void **state)
{
	struct cron_expr e;

	(void)state;
	e = parse_ok("*/15 * * * *");
	assert_true(e.minutes == ((UINT64_C(1) << 0) | (UINT64_C(1) << 15) |
	    (UINT64_C(1) << 30) | (UINT64_C(1) << 45)));
	assert_int_equal(e.hours, 0xffffffu);
	assert_true(e.mday_star && e.wday_star);
	e = parse_ok("5,10-12,20-40/10 1 1 jan-Mar,DEC sun,7");
	assert_true(e.minutes == ((UINT64_C(1) << 5) | (UINT64_C(1) << 10) |
	    (UINT64_C(1) << 11) | (UINT64_C(1) << 12) | (UINT64_C(1) << 20) |
	    (UINT64_C(1) << 30) | (UINT64_C(1) << 40)));
	assert_int_equal(e.months, (1 << 1) | (1 << 2) | (1 << 3) | (1 << 12));
	assert_int_equal(e.wdays, 1);	/* 0 and 7 are both Sunday */
	assert_false(e.mday_star || e.wday_star);
	e = parse_ok("0 0 * * MON-FRI");
	assert_int_equal(e.wdays, 0x3e);
	e = parse_ok("  0   12 * * 5-7 ");
	assert_int_equal(e.wdays, (1 << 5) | (1 << 6) | 1);
	e = parse_ok("@monthly");
	assert_int_equal(e.mdays, 2);
	assert_int_equal(e.hours, 1);
	e = parse_ok("@ANNUALLY");
	assert_int_equal(e.months, 2);
	parse_ok("@hourly");
	parse_ok("@daily");
	parse_ok("@weekly");
	parse_ok("@yearly");
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails("61 * * * *", "cron: minute field: 61 is outside 0-59");
	parse_fails("* 24 * * *", "hour field: 24 is outside 0-23");
	parse_fails("* * 0 * *", "day-of-month field: 0 is outside 1-31");
	parse_fails("* * * 13 *", "month field: 13 is outside 1-12");
	parse_fails("* * * * 8", "day-of-week field: 8 is outside 0-7");
	parse_fails("* * * *", "expected 5 fields");
	parse_fails("* * * * * *", "expected 5 fields");
	parse_fails("", "expected 5 fields");
	parse_fails("5-2 * * * *", "range 5-2 is backwards");
	parse_fails("*/0 * * * *", "step 0 is outside");
	parse_fails("*/ * * * *", "step needs a number");
	parse_fails("* * * foo *", "month field: unexpected");
	parse_fails("* * * * MONDAY", "day-of-week field: unexpected");
	parse_fails("1,,2 * * * *", "minute field: unexpected");
	parse_fails("@every_minute", "unknown shortcut");
	parse_fails("99999999999999999999 * * * *", "is outside 0-59");
}

static void
test_zone_valid(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(cron_zone_valid("Europe/Berlin", err, sizeof(err)), 0);
	assert_int_equal(cron_zone_valid("UTC", err, sizeof(err)), 0);
	assert_int_equal(cron_zone_valid("America/Argentina/Buenos_Aires", err,
	    sizeof(err)), 0);
	assert_int_equal(cron_zone_valid("Mars/Olympus", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown time zone"));
	assert_int_equal(cron_zone_valid("../../etc/passwd", err, sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("/usr/share/zoneinfo/UTC", err,
	    sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("Europe/../UTC", err, sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("Europe", err, sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("", err, sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("zone.tab", err, sizeof(err)), -1);
	/* Not "no occurrence": the caller may try again. */
	assert_int_equal(next("* * * * *", "Nowhere/City", 0), CRON_ZONE_ERROR);
	/* Files of the tz database that are not zone names. */
	assert_int_equal(cron_zone_valid("localtime", err, sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("posixrules", err, sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("Factory", err, sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("right/Europe/Berlin", err,
	    sizeof(err)), -1);
	assert_int_equal(cron_zone_valid("posix/Europe/Berlin", err,
	    sizeof(err)), -1);
	/* Links of the database are names too. */
	assert_int_equal(cron_zone_valid("US/Eastern", err, sizeof(err)), 0);
	assert_int_equal(cron_zone_valid("Etc/GMT+5", err, sizeof(err)), 0);
}

/*
 * A zone file libc cannot read (here: TZDIR points nowhere) is an error,
 * not a silent fall-back to UTC; cron_forget_zones reads it again.
 */
static void
test_unreadable_zone(void **state)
{
	int64_t after = utc(2027, 1, 1, 0, 0);

	(void)state;
	cron_forget_zones();
	setenv("TZDIR", "/nonexistent", 1);
	assert_int_equal(next("0 9 * * *", "Asia/Tokyo", after), CRON_ZONE_ERROR);
	unsetenv("TZDIR");
	/* Readable again: 09:00 JST is 00:00Z, strictly after `after`. */
	assert_int_equal(next("0 9 * * *", "Asia/Tokyo", after),
	    utc(2027, 1, 2, 0, 0));
	cron_forget_zones();
	assert_int_equal(next("0 9 * * *", "Asia/Tokyo", after - 1), after);
}

/* Copies the system's zone file `from` to dir/to (one directory level). */
static void
copy_zone(const char *dir, const char *from, const char *to)
{
	char src[512], dst[512], buf[4096];
	FILE *in, *out;
	size_t n;

	snprintf(src, sizeof(src), "/usr/share/zoneinfo/%s", from);
	snprintf(dst, sizeof(dst), "%s/%s", dir, to);
	if (strchr(to, '/') != NULL) {
		char sub[512];

		snprintf(sub, sizeof(sub), "%s/%.*s", dir,
		    (int)(strchr(to, '/') - to), to);
		mkdir(sub, 0700);
	}
	assert_non_null(in = fopen(src, "rb"));
	assert_non_null(out = fopen(dst, "wb"));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

/*
 * A zone that was read before and whose file then vanished (a tzdata
 * upgrade dropping a link): libc's silent fall-back to UTC is caught for
 * names with and without a '/', and the zone works again once back.
 */
static void
test_zone_file_removed_while_running(void **state)
{
	char dir[] = "/tmp/test_cron.XXXXXX", path[512];
	int64_t after = utc(2027, 1, 1, 0, 0);
	const char *names[] = { "US/Eastern", "Japan", "Europe/Kyiv" };
	const char *files[] = { "America/New_York", "Asia/Tokyo",
		"Europe/Kyiv" };
	int64_t want[] = { utc(2027, 1, 1, 14, 0), utc(2027, 1, 2, 0, 0),
		utc(2027, 1, 1, 7, 0) };
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("TZDIR", dir, 1);
	cron_forget_zones();
	copy_zone(dir, "UTC", "UTC");
	for (i = 0; i < 3; i++) {
		copy_zone(dir, files[i], names[i]);
		assert_int_equal(next("0 9 * * *", names[i], after), want[i]);
		assert_int_equal(next("0 9 * * *", "UTC", after),
		    utc(2027, 1, 1, 9, 0));
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		assert_int_equal(unlink(path), 0);
		assert_int_equal(next("0 9 * * *", names[i], after),
		    CRON_ZONE_ERROR);
		copy_zone(dir, files[i], names[i]);
		assert_int_equal(next("0 9 * * *", names[i], after), want[i]);
	}
	/*
	 * Removed only now: glibc knows a zone file by inode and mtime, and
	 * a new file that reused a deleted one's inode within the same second
	 * would pass for it.
	 */
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/UTC", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/US", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/Europe", dir);
	rmdir(path);
	rmdir(dir);
	unsetenv("TZDIR");
	cron_forget_zones();
}

/* 09:00 on the 1st in New York: EST (-5) and EDT (-4) either side. */
static void
test_new_york_monthly(void **state)
{
	const char *z = "America/New_York";

	(void)state;
	assert_int_equal(next("0 9 1 * *", z, utc(2026, 2, 15, 0, 0)),
	    utc(2026, 3, 1, 14, 0));
	assert_int_equal(next("0 9 1 * *", z, utc(2026, 3, 1, 14, 0)),
	    utc(2026, 4, 1, 13, 0));	/* after the March 8 jump */
	assert_int_equal(next("0 9 1 * *", z, utc(2026, 10, 1, 13, 0)),
	    utc(2026, 11, 1, 14, 0));	/* Nov 1 02:00 fell back before 09:00 */
	assert_int_equal(next("0 9 1 * *", z, utc(2026, 11, 1, 14, 0)),
	    utc(2026, 12, 1, 14, 0));
	/* Just before and at the slot: strictly after. */
	assert_int_equal(next("0 9 1 * *", z, utc(2026, 4, 1, 12, 59)),
	    utc(2026, 4, 1, 13, 0));
	assert_int_equal(next("0 9 1 * *", z, utc(2026, 4, 1, 13, 0) - 1),
	    utc(2026, 4, 1, 13, 0));
}

/* 02:30 in Berlin: skipped on 2026-03-29, twice on 2026-10-25. */
static void
test_berlin_dst(void **state)
{
	const char *z = "Europe/Berlin";

	(void)state;
	/* Spring forward at 01:00Z (02:00 CET -> 03:00 CEST): the jump. */
	assert_int_equal(next("30 2 * * *", z, utc(2026, 3, 28, 12, 0)),
	    utc(2026, 3, 29, 1, 0));
	assert_int_equal(next("30 2 * * *", z, utc(2026, 3, 29, 1, 0)),
	    utc(2026, 3, 30, 0, 30));
	/* 02:00, 02:30 and 03:00 that night all fire once, at the jump. */
	assert_int_equal(next("0,30 2,3 * * *", z, utc(2026, 3, 29, 0, 0)),
	    utc(2026, 3, 29, 1, 0));
	assert_int_equal(next("0,30 2,3 * * *", z, utc(2026, 3, 29, 1, 0)),
	    utc(2026, 3, 29, 1, 30));
	/* Fall back at 01:00Z (03:00 CEST -> 02:00 CET): first 02:30 only. */
	assert_int_equal(next("30 2 * * *", z, utc(2026, 10, 24, 12, 0)),
	    utc(2026, 10, 25, 0, 30));
	assert_int_equal(next("30 2 * * *", z, utc(2026, 10, 25, 0, 30)),
	    utc(2026, 10, 26, 1, 30));
	/* Asked during the second 02:xx hour: not again that night. */
	assert_int_equal(next("30 2 * * *", z, utc(2026, 10, 25, 1, 10)),
	    utc(2026, 10, 26, 1, 30));
	/* Every 15 minutes through the fall-back: the repeated hour is
	 * walked once, then 03:00 CET. */
	assert_int_equal(next("*/15 * * * *", z, utc(2026, 10, 25, 0, 45)),
	    utc(2026, 10, 25, 2, 0));
}

static void
test_leap_day(void **state)
{
	(void)state;
	assert_int_equal(next("0 0 29 2 *", "UTC", utc(2025, 1, 1, 0, 0)),
	    utc(2028, 2, 29, 0, 0));
	assert_int_equal(next("0 0 29 2 *", "UTC", utc(2028, 2, 29, 0, 0)),
	    utc(2032, 2, 29, 0, 0));
	/* 2100 is not a leap year: 2096 then 2104, 8 years apart. */
	assert_int_equal(next("0 0 29 2 *", "UTC", utc(2096, 3, 1, 0, 0)),
	    utc(2104, 2, 29, 0, 0));
	assert_int_equal(next("0 0 30 2 *", "UTC", 0), SCHEDULE_NONE);
	/* Feb 29 on a Sunday (a '*' step in day of month: both must
	 * match): 2032, then 28 years on, then past 2100's missing leap day. */
	assert_int_equal(next("0 0 29 2 */7", "UTC", utc(2026, 1, 1, 0, 0)),
	    utc(2032, 2, 29, 0, 0));
	assert_int_equal(next("0 0 29 2 */7", "UTC", utc(2032, 2, 29, 0, 0)),
	    utc(2060, 2, 29, 0, 0));
	assert_int_equal(next("0 0 29 2 */7", "UTC", utc(2088, 2, 29, 0, 0)),
	    utc(2128, 2, 29, 0, 0));
	/* Nothing after 9999-12-31T23:59:59Z, the last time stored. */
	assert_int_equal(next("59 23 31 12 *", "UTC", utc(9999, 1, 1, 0, 0)),
	    utc(9999, 12, 31, 23, 59));
	assert_int_equal(next("0 0 1 1 *", "UTC", utc(9999, 1, 1, 0, 0)),
	    SCHEDULE_NONE);
	/* Local dates end there too: 10000-01-01 in Kiritimati (+14) is
	 * still 9999 in UTC, and not searched. */
	assert_int_equal(next("0 0 1 1 *", "Pacific/Kiritimati",
	    utc(9999, 6, 1, 0, 0)), SCHEDULE_NONE);
	assert_int_equal(next("0 0 31 4,6,9,11 *", "UTC", 0), SCHEDULE_NONE);
	/* Month ends: the 31st skips the short months. */
	assert_int_equal(next("0 12 31 * *", "UTC", utc(2026, 1, 31, 12, 0)),
	    utc(2026, 3, 31, 12, 0));
	assert_int_equal(next("59 23 31 12 *", "UTC", utc(2026, 6, 1, 0, 0)),
	    utc(2026, 12, 31, 23, 59));
}

static void
test_every_15_minutes(void **state)
{
	int64_t t = utc(2026, 12, 31, 23, 10), want = utc(2026, 12, 31, 23, 15);
	int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		int64_t n = next("*/15 * * * *", "UTC", t);

		assert_int_equal(n, want);
		assert_int_equal(next("*/15 * * * *", "UTC", n - 1), n);
		t = n;
		want += 900;
	}
	/* Seconds inside a minute: the next quarter, never the same one. */
	assert_int_equal(next("*/15 * * * *", "UTC", utc(2026, 1, 1, 0, 15) + 1),
	    utc(2026, 1, 1, 0, 30));
}

/* Both day fields restricted: either matches. One is '*': both must. */
static void
test_day_or_rule(void **state)
{
	(void)state;
	/* 2026-03-01 is a Sunday; 13th or a Friday. */
	assert_int_equal(next("0 0 13 * 5", "UTC", utc(2026, 3, 1, 0, 0)),
	    utc(2026, 3, 6, 0, 0));	/* Friday the 6th */
	assert_int_equal(next("0 0 13 * 5", "UTC", utc(2026, 3, 12, 0, 0)),
	    utc(2026, 3, 13, 0, 0));	/* the 13th (a Friday too) */
	assert_int_equal(next("0 0 1 * MON", "UTC", utc(2026, 3, 1, 0, 0)),
	    utc(2026, 3, 2, 0, 0));
	/* '*' in day of month: only Mondays. */
	assert_int_equal(next("0 0 * * MON", "UTC", utc(2026, 3, 3, 0, 0)),
	    utc(2026, 3, 9, 0, 0));
	/* '*' in day of week: only the 1st. */
	assert_int_equal(next("0 0 1 * *", "UTC", utc(2026, 3, 2, 0, 0)),
	    utc(2026, 4, 1, 0, 0));
	/* '*' step counts as '*' (Vixie cron): day 1,3,5.. AND Monday. */
	assert_int_equal(next("0 0 */2 * 1", "UTC", utc(2026, 3, 1, 0, 0)),
	    utc(2026, 3, 9, 0, 0));
}

static void
test_kolkata_monthly(void **state)
{
	(void)state;
	/* +05:30: midnight on the 1st is 18:30Z the day before. */
	assert_int_equal(next("@monthly", "Asia/Kolkata", utc(2026, 1, 15, 0, 0)),
	    utc(2026, 1, 31, 18, 30));
	assert_int_equal(next("@monthly", "Asia/Kolkata", utc(2026, 1, 31, 18, 30)),
	    utc(2026, 2, 28, 18, 30));
	assert_int_equal(next("@monthly", "Asia/Kolkata", utc(2027, 12, 20, 0, 0)),
	    utc(2027, 12, 31, 18, 30));
}

/* Lord Howe shifts by 30 minutes: +11 <-> +10:30. */
static void
test_lord_howe(void **state)
{
	const char *z = "Australia/Lord_Howe";

	(void)state;
	/* 2026-04-05 02:00 (+11) -> 01:30 (+10:30): 01:45 twice, first fires. */
	assert_int_equal(next("45 1 * * *", z, utc(2026, 4, 4, 0, 0)),
	    utc(2026, 4, 4, 14, 45));
	assert_int_equal(next("45 1 * * *", z, utc(2026, 4, 4, 14, 45)),
	    utc(2026, 4, 5, 15, 15));
	/* 2026-10-04 02:00 (+10:30) -> 02:30 (+11): 02:15 fires at the jump. */
	assert_int_equal(next("15 2 * * *", z, utc(2026, 10, 3, 0, 0)),
	    utc(2026, 10, 3, 15, 30));
	assert_int_equal(next("15 2 * * *", z, utc(2026, 10, 3, 15, 30)),
	    utc(2026, 10, 4, 15, 15));
}

static void
test_check(void **state)
{
	struct cron_expr e;
	char err[256];
	int64_t from = utc(2026, 11, 27, 0, 0);

	(void)state;
	e = parse_ok("0 0 30 2 *");
	assert_int_equal(cron_check(&e, "UTC", from, 60, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "never matches within 8 years"));
	e = parse_ok("0 0 29 2 *");
	assert_int_equal(cron_check(&e, "UTC", from, 3600, err, sizeof(err)), 0);
	e = parse_ok("*/15 * * * *");
	assert_int_equal(cron_check(&e, "UTC", from, 900, err, sizeof(err)), 0);
	assert_int_equal(cron_check(&e, "UTC", from, 901, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "900 s apart"));
	e = parse_ok("* * * * *");
	assert_int_equal(cron_check(&e, "Europe/Berlin", from, 60, err,
	    sizeof(err)), 0);
	e = parse_ok("@hourly");
	assert_int_equal(cron_check(&e, "Europe/Berlin", from, 3600, err,
	    sizeof(err)), 0);
	/* Lord Howe's spring jump: 01:45 then 02:00 skipped -> jump at
	 * 02:00 local, 15 minutes later: 900 s apart only that night. */
	e = parse_ok("45 1 * * *");
	assert_int_equal(cron_check(&e, "Australia/Lord_Howe", from, 86400,
	    err, sizeof(err)), -1);
	assert_int_equal(cron_check(&e, "UTC", from, 86400, err, sizeof(err)), 0);
	e = parse_ok("0 23 * * *");
	/* 23:00 daily: 23 h apart at spring-forward in Berlin. */
	assert_int_equal(cron_check(&e, "Europe/Berlin", from, 86400, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "82800 s apart"));
	assert_int_equal(cron_check(&e, "Europe/Berlin", from, 82800, err,
	    sizeof(err)), 0);
	e = parse_ok("0 0 1 1 *");
	assert_int_equal(cron_check(&e, "Bad/Zone", from, 60, err, sizeof(err)),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_zone_valid),
		cmocka_unit_test(test_unreadable_zone),
		cmocka_unit_test(test_zone_file_removed_while_running),
		cmocka_unit_test(test_new_york_monthly),
		cmocka_unit_test(test_berlin_dst),
		cmocka_unit_test(test_leap_day),
		cmocka_unit_test(test_every_15_minutes),
		cmocka_unit_test(test_day_or_rule),
		cmocka_unit_test(test_kolkata_monthly),
		cmocka_unit_test(test_lord_howe),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
