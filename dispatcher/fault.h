/*
 * fault: fault injection for the stall tests, off unless the environment
 * says otherwise. SCHEDULER_DISPATCHER_FAULT names one point; the first
 * time the dispatcher passes it with work in hand it stops itself with
 * SIGSTOP, so that a test can stall it at exactly that moment and resume
 * it (SIGCONT) when it likes:
 *
 *   stop-in-claim     inside a claim transaction, before its commit
 *                     (row locks held, nothing committed)
 *   stop-after-claim  after a claim committed, before anything is started
 *   stop-after-start  after transfers were handed to libcurl, before
 *                     libcurl connected or sent anything
 *
 * and one that is no stall: lose-outcome-answer makes the first outcome
 * transaction that commits report the connection lost, as when the
 * commit's answer never came back.
 */
#ifndef DISPATCHER_FAULT_H
#define DISPATCHER_FAULT_H

enum fault_point {
	FAULT_IN_CLAIM,
	FAULT_AFTER_CLAIM,
	FAULT_AFTER_START,
	FAULT_LOSE_OUTCOME_ANSWER,
};

/* Reads SCHEDULER_DISPATCHER_FAULT (an unknown value is logged, ignored). */
void fault_init(void);

/* 1 the first time it is called for the armed point, else 0. */
int fault_hit(enum fault_point p);

/* Stops this process once, at the armed point; does nothing elsewhere. */
void fault_stop_at(enum fault_point p);

#endif
