/*
 * tasks_api: the /tasks handlers. Order of checks (docs/API.md §4): the
 * body and query are validated before any lookup; then existence (404),
 * ownership (403) and state (409). A create's Idempotency-Key is checked
 * before its body, and a remembered one answered before the body's checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "db_answer.h"
#include "handlers.h"
#include "idempotency.h"
#include "json_body.h"
#include "query.h"
#include "task_input.h"
#include "task_options.h"
#include "task_patch.h"
#include "task_state.h"
#include "task_store.h"

#define BULK_MAX_IDS 1000

static struct json_object *
parse_body(struct request *req, struct response *res)
{
	char err[256];
	struct json_object *body = json_body_parse(req->body, req->body_len, err,
	    sizeof(err));

	if (body == NULL)
		http_error(res, 400, err, NULL);
	return body;
}

/* 429 for a create that a quota refused, naming the limit and its key. */
static void
answer_over_quota(struct response *res, const struct config *cfg,
    enum task_store_over over)
{
	char msg[160];

	if (over == TASK_STORE_OVER_TASKS)
		snprintf(msg, sizeof(msg), "task quota reached: %lld tasks per user "
		    "(max_tasks_per_user)", cfg->max_tasks_per_user);
	else
		snprintf(msg, sizeof(msg), "post_data quota reached: %lld bytes of "
		    "post_data per user (max_post_data_bytes_per_user)",
		    cfg->max_post_data_bytes_per_user);
	http_error(res, 429, msg, NULL);
}

/* The 201 of a create; a replay answers it again from the same id. */
static void
reply_created(struct response *res, const char *id)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "message",
	    json_object_new_string("Task has been scheduled successfully"));
	http_reply(res, 201, o);
	snprintf(res->location, sizeof(res->location), "/tasks/%s", id);
}

/* A key another create remembered: its 201 again, or 422 (§7.5). */
static void
answer_remembered(struct response *res, const struct idempotency *idem)
{
	if (idem->outcome == IDEM_MISMATCH) {
		http_error(res, 422, IDEMPOTENCY_MSG_REUSED, IDEMPOTENCY_HEADER);
		return;
	}
	reply_created(res, idem->task_id);
	idempotency_mark_replayed(res);
}

/*
 * A bad Idempotency-Key is refused before the body; a remembered one is
 * answered before the body is checked, so that a retry whose run_datetime
 * has passed since, or that a quota now refuses, still gets its 201
 * (docs/API.md §4, §7.5). 1 when answered.
 */
static int
create_remembered(struct request *req, struct response *res,
    struct idempotency *idem)
{
	struct db *db;
	int rc;

	if (idempotency_parse(req, res, idem) < 0)
		return 1;
	if (idem->key == NULL)
		return 0;
	if ((db = db_answer_open(req, res)) == NULL)
		return 1;
	if ((rc = idempotency_lookup(db, req->user_id, idem)) != DB_OK) {
		db_answer_failed(req, res, rc);
		return 1;
	}
	if (idem->outcome == IDEM_NEW)
		return 0;
	answer_remembered(res, idem);
	return 1;
}

void
handle_tasks_create(struct request *req, struct response *res)
{
	struct idempotency idem;
	struct json_object *body;
	const struct config *cfg = req->ctx->cfg;
	/* Read per request: SIGHUP changes them for the next one. */
	const struct task_store_quota quota = { cfg->max_tasks_per_user,
	    cfg->max_post_data_bytes_per_user };
	enum task_store_over over = TASK_STORE_OVER_NONE;
	struct task_input in;
	char err[512], id[CRYPTO_ID_HEX_LEN];
	const char *field;
	struct db *db;
	int rc;

	if (create_remembered(req, res, &idem) ||
	    (body = parse_body(req, res)) == NULL)
		return;
	if (task_input_parse(body, cfg, (int64_t)time(NULL), &in, err,
	    sizeof(err), &field) < 0) {
		http_error(res, 400, err, field);
		goto out;
	}
	if ((db = db_answer_open(req, res)) == NULL)
		goto out;
	/* A clash of 128 random bits is next to impossible; try once more anyway. */
	for (int i = 0; i < 2; i++) {
		if (crypto_new_id(id) < 0) {
			http_error(res, 500, MSG_INTERNAL, NULL);
			goto out;
		}
		rc = task_store_insert_keyed(db, req->user_id, id, &in,
		    (int64_t)time(NULL), &quota, &idem, &over);
		if (rc != DB_DUPLICATE || task_store_name_taken(db))
			break;
	}
	if (rc == DB_DUPLICATE && task_store_name_taken(db)) {
		http_error(res, 409, MSG_NAME_TAKEN, NULL);
		goto out;
	}
	if (rc != DB_OK) {
		db_answer_failed(req, res, rc);
		goto out;
	}
	if (idem.outcome != IDEM_NEW)
		answer_remembered(res, &idem);
	else if (over != TASK_STORE_OVER_NONE)
		answer_over_quota(res, cfg, over);
	else
		reply_created(res, id);
out:
	json_object_put(body);
}

/* Writes {"count", "page", "per_page", key: items} into res. */
static void
reply_page(struct response *res, const struct list_query *q, long long count,
    const char *key, struct json_object *items)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "count", json_object_new_int64(count));
	json_object_object_add(o, "page", json_object_new_int64(q->page));
	json_object_object_add(o, "per_page", json_object_new_int64(q->per_page));
	json_object_object_add(o, key, items);
	http_reply(res, 200, o);
}

/* Parses the list parameters; answers 400 and returns -1 when they are bad. */
static int
parse_query(struct request *req, struct response *res, int with_filters,
    struct list_query *q)
{
	char err[256];
	const char *field;

	if (query_parse_list(req->query, with_filters, q, err, sizeof(err), &field) < 0) {
		http_error(res, 400, err, field);
		return -1;
	}
	return 0;
}

void
handle_tasks_list(struct request *req, struct response *res)
{
	struct list_query q;
	struct json_object *tasks;
	long long count;
	struct db *db;
	int rc;

	if (parse_query(req, res, 1, &q) < 0 || (db = db_answer_open(req, res)) == NULL)
		return;
	tasks = json_object_new_array();
	rc = task_store_list(db, req->user_id, &q, &count, tasks);
	if (rc != DB_OK) {
		json_object_put(tasks);
		db_answer_failed(req, res, rc);
		return;
	}
	reply_page(res, &q, count, "tasks", tasks);
}

/* The route's authentication fetched the task (ROUTE_USER_TASK). */
void
handle_task_get(struct request *req, struct response *res)
{
	struct db *db;

	if (req->task != NULL) {
		task_patch_etag(res, req->task);
		http_reply(res, 200, req->task);
		req->task = NULL;
	} else if ((db = db_answer_open(req, res)) != NULL)
		db_answer_missing_task(req, res, db);
}

void
handle_task_delete(struct request *req, struct response *res)
{
	struct db *db = db_answer_open(req, res);
	int found, rc;

	if (db == NULL)
		return;
	rc = task_store_delete(db, req->user_id, req->id, &found);
	if (rc != DB_OK)
		db_answer_failed(req, res, rc);
	else if (!found)
		db_answer_missing_task(req, res, db);
	else
		http_reply_message(res, 200, "Task has been removed successfully");
}

/* Runs a pause or resume on ids and answers with msg or the failed check. */
static void
change_state(struct request *req, struct response *res, const char *const *ids,
    size_t n, enum task_state_op op, const char *msg)
{
	enum task_state_result result;
	struct db *db = db_answer_open(req, res);
	int rc;

	if (db == NULL)
		return;
	rc = task_state_change(db, req->user_id, ids, n, op, (int64_t)time(NULL),
	    &result);
	if (rc != DB_OK)
		db_answer_failed(req, res, rc);
	else if (result == TASK_STATE_NOT_FOUND)
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
	else if (result == TASK_STATE_FORBIDDEN)
		http_error(res, 403, MSG_FORBIDDEN_TASK, NULL);
	else if (result == TASK_STATE_COMPLETED)
		http_error(res, 409, MSG_COMPLETED, NULL);
	else
		http_reply_message(res, 200, msg);
}

void
handle_task_pause(struct request *req, struct response *res)
{
	const char *ids[] = { req->id };
	change_state(req, res, ids, 1, TASK_PAUSE, "Task paused successfully");
}

void
handle_task_resume(struct request *req, struct response *res)
{
	const char *ids[] = { req->id };
	change_state(req, res, ids, 1, TASK_RESUME, "Task resumed successfully");
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Reads {"ids": [...]}: a non-empty array of at most BULK_MAX_IDS strings
 * (counted before repeats are removed). Returns the distinct ids (pointing
 * into body) and their number, or NULL after answering 400.
 */
static const char **
parse_ids(struct json_object *body, struct response *res, size_t *n)
{
	struct json_object *arr = NULL;
	size_t len, distinct = 0;
	const char **ids;

	json_object_object_get_ex(body, "ids", &arr);
	len = json_object_is_type(arr, json_type_array) ?
	    json_object_array_length(arr) : 0;
	if (len == 0 || len > BULK_MAX_IDS) {
		http_error(res, 400, "ids must be a non-empty array of at most 1000 "
		    "task ids", "ids");
		return NULL;
	}
	ids = calloc(len, sizeof(*ids));
	if (ids == NULL) {
		http_error(res, 500, MSG_INTERNAL, NULL);
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		/* An id holding NUL could never match; refuse it as malformed. */
		if (!json_object_is_type(v, json_type_string) ||
		    strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v)) {
			free(ids);
			http_error(res, 400, "ids must contain only task id strings", "ids");
			return NULL;
		}
		ids[i] = json_object_get_string(v);
	}
	qsort(ids, len, sizeof(*ids), compare_strings);
	for (size_t i = 0; i < len; i++)
		if (distinct == 0 || strcmp(ids[distinct - 1], ids[i]) != 0)
			ids[distinct++] = ids[i];
	*n = distinct;
	return ids;
}

static void
change_state_bulk(struct request *req, struct response *res,
    enum task_state_op op, const char *msg)
{
	struct json_object *body = parse_body(req, res);
	const char **ids;
	size_t n;

	if (body == NULL)
		return;
	if ((ids = parse_ids(body, res, &n)) != NULL) {
		change_state(req, res, ids, n, op, msg);
		free(ids);
	}
	json_object_put(body);
}

void
handle_tasks_pause(struct request *req, struct response *res)
{
	change_state_bulk(req, res, TASK_PAUSE, "Tasks have been successfully paused");
}

void
handle_tasks_resume(struct request *req, struct response *res)
{
	change_state_bulk(req, res, TASK_RESUME, "Tasks have been resumed successfully");
}

void
handle_tasks_delete(struct request *req, struct response *res)
{
	change_state_bulk(req, res, TASK_DELETE, "Tasks have been removed successfully");
}

/*
 * Names are per user, so a name another user has is simply not this
 * user's: 404, with no owner-blind probe. A path segment that cannot be a
 * name is answered without a query.
 */
void
handle_task_get_by_name(struct request *req, struct response *res)
{
	struct json_object *task;
	struct db *db;
	int rc;

	if (!task_options_name_valid(req->id, strlen(req->id))) {
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
		return;
	}
	if ((db = db_answer_open(req, res)) == NULL)
		return;
	rc = task_store_get_by_name(db, req->user_id, req->id, &task);
	if (rc != DB_OK)
		db_answer_failed(req, res, rc);
	else if (task == NULL)
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
	else {
		task_patch_etag(res, task);
		http_reply(res, 200, task);
	}
}

void
handle_task_delete_by_name(struct request *req, struct response *res)
{
	struct db *db;
	int found, rc;

	if (!task_options_name_valid(req->id, strlen(req->id))) {
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
		return;
	}
	if ((db = db_answer_open(req, res)) == NULL)
		return;
	rc = task_store_delete_by_name(db, req->user_id, req->id, &found);
	if (rc != DB_OK)
		db_answer_failed(req, res, rc);
	else if (!found)
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
	else
		http_reply_message(res, 200, "Task has been removed successfully");
}

void
handle_task_runs(struct request *req, struct response *res)
{
	struct list_query q;
	unsigned long long seq;
	long long count;
	struct json_object *runs;
	struct db *db;
	int rc;

	if (parse_query(req, res, 0, &q) < 0 || (db = db_answer_open(req, res)) == NULL)
		return;
	rc = task_store_seq(db, req->user_id, req->id, &seq);
	if (rc != DB_OK) {
		db_answer_failed(req, res, rc);
		return;
	}
	if (seq == 0) {
		db_answer_missing_task(req, res, db);
		return;
	}
	runs = json_object_new_array();
	rc = task_store_runs(db, req->user_id, seq, &q, &count, runs);
	if (rc != DB_OK) {
		json_object_put(runs);
		db_answer_failed(req, res, rc);
		return;
	}
	reply_page(res, &q, count, "runs", runs);
}
