/*
 * fire: sends callbacks with the libcurl multi interface — many transfers
 * at once on reused connections, each mapped back to its job through
 * CURLOPT_PRIVATE. Waiting for transfers is also how the main loop sleeps.
 */
#ifndef DISPATCHER_FIRE_H
#define DISPATCHER_FIRE_H

#include <stddef.h>
#include <stdint.h>

#include "dbclock.h"
#include "job.h"

struct fire;

struct fire_options {
	long callback_timeout_s;	/* whole request, connect included */
	long connect_timeout_s;
	int allow_private;		/* 0: refuse non-global addresses at connect */
	/*
	 * A request is sent only if this much (the whole-request timeout and
	 * the margin for recording) is left of its lease when the connection
	 * is ready: a stall between starting a transfer and sending it (the
	 * connect happens in a later pass) must not send a stale claim.
	 */
	int64_t send_budget_ms;
};

/* A new engine; its sleep also ends when wake_fd is readable. NULL on error. */
struct fire *fire_new(const struct fire_options *opt,
    const struct dbclock *clock, int wake_fd, char *err, size_t errlen);
/* Frees the engine and its pooled handles; no transfer may be running. */
void fire_free(struct fire *f);
/* New options apply to transfers started from now on. */
void fire_set_options(struct fire *f, const struct fire_options *opt);

/*
 * Starts job's attempt at now_ms (ms by the database's clock): the job
 * becomes JOB_RUNNING.
 * When the request cannot even be built, the job becomes JOB_FINISHED with
 * the reason as its error, and the caller records it like any failure.
 */
void fire_start(struct fire *f, struct job *job, int64_t now_ms);

/* Drives transfers, sleeping up to timeout_ms when nothing happens. */
void fire_wait(struct fire *f, int timeout_ms);

/* The next job whose transfer ended (JOB_FINISHED, results filled), or NULL. */
struct job *fire_next_done(struct fire *f);


#endif
