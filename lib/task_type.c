/*
 * task_type: the table of task types, and what every type shares: the
 * words task_type accepts, the fields that belong to none but some types,
 * and the readers of body fields and of stored schedule columns.
 */
#include "task_type.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_body.h"


static const char *const one_time_words[] = { "one_time", NULL };
/* "interval" is the seed API's other name of a periodic task. */
static const char *const periodic_words[] = { "periodic", "interval", NULL };
static const char *const cron_words[] = { "cron", NULL };

const struct task_type task_types[TASK_KIND_COUNT] = {
	[TASK_ONE_TIME] = { one_time_words, TASK_F_RUN_DATETIME,
	    type_one_time_parse, type_one_time_plan, type_one_time_resume },
	[TASK_PERIODIC] = { periodic_words, TASK_F_FREQUENCY |
	    TASK_F_START_DATETIME | TASK_F_END_DATETIME, type_periodic_parse,
	    type_periodic_plan, type_periodic_resume },
	[TASK_CRON] = { cron_words, TASK_F_CRON | TASK_F_TIMEZONE |
	    TASK_F_START_DATETIME | TASK_F_END_DATETIME, type_cron_parse,
	    type_cron_plan, type_cron_resume },
};

/* Made once, on first use, from the table's words in table order. */
const char *
task_type_word_list(void)
{
	static char list[256];
	size_t n = 0;

	if (list[0] != '\0')
		return list;
	for (int k = 0; k < TASK_KIND_COUNT; k++)
		for (int w = 0; task_types[k].words[w] != NULL; w++)
			n += (size_t)snprintf(list + n, n < sizeof(list) ?
			    sizeof(list) - n : 0, "%s%s", n > 0 ? ", " : "",
			    task_types[k].words[w]);
	return list;
}

const char *
task_kind_name(enum task_kind kind)
{
	return task_types[kind].words[0];
}

int
task_kind_of_name(const char *name)
{
	for (int k = 0; name != NULL && k < TASK_KIND_COUNT; k++)
		if (strcmp(task_types[k].words[0], name) == 0)
			return k;
	return -1;
}

int
task_kind_of_word(const char *word, size_t len)
{
	for (int k = 0; k < TASK_KIND_COUNT; k++)
		if (json_body_word(word, len, task_types[k].words) >= 0)
			return k;
	return -1;
}

/*
 * The schedule fields: their name in a body and on the task object, the
 * TASK_F_* bit types name them by, and the column that stores them (-1:
 * an alias, stored in its field's column) in the form it is shown. In the
 * order the foreign-field check names them.
 */
enum field_form { FORM_INT, FORM_TIME, FORM_TEXT };
static const struct {
	const char *name;
	unsigned bit;
	int col;
	enum field_form form;
} schedule_fields[] = {
	{ "run_datetime", TASK_F_RUN_DATETIME, TASK_SCHEDULE_COL_RUN_AT,
	    FORM_TIME },
	{ "frequency", TASK_F_FREQUENCY, TASK_SCHEDULE_COL_FREQUENCY, FORM_INT },
	{ "start_datetime", TASK_F_START_DATETIME, TASK_SCHEDULE_COL_START,
	    FORM_TIME },
	{ "end_datetime", TASK_F_END_DATETIME, TASK_SCHEDULE_COL_END, FORM_TIME },
	{ "stop_datetime", TASK_F_END_DATETIME, -1, FORM_TIME },
	{ "cron", TASK_F_CRON, TASK_SCHEDULE_COL_CRON, FORM_TEXT },
	{ "timezone", TASK_F_TIMEZONE, TASK_SCHEDULE_COL_ZONE, FORM_TEXT },
};
#define SCHEDULE_NFIELDS (sizeof(schedule_fields) / sizeof(schedule_fields[0]))

int
task_type_foreign_fields(struct json_object *body, enum task_kind kind,
    struct task_check *c)
{
	for (size_t i = 0; i < SCHEDULE_NFIELDS; i++) {
		if ((task_types[kind].fields & schedule_fields[i].bit) == 0 &&
		    task_field(body, schedule_fields[i].name) != NULL)
			return task_check_fail(c, schedule_fields[i].name,
			    "%s does not apply to %s tasks",
			    schedule_fields[i].name, task_kind_name(kind));
	}
	return 0;
}

/* The field's value, or NULL when absent or JSON null (the same thing). */
struct json_object *
task_field(struct json_object *body, const char *name)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(body, name, &v);
	return v;
}

int
task_check_failed_at(struct task_check *c, const char *field)
{
	*c->field = field;
	return -1;
}

int
task_check_fail(struct task_check *c, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return task_check_failed_at(c, field);
}

int
task_field_datetime(struct json_object *body, const char *name, int64_t *out,
    int *present, struct task_check *c)
{
	struct json_object *v = task_field(body, name);

	*present = v != NULL;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    datetime_parse(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), out) < 0)
		return task_check_fail(c, name, "%s must be a datetime like "
		    "2030-12-05T13:00:00Z or 2030-12-05T08:00:00-05:00", name);
	return 0;
}

/* The TASK_F_* bit of a schedule field's name; 0 for another name. */
static unsigned
schedule_field_bit(const char *name)
{
	for (size_t i = 0; i < SCHEDULE_NFIELDS; i++)
		if (strcmp(schedule_fields[i].name, name) == 0)
			return schedule_fields[i].bit;
	return 0;
}

int
task_field_future(struct json_object *body, const char *name,
    enum task_kind kind, int64_t now, unsigned kept, int64_t *out,
    struct task_check *c)
{
	int present;

	if (task_field_datetime(body, name, out, &present, c) < 0)
		return -1;
	if (!present)
		return task_check_fail(c, name, "%s is required for %s tasks",
		    name, task_kind_name(kind));
	/* A kept time was checked when it was given; it may have passed. */
	if (*out <= now && (kept & schedule_field_bit(name)) == 0)
		return task_check_fail(c, name, "%s should be in future", name);
	return 0;
}

/*
 * end_datetime, or its alias stop_datetime (not both), after s->start;
 * s->end stays SCHEDULE_NO_END when neither is given.
 */
int
task_field_end(struct json_object *body, struct task_schedule *s,
    struct task_check *c)
{
	int has_end, has_stop;
	int64_t end_at, stop_at;
	const char *name;

	s->end = SCHEDULE_NO_END;
	if (task_field_datetime(body, "end_datetime", &end_at, &has_end, c) < 0 ||
	    task_field_datetime(body, "stop_datetime", &stop_at, &has_stop, c) < 0)
		return -1;
	if (has_end && has_stop)
		return task_check_fail(c, "stop_datetime", "%s", "give "
		    "end_datetime or its alias stop_datetime, not both");
	if (!has_end && !has_stop)
		return 0;
	s->end = has_stop ? stop_at : end_at;
	name = has_stop ? "stop_datetime" : "end_datetime";
	if (s->end <= s->start)
		return task_check_fail(c, name, "%s should be after "
		    "start_datetime", name);
	return 0;
}

/*
 * A string field copied into buf (size n): -1 unless it is a string that
 * fits and holds no NUL (which would cut what the C parsers read).
 */
int
task_field_string(struct json_object *v, char *buf, size_t n)
{
	size_t len;

	if (!json_object_is_type(v, json_type_string))
		return -1;
	len = (size_t)json_object_get_string_len(v);
	if (len >= n || strlen(json_object_get_string(v)) != len)
		return -1;
	memcpy(buf, json_object_get_string(v), len + 1);
	return 0;
}

static void
schedule_copy(char *dst, size_t cap, const struct db_rows *rows, unsigned col,
    const char *if_null)
{
	const char *v = db_col(rows, col, NULL);

	snprintf(dst, cap, "%s", v != NULL ? v : if_null);
}

int
task_schedule_read(const struct db_rows *rows, unsigned first,
    struct task_schedule *s, char *err, size_t errlen)
{
	int kind = task_kind_of_name(db_col(rows, first + TASK_SCHEDULE_COL_TYPE,
	    NULL));

	memset(s, 0, sizeof(*s));
	if (kind < 0) {
		snprintf(err, errlen, "unknown task type");
		return -1;
	}
	s->kind = (enum task_kind)kind;
	s->next_run_at = db_col_time(rows, first + TASK_SCHEDULE_COL_NEXT_RUN_AT,
	    SCHEDULE_NONE);
	s->run_at = db_col_time(rows, first + TASK_SCHEDULE_COL_RUN_AT,
	    SCHEDULE_NONE);
	s->frequency = db_col_int(rows, first + TASK_SCHEDULE_COL_FREQUENCY, 0);
	s->start = db_col_time(rows, first + TASK_SCHEDULE_COL_START,
	    s->next_run_at);
	s->end = db_col_time(rows, first + TASK_SCHEDULE_COL_END,
	    SCHEDULE_NO_END);
	if (kind != TASK_CRON)
		return 0;
	schedule_copy(s->cron, sizeof(s->cron), rows, first +
	    TASK_SCHEDULE_COL_CRON, "");
	schedule_copy(s->zone, sizeof(s->zone), rows, first +
	    TASK_SCHEDULE_COL_ZONE, "UTC");
	if (db_col(rows, first + TASK_SCHEDULE_COL_CRON, NULL) == NULL)
		snprintf(err, errlen, "no cron expression");
	else
		s->expr_ok = cron_parse(s->cron, &s->expr, err, errlen) == 0;
	return 0;
}

void
task_schedule_params(const struct task_schedule *s,
    struct task_schedule_text *text, struct db_param p[TASK_SCHEDULE_NCOLS])
{
	unsigned f = task_types[s->kind].fields;

	for (int i = 0; i < TASK_SCHEDULE_NCOLS; i++)
		p[i] = P_NULL;
	p[TASK_SCHEDULE_COL_TYPE] = P_STR(task_kind_name(s->kind));
	if (s->next_run_at != SCHEDULE_NONE) {
		datetime_format_sql(s->next_run_at, text->next_run_at);
		p[TASK_SCHEDULE_COL_NEXT_RUN_AT] = P_STR(text->next_run_at);
	}
	if (f & TASK_F_RUN_DATETIME) {
		datetime_format_sql(s->run_at, text->run_at);
		p[TASK_SCHEDULE_COL_RUN_AT] = P_STR(text->run_at);
	}
	if (f & TASK_F_FREQUENCY)
		p[TASK_SCHEDULE_COL_FREQUENCY] = P_INT(s->frequency);
	if (f & TASK_F_START_DATETIME) {
		datetime_format_sql(s->start, text->start);
		p[TASK_SCHEDULE_COL_START] = P_STR(text->start);
	}
	if ((f & TASK_F_END_DATETIME) && s->end != SCHEDULE_NO_END) {
		datetime_format_sql(s->end, text->end);
		p[TASK_SCHEDULE_COL_END] = P_STR(text->end);
	}
	if (f & TASK_F_CRON)
		p[TASK_SCHEDULE_COL_CRON] = P_STR(s->cron);
	if (f & TASK_F_TIMEZONE)
		p[TASK_SCHEDULE_COL_ZONE] = P_STR(s->zone);
}

/* A column of the current row in a field's form, or NULL (JSON null). */
static struct json_object *
schedule_field_json(const struct db_rows *rows, unsigned col,
    enum field_form form)
{
	char buf[DATETIME_RFC3339_LEN];
	size_t len;
	const char *v = db_col(rows, col, &len);

	if (v == NULL)
		return NULL;
	switch (form) {
	case FORM_INT:
		return json_object_new_int64(db_col_int(rows, col, 0));
	case FORM_TIME:
		if (datetime_sql_to_api(v, 0, buf, sizeof(buf)) < 0)
			return NULL;
		return json_object_new_string(buf);
	case FORM_TEXT:
		break;
	}
	return json_object_new_string_len(v, (int)len);
}

void
task_schedule_view(const struct db_rows *rows, unsigned first,
    struct json_object *o)
{
	for (int col = 0; col < TASK_SCHEDULE_NCOLS; col++)
		for (size_t i = 0; i < SCHEDULE_NFIELDS; i++)
			if (schedule_fields[i].col == col)
				json_object_object_add(o, schedule_fields[i].name,
				    schedule_field_json(rows, first + (unsigned)col,
				    schedule_fields[i].form));
}

/* A stored schedule field as a body gives it (NULL: none). */
static struct json_object *
schedule_field_body(const struct task_schedule *s, int col)
{
	char buf[DATETIME_RFC3339_LEN];
	int64_t t;

	switch (col) {
	case TASK_SCHEDULE_COL_FREQUENCY:
		return json_object_new_int64(s->frequency);
	case TASK_SCHEDULE_COL_CRON:
		return json_object_new_string(s->cron);
	case TASK_SCHEDULE_COL_ZONE:
		return json_object_new_string(s->zone);
	case TASK_SCHEDULE_COL_RUN_AT:
		t = s->run_at;
		break;
	case TASK_SCHEDULE_COL_START:
		t = s->start;
		break;
	case TASK_SCHEDULE_COL_END:
		t = s->end;
		break;
	default:
		return NULL;
	}
	if (t == SCHEDULE_NONE || t == SCHEDULE_NO_END)
		return NULL;
	datetime_format(t, buf);
	return json_object_new_string(buf);
}

/* 1 when body has an alias of the field with bit (stop_datetime). */
static int
schedule_alias_in(struct json_object *body, unsigned bit)
{
	for (size_t i = 0; i < SCHEDULE_NFIELDS; i++)
		if (schedule_fields[i].col < 0 && schedule_fields[i].bit == bit &&
		    json_object_object_get_ex(body, schedule_fields[i].name, NULL))
			return 1;
	return 0;
}

void
task_schedule_merge(const struct task_schedule *s, struct json_object *body,
    struct json_object *o)
{
	unsigned f = task_types[s->kind].fields;
	struct json_object *v;

	for (size_t i = 0; i < SCHEDULE_NFIELDS; i++) {
		const char *name = schedule_fields[i].name;

		if ((f & schedule_fields[i].bit) == 0)
			continue;
		v = NULL;
		if (json_object_object_get_ex(body, name, &v))
			json_object_object_add(o, name, json_object_get(v));
		else if (schedule_fields[i].col >= 0 &&
		    !schedule_alias_in(body, schedule_fields[i].bit) &&
		    (v = schedule_field_body(s, schedule_fields[i].col)) != NULL)
			json_object_object_add(o, name, v);
	}
}
