/*
 * outcome: records finished attempts, a batch per transaction: one
 * task_runs row per attempt, then the delivery is deleted (success or last
 * attempt) or rescheduled with backoff (retrying), and the task's
 * last_run_outcome and completion are updated. Only attempts whose lease
 * this dispatcher still holds are recorded; the outcome of a lost lease
 * (the dispatcher stalled and another took the occurrence over) is
 * counted and logged, never written and never a failure.
 */
#ifndef DISPATCHER_OUTCOME_H
#define DISPATCHER_OUTCOME_H

#include <stdint.h>

#include "db.h"
#include "job.h"

struct outcome_options {
	const char *me;			/* this dispatcher's id */
	long long retry_attempts;	/* attempts per occurrence, first included */
	long long retry_base_delay;	/* seconds */
	long long retry_max_delay;	/* seconds */
};

/* Totals of what outcome_write committed, for logs and the heartbeat. */
struct outcome_counts {
	uint64_t succeeded, retrying, failed;
	uint64_t lost;		/* outcomes that came after the lease was lost */
	uint64_t expired;	/* claims left unstarted at lease end (loop.c) */
};

/*
 * Writes the outcomes of every job in done (all JOB_FINISHED) in one
 * transaction, retrying it after a deadlock. On DB_OK the jobs are freed
 * and counts updated. On DB_AWAY (or DB_RETRY after repeated deadlocks)
 * the jobs stay in done, to be written
 * again when the database is back (writing twice is harmless: a run row
 * already written is not written again). On DB_ERROR they are dropped
 * with a log line; their deliveries come back when the lease ends.
 */
int outcome_write(struct db *db, const struct outcome_options *opt,
    struct job_list *done, struct outcome_counts *counts);

#endif
