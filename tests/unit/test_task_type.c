/*
 * test_task_type: the table of task types — its words and names agree
 * with what the API accepts and stores, the fields that belong to each
 * type, the columns a new task's schedule is stored in, and the times a
 * changed task keeps.
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

/*
 * Runs kind's parse on json at now with kept; the refused field's name
 * into *field (NULL when accepted).
 */
static int
parse_kept(enum task_kind kind, const char *json, int64_t now, unsigned kept,
    struct task_schedule *s, const char **field)
{
	struct json_object *body = json_tokener_parse(json);
	struct config cfg;
	char err[256];
	struct task_check c = { err, sizeof(err), field };
	int rc;

	assert_non_null(body);
	config_defaults(&cfg);
	cfg.min_frequency = 60;
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->end = SCHEDULE_NO_END;
	s->kept = kept;
	*field = NULL;
	rc = task_types[kind].parse(body, &cfg, now, s, &c);
	json_object_put(body);
	return rc;
}

/*
 * A time a PATCH keeps (s->kept) may have passed; a new one may not. A
 * periodic task whose start passed continues on its grid, at the first
 * slot at or after now; none left before the end is refused.
 */
static void
test_parse_kept_times(void **state)
{
	/* 1970-01-01T00:16:40Z = 1000. */
	const char *periodic = "{\"frequency\": 300, "
	    "\"start_datetime\": \"1970-01-01T00:16:40Z\"}";
	struct task_schedule s;
	const char *field;

	(void)state;
	assert_int_equal(parse_kept(TASK_PERIODIC, periodic, 2000, 0, &s,
	    &field), -1);
	assert_string_equal(field, "start_datetime");
	assert_int_equal(parse_kept(TASK_PERIODIC, periodic, 2000,
	    TASK_F_START_DATETIME, &s, &field), 0);
	assert_int_equal(s.start, 1000);
	assert_int_equal(s.next_run_at, 2200);	/* 1000 + 4 * 300 */
	assert_int_equal(parse_kept(TASK_PERIODIC, periodic, 2200,
	    TASK_F_START_DATETIME, &s, &field), 0);
	assert_int_equal(s.next_run_at, 2200);
	/* A new start: its first slot is the start itself. */
	assert_int_equal(parse_kept(TASK_PERIODIC, periodic, 500, 0, &s,
	    &field), 0);
	assert_int_equal(s.next_run_at, 1000);
	/* The end (1970-01-01T00:30:00Z = 1800) passed: no slot is left. */
	assert_int_equal(parse_kept(TASK_PERIODIC, "{\"frequency\": 300, "
	    "\"start_datetime\": \"1970-01-01T00:16:40Z\", "
	    "\"end_datetime\": \"1970-01-01T00:30:00Z\"}", 2000,
	    TASK_F_START_DATETIME, &s, &field), -1);
	assert_string_equal(field, "end_datetime");
	/* one_time: a kept run_datetime stays, however late. */
	assert_int_equal(parse_kept(TASK_ONE_TIME, "{\"run_datetime\": "
	    "\"1970-01-01T00:16:40Z\"}", 2000, TASK_F_RUN_DATETIME, &s,
	    &field), 0);
	assert_int_equal(s.next_run_at, 1000);
	assert_int_equal(parse_kept(TASK_ONE_TIME, "{\"run_datetime\": "
	    "\"1970-01-01T00:16:40Z\"}", 2000, TASK_F_START_DATETIME, &s,
	    &field), -1);
	assert_string_equal(field, "run_datetime");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_list_is_the_tables),
		cmocka_unit_test(test_words_and_names),
		cmocka_unit_test(test_foreign_fields),
		cmocka_unit_test(test_schedule_params),
		cmocka_unit_test(test_parse_kept_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
