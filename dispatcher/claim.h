/*
 * claim: takes due work from the database for this dispatcher, in short
 * READ COMMITTED transactions with SELECT ... FOR UPDATE SKIP LOCKED, and
 * commits before any network I/O. A claim is a lease: while claimed, a
 * delivery's due_at holds the lease end, so the claims of a dispatcher that
 * died become due again by themselves.
 */
#ifndef DISPATCHER_CLAIM_H
#define DISPATCHER_CLAIM_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "dbclock.h"
#include "job.h"

struct claim_options {
	const char *me;			/* this dispatcher's id */
	long long lease_s;		/* how long a claim is honoured */
	struct dbclock *clock;		/* takes a reading from every claim */
};

/*
 * Claims at most n deliveries in one transaction: first, when
 * with_retries, retries and expired leases (phase 2), then new
 * occurrences (phase 1). Claimed jobs (JOB_CLAIMED) are appended to out;
 * *retries gets how many came from phase 2. Each job gets its lease end
 * and due time on the monotonic clock: the lease is counted from before
 * the transaction began, so it ends no later here than in the database.
 * Returns how many were claimed, or a db_status < 0 (nothing claimed
 * then; db->err says why).
 */
int claim_due(struct db *db, const struct claim_options *opt, size_t n,
    int with_retries, struct job_list *out, size_t *retries);

/*
 * Gives back every claim of opt->me except the run ids in the keep lists
 * (those still in this process): they become due at once for any
 * dispatcher. Used after a lost connection (a claim whose commit answer
 * was lost) and on shutdown. Returns a db_status.
 */
int claim_release(struct db *db, const struct claim_options *opt,
    const struct job_list *const *keep, size_t nkeep);

/*
 * Milliseconds until the earliest due work by the database clock (<= 0:
 * due now), or INT64_MAX when nothing is scheduled; the same statement
 * gives clock a reading. Returns a db_status.
 */
int claim_next_due(struct db *db, struct dbclock *clock, int64_t *ms);

/*
 * Extends by opt->lease_s, from the database's now, the leases of the run
 * ids in the lists that opt->me still holds (claimed_by is this
 * dispatcher and the lease has not ended): work sent but not recorded
 * yet, whose outcome may wait on a lock. A lease already lost or ended
 * is left as it is, so renewing never takes anything back. The jobs'
 * lease_end_mono_ms is not moved (it stays a lower bound). db_status.
 */
int claim_renew(struct db *db, const struct claim_options *opt,
    const struct job_list *const *lists, size_t nlists);

#endif
