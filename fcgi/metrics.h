/*
 * metrics: counters shared by the master and every worker through one
 * anonymous shared mapping made before the first fork, so totals cover all
 * workers and survive any worker's restart. Rendered as Prometheus text.
 */
#ifndef SCHED_METRICS_H
#define SCHED_METRICS_H

#include "db.h"

/* Maps the counters; call once in the master before forking. 0 or -1. */
int metrics_init(void);
void metrics_count_request(int status);
void metrics_count_worker_start(void);
/*
 * The /metrics page: request and worker counters, and task counts by status
 * from db (omitted, with scheduler_database_up 0, when db_status != DB_OK).
 * Returns a malloc'd string or NULL.
 */
char *metrics_render(struct db *db, int connected);

#endif
