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
 */
#ifndef DISPATCHER_FAULT_H
#define DISPATCHER_FAULT_H

enum fault_point {
	FAULT_IN_CLAIM,
	FAULT_AFTER_CLAIM,
	FAULT_AFTER_START,
};

/* Reads SCHEDULER_DISPATCHER_FAULT (an unknown value is logged, ignored). */
void fault_init(void);

/* Stops this process once, at the armed point; does nothing elsewhere. */
void fault_stop_at(enum fault_point p);

#endif
