/*
 * test_task_input: every validation rule of a new task (docs/API.md §7) —
 * which field is named, and that good input comes out typed and converted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "json_body.h"
#include "task_input.h"

/* 2026-01-01T00:00:00Z: every "future" below is after it. */
#define NOW 1767225600LL

static struct config cfg;

static int
setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	cfg.min_frequency = 3600;
	cfg.allow_private_targets = 0;
	return 0;
}

/* Parses text and validates it; returns the result and fills out/err/field. */
static int
validate(const char *text, struct task_input *out, char *err, const char **field)
{
	char perr[256];
	struct json_object *body = json_body_parse(text, strlen(text), perr, sizeof(perr));
	assert_non_null(body);
	int rc = task_input_parse(body, &cfg, NOW, out, err, 512, field);
	/* post_data points into body; copy what tests read before freeing. */
	static char post[1024];
	if (rc == 0) {
		snprintf(post, sizeof(post), "%.*s", (int)out->post_data_len, out->post_data);
		out->post_data = post;
		out->url = NULL;
	}
	json_object_put(body);
	return rc;
}

static void
refused(const char *text, const char *field_expected, const char *msg_part)
{
	struct task_input in;
	char err[512];
	const char *field;
	if (validate(text, &in, err, &field) != -1)
		fail_msg("accepted: %s", text);
	if (field_expected == NULL)
		assert_null(field);
	else {
		assert_non_null(field);
		assert_string_equal(field, field_expected);
	}
	if (strstr(err, msg_part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\" for %s", err, msg_part, text);
}

#define URL "\"url\": \"https://93.184.216.34/hook\""

static void
test_periodic_ok(void **state)
{
	struct task_input in;
	char err[512];
	const char *field;
	(void)state;
	assert_int_equal(validate("{\"task_type\": \"interval\", \"frequency\": 3601, "
	    "\"start_datetime\": \"2030-12-05T08:00:00-05:00\", "
	    "\"stop_datetime\": \"2031-01-05T08:00:00-05:00\", " URL ", "
	    "\"post_data\": {\"b\": 1, \"a\": [true, null]}}", &in, err, &field), 0);
	assert_int_equal(in.sched.kind, TASK_PERIODIC);
	assert_int_equal(in.sched.frequency, 3601);
	assert_int_equal(in.sched.start, 1922706000LL);	/* 2030-12-05T13:00:00Z */
	assert_true(in.sched.end != SCHEDULE_NO_END);
	assert_int_equal(in.sched.end, 1922706000LL + 31 * 86400);
	assert_string_equal(in.post_data, "{\"b\":1,\"a\":[true,null]}");
}

static void
test_one_time_ok_and_defaults(void **state)
{
	struct task_input in;
	char err[512];
	const char *field;
	(void)state;
	assert_int_equal(validate("{\"task_type\": \"one_time\", \"run_datetime\": "
	    "\"2030-01-01 10:00:00\", " URL ", \"frequency\": null, "
	    "\"post_data\": null, \"unknown\": 5}", &in, err, &field), 0);
	assert_int_equal(in.sched.kind, TASK_ONE_TIME);
	assert_int_equal(in.sched.run_at, 1893492000LL);
	assert_string_equal(in.post_data, "{}");
}

static void
test_task_type(void **state)
{
	(void)state;
	refused("{" URL "}", "task_type", "task_type is required");
	refused("{\"task_type\": \"Periodic\", " URL "}", "task_type", "must be one of");
	refused("{\"task_type\": 1, " URL "}", "task_type", "must be one of");
	refused("{\"task_type\": \"CRON\", " URL "}", "task_type", "must be one of");
	refused("{\"task_type\": \"cron\", " URL "}", "cron", "cron is required");
}

static void
test_fields_of_other_types(void **state)
{
	(void)state;
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"frequency\": 3600, " URL "}", "frequency", "does not apply to one_time");
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"start_datetime\": \"2030-01-01T00:00:00Z\", " URL "}", "start_datetime",
	    "does not apply");
	refused("{\"task_type\": \"periodic\", \"frequency\": 3600, "
	    "\"start_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"run_datetime\": \"2030-01-01T00:00:00Z\", " URL "}", "run_datetime",
	    "does not apply to periodic");
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"cron\": \"* * * * *\", " URL "}", "cron", "does not apply");
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"timezone\": \"UTC\", " URL "}", "timezone", "does not apply");
}

static void
test_url(void **state)
{
	(void)state;
	const char *rest = "\"task_type\": \"one_time\", \"run_datetime\": \"2030-01-01T00:00:00Z\"";
	char text[512];
	static const struct { const char *url, *msg; } cases[] = {
		{ "ftp://example.com/x", "absolute http" },
		{ "/relative", "absolute http" },
		{ "http://", "absolute http" },
		{ "http://127.0.0.1/x", "private" },
		{ "http://10.1.2.3/x", "private" },
		{ "http://[::1]/x", "private" },
		{ "http://2130706433/x", "private" },
		{ "http://127.1/x", "private" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{%s, \"url\": \"%s\"}", rest, cases[i].url);
		refused(text, "url", cases[i].msg);
	}
	snprintf(text, sizeof(text), "{%s}", rest);
	refused(text, "url", "url is required");
	snprintf(text, sizeof(text), "{%s, \"url\": 5}", rest);
	refused(text, "url", "url must be a string");
	snprintf(text, sizeof(text), "{%s, \"url\": \"http://a\\u0000b.com/\"}", rest);
	refused(text, "url", "absolute http");
}

static void
test_private_allowed_by_config(void **state)
{
	struct task_input in;
	char err[512];
	const char *field;
	(void)state;
	cfg.allow_private_targets = 1;
	assert_int_equal(validate("{\"task_type\": \"one_time\", \"run_datetime\": "
	    "\"2030-01-01T00:00:00Z\", \"url\": \"http://127.0.0.1:8080/x\"}", &in, err,
	    &field), 0);
	cfg.allow_private_targets = 0;
}

static void
test_frequency(void **state)
{
	(void)state;
	const char *pre = "{\"task_type\": \"periodic\", \"start_datetime\": "
	    "\"2030-01-01T00:00:00Z\", " URL ", \"frequency\": ";
	const char *values[] = { "\"3600\"", "3600.5", "3600.0", "true", "3599", "0",
	    "-3600", "315360001", "18446744073709551615", "[3600]" };
	char text[512];
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(text, sizeof(text), "%s%s}", pre, values[i]);
		refused(text, "frequency", "from 3600 to 315360000");
	}
	refused("{\"task_type\": \"periodic\", \"start_datetime\": "
	    "\"2030-01-01T00:00:00Z\", " URL "}", "frequency", "frequency is required");
}

static void
test_periodic_datetimes(void **state)
{
	(void)state;
	const char *pre = "{\"task_type\": \"periodic\", \"frequency\": 3600, " URL;
	char text[512];
	snprintf(text, sizeof(text), "%s}", pre);
	refused(text, "start_datetime", "start_datetime is required");
	snprintf(text, sizeof(text), "%s, \"start_datetime\": \"2025-01-01T00:00:00Z\"}", pre);
	refused(text, "start_datetime", "start_datetime should be in future");
	snprintf(text, sizeof(text), "%s, \"start_datetime\": \"2030-02-30T00:00:00Z\"}", pre);
	refused(text, "start_datetime", "must be a datetime");
	snprintf(text, sizeof(text), "%s, \"start_datetime\": 1893456000}", pre);
	refused(text, "start_datetime", "must be a datetime");
	snprintf(text, sizeof(text), "%s, \"start_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"end_datetime\": \"2030-01-01T00:00:00Z\"}", pre);
	refused(text, "end_datetime", "end_datetime should be after start_datetime");
	snprintf(text, sizeof(text), "%s, \"start_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"stop_datetime\": \"2029-01-01T00:00:00Z\"}", pre);
	refused(text, "stop_datetime", "stop_datetime should be after start_datetime");
	snprintf(text, sizeof(text), "%s, \"start_datetime\": \"2030-01-01T00:00:00Z\", "
	    "\"end_datetime\": \"2031-01-01T00:00:00Z\", "
	    "\"stop_datetime\": \"2031-01-01T00:00:00Z\"}", pre);
	refused(text, "stop_datetime", "not both");
}

static void
test_cron_ok(void **state)
{
	struct task_input in;
	char err[512];
	const char *field;

	(void)state;
	/* Defaults: zone UTC, start now, no end; first occurrence after now. */
	assert_int_equal(validate("{\"task_type\": \"cron\", \"cron\": \"0 9 1 * *\", "
	    URL "}", &in, err, &field), 0);
	assert_int_equal(in.sched.kind, TASK_CRON);
	assert_string_equal(in.sched.cron, "0 9 1 * *");
	assert_string_equal(in.sched.zone, "UTC");
	assert_int_equal(in.sched.start, NOW);
	assert_int_equal(in.sched.end, SCHEDULE_NO_END);
	assert_int_equal(in.sched.next_run_at, NOW + 9 * 3600);	/* 2026-01-01T09:00Z */
	/* A start in the past is allowed; occurrences start from now. */
	assert_int_equal(validate("{\"task_type\": \"cron\", \"cron\": \"@monthly\", "
	    "\"timezone\": \"America/New_York\", \"start_datetime\": "
	    "\"2020-01-01T00:00:00Z\", \"end_datetime\": \"2026-03-01T05:00:00Z\", "
	    URL "}", &in, err, &field), 0);
	assert_string_equal(in.sched.zone, "America/New_York");
	assert_int_equal(in.sched.start, 1577836800LL);
	assert_int_equal(in.sched.next_run_at, NOW + 5 * 3600);	/* midnight in New York */
	assert_int_equal(in.sched.end, 1772341200LL);
	/* A future start with its alias stop_datetime. */
	assert_int_equal(validate("{\"task_type\": \"cron\", \"cron\": \"30 2 * * *\", "
	    "\"timezone\": \"Europe/Berlin\", \"start_datetime\": \"2026-03-29T00:00:00Z\", "
	    "\"stop_datetime\": \"2026-04-01T00:00:00Z\", " URL "}", &in, err, &field), 0);
	/* 02:30 does not exist that night: the jump, 01:00Z. */
	assert_int_equal(in.sched.next_run_at, 1774746000LL);
	assert_int_equal(in.sched.end, 1775001600LL);
}

static void
test_cron_refused(void **state)
{
	const char *pre = "{\"task_type\": \"cron\", " URL;
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "%s, \"cron\": 5}", pre);
	refused(text, "cron", "cron must be a string");
	snprintf(text, sizeof(text), "%s, \"cron\": \"0 9 * *\\u0000 *\"}", pre);
	refused(text, "cron", "cron must be a string");
	snprintf(text, sizeof(text), "%s, \"cron\": \"61 * * * *\"}", pre);
	refused(text, "cron", "minute field: 61 is outside 0-59");
	snprintf(text, sizeof(text), "%s, \"cron\": \"0 0 30 2 *\"}", pre);
	refused(text, "cron", "never matches within 8 years");
	/* min_frequency is 3600 here. */
	snprintf(text, sizeof(text), "%s, \"cron\": \"*/15 * * * *\"}", pre);
	refused(text, "cron", "closer than min_frequency");
	snprintf(text, sizeof(text), "%s, \"cron\": \"@daily\", \"timezone\": "
	    "\"Mars/Olympus\"}", pre);
	refused(text, "timezone", "unknown time zone");
	snprintf(text, sizeof(text), "%s, \"cron\": \"@daily\", \"timezone\": "
	    "\"../../etc/passwd\"}", pre);
	refused(text, "timezone", "unknown time zone");
	snprintf(text, sizeof(text), "%s, \"cron\": \"@daily\", \"timezone\": 1}", pre);
	refused(text, "timezone", "timezone must be an IANA");
	snprintf(text, sizeof(text), "%s, \"cron\": \"@daily\", \"frequency\": 3600}", pre);
	refused(text, "frequency", "does not apply to cron");
	snprintf(text, sizeof(text), "%s, \"cron\": \"@daily\", \"run_datetime\": "
	    "\"2030-01-01T00:00:00Z\"}", pre);
	refused(text, "run_datetime", "does not apply to cron");
	snprintf(text, sizeof(text), "%s, \"cron\": \"@daily\", \"start_datetime\": "
	    "\"2030-01-01T00:00:00Z\", \"end_datetime\": \"2029-01-01T00:00:00Z\"}", pre);
	refused(text, "end_datetime", "should be after start_datetime");
	/* An end before the first occurrence leaves nothing to fire. */
	snprintf(text, sizeof(text), "%s, \"cron\": \"@yearly\", \"start_datetime\": "
	    "\"2026-01-02T00:00:00Z\", \"end_datetime\": \"2026-06-01T00:00:00Z\"}", pre);
	refused(text, "end_datetime", "no occurrence between");
}

static void
test_one_time_datetimes(void **state)
{
	(void)state;
	refused("{\"task_type\": \"one_time\", " URL "}", "run_datetime",
	    "run_datetime is required");
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2020-01-01T00:00:00Z\", "
	    URL "}", "run_datetime", "run_datetime should be in future");
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2026-01-01T00:00:00Z\", "
	    URL "}", "run_datetime", "run_datetime should be in future");
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"tomorrow\", "
	    URL "}", "run_datetime", "must be a datetime");
}

static void
test_post_data(void **state)
{
	(void)state;
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2030-01-01T00:00:00Z\", "
	    URL ", \"post_data\": [1]}", "post_data", "post_data must be a JSON object");
	refused("{\"task_type\": \"one_time\", \"run_datetime\": \"2030-01-01T00:00:00Z\", "
	    URL ", \"post_data\": \"{}\"}", "post_data", "post_data must be a JSON object");
}

#define ONE_TIME "\"task_type\": \"one_time\", \"run_datetime\": " \
	"\"2030-01-01T00:00:00Z\", " URL

static void
test_request_options_ok(void **state)
{
	struct task_input in;
	char err[512], text[1024];
	const char *field;
	struct json_object *body;
	(void)state;
	snprintf(text, sizeof(text), "{%s, \"request_method\": \"PUT\", "
	    "\"name\": \"daily_sms-1\", \"headers\": {\"X-Api-Key\": \"k/1\", "
	    "\"Accept\": \"application/json\"}}", ONE_TIME);
	body = json_body_parse(text, strlen(text), err, sizeof(err));
	assert_non_null(body);
	assert_int_equal(task_input_parse(body, &cfg, NOW, &in, err, sizeof(err),
	    &field), 0);
	assert_string_equal(in.opt.request_method, "PUT");
	assert_string_equal(in.opt.name, "daily_sms-1");
	assert_string_equal(in.opt.headers,
	    "{\"X-Api-Key\":\"k/1\",\"Accept\":\"application/json\"}");
	json_object_put(body);

	snprintf(text, sizeof(text), "{%s, \"request_method\": null, "
	    "\"headers\": null, \"name\": null}", ONE_TIME);
	body = json_body_parse(text, strlen(text), err, sizeof(err));
	assert_int_equal(task_input_parse(body, &cfg, NOW, &in, err, sizeof(err),
	    &field), 0);
	assert_string_equal(in.opt.request_method, "POST");
	assert_string_equal(in.opt.headers, "{}");
	assert_null(in.opt.name);
	json_object_put(body);
}

static void
test_request_options_refused(void **state)
{
	char text[4096];
	(void)state;
	static const struct { const char *json, *field, *msg; } cases[] = {
		{ "\"request_method\": \"post\"", "request_method", "one of POST" },
		{ "\"request_method\": \"HEAD\"", "request_method", "one of POST" },
		{ "\"request_method\": 1", "request_method", "one of POST" },
		{ "\"headers\": [\"a\"]", "headers", "JSON object" },
		{ "\"headers\": {\"Host\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"content-type\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"CONTENT-LENGTH\": \"1\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"Transfer-Encoding\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"connection\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"User-Agent\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"x-scheduler-run-id\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"Bad Name\": \"x\"}", "headers", "not a valid header name" },
		{ "\"headers\": {\"A:B\": \"x\"}", "headers", "not a valid header name" },
		{ "\"headers\": {\"\": \"x\"}", "headers", "not a valid header name" },
		{ "\"headers\": {\"A\": 1}", "headers", "must be a string" },
		{ "\"headers\": {\"A\": \"x\\r\\nB: y\"}", "headers", "CR, LF" },
		{ "\"headers\": {\"A\": \"x\\u0000\"}", "headers", "CR, LF or NUL" },
		{ "\"headers\": {\"A\": \"x\", \"a\": \"y\"}", "headers", "given twice" },
		{ "\"name\": \"\"", "name", "1 to 100" },
		{ "\"name\": \"a b\"", "name", "1 to 100" },
		{ "\"name\": \"caf\u00e9\"", "name", "1 to 100" },
		{ "\"name\": 5", "name", "1 to 100" },
		{ "\"name\": \"x'; DROP TABLE tasks; --\"", "name", "1 to 100" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{%s, %s}", ONE_TIME, cases[i].json);
		refused(text, cases[i].field, cases[i].msg);
	}
	/* 21 headers, a 1025-byte value, a 101-character name. */
	int n = snprintf(text, sizeof(text), "{%s, \"headers\": {", ONE_TIME);
	for (int h = 0; h < 21; h++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s\"H%d\": \"v\"",
		    h ? ", " : "", h);
	snprintf(text + n, sizeof(text) - (size_t)n, "}}");
	refused(text, "headers", "at most 20");
	n = snprintf(text, sizeof(text), "{%s, \"headers\": {\"A\": \"", ONE_TIME);
	memset(text + n, 'v', 1025);
	snprintf(text + n + 1025, sizeof(text) - (size_t)n - 1025, "\"}}");
	refused(text, "headers", "longer than 1024");
	n = snprintf(text, sizeof(text), "{%s, \"name\": \"", ONE_TIME);
	memset(text + n, 'n', 101);
	snprintf(text + n + 101, sizeof(text) - (size_t)n - 101, "\"}");
	refused(text, "name", "1 to 100");
}

static void
test_header_value_of_1024_bytes_and_20_headers_ok(void **state)
{
	struct task_input in;
	char err[512], text[4096];
	const char *field;
	(void)state;
	int n = snprintf(text, sizeof(text), "{%s, \"headers\": {\"A\": \"", ONE_TIME);
	memset(text + n, 'v', 1024);
	n += 1024;
	n += snprintf(text + n, sizeof(text) - (size_t)n, "\"");
	for (int h = 1; h < 20; h++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, ", \"H%d\": \"v\"", h);
	snprintf(text + n, sizeof(text) - (size_t)n, "}}");
	assert_int_equal(validate(text, &in, err, &field), 0);
}

static void
test_request_option_edges(void **state)
{
	struct task_input in;
	char err[512], text[4096];
	const char *field;
	(void)state;
	/* Every RFC 9110 tchar is allowed in a header name; X-Scheduler alone
	 * is not an X-Scheduler-* header. */
	snprintf(text, sizeof(text), "{%s, \"request_method\": \"DELETE\", "
	    "\"headers\": {\"!#$%%&'*+-.^_`|~09azAZ\": \"v\", "
	    "\"X-Scheduler\": \"\", \"X-Tab\": \"a\\tb\"}}", ONE_TIME);
	assert_int_equal(validate(text, &in, err, &field), 0);
	assert_string_equal(in.opt.request_method, "DELETE");
	/* A name of exactly 100 characters. */
	int n = snprintf(text, sizeof(text), "{%s, \"name\": \"", ONE_TIME);
	memset(text + n, 'n', 100);
	snprintf(text + n + 100, sizeof(text) - (size_t)n - 100, "\"}");
	assert_int_equal(validate(text, &in, err, &field), 0);

	static const struct { const char *json, *field, *msg; } cases[] = {
		{ "\"request_method\": \"\"", "request_method", "one of POST" },
		{ "\"request_method\": \"Post\"", "request_method", "one of POST" },
		{ "\"request_method\": \"OPTIONS\"", "request_method", "one of POST" },
		{ "\"request_method\": \" POST\"", "request_method", "one of POST" },
		{ "\"request_method\": true", "request_method", "one of POST" },
		{ "\"headers\": \"X-A: b\"", "headers", "JSON object" },
		{ "\"headers\": {\"X-\u00e9\": \"x\"}", "headers", "not a valid header name" },
		{ "\"headers\": {\"X\\tA\": \"x\"}", "headers", "not a valid header name" },
		{ "\"headers\": {\"X(A)\": \"x\"}", "headers", "not a valid header name" },
		{ "\"headers\": {\"X-A\": \"x\\n\"}", "headers", "CR, LF" },
		{ "\"headers\": {\"X-A\": \"\\rx\"}", "headers", "CR, LF" },
		{ "\"headers\": {\"X-A\": null}", "headers", "must be a string" },
		{ "\"headers\": {\"X-A\": {}}", "headers", "must be a string" },
		{ "\"headers\": {\"X-Scheduler-\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"X-SCHEDULER-SIGNATURE\": \"x\"}", "headers", "set by the scheduler" },
		{ "\"headers\": {\"x-a\": \"1\", \"X-B\": \"2\", \"X-a\": \"3\"}", "headers", "given twice" },
		{ "\"name\": \"a.b\"", "name", "1 to 100" },
		{ "\"name\": \"a/b\"", "name", "1 to 100" },
		{ "\"name\": \"a\\u0000b\"", "name", "1 to 100" },
		{ "\"name\": [\"a\"]", "name", "1 to 100" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{%s, %s}", ONE_TIME, cases[i].json);
		refused(text, cases[i].field, cases[i].msg);
	}
}

/* A fixed word followed by NUL and more is not that word (once it was). */
static void
test_enum_with_nul_refused(void **state)
{
	char text[1024];
	(void)state;
	static const char *const types[] = { "one_time\\u0000garbage",
	    "one_time\\u0000", "periodic\\u0000x", "interval\\u0000", "cron\\u0000",
	    "\\u0000one_time", "one_\\u0000time" };
	static const char *const methods[] = { "DELETE\\u0000X", "DELETE\\u0000",
	    "POST\\u0000", "GET\\u0000\\u0000", "PUT\\u0000PUT", "\\u0000PATCH" };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(text, sizeof(text), "{\"task_type\": \"%s\", " URL ", "
		    "\"run_datetime\": \"2030-01-01T00:00:00Z\"}", types[i]);
		refused(text, "task_type", "task_type must be one of");
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		snprintf(text, sizeof(text), "{%s, \"request_method\": \"%s\"}",
		    ONE_TIME, methods[i]);
		refused(text, "request_method", "request_method must be one of");
	}
}

/* Refused header names in other spellings; the message names the header. */
static void
test_reserved_header_spellings_refused(void **state)
{
	char text[1024], msg[128];
	(void)state;
	static const struct { const char *name, *why; } cases[] = {
		{ "X-Scheduler_Signature", "set by the scheduler" },
		{ "x_scheduler_run_id", "set by the scheduler" },
		{ "X_SCHEDULER_", "set by the scheduler" },
		{ "Transfer_Encoding", "set by the scheduler" },
		{ "Content_Length", "set by the scheduler" },
		{ "content_type", "set by the scheduler" },
		{ "User_Agent", "set by the scheduler" },
		{ "CONNECTION", "set by the scheduler" },
		{ "Host", "set by the scheduler" },
		{ "Expect", "set by the scheduler" },
		{ "expect", "set by the scheduler" },
		{ "webhook-id", "set by the scheduler" },
		{ "Webhook_Signature", "set by the scheduler" },
		{ "WEBHOOK-TIMESTAMP", "set by the scheduler" },
		{ "Keep-Alive", "hop-by-hop" },
		{ "keep_alive", "hop-by-hop" },
		{ "Proxy-Connection", "hop-by-hop" },
		{ "Proxy_Connection", "hop-by-hop" },
		{ "TE", "hop-by-hop" },
		{ "te", "hop-by-hop" },
		{ "Trailer", "hop-by-hop" },
		{ "TRAILER", "hop-by-hop" },
		{ "Upgrade", "hop-by-hop" },
		{ "upgrade", "hop-by-hop" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{%s, \"headers\": {\"X-Ok\": \"1\", "
		    "\"%s\": \"x\"}}", ONE_TIME, cases[i].name);
		snprintf(msg, sizeof(msg), "headers: %s ", cases[i].name);
		refused(text, "headers", msg);
		refused(text, "headers", cases[i].why);
	}
	/* Two spellings of one name are one header to a CGI receiver. */
	snprintf(text, sizeof(text), "{%s, \"headers\": {\"X-Api-Key\": \"1\", "
	    "\"x_api_key\": \"2\"}}", ONE_TIME);
	refused(text, "headers", "given twice");
}

/* Names that only look like refused ones are ordinary headers. */
static void
test_header_names_near_refused_ones_ok(void **state)
{
	struct task_input in;
	char err[512], text[1024];
	const char *field;
	(void)state;

	snprintf(text, sizeof(text), "{%s, \"headers\": {\"Hosts\": \"1\", "
	    "\"TEE\": \"1\", \"T-E\": \"1\", \"Content-Lengths\": \"1\", "
	    "\"X-Keep-Alive\": \"1\", \"Upgrade-Insecure-Requests\": \"1\", "
	    "\"Expectation\": \"1\", \"webhook\": \"1\", \"X_Api_Key\": \"1\", "
	    "\"X-Schedulers-Id\": \"1\"}}", ONE_TIME);
	if (validate(text, &in, err, &field) != 0)
		fail_msg("refused: %s", err);
}

/* Appends "name": "value" of n and v bytes to text at *pos. */
static void
put_header(char *text, size_t size, size_t *pos, size_t n, size_t v)
{
	*pos += (size_t)snprintf(text + *pos, size - *pos, "\"");
	memset(text + *pos, 'N', n);
	*pos += n;
	*pos += (size_t)snprintf(text + *pos, size - *pos, "\": \"");
	memset(text + *pos, 'v', v);
	*pos += v;
	*pos += (size_t)snprintf(text + *pos, size - *pos, "\"");
}

/*
 * The dispatcher sends a header only when name and value together are
 * at most 2048 bytes; a longer one is refused at submit, not at each
 * attempt.
 */
static void
test_header_line_limit(void **state)
{
	static const struct { size_t name, value; int ok; } cases[] = {
		{ 1024, 1024, 1 }, { 2048, 0, 1 }, { 2047, 1, 1 },
		{ 1025, 1024, 0 }, { 2049, 0, 0 }, { 2000, 49, 0 }, { 4000, 5, 0 },
	};
	struct task_input in;
	char err[512], text[8192];
	const char *field;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t pos = (size_t)snprintf(text, sizeof(text), "{%s, \"headers\": {",
		    ONE_TIME);
		put_header(text, sizeof(text), &pos, cases[i].name, cases[i].value);
		snprintf(text + pos, sizeof(text) - pos, "}}");
		if (cases[i].ok) {
			if (validate(text, &in, err, &field) != 0)
				fail_msg("refused %zu + %zu: %s", cases[i].name,
				    cases[i].value, err);
		} else
			refused(text, "headers", "longer than 2048 bytes");
	}
}

static void
test_name_valid(void **state)
{
	char name[128];
	(void)state;
	assert_true(task_options_name_valid("a", 1));
	assert_true(task_options_name_valid("A-z_0-9", 7));
	assert_true(task_options_name_valid("pause", 5));
	assert_false(task_options_name_valid("", 0));
	assert_false(task_options_name_valid("a b", 3));
	assert_false(task_options_name_valid("a\0b", 3));
	assert_false(task_options_name_valid("caf\xc3\xa9", 5));
	assert_false(task_options_name_valid("%61", 3));
	memset(name, 'x', sizeof(name));
	assert_true(task_options_name_valid(name, 100));
	assert_false(task_options_name_valid(name, 101));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periodic_ok),
		cmocka_unit_test(test_one_time_ok_and_defaults),
		cmocka_unit_test(test_task_type),
		cmocka_unit_test(test_fields_of_other_types),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_private_allowed_by_config),
		cmocka_unit_test(test_frequency),
		cmocka_unit_test(test_periodic_datetimes),
		cmocka_unit_test(test_cron_ok),
		cmocka_unit_test(test_cron_refused),
		cmocka_unit_test(test_one_time_datetimes),
		cmocka_unit_test(test_post_data),
		cmocka_unit_test(test_request_options_ok),
		cmocka_unit_test(test_request_options_refused),
		cmocka_unit_test(test_header_value_of_1024_bytes_and_20_headers_ok),
		cmocka_unit_test(test_request_option_edges),
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_enum_with_nul_refused),
		cmocka_unit_test(test_reserved_header_spellings_refused),
		cmocka_unit_test(test_header_names_near_refused_ones_ok),
		cmocka_unit_test(test_header_line_limit),
	};
	return cmocka_run_group_tests_name("task_input", tests, setup, NULL);
}
