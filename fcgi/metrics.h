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
/* The dispatcher figures of /metrics, read from the database per scrape. */
struct metrics_dispatch {
	long long fired;	/* SUM(dispatchers.fired): attempts succeeded */
	long long failed;	/* SUM(dispatchers.failed): retrying or failed */
	long long online;	/* heartbeat within 3 intervals, not stopped */
	long long lost_leases;	/* SUM: outcomes after a lost lease, not recorded */
	long long expired_claims; /* SUM: claims left unstarted at lease end */
	int offset_known;	/* some online dispatcher has measured its clock */
	long long clock_offset_ms; /* the largest such offset, by size */
	long long backlog;	/* occurrences due now, not started */
	double lateness;	/* seconds the oldest of those is late; 0: none */
};

/*
 * The /metrics page: request and worker counters, the task counts by
 * status in tasks (active, paused, completed) and the dispatcher figures
 * in d, or scheduler_database_up 0 when tasks is NULL (the database did
 * not answer; d is then ignored). Returns a malloc'd string or NULL.
 */
char *metrics_render(const long long *tasks, const struct metrics_dispatch *d);

#endif
