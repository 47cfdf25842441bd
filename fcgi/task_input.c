/*
 * task_input: field-by-field validation of a new task. Each check names
 * the field at fault; nothing here touches the database.
 */
#include "task_input.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cron.h"
#include "datetime.h"
#include "json_body.h"
#include "url_guard.h"

/* Carries the error text and field through the checks below. */
struct check {
	char *err;
	size_t errlen;
	const char **field;
};

/* For a check that already wrote its message into c->err: names field. */
static int
fail_at(struct check *c, const char *field)
{
	*c->field = field;
	return -1;
}

static int fail(struct check *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct check *c, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return fail_at(c, field);
}

/* The field's value, or NULL when absent or JSON null (the same thing). */
static struct json_object *
get(struct json_object *body, const char *key)
{
	struct json_object *v = NULL;
	json_object_object_get_ex(body, key, &v);
	return v;
}

/*
 * Fields that belong to some kinds only (allowed[kind]); any non-null one
 * on another kind is a 400.
 */
static const struct {
	const char *name;
	int allowed[3];		/* indexed by enum task_kind */
} foreign_fields[] = {
	{ "run_datetime", { 1, 0, 0 } },
	{ "frequency", { 0, 1, 0 } },
	{ "start_datetime", { 0, 1, 1 } },
	{ "end_datetime", { 0, 1, 1 } },
	{ "stop_datetime", { 0, 1, 1 } },
	{ "cron", { 0, 0, 1 } },
	{ "timezone", { 0, 0, 1 } },
};

/* The words task_type accepts, and the kind each one means. */
static const char *const kind_words[] = { "one_time", "periodic", "interval",
    "cron", NULL };
static const enum task_kind kind_of_word[] = { TASK_ONE_TIME, TASK_PERIODIC,
    TASK_PERIODIC, TASK_CRON };

static int
check_kind(struct json_object *body, struct task_input *in, struct check *c)
{
	struct json_object *v = get(body, "task_type");
	int w;

	if (v == NULL)
		return fail(c, "task_type", "%s", "task_type is required");
	/* Whole-length match: "one_time\u0000x" is not one_time. */
	if ((w = json_body_string_word(v, kind_words)) < 0)
		return fail(c, "task_type", "%s",
		    "task_type must be one of one_time, periodic, interval, cron");
	in->kind = kind_of_word[w];

	for (size_t i = 0; i < sizeof(foreign_fields) / sizeof(foreign_fields[0]); i++) {
		if (!foreign_fields[i].allowed[in->kind] &&
		    get(body, foreign_fields[i].name) != NULL) {
			snprintf(c->err, c->errlen, "%s does not apply to %s tasks",
			    foreign_fields[i].name, task_kind_name(in->kind));
			return fail_at(c, foreign_fields[i].name);
		}
	}
	return 0;
}

static int
check_url(struct json_object *body, const struct config *cfg,
    struct task_input *in, struct check *c)
{
	struct json_object *v = get(body, "url");
	char why[256];

	if (v == NULL)
		return fail(c, "url", "%s", "url is required");
	if (!json_object_is_type(v, json_type_string))
		return fail(c, "url", "%s", "url must be a string");
	in->url = json_object_get_string(v);
	in->url_len = (size_t)json_object_get_string_len(v);
	if (url_guard_check(in->url, in->url_len, cfg->allow_private_targets,
	    cfg->resolve_timeout_ms, why, sizeof(why)) != URL_GUARD_OK)
		return fail(c, "url", "%s", why);
	return 0;
}

static int
check_post_data(struct json_object *body, struct task_input *in, struct check *c)
{
	struct json_object *v = get(body, "post_data");

	if (v == NULL) {
		in->post_data = "{}";
		in->post_data_len = 2;
		return 0;
	}
	if (!json_object_is_type(v, json_type_object))
		return fail(c, "post_data", "%s", "post_data must be a JSON object");
	in->post_data = json_body_serialize(v, &in->post_data_len);
	return 0;
}

/* Reads a datetime field; *present says whether it was there at all. */
static int
check_datetime(struct json_object *body, const char *name, int64_t *out,
    int *present, struct check *c)
{
	struct json_object *v = get(body, name);

	*present = v != NULL;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    datetime_parse(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), out) < 0)
		return fail(c, name, "%s must be a datetime like "
		    "2030-12-05T13:00:00Z or 2030-12-05T08:00:00-05:00", name);
	return 0;
}

/*
 * end_datetime, or its alias stop_datetime (not both), after start_at;
 * sets in->end_at and in->has_end.
 */
static int
check_end(struct json_object *body, struct task_input *in, struct check *c)
{
	int has_stop;
	int64_t stop_at;

	if (check_datetime(body, "end_datetime", &in->end_at, &in->has_end, c) < 0 ||
	    check_datetime(body, "stop_datetime", &stop_at, &has_stop, c) < 0)
		return -1;
	if (in->has_end && has_stop)
		return fail(c, "stop_datetime", "%s", "give end_datetime or its alias "
		    "stop_datetime, not both");
	if (has_stop) {
		in->end_at = stop_at;
		in->has_end = 1;
	}
	if (in->has_end && in->end_at <= in->start_at)
		return fail(c, has_stop ? "stop_datetime" : "end_datetime", "%s should be "
		    "after start_datetime", has_stop ? "stop_datetime" : "end_datetime");
	return 0;
}

static int
check_periodic(struct json_object *body, const struct config *cfg, int64_t now,
    struct task_input *in, struct check *c)
{
	struct json_object *f = get(body, "frequency");
	int present;

	if (f == NULL)
		return fail(c, "frequency", "%s", "frequency is required for periodic tasks");
	/* Type first: json-c would turn "3600", 3600.5 and true into numbers. */
	in->frequency = json_object_is_type(f, json_type_int) ?
	    json_object_get_int64(f) : -1;
	if (in->frequency < cfg->min_frequency || in->frequency > TASK_MAX_FREQUENCY) {
		snprintf(c->err, c->errlen, "frequency must be an integer number of "
		    "seconds from %lld to %lld", cfg->min_frequency, TASK_MAX_FREQUENCY);
		return fail_at(c, "frequency");
	}
	if (check_datetime(body, "start_datetime", &in->start_at, &present, c) < 0)
		return -1;
	if (!present)
		return fail(c, "start_datetime", "%s", "start_datetime is required for periodic tasks");
	if (in->start_at <= now)
		return fail(c, "start_datetime", "%s", "start_datetime should be in future");
	in->first_at = in->start_at;
	return check_end(body, in, c);
}

/*
 * A string field copied into buf (size n): -1 unless it is a string that
 * fits and holds no NUL (which would cut what the C parsers read).
 */
static int
copy_string(struct json_object *v, char *buf, size_t n)
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

/*
 * SPEC §12. The first occurrence is the first at or after the later of
 * start_datetime and now: a start in the past does not make the task
 * fire the occurrences before it was created.
 */
static int
check_cron(struct json_object *body, const struct config *cfg, int64_t now,
    struct task_input *in, struct check *c)
{
	struct json_object *v = get(body, "cron"), *zone = get(body, "timezone");
	struct cron_expr expr;
	int present;
	int64_t from;

	if (v == NULL)
		return fail(c, "cron", "%s", "cron is required for cron tasks");
	if (json_object_is_type(v, json_type_string) &&
	    (size_t)json_object_get_string_len(v) >= sizeof(in->cron))
		return fail(c, "cron", "%s", "cron must be at most 255 characters");
	if (copy_string(v, in->cron, sizeof(in->cron)) < 0)
		return fail(c, "cron", "%s", "cron must be a string like "
		    "\"0 9 * * MON-FRI\" or \"@daily\"");
	if (cron_parse(in->cron, &expr, c->err, c->errlen) < 0)
		return fail_at(c, "cron");
	if (zone == NULL)
		memcpy(in->zone, "UTC", 4);
	else if (copy_string(zone, in->zone, sizeof(in->zone)) < 0)
		return fail(c, "timezone", "%s", "timezone must be an IANA time "
		    "zone name like \"Europe/Berlin\"");
	if (cron_zone_valid(in->zone, c->err, c->errlen) < 0)
		return fail_at(c, "timezone");
	if (check_datetime(body, "start_datetime", &in->start_at, &present, c) < 0)
		return -1;
	if (!present)
		in->start_at = now;
	if (check_end(body, in, c) < 0)
		return -1;
	from = in->start_at > now ? in->start_at : now;
	if (cron_check(&expr, in->zone, from, cfg->min_frequency, c->err,
	    c->errlen) < 0)
		return fail_at(c, "cron");
	in->first_at = cron_first(&expr, in->zone, from);
	if (in->first_at == CRON_ZONE_ERROR)
		return fail(c, "timezone", "timezone: the file of time zone "
		    "\"%s\" cannot be read", in->zone);
	if (in->has_end && (in->first_at == SCHEDULE_NONE ||
	    in->first_at > in->end_at))
		return fail(c, "end_datetime", "%s", "the cron expression has "
		    "no occurrence between start_datetime and end_datetime");
	/* Only before 9999-12-31T23:59:59Z, the last time the service keeps. */
	if (in->first_at == SCHEDULE_NONE)
		return fail(c, "cron", "%s", "cron: the expression has no "
		    "occurrence before the end of year 9999");
	return 0;
}

static int
check_one_time(struct json_object *body, int64_t now, struct task_input *in,
    struct check *c)
{
	int present;

	if (check_datetime(body, "run_datetime", &in->run_at, &present, c) < 0)
		return -1;
	if (!present)
		return fail(c, "run_datetime", "%s", "run_datetime is required for one_time tasks");
	if (in->run_at <= now)
		return fail(c, "run_datetime", "%s", "run_datetime should be in future");
	in->first_at = in->run_at;
	return 0;
}

int
task_input_parse(struct json_object *body, const struct config *cfg,
    int64_t now, struct task_input *out, char *err, size_t errlen,
    const char **field)
{
	struct check c = { err, errlen, field };

	memset(out, 0, sizeof(*out));
	*field = NULL;
	if (check_kind(body, out, &c) < 0 || check_url(body, cfg, out, &c) < 0 ||
	    check_post_data(body, out, &c) < 0 ||
	    task_options_parse(body, &out->opt, err, errlen, field) < 0)
		return -1;
	switch (out->kind) {
	case TASK_PERIODIC:
		return check_periodic(body, cfg, now, out, &c);
	case TASK_CRON:
		return check_cron(body, cfg, now, out, &c);
	case TASK_ONE_TIME:
		break;
	}
	return check_one_time(body, now, out, &c);
}

const char *
task_kind_name(enum task_kind kind)
{
	static const char *const names[] = { "one_time", "periodic", "cron" };

	return names[kind];
}
