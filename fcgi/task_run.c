/*
 * task_run: POST /tasks/{id}/run (run now) and GET /tasks/{id}/next (the
 * preview), docs/API.md §15, with their SQL.
 *
 * Run now never calls the task's URL from here: it queues a run-now
 * delivery (lib/lifecycle.h, LIFECYCLE_RUN_NOW_FIRST) that the
 * dispatcher's claim of retries takes like any other due delivery, so it
 * fires, retries, is leased and recorded as every occurrence is. The
 * preview plans with the dispatcher's own planner (occurrence_preview in
 * lib/occurrence.c), so it cannot disagree with what fires.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "datetime.h"
#include "db_answer.h"
#include "handlers.h"
#include "occurrence.h"
#include "query.h"
#include "task_store.h"

#define TASK_RUN_TRIES 3

/*
 * Locks the owner's task first (as pause and the dispatcher's outcome do:
 * tasks, then deliveries) and counts the occurrence: run_count counts it
 * when it is queued, and last_run_at is its first attempt's time, due
 * now. Status and next_run_at stay as they are.
 */
static struct db_stmt st_run_count = DB_STMT(
	"UPDATE tasks SET run_count = run_count + 1, last_run_at = NOW(3) "
	"WHERE id = ? AND owner_id = ?");

/*
 * The delivery, due now and waiting, as a new occurrence: attempt 1,
 * scheduled for this second, not started (first_started_at is set when
 * the claim starts it).
 */
static struct db_stmt st_run_insert = DB_STMT(
	"INSERT INTO deliveries (task_seq, owner_id, run_id, scheduled_for, "
	"attempt, due_at, held, run_now, claimed_by, first_started_at) "
	"SELECT t.seq, t.owner_id, ?, NOW(), 1, NOW(3), 0, 1, NULL, NULL "
	"FROM tasks t WHERE t.id = ? AND t.owner_id = ?");

/* The preview's columns; the schedule's (lib/task_type.h) follow. */
#define NEXT_COLUMNS(X, SEP) \
	X(NEXT_STATUS, "t.status") SEP \
	X(NEXT_DB_NOW, "CAST(UNIX_TIMESTAMP() AS SIGNED)")
enum { DB_COLUMNS_ENUM(NEXT_COLUMNS) NEXT_SCHEDULE };

static struct db_stmt st_next = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(NEXT_COLUMNS) ", " TASK_SCHEDULE_SELECT " "
	"FROM tasks t WHERE t.id = ? AND t.owner_id = ?");

/* One transaction; *found = 0 when the owner has no such task. */
static int
run_try(struct db *db, long long owner, const char *id, const char *run_id,
    int *found)
{
	struct db_param key[] = { P_STR(id), P_INT(owner) };
	struct db_param ins[] = { P_STR(run_id), P_STR(id), P_INT(owner) };
	unsigned long long n = 0;
	int rc = db_begin(db);

	*found = 0;
	if (rc == DB_OK)
		rc = db_exec(db, &st_run_count, key, 2, &n, NULL);
	if (rc == DB_OK && n == 1) {
		*found = 1;
		rc = db_exec(db, &st_run_insert, ins, 3, NULL, NULL);
	}
	if (rc == DB_OK && *found)
		rc = db_commit(db);
	if (rc != DB_OK || !*found)
		db_rollback(db);
	return rc;
}

void
handle_task_run(struct request *req, struct response *res)
{
	char run_id[CRYPTO_ID_HEX_LEN];
	struct json_object *o;
	struct db *db;
	int found = 0, rc = DB_OK;

	if ((db = db_answer_open(req, res)) == NULL)
		return;
	if (!task_store_id_valid(req->id)) {
		db_answer_missing_task(req, res, db);
		return;
	}
	/*
	 * A deadlock is retried; so is a clash of 128 random run ids (next
	 * to impossible), with a new id.
	 */
	for (int i = 0; i < TASK_RUN_TRIES; i++) {
		if (crypto_new_id(run_id) < 0) {
			http_error(res, 500, MSG_INTERNAL, NULL);
			return;
		}
		rc = run_try(db, req->user_id, req->id, run_id, &found);
		if (rc != DB_RETRY && rc != DB_DUPLICATE)
			break;
	}
	if (rc != DB_OK) {
		db_answer_failed(req, res, rc);
		return;
	}
	if (!found) {
		db_answer_missing_task(req, res, db);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "run_id", json_object_new_string(run_id));
	json_object_object_add(o, "message",
	    json_object_new_string("Task run has been queued"));
	http_reply(res, 202, o);
}

/*
 * The times the dispatcher will fire for the task in row r: none unless
 * active; a schedule the claim cannot read fires its stored slot once
 * (dispatcher/claim.c, claim_plan).
 */
static void
next_times(const struct db_rows *r, long long count, struct json_object *arr)
{
	struct task_schedule s;
	char err[256] = "", text[DATETIME_RFC3339_LEN];
	const char *status = db_col(r, NEXT_STATUS, NULL);
	int64_t now = db_col_int(r, NEXT_DB_NOW, 0);
	int64_t times[QUERY_COUNT_MAX];
	size_t n;

	if (status == NULL || strcmp(status, "active") != 0)
		return;
	if (task_schedule_read(r, NEXT_SCHEDULE, &s, err, sizeof(err)) < 0) {
		times[0] = db_col_time(r, NEXT_SCHEDULE +
		    TASK_SCHEDULE_COL_NEXT_RUN_AT, SCHEDULE_NONE);
		n = times[0] != SCHEDULE_NONE ? 1 : 0;
	} else
		n = occurrence_preview(&s, now, times, (size_t)count);
	for (size_t i = 0; i < n; i++) {
		datetime_format(times[i], text);
		json_object_array_add(arr, json_object_new_string(text));
	}
}

void
handle_task_next(struct request *req, struct response *res)
{
	struct db_param p[] = { P_STR(req->id), P_INT(req->user_id) };
	struct json_object *arr, *o;
	struct db_rows rows;
	long long count;
	char err[128];
	const char *field;
	struct db *db;
	int rc;

	if (query_parse_count(req->query, &count, err, sizeof(err), &field) < 0) {
		http_error(res, 400, err, field);
		return;
	}
	if ((db = db_answer_open(req, res)) == NULL)
		return;
	if (!task_store_id_valid(req->id)) {
		db_answer_missing_task(req, res, db);
		return;
	}
	if ((rc = db_query(db, &st_next, p, 2, &rows)) != DB_OK) {
		db_answer_failed(req, res, rc);
		return;
	}
	rc = db_rows_next(&rows);
	if (rc < 0) {
		db_rows_free(&rows);
		db_answer_failed(req, res, rc);
		return;
	}
	if (rc == 0) {
		db_rows_free(&rows);
		db_answer_missing_task(req, res, db);
		return;
	}
	arr = json_object_new_array();
	next_times(&rows, count, arr);
	db_rows_free(&rows);
	o = json_object_new_object();
	json_object_object_add(o, "next", arr);
	http_reply(res, 200, o);
}
