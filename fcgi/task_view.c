/*
 * task_view: row to JSON. Stored JSON text (post_data, headers) was
 * produced by json_body_serialize from a validated body, so parsing it back
 * is safe and keeps key order and exact integers.
 */
#include "task_view.h"

#include <string.h>

#include "datetime.h"

enum {
	C_ID, C_TYPE, C_NAME, C_URL, C_METHOD, C_HEADERS, C_POST_DATA,
	C_FREQUENCY, C_START, C_END, C_RUN_AT, C_CRON, C_TZ, C_STATUS, C_NEXT,
	C_RETRY_AT, C_CREATED, C_LAST_RUN, C_LAST_OUTCOME, C_RUN_COUNT,
};

static struct json_object *
view_string(const struct db_rows *row, unsigned col)
{
	size_t len;
	const char *s = db_col(row, col, &len);
	return s ? json_object_new_string_len(s, (int)len) : NULL;
}

/* A DATETIME column as RFC 3339 (whole seconds or milliseconds), or null. */
static struct json_object *
view_time(const struct db_rows *row, unsigned col, int with_millis)
{
	char buf[DATETIME_RFC3339_MS_LEN];
	const char *s = db_col(row, col, NULL);

	if (s == NULL || datetime_sql_to_api(s, with_millis, buf, sizeof(buf)) < 0)
		return NULL;
	return json_object_new_string(buf);
}

static struct json_object *
view_int(const struct db_rows *row, unsigned col)
{
	const char *s = db_col(row, col, NULL);
	return s ? json_object_new_int64(db_col_int(row, col, 0)) : NULL;
}

/*
 * Stored JSON text goes out as it is: the value is an object whose
 * serializer copies the text, so a page of tasks is not parsed back into
 * trees only to be printed again. Only the serialized answer ever reads it.
 */
static struct json_object *
view_json(const struct db_rows *row, unsigned col)
{
	size_t len;
	const char *s = db_col(row, col, &len);
	struct json_object *o;
	char *copy;

	if (s == NULL || (o = json_object_new_object()) == NULL)
		return NULL;
	if ((copy = strndup(s, len)) == NULL) {
		json_object_put(o);
		return NULL;
	}
	json_object_set_serializer(o, json_object_userdata_to_json_string, copy,
	    json_object_free_userdata);
	return o;
}

/*
 * The next attempt: the next occurrence or an earlier pending retry; null
 * unless the task is active.
 */
static struct json_object *
view_next_run(const struct db_rows *row)
{
	const char *status = db_col(row, C_STATUS, NULL);
	const char *next = db_col(row, C_NEXT, NULL);
	const char *retry = db_col(row, C_RETRY_AT, NULL);
	int64_t tn, tr;
	char buf[DATETIME_RFC3339_LEN];

	if (status == NULL || strcmp(status, "active") != 0)
		return NULL;
	if (next == NULL || datetime_parse_sql(next, &tn, NULL) < 0)
		tn = INT64_MAX;
	if (retry == NULL || datetime_parse_sql(retry, &tr, NULL) < 0)
		tr = INT64_MAX;
	if (tr < tn)
		tn = tr;
	if (tn == INT64_MAX)
		return NULL;
	datetime_format(tn, buf);
	return json_object_new_string(buf);
}

struct json_object *
task_view_task(const struct db_rows *row)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "id", view_string(row, C_ID));
	json_object_object_add(o, "task_type", view_string(row, C_TYPE));
	json_object_object_add(o, "name", view_string(row, C_NAME));
	json_object_object_add(o, "url", view_string(row, C_URL));
	json_object_object_add(o, "request_method", view_string(row, C_METHOD));
	json_object_object_add(o, "headers", view_json(row, C_HEADERS));
	json_object_object_add(o, "post_data", view_json(row, C_POST_DATA));
	json_object_object_add(o, "frequency", view_int(row, C_FREQUENCY));
	json_object_object_add(o, "start_datetime", view_time(row, C_START, 0));
	json_object_object_add(o, "end_datetime", view_time(row, C_END, 0));
	json_object_object_add(o, "run_datetime", view_time(row, C_RUN_AT, 0));
	json_object_object_add(o, "cron", view_string(row, C_CRON));
	json_object_object_add(o, "timezone", view_string(row, C_TZ));
	json_object_object_add(o, "next_run_datetime", view_next_run(row));
	json_object_object_add(o, "status", view_string(row, C_STATUS));
	json_object_object_add(o, "created_at", view_time(row, C_CREATED, 0));
	json_object_object_add(o, "last_run_datetime", view_time(row, C_LAST_RUN, 0));
	json_object_object_add(o, "last_run_outcome", view_string(row, C_LAST_OUTCOME));
	json_object_object_add(o, "run_count", view_int(row, C_RUN_COUNT));
	return o;
}

enum {
	R_RUN_ID, R_SCHEDULED, R_ATTEMPT, R_STARTED, R_FINISHED, R_OUTCOME,
	R_HTTP_STATUS, R_ERROR, R_DURATION,
};

struct json_object *
task_view_run(const struct db_rows *row)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "run_id", view_string(row, R_RUN_ID));
	json_object_object_add(o, "scheduled_for", view_time(row, R_SCHEDULED, 0));
	json_object_object_add(o, "attempt", view_int(row, R_ATTEMPT));
	json_object_object_add(o, "started_at", view_time(row, R_STARTED, 1));
	json_object_object_add(o, "finished_at", view_time(row, R_FINISHED, 1));
	json_object_object_add(o, "outcome", view_string(row, R_OUTCOME));
	json_object_object_add(o, "http_status", view_int(row, R_HTTP_STATUS));
	json_object_object_add(o, "error", view_string(row, R_ERROR));
	json_object_object_add(o, "duration_ms", view_int(row, R_DURATION));
	return o;
}
