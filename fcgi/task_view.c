/*
 * task_view: row to JSON. Stored JSON text (post_data, headers) was
 * produced by json_body_serialize from a validated body, so it goes out as
 * it is, never parsed back: its key order and exact integers are kept as
 * they were stored (view_json).
 */
#include "task_view.h"

#include <string.h>

#include "datetime.h"

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
	const char *status = db_col(row, TASK_VIEW_COL_STATUS, NULL);
	int64_t tn, tr;
	char buf[DATETIME_RFC3339_LEN];

	if (status == NULL || strcmp(status, "active") != 0)
		return NULL;
	tn = db_col_time(row, TASK_VIEW_COL_SCHEDULE +
	    TASK_SCHEDULE_COL_NEXT_RUN_AT, INT64_MAX);
	tr = db_col_time(row, TASK_VIEW_COL_RETRY_AT, INT64_MAX);
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
	json_object_object_add(o, "id", view_string(row, TASK_VIEW_COL_ID));
	json_object_object_add(o, "task_type", view_string(row,
	    TASK_VIEW_COL_SCHEDULE + TASK_SCHEDULE_COL_TYPE));
	json_object_object_add(o, "name", view_string(row, TASK_VIEW_COL_NAME));
	json_object_object_add(o, "url", view_string(row, TASK_VIEW_COL_URL));
	json_object_object_add(o, "request_method",
	    view_string(row, TASK_VIEW_COL_METHOD));
	json_object_object_add(o, "headers",
	    view_json(row, TASK_VIEW_COL_HEADERS));
	json_object_object_add(o, "post_data",
	    view_json(row, TASK_VIEW_COL_POST_DATA));
	/* The type's fields: frequency ... timezone (lib/task_type.c). */
	task_schedule_view(row, TASK_VIEW_COL_SCHEDULE, o);
	json_object_object_add(o, "next_run_datetime", view_next_run(row));
	json_object_object_add(o, "status",
	    view_string(row, TASK_VIEW_COL_STATUS));
	json_object_object_add(o, "created_at",
	    view_time(row, TASK_VIEW_COL_CREATED, 0));
	json_object_object_add(o, "last_run_datetime",
	    view_time(row, TASK_VIEW_COL_LAST_RUN, 0));
	json_object_object_add(o, "last_run_outcome",
	    view_string(row, TASK_VIEW_COL_LAST_OUTCOME));
	json_object_object_add(o, "run_count",
	    view_int(row, TASK_VIEW_COL_RUN_COUNT));
	/* The ETag's number (docs/API.md §14.3). */
	json_object_object_add(o, "version",
	    view_int(row, TASK_VIEW_COL_VERSION));
	return o;
}

struct json_object *
task_view_run(const struct db_rows *row)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "run_id",
	    view_string(row, RUN_VIEW_COL_RUN_ID));
	json_object_object_add(o, "scheduled_for",
	    view_time(row, RUN_VIEW_COL_SCHEDULED, 0));
	json_object_object_add(o, "attempt",
	    view_int(row, RUN_VIEW_COL_ATTEMPT));
	json_object_object_add(o, "started_at",
	    view_time(row, RUN_VIEW_COL_STARTED, 1));
	json_object_object_add(o, "finished_at",
	    view_time(row, RUN_VIEW_COL_FINISHED, 1));
	json_object_object_add(o, "outcome",
	    view_string(row, RUN_VIEW_COL_OUTCOME));
	json_object_object_add(o, "http_status",
	    view_int(row, RUN_VIEW_COL_HTTP_STATUS));
	json_object_object_add(o, "error",
	    view_string(row, RUN_VIEW_COL_ERROR));
	json_object_object_add(o, "duration_ms",
	    view_int(row, RUN_VIEW_COL_DURATION));
	return o;
}
