/*
 * worker: one pre-forked scheduler-api process. It accepts FastCGI
 * connections on the shared listening socket, one request at a time, until
 * SIGTERM; SIGHUP re-reads the config before the next request.
 */
#ifndef SCHED_WORKER_H
#define SCHED_WORKER_H

#include "config.h"

struct db;
struct request;

/* Runs the accept loop; exits the process (0 on SIGTERM). */
void worker_run(int listen_fd, struct config *cfg, const char *config_path)
    __attribute__((noreturn));

/*
 * Re-reads path and applies the keys that may change while running
 * (min_frequency, allow_private_targets, log_level, log_syslog); logs keys
 * that need a restart. Shared by the master and the workers. 0 or -1.
 */
int worker_reload_config(struct config *live, const char *path, int is_master);

/*
 * The worker's request connection (req->ctx->db), connected on demand:
 * 5 s timeouts; after a failed connect, requests go without for 0.5 s
 * (lib/dbconn.h). NULL while the database is away; db_answer_open is the
 * same with the 503 answered.
 */
struct db *worker_db_get(struct request *req);

/*
 * Tells the worker a statement on that connection ended with rc: a lost
 * one (DB_AWAY) is closed and reconnected next time, a failure is logged.
 * Returns 1 when a read that failed so should be tried once more, on a
 * new connection: the kept one had died while idle (dbconn_retry).
 */
int worker_db_check(struct request *req, int rc);

#endif
