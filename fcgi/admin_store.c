/*
 * admin_store: every statement is fixed text (the list filters pick one of
 * eight), so each keeps its own index plan; the plans are checked by
 * tests/integration/test_admin_queries_use_indexes.py, which reads the SQL
 * from this file. Statements use only string literals, the macros
 * defined here or in task_view.h and column lists (lib/db.h), so that test
 * can put them together; its reader (tests/integration/c_sources.py) has
 * to expand the column lists. Each row is read by the names its
 * statement's column list gives.
 */
#include "admin_store.h"

#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "lifecycle.h"
#include "task_store.h"
#include "task_view.h"

/*
 * The owner's name, looked up by primary key for the page's rows only; it
 * follows the task's columns (read at TASK_VIEW_NCOLS + ADMIN_COL_OWNER).
 */
#define ADMIN_OWNER_COLUMNS(X, SEP) \
	X(ADMIN_COL_OWNER, "(SELECT o.name FROM users o WHERE o.id = t.owner_id)")
enum { DB_COLUMNS_ENUM(ADMIN_OWNER_COLUMNS) ADMIN_OWNER_NCOLS };
#define ADMIN_LIST \
	"SELECT " TASK_VIEW_SELECT ", " \
	DB_COLUMNS_SQL(ADMIN_OWNER_COLUMNS) " FROM tasks t"
#define ADMIN_BY_USER " JOIN users u ON u.id = t.owner_id WHERE u.name = ?"
#define ADMIN_COUNT "SELECT COUNT(*) FROM tasks t"
#define ADMIN_COUNT_USER ADMIN_COUNT " JOIN users u ON u.id = t.owner_id"
#define ADMIN_PAGE " ORDER BY t.seq LIMIT ? OFFSET ?"

/*
 * Indexed by (status filter ? 1 : 0) | (type filter ? 2 : 0) | (user
 * filter ? 4 : 0); parameters in the order user, status, type. Each page
 * is forced onto the index that holds its filter's rows in seq order: on
 * 1M tasks of 20 users the optimizer otherwise walks the primary key and
 * filters, which costs the whole table for a user with few tasks.
 */
static struct db_stmt st_list[8] = {
	DB_STMT(ADMIN_LIST ADMIN_PAGE),
	DB_STMT(ADMIN_LIST " FORCE INDEX (tasks_status_seq) WHERE t.status = ?"
	    ADMIN_PAGE),
	DB_STMT(ADMIN_LIST " FORCE INDEX (tasks_type_seq) WHERE t.task_type = ?"
	    ADMIN_PAGE),
	DB_STMT(ADMIN_LIST " FORCE INDEX (tasks_status_type_seq) "
	    "WHERE t.status = ? AND t.task_type = ?" ADMIN_PAGE),
	DB_STMT(ADMIN_LIST " FORCE INDEX (tasks_owner_seq)" ADMIN_BY_USER ADMIN_PAGE),
	DB_STMT(ADMIN_LIST " FORCE INDEX (tasks_owner_status_seq)" ADMIN_BY_USER
	    " AND t.status = ?" ADMIN_PAGE),
	DB_STMT(ADMIN_LIST " FORCE INDEX (tasks_owner_type_seq)" ADMIN_BY_USER
	    " AND t.task_type = ?" ADMIN_PAGE),
	DB_STMT(ADMIN_LIST " FORCE INDEX (tasks_owner_status_seq)" ADMIN_BY_USER
	    " AND t.status = ? AND t.task_type = ?" ADMIN_PAGE),
};
static struct db_stmt st_count[8] = {
	DB_STMT(ADMIN_COUNT),
	DB_STMT(ADMIN_COUNT " WHERE t.status = ?"),
	DB_STMT(ADMIN_COUNT " WHERE t.task_type = ?"),
	DB_STMT(ADMIN_COUNT " WHERE t.status = ? AND t.task_type = ?"),
	DB_STMT(ADMIN_COUNT_USER " WHERE u.name = ?"),
	DB_STMT(ADMIN_COUNT_USER " WHERE u.name = ? AND t.status = ?"),
	DB_STMT(ADMIN_COUNT_USER " WHERE u.name = ? AND t.task_type = ?"),
	DB_STMT(ADMIN_COUNT_USER " WHERE u.name = ? AND t.status = ? "
	    "AND t.task_type = ?"),
};

/* A dispatcher is online while it beats and has not said it stopped. */
#define ADMIN_ONLINE "stopped_at IS NULL AND last_heartbeat >= " \
	"UTC_TIMESTAMP() - INTERVAL 3 * heartbeat_interval SECOND"

/* One dispatcher of /admin/dispatchers. */
#define ADMIN_DISPATCHER_COLUMNS(X, SEP) \
	X(ADMIN_DISP_ID, "id") SEP \
	X(ADMIN_DISP_HOST, "host") SEP \
	X(ADMIN_DISP_PID, "pid") SEP \
	X(ADMIN_DISP_STARTED, "started_at") SEP \
	X(ADMIN_DISP_HEARTBEAT, "last_heartbeat") SEP \
	X(ADMIN_DISP_ONLINE, ADMIN_ONLINE) SEP \
	X(ADMIN_DISP_FIRED, "fired") SEP \
	X(ADMIN_DISP_FAILED, "failed") SEP \
	X(ADMIN_DISP_LOST_LEASES, "lost_leases") SEP \
	X(ADMIN_DISP_EXPIRED_CLAIMS, "expired_claims") SEP \
	X(ADMIN_DISP_CLOCK_OFFSET, "clock_offset_ms")
enum { DB_COLUMNS_ENUM(ADMIN_DISPATCHER_COLUMNS) ADMIN_DISP_NCOLS };

/* A range on dispatchers_heartbeat read backwards: no sort. */
static struct db_stmt st_dispatchers = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(ADMIN_DISPATCHER_COLUMNS) " "
	"FROM dispatchers WHERE last_heartbeat >= UTC_TIMESTAMP() - INTERVAL ? SECOND "
	"ORDER BY last_heartbeat DESC LIMIT ?");

/*
 * A range on task_runs_finished_outcome read from the index alone; the
 * grouping makes at most 120 groups in a temporary table, and ORDER BY
 * NULL spares sorting them (the buckets are placed by number).
 */
#define ADMIN_ATTEMPT_COLUMNS(X, SEP) \
	X(ADMIN_ATT_MINUTE, "TIMESTAMPDIFF(MINUTE, ?, finished_at) AS minute") SEP \
	X(ADMIN_ATT_OK, "outcome = 'succeeded' AS ok") SEP \
	X(ADMIN_ATT_COUNT, "COUNT(*)")
enum { DB_COLUMNS_ENUM(ADMIN_ATTEMPT_COLUMNS) ADMIN_ATT_NCOLS };
static struct db_stmt st_attempts = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(ADMIN_ATTEMPT_COLUMNS) " FROM task_runs "
	"WHERE finished_at >= ? AND finished_at < ? "
	"GROUP BY minute, ok ORDER BY NULL");

/*
 * Due work: ranges on tasks_due (status, owner_disabled, next_run_at) and
 * deliveries_due (held, due_at); the MINs read one index entry each. A
 * disabled user's due tasks are not counted: nothing is to start them.
 */
#define ADMIN_BACKLOG_COLUMNS(X, SEP) \
	X(ADMIN_BACKLOG_DUE, \
	    "(SELECT COUNT(*) FROM tasks WHERE " LIFECYCLE_TASK_FIRES("") " " \
	    "AND next_run_at <= UTC_TIMESTAMP()) + " \
	    "(SELECT COUNT(*) FROM deliveries WHERE " \
	    LIFECYCLE_DELIVERY_CLAIMABLE("") " AND due_at <= UTC_TIMESTAMP(3))") SEP \
	X(ADMIN_BACKLOG_LATE_US, \
	    "TIMESTAMPDIFF(MICROSECOND, LEAST(" \
	    "COALESCE((SELECT MIN(next_run_at) FROM tasks WHERE " \
	    LIFECYCLE_TASK_FIRES("") " AND next_run_at <= UTC_TIMESTAMP()), " \
	    "UTC_TIMESTAMP(3)), " \
	    "COALESCE((SELECT MIN(due_at) FROM deliveries WHERE " \
	    LIFECYCLE_DELIVERY_CLAIMABLE("") " AND due_at <= UTC_TIMESTAMP(3)), " \
	    "UTC_TIMESTAMP(3))), UTC_TIMESTAMP(3))")
enum { DB_COLUMNS_ENUM(ADMIN_BACKLOG_COLUMNS) ADMIN_BACKLOG_NCOLS };
static struct db_stmt st_backlog = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(ADMIN_BACKLOG_COLUMNS));

/*
 * The dispatchers table has one row per dispatcher start: small, read in
 * one pass. The clock offsets are the smallest and largest of the online
 * dispatchers'; admin_totals_row keeps the one farther from 0.
 */
#define ADMIN_TOTALS_COLUMNS(X, SEP) \
	X(ADMIN_TOTAL_FIRED, "COALESCE(SUM(fired), 0)") SEP \
	X(ADMIN_TOTAL_FAILED, "COALESCE(SUM(failed), 0)") SEP \
	X(ADMIN_TOTAL_ONLINE, "COALESCE(SUM(" ADMIN_ONLINE "), 0)") SEP \
	X(ADMIN_TOTAL_LOST_LEASES, "COALESCE(SUM(lost_leases), 0)") SEP \
	X(ADMIN_TOTAL_EXPIRED_CLAIMS, "COALESCE(SUM(expired_claims), 0)") SEP \
	X(ADMIN_TOTAL_OFFSET_MIN, \
	    "MIN(IF(" ADMIN_ONLINE ", clock_offset_ms, NULL))") SEP \
	X(ADMIN_TOTAL_OFFSET_MAX, \
	    "MAX(IF(" ADMIN_ONLINE ", clock_offset_ms, NULL))")
enum { DB_COLUMNS_ENUM(ADMIN_TOTALS_COLUMNS) ADMIN_TOTAL_NCOLS };
static struct db_stmt st_dispatcher_totals = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(ADMIN_TOTALS_COLUMNS) " FROM dispatchers");

/* A task object with "owner" from the current row of an admin list. */
static struct json_object *
admin_task(const struct db_rows *rows)
{
	struct json_object *o = task_view_task(rows);
	const char *owner = db_col(rows, TASK_VIEW_NCOLS + ADMIN_COL_OWNER, NULL);

	if (o != NULL)
		json_object_object_add(o, "owner",
		    owner ? json_object_new_string(owner) : NULL);
	return o;
}

int
admin_store_list(struct db *db, const struct list_query *q, long long *count,
    struct json_object *tasks)
{
	struct db_param p[5];
	int n = 0, variant = (q->status ? 1 : 0) | (q->task_type ? 2 : 0) |
	    (q->user[0] ? 4 : 0);
	int rc;

	if (q->user[0])
		p[n++] = P_STR(q->user);
	if (q->status)
		p[n++] = P_STR(q->status);
	if (q->task_type)
		p[n++] = P_STR(q->task_type);
	*count = 0;
	rc = task_store_one_row(db, &st_count[variant], p, n, task_store_int_row,
	    count);
	if (rc != DB_OK || (q->page - 1) * q->per_page >= *count)
		return rc;
	p[n++] = P_INT(q->per_page);
	p[n++] = P_INT((q->page - 1) * q->per_page);
	return task_store_fill(db, &st_list[variant], p, n, tasks, admin_task);
}

/* A DATETIME column as RFC 3339 text, or JSON null. */
static struct json_object *
admin_datetime(const struct db_rows *rows, unsigned col)
{
	const char *s = db_col(rows, col, NULL);
	char buf[64];

	if (s == NULL || datetime_sql_to_api(s, 0, buf, sizeof(buf)) < 0)
		return NULL;
	return json_object_new_string(buf);
}

/* An integer column as a JSON integer, 0 for SQL NULL. */
static struct json_object *
admin_int(const struct db_rows *rows, unsigned col)
{
	return json_object_new_int64(db_col_int(rows, col, 0));
}

int
admin_store_dispatchers(struct db *db, struct json_object *arr)
{
	struct db_param p[] = { P_INT(ADMIN_DISPATCHERS_SINCE_S),
	    P_INT(ADMIN_DISPATCHERS_MAX) };
	struct db_rows rows;
	int rc = db_query(db, &st_dispatchers, p, 2, &rows);

	if (rc != DB_OK)
		return rc;
	while ((rc = db_rows_next(&rows)) == 1) {
		struct json_object *o = json_object_new_object();
		const char *id = db_col(&rows, ADMIN_DISP_ID, NULL);
		const char *host = db_col(&rows, ADMIN_DISP_HOST, NULL);

		json_object_object_add(o, "id",
		    json_object_new_string(id ? id : ""));
		json_object_object_add(o, "host",
		    json_object_new_string(host ? host : ""));
		json_object_object_add(o, "pid",
		    admin_int(&rows, ADMIN_DISP_PID));
		json_object_object_add(o, "started_at",
		    admin_datetime(&rows, ADMIN_DISP_STARTED));
		json_object_object_add(o, "last_heartbeat",
		    admin_datetime(&rows, ADMIN_DISP_HEARTBEAT));
		json_object_object_add(o, "online", json_object_new_boolean(
		    db_col_int(&rows, ADMIN_DISP_ONLINE, 0) != 0));
		json_object_object_add(o, "fired",
		    admin_int(&rows, ADMIN_DISP_FIRED));
		json_object_object_add(o, "failed",
		    admin_int(&rows, ADMIN_DISP_FAILED));
		json_object_object_add(o, "lost_leases",
		    admin_int(&rows, ADMIN_DISP_LOST_LEASES));
		json_object_object_add(o, "expired_claims",
		    admin_int(&rows, ADMIN_DISP_EXPIRED_CLAIMS));
		/* null until the dispatcher's first claim measured it */
		json_object_object_add(o, "clock_offset_ms",
		    db_col(&rows, ADMIN_DISP_CLOCK_OFFSET, NULL) == NULL ? NULL :
		    admin_int(&rows, ADMIN_DISP_CLOCK_OFFSET));
		json_object_array_add(arr, o);
	}
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}

int
admin_store_attempts(struct db *db, int64_t start,
    long long succeeded[ADMIN_STATS_MINUTES], long long failed[ADMIN_STATS_MINUTES])
{
	char from[DATETIME_SQL_LEN], to[DATETIME_SQL_LEN];
	struct db_rows rows;
	int rc;

	datetime_format_sql(start, from);
	datetime_format_sql(start + 60 * ADMIN_STATS_MINUTES, to);
	struct db_param p[] = { P_STR(from), P_STR(from), P_STR(to) };
	memset(succeeded, 0, sizeof(long long) * ADMIN_STATS_MINUTES);
	memset(failed, 0, sizeof(long long) * ADMIN_STATS_MINUTES);
	if ((rc = db_query(db, &st_attempts, p, 3, &rows)) != DB_OK)
		return rc;
	while ((rc = db_rows_next(&rows)) == 1) {
		long long minute = db_col_int(&rows, ADMIN_ATT_MINUTE, -1);
		long long n = db_col_int(&rows, ADMIN_ATT_COUNT, 0);
		if (minute < 0 || minute >= ADMIN_STATS_MINUTES)
			continue;
		if (db_col_int(&rows, ADMIN_ATT_OK, 0))
			succeeded[minute] += n;
		else
			failed[minute] += n;
	}
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}

struct admin_backlog {
	long long backlog;
	double lateness;
};

static void
admin_backlog_row(const struct db_rows *rows, void *arg)
{
	struct admin_backlog *b = arg;
	long long us = db_col_int(rows, ADMIN_BACKLOG_LATE_US, 0);

	b->backlog = db_col_int(rows, ADMIN_BACKLOG_DUE, 0);
	b->lateness = us > 0 ? (double)us / 1e6 : 0.0;
}

int
admin_store_backlog(struct db *db, long long *backlog, double *lateness)
{
	struct admin_backlog b = { 0, 0.0 };
	int rc = task_store_one_row(db, &st_backlog, NULL, 0, admin_backlog_row,
	    &b);

	*backlog = b.backlog;
	*lateness = b.lateness;
	return rc;
}

static void
admin_totals_row(const struct db_rows *rows, void *arg)
{
	struct metrics_dispatch *d = arg;
	long long lo, hi;

	d->fired = db_col_int(rows, ADMIN_TOTAL_FIRED, 0);
	d->failed = db_col_int(rows, ADMIN_TOTAL_FAILED, 0);
	d->online = db_col_int(rows, ADMIN_TOTAL_ONLINE, 0);
	d->lost_leases = db_col_int(rows, ADMIN_TOTAL_LOST_LEASES, 0);
	d->expired_claims = db_col_int(rows, ADMIN_TOTAL_EXPIRED_CLAIMS, 0);
	d->offset_known = db_col(rows, ADMIN_TOTAL_OFFSET_MIN, NULL) != NULL;
	lo = db_col_int(rows, ADMIN_TOTAL_OFFSET_MIN, 0);
	hi = db_col_int(rows, ADMIN_TOTAL_OFFSET_MAX, 0);
	d->clock_offset_ms = llabs(lo) > llabs(hi) ? lo : hi;
}

int
admin_store_dispatcher_totals(struct db *db, struct metrics_dispatch *d)
{
	return task_store_one_row(db, &st_dispatcher_totals, NULL, 0,
	    admin_totals_row, d);
}
