/*
 * test_task_type: the table of task types — its words and names agree
 * with what the API accepts and stores, the fields that belong to each
 * type, and the columns a new task's schedule is stored in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "task_type.h"

/* The message lists every word of the table, in table order. */
static void
test_word_list_is_the_tables(void **state)
{
	(void)state;
	assert_string_equal(task_type_word_list(),
	    "one_time, periodic, interval, cron");
	/* Made once: the same text the second time. */
	assert_string_equal(task_type_word_list(),
	    "one_time, periodic, interval, cron");
}

static void
test_words_and_names(void **state)
{
	(void)state;
	assert_int_equal(task_kind_of_word("interval", 8), TASK_PERIODIC);
	assert_int_equal(task_kind_of_word("periodic", 8), TASK_PERIODIC);
	assert_int_equal(task_kind_of_word("one_time", 8), TASK_ONE_TIME);
	assert_int_equal(task_kind_of_word("cron", 4), TASK_CRON);
	/* Whole-length: a NUL inside or a prefix is no word. */
	assert_int_equal(task_kind_of_word("cron\0x", 6), -1);
	assert_int_equal(task_kind_of_word("cro", 3), -1);
	/* Stored names only: "interval" is never stored. */
	assert_int_equal(task_kind_of_name("interval"), -1);
	assert_int_equal(task_kind_of_name(NULL), -1);
	for (int k = 0; k < TASK_KIND_COUNT; k++)
		assert_int_equal(task_kind_of_name(task_kind_name(k)), k);
}

static int
foreign(const char *json, enum task_kind kind, const char **field)
{
	struct json_object *body = json_tokener_parse(json);
	char err[256];
	struct task_check c = { err, sizeof(err), field };
	int rc;

	assert_non_null(body);
	*field = NULL;
	rc = task_type_foreign_fields(body, kind, &c);
	json_object_put(body);
	return rc;
}

static void
test_foreign_fields(void **state)
{
	const char *field;

	(void)state;
	assert_int_equal(foreign("{\"frequency\": 60}", TASK_ONE_TIME, &field), -1);
	assert_string_equal(field, "frequency");
	assert_int_equal(foreign("{\"stop_datetime\": \"x\"}", TASK_ONE_TIME,
	    &field), -1);
	assert_string_equal(field, "stop_datetime");
	assert_int_equal(foreign("{\"timezone\": \"UTC\"}", TASK_PERIODIC, &field), -1);
	assert_int_equal(foreign("{\"run_datetime\": \"x\"}", TASK_CRON, &field), -1);
	/* null is absent. */
	assert_int_equal(foreign("{\"cron\": null}", TASK_PERIODIC, &field), 0);
	assert_int_equal(foreign("{\"start_datetime\": \"x\", \"end_datetime\": "
	    "\"y\"}", TASK_CRON, &field), 0);
}

/* A type's fields are stored; another type's are NULL. */
static void
test_schedule_params(void **state)
{
	struct task_schedule s = { .kind = TASK_PERIODIC, .next_run_at = 60,
	    .frequency = 60, .start = 60, .end = SCHEDULE_NO_END, .run_at = 5,
	    .cron = "* * * * *", .zone = "UTC" };
	struct task_schedule_text text;
	struct db_param p[TASK_SCHEDULE_NCOLS];

	(void)state;
	task_schedule_params(&s, &text, p);
	assert_string_equal(p[TASK_SCHEDULE_COL_TYPE].s, "periodic");
	assert_string_equal(p[TASK_SCHEDULE_COL_NEXT_RUN_AT].s,
	    "1970-01-01 00:01:00");
	assert_int_equal(p[TASK_SCHEDULE_COL_FREQUENCY].i, 60);
	assert_int_equal(p[TASK_SCHEDULE_COL_END].type, DBP_NULL);
	assert_int_equal(p[TASK_SCHEDULE_COL_RUN_AT].type, DBP_NULL);
	assert_int_equal(p[TASK_SCHEDULE_COL_CRON].type, DBP_NULL);
	assert_int_equal(p[TASK_SCHEDULE_COL_ZONE].type, DBP_NULL);
	s.kind = TASK_CRON;
	s.end = 120;
	task_schedule_params(&s, &text, p);
	assert_int_equal(p[TASK_SCHEDULE_COL_FREQUENCY].type, DBP_NULL);
	assert_string_equal(p[TASK_SCHEDULE_COL_END].s, "1970-01-01 00:02:00");
	assert_string_equal(p[TASK_SCHEDULE_COL_CRON].s, "* * * * *");
	assert_string_equal(p[TASK_SCHEDULE_COL_ZONE].s, "UTC");
	s.kind = TASK_ONE_TIME;
	task_schedule_params(&s, &text, p);
	assert_int_equal(p[TASK_SCHEDULE_COL_START].type, DBP_NULL);
	assert_string_equal(p[TASK_SCHEDULE_COL_RUN_AT].s, "1970-01-01 00:00:05");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_list_is_the_tables),
		cmocka_unit_test(test_words_and_names),
		cmocka_unit_test(test_foreign_fields),
		cmocka_unit_test(test_schedule_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
