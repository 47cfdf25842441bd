/*
 * metrics: counters shared by the master and every worker through one
 * anonymous shared mapping made before the first fork, so totals cover all
 * workers and survive any worker's restart. Rendered as Prometheus text.
 */
#ifndef SCHED_METRICS_H
#define SCHED_METRICS_H

/* Maps the counters; call once in the master before forking. 0 or -1. */
int metrics_init(void);
void metrics_count_request(int status);
void metrics_count_worker_start(void);
/*
 * The /metrics page: request and worker counters, and the task counts by
 * status in tasks (active, paused, completed), or scheduler_database_up 0
 * when tasks is NULL (the database did not answer). Returns a malloc'd
 * string or NULL.
 */
char *metrics_render(const long long *tasks);

#endif
