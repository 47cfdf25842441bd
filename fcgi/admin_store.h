/*
 * admin_store: the SQL of the admin API (docs/API.md §20) and of the
 * dispatcher figures of /metrics (§21). Unlike task_store, these
 * statements read every user's rows; only admin_api.c (behind the admin
 * check) and /metrics call them. Each statement has an index plan of its
 * own, checked by tests/integration/test_admin_queries_use_indexes.py.
 */
#ifndef SCHED_ADMIN_STORE_H
#define SCHED_ADMIN_STORE_H

#include <stdint.h>
#include <json-c/json.h>

#include "db.h"
#include "metrics.h"
#include "query.h"

/* The per-minute window of /admin/stats: the last hour, this minute included. */
#define ADMIN_STATS_MINUTES 60
/* /admin/dispatchers lists at most this many, newest heartbeat first ... */
#define ADMIN_DISPATCHERS_MAX 100
/* ... of those that beat within the last day (stopped ones included). */
#define ADMIN_DISPATCHERS_SINCE_S 86400

/*
 * One page of every user's tasks matching q (status, task_type, user) into
 * tasks, each task object with "owner"; *count is the filtered total. An
 * unknown user matches nothing. Returns a db_status.
 */
int admin_store_list(struct db *db, const struct list_query *q,
    long long *count, struct json_object *tasks);

/* The dispatchers of the last day, newest heartbeat first, into arr. */
int admin_store_dispatchers(struct db *db, struct json_object *arr);

/*
 * Attempts that finished in the ADMIN_STATS_MINUTES minutes from start
 * (a whole minute, Unix seconds), by minute: succeeded[i] and failed[i]
 * (outcome retrying or failed) for the minute start + 60 i.
 */
int admin_store_attempts(struct db *db, int64_t start,
    long long succeeded[ADMIN_STATS_MINUTES], long long failed[ADMIN_STATS_MINUTES]);

/*
 * The due backlog now: occurrences whose time has come but that no
 * dispatcher has started (active tasks due, and free deliveries due: retries
 * and expired leases); *lateness is how late the oldest of them is, in
 * seconds (0 when there is none).
 */
int admin_store_backlog(struct db *db, long long *backlog, double *lateness);

/*
 * Sums over the dispatchers table into d: attempts succeeded (fired) and
 * not succeeded (failed, retrying or failed), lost leases and expired
 * claims of every dispatcher that ever ran; how many are online now
 * (heartbeat within 3 intervals, not stopped) and the largest clock
 * offset among those.
 */
int admin_store_dispatcher_totals(struct db *db, struct metrics_dispatch *d);

#endif
