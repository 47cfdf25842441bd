/*
 * handlers: one function per route (routes.c). Each runs after routing,
 * the body-size check and (for user routes) authentication, and fills the
 * response; none writes to the stream itself.
 */
#ifndef SCHED_HANDLERS_H
#define SCHED_HANDLERS_H

#include "http.h"

void handle_tasks_create(struct request *req, struct response *res);
void handle_tasks_list(struct request *req, struct response *res);
void handle_task_get(struct request *req, struct response *res);
void handle_task_delete(struct request *req, struct response *res);
void handle_task_pause(struct request *req, struct response *res);
void handle_task_resume(struct request *req, struct response *res);
void handle_tasks_pause(struct request *req, struct response *res);
void handle_tasks_resume(struct request *req, struct response *res);
void handle_tasks_delete(struct request *req, struct response *res);
void handle_task_get_by_name(struct request *req, struct response *res);
void handle_task_delete_by_name(struct request *req, struct response *res);
void handle_task_runs(struct request *req, struct response *res);
void handle_health(struct request *req, struct response *res);
void handle_metrics(struct request *req, struct response *res);
/* The /admin routes: 403 unless req->user_is_admin (admin_api.c). */
void handle_admin_tasks(struct request *req, struct response *res);
void handle_admin_dispatchers(struct request *req, struct response *res);
void handle_admin_stats(struct request *req, struct response *res);

/*
 * The worker's database connection, connected on demand; NULL with a 503
 * in res while the database is away.
 */
struct db *worker_db(struct request *req, struct response *res);
/* Tells the worker its connection failed with rc, so it reconnects next time. */
void worker_db_failed(struct request *req, int rc);
/* Monotonic seconds, for timing database calls. */
double worker_clock(void);
/*
 * After a read that failed with rc on the worker's connection (begun at
 * start, on a connection kept from earlier requests when kept): tells the
 * worker, and returns 1 when the read should be tried once more on a new
 * connection, because the kept one had died while idle (the database
 * restarted) rather than timed out on a hung database.
 */
int worker_db_retry(struct request *req, int rc, int kept, double start);

#endif
