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

#include "cron.h"
#include "datetime.h"
#include "log.h"
#include "schedule.h"
#include "task_store.h"

#define TASK_STATE_TRIES 3

static struct db_stmt st_lock = DB_STMT(
	"SELECT seq, task_type, status, frequency, start_at, end_at, next_run_at, "
	"cron_expr, timezone, LENGTH(post_data) FROM tasks "
	"WHERE id = ? AND owner_id = ? FOR UPDATE");
static struct db_stmt st_pause = DB_STMT(
	"UPDATE tasks SET status = 'paused' WHERE seq = ? AND owner_id = ?");
static struct db_stmt st_hold = DB_STMT(
	"UPDATE deliveries SET held = 1 WHERE task_seq = ? AND owner_id = ? "
	"AND claimed_by IS NULL");
static struct db_stmt st_pending = DB_STMT(
	"SELECT COUNT(*) FROM deliveries WHERE task_seq = ? AND owner_id = ?");
static struct db_stmt st_resume = DB_STMT(
	"UPDATE tasks SET status = ?, next_run_at = ? WHERE seq = ? AND owner_id = ?");
static struct db_stmt st_delete = DB_STMT(
	"DELETE FROM tasks WHERE seq = ? AND owner_id = ?");
static struct db_stmt st_release = DB_STMT(
	"UPDATE deliveries SET held = 0, due_at = NOW(3) WHERE task_seq = ? "
	"AND owner_id = ? AND held = 1");

/* One locked task, as read by st_lock. */
struct locked_task {
	unsigned long long seq;
	int periodic, cron;
	char status[16];
	char cron_expr[256], zone[65];	/* cron */
	long long frequency;
	int64_t start_at, end_at, next_run_at;	/* end: SCHEDULE_NO_END; next: -1 when NULL */
	long long post_data_bytes;		/* for the quota, when deleted */
};

/* What a delete gives back to the owner's quota (task_store_quota_release). */
struct state_freed {
	long long tasks, bytes;
};

static int64_t
state_time(const struct db_rows *rows, unsigned col, int64_t if_null)
{
	const char *s = db_col(rows, col, NULL);
	int64_t t;
	return s && datetime_parse_sql(s, &t, NULL) == 0 ? t : if_null;
}

/* Locks one task; *found = 0 when the owner has none with this id. */
static int
state_lock(struct db *db, long long owner, const char *id,
    struct locked_task *t, int *found)
{
	struct db_param p[] = { P_STR(id), P_INT(owner) };
	struct db_rows rows;
	int rc;

	*found = 0;
	if (!task_store_id_valid(id))
		return DB_OK;
	if ((rc = db_query(db, &st_lock, p, 2, &rows)) != DB_OK)
		return rc;
	rc = db_rows_next(&rows);
	if (rc == 1) {
		const char *type = db_col(&rows, 1, NULL);
		const char *status = db_col(&rows, 2, NULL);
		*found = 1;
		t->seq = (unsigned long long)db_col_int(&rows, 0, 0);
		t->periodic = type && strcmp(type, "periodic") == 0;
		t->cron = type && strcmp(type, "cron") == 0;
		snprintf(t->cron_expr, sizeof(t->cron_expr), "%s",
		    db_col(&rows, 7, NULL) ? db_col(&rows, 7, NULL) : "");
		snprintf(t->zone, sizeof(t->zone), "%s",
		    db_col(&rows, 8, NULL) ? db_col(&rows, 8, NULL) : "UTC");
		snprintf(t->status, sizeof(t->status), "%s", status ? status : "");
		t->frequency = db_col_int(&rows, 3, 0);
		t->start_at = state_time(&rows, 4, 0);
		t->end_at = state_time(&rows, 5, SCHEDULE_NO_END);
		t->next_run_at = state_time(&rows, 6, -1);
		t->post_data_bytes = db_col_int(&rows, 9, 0);
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
 * A cron task's first occurrence at or after now: SCHEDULE_NONE when none
 * is left, CRON_ZONE_ERROR when its zone cannot be read just now.
 */
static int64_t
state_cron_next(const struct locked_task *t, int64_t now)
{
	struct cron_expr expr;
	char err[256];
	int64_t next;

	if (cron_parse(t->cron_expr, &expr, err, sizeof(err)) < 0)
		return SCHEDULE_NONE;
	next = cron_first(&expr, t->zone, now > t->start_at ? now : t->start_at);
	return next >= 0 && next > t->end_at ? SCHEDULE_NONE : next;
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
	int64_t next = t->next_run_at;
	long long pending = 0;
	char next_sql[DATETIME_SQL_LEN];
	int rc;

	if (strcmp(t->status, "paused") != 0)
		return DB_OK;
	if (t->periodic && next >= 0 && next < now)
		next = schedule_slot_at_or_after(t->start_at, t->frequency, t->end_at, now);
	else if (t->cron && next >= 0 && next < now)
		next = state_cron_next(t, now);
	/* Not "nothing left": a 500 now, and the task stays paused. */
	if (next == CRON_ZONE_ERROR) {
		log_warnx("resume: time zone %s of a cron task cannot be read",
		    t->zone);
		return DB_ERROR;
	}
	if (next < 0) {
		rc = task_store_one_row(db, &st_pending, key, 2,
		    task_store_int_row, &pending);
		if (rc != DB_OK)
			return rc;
	} else
		datetime_format_sql(next, next_sql);

	struct db_param p[] = {
		P_STR(next < 0 && pending == 0 ? "completed" : "active"),
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
 * Locks and checks every id; *result is the first failed check in SPEC
 * order. A completed task stops pause and resume, never a delete.
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
