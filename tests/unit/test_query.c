/*
 * test_query: paging and filter parameters — defaults, bounds, case,
 * encodings, repeats, and unknown parameters being ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_filters_ignored_where_not_read),
	};
	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
