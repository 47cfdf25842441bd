/*
 * task_state: locks the named tasks (owner-scoped SELECT ... FOR UPDATE),
 * checks them all, then changes them all, so a bulk call never half-applies.
 * Paused tasks hold their waiting retries (deliveries.held); an attempt in
 * flight is left alone and the dispatcher holds its retry if one follows.
 */
#include "task_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "lifecycle.h"
#include "log.h"
#include "occurrence.h"
#include "task_store.h"

#define TASK_STATE_TRIES 3

/* st_lock's columns; the schedule's (lib/task_type.h) follow them. */
#define LOCK_COLUMNS(X, SEP) \
	X(LOCK_COL_SEQ, "t.seq") SEP \
	X(LOCK_COL_STATUS, "t.status") SEP \
	X(LOCK_COL_POST_DATA_BYTES, "LENGTH(t.post_data)")
enum { DB_COLUMNS_ENUM(LOCK_COLUMNS) LOCK_COL_SCHEDULE };

static struct db_stmt st_lock = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(LOCK_COLUMNS) ", " TASK_SCHEDULE_SELECT
	" FROM tasks t WHERE t.id = ? AND t.owner_id = ? FOR UPDATE");
/* A change of status is a new version (docs/API.md §14.3); once only. */
static struct db_stmt st_pause = DB_STMT(
	"UPDATE tasks SET status = 'paused', version = version + 1 "
	"WHERE seq = ? AND owner_id = ? AND status = 'active'");
static struct db_stmt st_hold = DB_STMT(
	"UPDATE deliveries SET " LIFECYCLE_HOLD_SET("") " WHERE task_seq = ? "
	"AND owner_id = ? AND " LIFECYCLE_HOLDABLE(""));
/* Status first: a single-table UPDATE assigns from left to right. */
static struct db_stmt st_resume = DB_STMT(
	"UPDATE tasks t SET t.status = " LIFECYCLE_COMPLETED_IF("?", "'active'")
	", t.next_run_at = ?, t.version = t.version + 1 "
	"WHERE t.seq = ? AND t.owner_id = ? AND t.status = 'paused'");
static struct db_stmt st_delete = DB_STMT(
	"DELETE FROM tasks WHERE seq = ? AND owner_id = ?");
static struct db_stmt st_release = DB_STMT(
	"UPDATE deliveries SET " LIFECYCLE_RELEASE_SET("") " WHERE task_seq = ? "
	"AND owner_id = ? AND " LIFECYCLE_HELD(""));

/* One locked task, as read by st_lock. */
struct locked_task {
	unsigned long long seq;
	char status[16];
	struct task_schedule sched;
	long long post_data_bytes;		/* for the quota, when deleted */
};

/* What a delete gives back to the owner's quota (task_store_quota_release). */
struct state_freed {
	long long tasks, bytes;
};

/* Locks one task; *found = 0 when the owner has none with this id. */
static int
state_lock(struct db *db, long long owner, const char *id,
    struct locked_task *t, int *found)
{
	struct db_param p[] = { P_STR(id), P_INT(owner) };
	struct db_rows rows;
	char err[256];
	int rc;

	*found = 0;
	if (!task_store_id_valid(id))
		return DB_OK;
	if ((rc = db_query(db, &st_lock, p, 2, &rows)) != DB_OK)
		return rc;
	rc = db_rows_next(&rows);
	if (rc == 1) {
		const char *status = db_col(&rows, LOCK_COL_STATUS, NULL);

		*found = 1;
		t->seq = (unsigned long long)db_col_int(&rows, LOCK_COL_SEQ, 0);
		snprintf(t->status, sizeof(t->status), "%s", status ? status : "");
		t->post_data_bytes = db_col_int(&rows, LOCK_COL_POST_DATA_BYTES, 0);
		/*
		 * A type no row knows cannot be stored (the column is an
		 * ENUM); such a task would resume as it is, like one-time.
		 */
		if (task_schedule_read(&rows, LOCK_COL_SCHEDULE, &t->sched, err,
		    sizeof(err)) < 0)
			t->sched.kind = TASK_ONE_TIME;
	}
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}

static int
state_pause(struct db *db, long long owner, const struct locked_task *t)
{
	struct db_param p[] = { P_UINT(t->seq), P_INT(owner) };
	int rc;

	if (strcmp(t->status, "paused") == 0)
		return DB_OK;
	rc = db_exec(db, &st_pause, p, 2, NULL, NULL);
	return rc != DB_OK ? rc : db_exec(db, &st_hold, p, 2, NULL, NULL);
}

/*
 * A periodic or cron task continues at the first slot not in the past; a
 * one-time task keeps its time, so one resumed late fires at once as its
 * original occurrence. With nothing left to fire and no retry pending, it
 * completes.
 */
static int
state_resume(struct db *db, long long owner, const struct locked_task *t,
    int64_t now)
{
	struct db_param key[] = { P_UINT(t->seq), P_INT(owner) };
	int64_t next;
	char next_sql[DATETIME_SQL_LEN];
	int rc;

	if (strcmp(t->status, "paused") != 0)
		return DB_OK;
	next = occurrence_resume(&t->sched, now);
	/* Not "nothing left": a 500 now, and the task stays paused. */
	if (next == CRON_ZONE_ERROR) {
		log_warnx("resume: time zone %s of a cron task cannot be read",
		    t->sched.zone);
		return DB_ERROR;
	}
	if (next >= 0)
		datetime_format_sql(next, next_sql);

	struct db_param p[] = {
		next < 0 ? P_NULL : P_STR(next_sql),
		next < 0 ? P_NULL : P_STR(next_sql), P_UINT(t->seq), P_INT(owner),
	};
	rc = db_exec(db, &st_resume, p, 4, NULL, NULL);
	return rc != DB_OK ? rc : db_exec(db, &st_release, key, 2, NULL, NULL);
}

/*
 * Deleting a task removes its runs and pending retries (foreign keys
 * cascade); a repeated id is deleted, and counted in freed, once.
 */
static int
state_delete(struct db *db, long long owner, const struct locked_task *t,
    struct state_freed *freed)
{
	struct db_param p[] = { P_UINT(t->seq), P_INT(owner) };
	unsigned long long affected = 0;
	int rc = db_exec(db, &st_delete, p, 2, &affected, NULL);

	if (rc == DB_OK && affected > 0) {
		freed->tasks++;
		freed->bytes += t->post_data_bytes;
	}
	return rc;
}

/*
 * Locks and checks every id; *result is the first failed check in the
 * order of docs/API.md §4. A completed task stops pause and resume, never
 * a delete.
 */
static int
state_check_all(struct db *db, long long owner, const char *const *ids, size_t n,
    enum task_state_op op, struct locked_task *tasks, int *found,
    enum task_state_result *result)
{
	int unknown = 0, foreign = 0, completed = 0, rc;

	for (size_t i = 0; i < n; i++) {
		rc = state_lock(db, owner, ids[i], &tasks[i], &found[i]);
		if (rc != DB_OK)
			return rc;
		if (!found[i]) {
			int exists;
			rc = task_store_probe(db, ids[i], &exists);
			if (rc != DB_OK)
				return rc;
			if (exists)
				foreign = 1;
			else
				unknown = 1;
		} else if (op != TASK_DELETE && strcmp(tasks[i].status, "completed") == 0)
			completed = 1;
	}
	*result = unknown ? TASK_STATE_NOT_FOUND : foreign ? TASK_STATE_FORBIDDEN :
	    completed ? TASK_STATE_COMPLETED : TASK_STATE_OK;
	return DB_OK;
}

static int
state_try(struct db *db, long long owner, const char *const *ids, size_t n,
    enum task_state_op op, int64_t now, struct locked_task *tasks, int *found,
    enum task_state_result *result)
{
	struct state_freed freed = { 0, 0 };
	int rc = db_begin(db);

	if (rc != DB_OK)
		return rc;
	rc = state_check_all(db, owner, ids, n, op, tasks, found, result);
	/* Repeated ids lock the same row twice; applying twice is harmless. */
	for (size_t i = 0; rc == DB_OK && *result == TASK_STATE_OK && i < n; i++)
		rc = op == TASK_PAUSE ? state_pause(db, owner, &tasks[i]) :
		    op == TASK_RESUME ? state_resume(db, owner, &tasks[i], now) :
		    state_delete(db, owner, &tasks[i], &freed);
	/* Last before COMMIT: the users row is locked the shortest time. */
	if (rc == DB_OK && freed.tasks > 0)
		rc = task_store_quota_release(db, owner, freed.tasks, freed.bytes);
	if (rc == DB_OK && *result == TASK_STATE_OK)
		rc = db_commit(db);
	if (rc != DB_OK || *result != TASK_STATE_OK)
		db_rollback(db);
	return rc;
}

int
task_state_change(struct db *db, long long owner, const char *const *ids,
    size_t n, enum task_state_op op, int64_t now, enum task_state_result *result)
{
	struct locked_task *tasks = calloc(n ? n : 1, sizeof(*tasks));
	int *found = calloc(n ? n : 1, sizeof(*found));
	int rc = DB_ERROR;

	*result = TASK_STATE_OK;
	if (tasks == NULL || found == NULL)
		goto out;
	/* A deadlock with a dispatcher's claim is retried, not reported. */
	for (int i = 0; i < TASK_STATE_TRIES; i++) {
		rc = state_try(db, owner, ids, n, op, now, tasks, found, result);
		if (rc != DB_RETRY)
			break;
	}
out:
	free(tasks);
	free(found);
	return rc;
}
