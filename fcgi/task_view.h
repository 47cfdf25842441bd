/*
 * task_view: the JSON shapes of docs/API.md §10 and §13 built from
 * database rows. Each function reads the columns of the list defined next
 * to it (TASK_VIEW_COLUMNS, RUN_VIEW_COLUMNS), by the names that list
 * gives.
 *
 * The pending-retry subquery runs only where a retry can exist: deliveries
 * are created when an occurrence starts (run_count grows in the same
 * transaction), and next_run_datetime is null unless the task is active.
 */
#ifndef SCHED_TASK_VIEW_H
#define SCHED_TASK_VIEW_H

#include <json-c/json.h>

#include "db.h"
#include "lifecycle.h"
#include "task_type.h"

/*
 * The earliest pending retry, when one can exist (one column of the task
 * list below).
 */
#define TASK_VIEW_RETRY_AT \
	"IF(t.status = 'active' AND t.run_count > 0, (SELECT MIN(d.due_at) " \
	"FROM deliveries d WHERE d.task_seq = t.seq AND d.owner_id = t.owner_id " \
	"AND " LIFECYCLE_DELIVERY_WAITING("d.") "), NULL)"

/*
 * The task columns task_view_task reads (a column list of lib/db.h), the
 * schedule's (lib/task_type.h) after them: select TASK_VIEW_SELECT on
 * tasks t; columns of a join that follow start at TASK_VIEW_NCOLS.
 */
#define TASK_VIEW_COLUMNS(X, SEP) \
	X(TASK_VIEW_COL_ID, "t.id") SEP \
	X(TASK_VIEW_COL_NAME, "t.name") SEP \
	X(TASK_VIEW_COL_URL, "t.url") SEP \
	X(TASK_VIEW_COL_METHOD, "t.request_method") SEP \
	X(TASK_VIEW_COL_HEADERS, "t.headers") SEP \
	X(TASK_VIEW_COL_POST_DATA, "t.post_data") SEP \
	X(TASK_VIEW_COL_STATUS, "t.status") SEP \
	X(TASK_VIEW_COL_RETRY_AT, TASK_VIEW_RETRY_AT) SEP \
	X(TASK_VIEW_COL_CREATED, "t.created_at") SEP \
	X(TASK_VIEW_COL_LAST_RUN, "t.last_run_at") SEP \
	X(TASK_VIEW_COL_LAST_OUTCOME, "t.last_run_outcome") SEP \
	X(TASK_VIEW_COL_RUN_COUNT, "t.run_count") SEP \
	X(TASK_VIEW_COL_VERSION, "t.version")
enum { DB_COLUMNS_ENUM(TASK_VIEW_COLUMNS) TASK_VIEW_COL_SCHEDULE };
#define TASK_VIEW_SELECT \
	DB_COLUMNS_SQL(TASK_VIEW_COLUMNS) ", " TASK_SCHEDULE_SELECT
#define TASK_VIEW_NCOLS (TASK_VIEW_COL_SCHEDULE + TASK_SCHEDULE_NCOLS)

/* The run columns task_view_run reads, of task_runs. */
#define RUN_VIEW_COLUMNS(X, SEP) \
	X(RUN_VIEW_COL_RUN_ID, "run_id") SEP \
	X(RUN_VIEW_COL_SCHEDULED, "scheduled_for") SEP \
	X(RUN_VIEW_COL_ATTEMPT, "attempt") SEP \
	X(RUN_VIEW_COL_STARTED, "started_at") SEP \
	X(RUN_VIEW_COL_FINISHED, "finished_at") SEP \
	X(RUN_VIEW_COL_OUTCOME, "outcome") SEP \
	X(RUN_VIEW_COL_HTTP_STATUS, "http_status") SEP \
	X(RUN_VIEW_COL_ERROR, "error") SEP \
	X(RUN_VIEW_COL_DURATION, "duration_ms")
enum { DB_COLUMNS_ENUM(RUN_VIEW_COLUMNS) RUN_VIEW_NCOLS };

/* A new task object from the current row, or NULL when out of memory. */
struct json_object *task_view_task(const struct db_rows *row);
/* A new run object from the current row. */
struct json_object *task_view_run(const struct db_rows *row);

#endif
