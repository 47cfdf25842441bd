/*
 * task_view: the JSON shapes of SPEC §6 and §7 built from database rows.
 * The column order each function expects is the SELECT list defined next
 * to it (TASK_VIEW_COLUMNS, RUN_VIEW_COLUMNS).
 *
 * The pending-retry subquery runs only where a retry can exist: deliveries
 * are created when an occurrence starts (run_count grows in the same
 * transaction), and next_run_datetime is null unless the task is active.
 */
#ifndef SCHED_TASK_VIEW_H
#define SCHED_TASK_VIEW_H

#include <json-c/json.h>

#include "db.h"

/* The task columns, in the order task_view_task reads them. */
#define TASK_VIEW_COLUMNS \
	"t.id, t.task_type, t.name, t.url, t.request_method, t.headers, " \
	"t.post_data, t.frequency, t.start_at, t.end_at, t.run_at, " \
	"t.cron_expr, t.timezone, t.status, t.next_run_at, " \
	"IF(t.status = 'active' AND t.run_count > 0, (SELECT MIN(d.due_at) " \
	" FROM deliveries d WHERE d.task_seq = t.seq AND d.owner_id = t.owner_id " \
	" AND d.held = 0 AND d.claimed_by IS NULL), NULL), " \
	"t.created_at, t.last_run_at, t.last_run_outcome, t.run_count"

#define RUN_VIEW_COLUMNS \
	"run_id, scheduled_for, attempt, started_at, finished_at, outcome, " \
	"http_status, error, duration_ms"

/* A new task object from the current row, or NULL when out of memory. */
struct json_object *task_view_task(const struct db_rows *row);
/* A new run object from the current row. */
struct json_object *task_view_run(const struct db_rows *row);

#endif
