/*
 * test_query: paging and filter parameters — defaults, bounds, case,
 * encodings, repeats, unknown parameters being ignored, and the admin
 * list's user filter. Bad escapes in long values are here because one once
 * left the value buffer without its NUL (run under ASan to see a relapse).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "query.h"

static struct list_query
ok(const char *qs)
{
	struct list_query q;
	char err[256];
	const char *field;
	assert_int_equal(query_parse_list(qs, 1, &q, err, sizeof(err), &field), 0);
	return q;
}

static void
bad(const char *qs, const char *field_expected)
{
	struct list_query q;
	char err[256];
	const char *field;
	assert_int_equal(query_parse_list(qs, 1, &q, err, sizeof(err), &field), -1);
	assert_non_null(field);
	assert_string_equal(field, field_expected);
	assert_non_null(strstr(err, field_expected));
}

static void
test_defaults(void **state)
{
	(void)state;
	struct list_query q = ok("");
	assert_int_equal(q.page, 1);
	assert_int_equal(q.per_page, 50);
	assert_null(q.status);
	assert_null(q.task_type);
}

static void
test_values(void **state)
{
	(void)state;
	struct list_query q = ok("page=3&per_page=500&status=paused&task_type=one_time");
	assert_int_equal(q.page, 3);
	assert_int_equal(q.per_page, 500);
	assert_string_equal(q.status, "paused");
	assert_string_equal(q.task_type, "one_time");
	assert_string_equal(ok("task_type=interval").task_type, "periodic");
	assert_string_equal(ok("task_type=cron").task_type, "cron");
	assert_int_equal(ok("per_page=1").per_page, 1);
	assert_int_equal(ok("page=%32").page, 2);
	assert_int_equal(ok("page=007").page, 7);
	assert_int_equal(ok("page=1000000000000").page, 1000000000000LL);
	/* Unknown parameters and bare words are ignored. */
	assert_int_equal(ok("foo=bar&x&page=2&&").page, 2);
}

static void
test_bad_values(void **state)
{
	(void)state;
	bad("page=0", "page");
	bad("page=-1", "page");
	bad("page=", "page");
	bad("page", "page");
	bad("page=1.5", "page");
	bad("page=+1", "page");
	bad("page=1e3", "page");
	bad("page=99999999999999999999999", "page");
	bad("page=1000000000001", "page");
	bad("per_page=0", "per_page");
	bad("per_page=501", "per_page");
	bad("per_page=abc", "per_page");
	bad("status=Active", "status");
	bad("status=", "status");
	bad("status=deleted", "status");
	bad("task_type=ONE_TIME", "task_type");
	bad("task_type=", "task_type");
	bad("status=active%00", "status");
	bad("page=1&page=2", "page");
	bad("page=%zz", "page");
}

static void
test_filters_ignored_where_not_read(void **state)
{
	struct list_query q;
	char err[256];
	const char *field;
	(void)state;
	assert_int_equal(query_parse_list("status=bogus&page=2", 0, &q, err,
	    sizeof(err), &field), 0);
	assert_int_equal(q.page, 2);
	assert_null(q.status);
}

static int
parse_with(const char *qs, int flags, struct list_query *q, const char **field)
{
	char err[256];
	int rc = query_parse_list(qs, flags, q, err, sizeof(err), field);
	if (rc < 0)
		assert_non_null(strstr(err, *field));
	return rc;
}

static void
test_user_filter(void **state)
{
	struct list_query q;
	const char *field;
	char name[QUERY_USER_MAX + 2];
	(void)state;
	assert_int_equal(parse_with("user=alice&status=paused&page=2",
	    QUERY_FILTERS | QUERY_USER, &q, &field), 0);
	assert_string_equal(q.user, "alice");
	assert_string_equal(q.status, "paused");
	assert_int_equal(q.page, 2);
	assert_int_equal(parse_with("user=ops%40example.org", QUERY_USER, &q,
	    &field), 0);
	assert_string_equal(q.user, "ops@example.org");
	assert_int_equal(parse_with("", QUERY_FILTERS | QUERY_USER, &q, &field), 0);
	assert_string_equal(q.user, "");
	/* Where it is not read, user is an unknown parameter: ignored. */
	assert_int_equal(parse_with("user=", QUERY_FILTERS, &q, &field), 0);
	assert_string_equal(q.user, "");
	/* Read alone, the status and type filters are ignored. */
	assert_int_equal(parse_with("user=bob&status=bogus", QUERY_USER, &q,
	    &field), 0);
	assert_null(q.status);
	/* 100 characters (multi-byte ones count once) pass; 101 do not. */
	memset(name, 'a', QUERY_USER_MAX);
	name[QUERY_USER_MAX] = '\0';
	char qs[1024];
	snprintf(qs, sizeof(qs), "user=%s", name);
	assert_int_equal(parse_with(qs, QUERY_USER, &q, &field), 0);
	assert_int_equal(strlen(q.user), QUERY_USER_MAX);
	snprintf(qs, sizeof(qs), "user=%sa", name);
	assert_int_equal(parse_with(qs, QUERY_USER, &q, &field), -1);
	assert_string_equal(field, "user");
	snprintf(qs, sizeof(qs), "user=%%C3%%A9%s", name + 1);
	assert_int_equal(parse_with(qs, QUERY_USER, &q, &field), 0);
	assert_int_equal(strlen(q.user), QUERY_USER_MAX + 1);
	/* Empty, control characters, NUL, bad encoding, repeats: 400. */
	const char *bad_users[] = { "user=", "user", "user=a%0Ab", "user=a%00",
	    "user=%zz", "user=a&user=b", "user=a%7F" };
	for (size_t i = 0; i < sizeof(bad_users) / sizeof(bad_users[0]); i++) {
		assert_int_equal(parse_with(bad_users[i], QUERY_FILTERS | QUERY_USER,
		    &q, &field), -1);
		assert_string_equal(field, "user");
	}
}

/* Fills the stack below us with non-NUL bytes, so a value buffer left
 * unterminated is read past its end (and ASan reports it) every time. */
static void __attribute__((noinline))
paint_stack(void)
{
	volatile char junk[16384];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = 'a';
}

/* qs = prefix + n bytes of fill with escape inserted before byte at. */
static void
long_value(char *qs, size_t size, const char *prefix, char fill, size_t n,
    size_t at, const char *escape)
{
	size_t p = (size_t)snprintf(qs, size, "%s", prefix);

	for (size_t i = 0; i <= n; i++) {
		if (i == at)
			p += (size_t)snprintf(qs + p, size - p, "%s", escape);
		if (i < n && p + 1 < size)
			qs[p++] = fill;
	}
	qs[p] = '\0';
}

/*
 * A bad or cut escape at the start, middle or end of a long value, and
 * values at and past the decode buffer (QUERY_USER_MAX * 4 bytes), for
 * every parameter: each is a 400 naming it, never a read past the buffer.
 */
static void
test_bad_escape_in_long_value(void **state)
{
	static const char *const prefixes[] = { "user=", "status=", "task_type=",
	    "page=", "per_page=" };
	static const char *const escapes[] = { "%zz", "%z", "%", "%0", "%00",
	    "%G1", "%1G" };
	const size_t limit = QUERY_USER_MAX * 4;
	const size_t lens[] = { 0, 1, 99, 100, 200, limit - 3, limit - 1, limit,
	    limit + 1, limit + 50 };
	char qs[1024];
	struct list_query q;
	const char *field;
	(void)state;

	/* The reviewer's input: 400 bytes, then a bad escape. */
	long_value(qs, sizeof(qs), "user=", 'a', limit, limit, "%zz");
	paint_stack();
	assert_int_equal(parse_with(qs, QUERY_FILTERS | QUERY_USER, &q, &field), -1);
	assert_string_equal(field, "user");

	for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++)
		for (size_t e = 0; e < sizeof(escapes) / sizeof(escapes[0]); e++)
			for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
				const size_t ats[] = { 0, lens[l] / 2, lens[l] };
				for (size_t a = 0; a < 3; a++) {
					/* 'x' is not a hex digit: "%" + "xx" stays bad. */
					long_value(qs, sizeof(qs), prefixes[p], 'x',
					    lens[l], ats[a], escapes[e]);
					paint_stack();
					if (parse_with(qs, QUERY_FILTERS | QUERY_USER, &q,
					    &field) != -1)
						fail_msg("accepted: %s", qs);
					assert_int_equal(strlen(field),
					    strlen(prefixes[p]) - 1);
					assert_memory_equal(field, prefixes[p],
					    strlen(field));
				}
			}

	/* Too long without any escape: 401 bytes fill the buffer. */
	long_value(qs, sizeof(qs), "user=", 'a', limit + 1, limit + 2, "");
	paint_stack();
	assert_int_equal(parse_with(qs, QUERY_USER, &q, &field), -1);
	assert_string_equal(field, "user");
	/* After a failed value, the next parameter still reads cleanly. */
	long_value(qs, sizeof(qs), "foo=", 'a', limit, limit, "%zz&page=3");
	assert_int_equal(ok(qs).page, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_filters_ignored_where_not_read),
		cmocka_unit_test(test_user_filter),
		cmocka_unit_test(test_bad_escape_in_long_value),
	};
	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
