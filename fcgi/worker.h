/*
 * worker: one pre-forked scheduler-api process. It accepts FastCGI
 * connections on the shared listening socket, one request at a time, until
 * SIGTERM; SIGHUP re-reads the config before the next request.
 */
#ifndef SCHED_WORKER_H
#define SCHED_WORKER_H

#include "config.h"

/* Runs the accept loop; exits the process (0 on SIGTERM). */
void worker_run(int listen_fd, struct config *cfg, const char *config_path)
    __attribute__((noreturn));

/*
 * Re-reads path and applies the keys that may change while running
 * (min_frequency, allow_private_targets, log_level, log_syslog); logs keys
 * that need a restart. Shared by the master and the workers. 0 or -1.
 */
int worker_reload_config(struct config *live, const char *path, int is_master);

#endif
