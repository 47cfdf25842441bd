/*
 * loop: the dispatcher's main loop, read top to bottom once per pass:
 * signals, reload, database, heartbeat, claim due work, start transfers,
 * wait (the only sleep), collect finished transfers, record outcomes.
 */
#ifndef DISPATCHER_LOOP_H
#define DISPATCHER_LOOP_H

#include <signal.h>
#include <stdint.h>

#include "claim.h"
#include "config.h"
#include "dbconn.h"
#include "fire.h"
#include "heartbeat.h"
#include "job.h"
#include "outcome.h"

/* Set by main.c's signal handlers, which also write to the wake pipe. */
extern volatile sig_atomic_t loop_stop_requested;
extern volatile sig_atomic_t loop_reload_requested;

struct loop {
	const char *conf_path;
	struct config cfg;
	struct heartbeat hb;
	struct dbconn conn;
	struct fire *fire;
	int wake_fd;			/* read end of the signal pipe */

	struct job_list waiting;	/* JOB_CLAIMED: not started yet */
	struct job_list running;	/* JOB_RUNNING: in flight */
	struct job_list done;		/* JOB_FINISHED: outcome not written */

	struct claim_options claim_opt;	/* id and lease for claim.c */
	struct dbclock clock;		/* the database's clock, pinned at claims */
	struct outcome_counts counts;
	int64_t claim_ms;		/* monotonic: earliest next claim */
	int64_t renew_ms;		/* monotonic: next renewal of held leases */
	int64_t record_ms;		/* monotonic: earliest next outcome write */
	int backlog;			/* the last claim was full: more is due */
	int64_t retries_ms;		/* monotonic: the last look for retries */
	int retries_full;		/* that look found as many as it could take */
	int stopping;
	int64_t stop_deadline_ms;	/* monotonic: give up waiting for the database */
};

/*
 * Checks what a dispatcher needs of cfg (the lease must outlast a whole
 * request). 0, or -1 with the reason in err.
 */
int loop_check_config(const struct config *cfg, char *err, size_t errlen);

/* Sets up l for cfg (already loaded and checked). 0, or -1 with err. */
int loop_init(struct loop *l, const char *conf_path, const struct config *cfg,
    int wake_fd, char *err, size_t errlen);

/* Runs until a stop request has been honoured; returns the exit status. */
int loop_run(struct loop *l);

void loop_free(struct loop *l);

#endif
