/*
 * lifecycle: the states of a task and of a delivery, every transition and
 * which program makes it, and the SQL fragments of the rules both
 * programs apply (defined here once; the statements in fcgi/, dispatcher/
 * and ctl/ splice them in).
 *
 * A task (tasks.status, plus tasks.owner_disabled, which `schedulerctl
 * user disable` sets on every task of the user and which holds them
 * without changing their status):
 *
 *   from       to         by                 when
 *   (none)     active     API   POST /tasks  created; next_run_at = first
 *                                            occurrence (lib/task_type)
 *   active     active     dispatcher claim   an occurrence starts: a
 *                                            delivery is made, next_run_at
 *                                            moves to the next slot
 *   active     completed  dispatcher claim   no slot is left and no
 *                                            delivery waits (COMPLETED_IF)
 *   active     completed  dispatcher outcome the last delivery ended and no
 *                                            slot is left (COMPLETED_IF)
 *   active     paused     API   pause        its waiting deliveries are
 *                                            held (HOLD)
 *   paused     active     API   resume       next_run_at moves to the first
 *                                            slot not in the past; held
 *                                            deliveries are released
 *                                            (RELEASE)
 *   paused     completed  API   resume       nothing left to fire and no
 *                                            delivery (COMPLETED_IF)
 *   any        (deleted)  API   delete       runs and deliveries go with it
 *                                            (foreign keys)
 *   active     active     API   PATCH        fields changed (version + 1);
 *                                            a changed schedule moves
 *                                            next_run_at to its first slot
 *                                            after now; deliveries stay and
 *                                            a retry sends the new fields
 *   paused     paused     API   PATCH        likewise; resume continues on
 *                                            the changed schedule
 *   any        (same)     API   run now      inserts a waiting run-now
 *                                            delivery that fires even while
 *                                            the task does not fire;
 *                                            status and next_run_at stay,
 *                                            run_count + 1
 *
 * tasks.version counts the changes requests make: PATCH (when something
 * changes), pause of an active task, resume of a paused one; never the
 * dispatcher's claims and outcomes.
 *
 * A task fires (its occurrences are claimed, its retries taken) only while
 * TASK_FIRES holds: active and its owner not disabled.
 *
 * A delivery (a deliveries row: one occurrence between its first attempt
 * and its last) is in one of four states, by held and claimed_by:
 *
 *   state     held claimed_by  meaning
 *   claimed   0    a name      an attempt is running under that
 *                              dispatcher's lease, which ends at due_at
 *   waiting   0    NULL        a retry, due at due_at (WAITING)
 *   held      1    NULL        a retry of a task that does not fire; it
 *                              waits for resume or `user enable`
 *
 *   from      to        by                  when
 *   (none)    claimed   dispatcher claim    an occurrence starts
 *   claimed   claimed   dispatcher renew    every lease/4 while it runs
 *   claimed   (deleted) dispatcher outcome  success, or the last attempt
 *                                           failed
 *   claimed   waiting   dispatcher outcome  a retry follows (due later)
 *   claimed   held      dispatcher outcome  a retry follows, and the task
 *                                           does not fire (RETRY_HOLDS)
 *   claimed   waiting   dispatcher release  the dispatcher stops: the
 *                                           work it did not start is due
 *                                           now for any dispatcher
 *   claimed   claimed   dispatcher claim    the lease expired (due_at
 *                                           passed): another dispatcher
 *                                           takes it over, attempt kept
 *   waiting   claimed   dispatcher claim    due
 *   waiting   held      dispatcher claim    due, but its task does not
 *                                           fire
 *   waiting   held      API pause,          HOLD
 *                       ctl user disable
 *   held      waiting   API resume,         RELEASE: due at once
 *                       ctl user enable
 *   (none)    waiting   API run now         POST /tasks/{id}/run: a run-now
 *                                           delivery (run_now = 1, attempt
 *                                           1, due now), whatever the
 *                                           task's status
 *   waiting   claimed   dispatcher claim    due, a run-now first attempt
 *                                           (RUN_NOW_FIRST), even while the
 *                                           task does not fire, unless its
 *                                           owner is disabled
 *                                           (RUN_NOW_FIRST_HOLDS)
 *
 * A run-now delivery is an occurrence like any other once its first
 * attempt has started: its retries are held while the task is paused or
 * its owner disabled (RETRY_HOLDS), and its outcome completes the task as
 * any outcome does (COMPLETED_IF).
 * It moves neither next_run_at nor status; the API counts it in run_count
 * when it queues it.
 *
 * Each fragment takes the table alias with its dot ("t.", "d.") or ""
 * for a statement without one.
 */
#ifndef SCHED_LIFECYCLE_H
#define SCHED_LIFECYCLE_H

/* The task fires: active, and its owner is not disabled. */
#define LIFECYCLE_TASK_FIRES(t) \
	t "status = 'active' AND " t "owner_disabled = 0"

/* The task does not fire: a retry made for it now is held. */
#define LIFECYCLE_TASK_HOLDS(t) "NOT (" LIFECYCLE_TASK_FIRES(t) ")"

/*
 * The status of a task (aliased t) whose next slot is now `next`: it
 * completes when no slot is left and no delivery of it remains (a retry
 * of an earlier occurrence completes it when its outcome is recorded),
 * else it is `otherwise`.
 */
#define LIFECYCLE_COMPLETED_IF(next, otherwise) \
	"IF(" next " IS NULL AND NOT EXISTS (SELECT 1 FROM deliveries d " \
	"WHERE d.task_seq = t.seq), 'completed', " otherwise ")"

/*
 * The first attempt of a run-now delivery (API POST /tasks/{id}/run): the
 * task's status does not hold it, so a paused or completed task fires
 * once; its retries (attempt > 1) are held like any other.
 */
#define LIFECYCLE_RUN_NOW_FIRST(d) \
	"(" d "run_now = 1 AND " d "attempt = 1)"

/* What holds even a run-now first attempt: its owner is disabled. */
#define LIFECYCLE_RUN_NOW_FIRST_HOLDS(t) t "owner_disabled <> 0"

/*
 * What holds a retry of a run-now delivery: its task is paused or its
 * owner disabled. A completed task never resumes, so its run-now retries
 * are not held (a task's own occurrences never outlive its completion).
 */
#define LIFECYCLE_RUN_NOW_HOLDS(t) \
	"(" t "owner_disabled <> 0 OR " t "status = 'paused')"

/* Whether a retry made now for delivery d of task t is held. */
#define LIFECYCLE_RETRY_HOLDS(t, d) \
	"IF(" d "run_now = 1, " LIFECYCLE_RUN_NOW_HOLDS(t) ", " \
	LIFECYCLE_TASK_HOLDS(t) ")"

/* A delivery the claim may take once due_at has come: not held. */
#define LIFECYCLE_DELIVERY_CLAIMABLE(d) d "held = 0"

/* A waiting retry: not held, no attempt running. */
#define LIFECYCLE_DELIVERY_WAITING(d) \
	d "held = 0 AND " d "claimed_by IS NULL"

/*
 * A delivery not started yet: only a run now the API queued (the claim
 * makes every other one started, and sets first_started_at when it
 * starts a run now). Columns of 001 only: schedulerctl splices it into
 * `user disable` (HOLDABLE), which may run before `migrate` has added
 * 007's run_now.
 */
#define LIFECYCLE_NOT_STARTED(d) \
	"(" d "attempt = 1 AND " d "first_started_at IS NULL)"

/*
 * HOLD: the assignment and the condition that hold a task's waiting
 * deliveries. A claimed one is left to finish; its outcome holds the
 * retry that follows (RETRY_HOLDS). A run now not started yet is not held
 * here: it fires whatever the status, and the claim holds it if the
 * owner is disabled (RUN_NOW_FIRST_HOLDS).
 */
#define LIFECYCLE_HOLD_SET(d) d "held = 1"
#define LIFECYCLE_HOLDABLE(d) \
	d "claimed_by IS NULL AND NOT " LIFECYCLE_NOT_STARTED(d)

/* RELEASE: held deliveries become waiting ones, due at once. */
#define LIFECYCLE_RELEASE_SET(d) d "held = 0, " d "due_at = NOW(3)"
#define LIFECYCLE_HELD(d) d "held = 1"

#endif
