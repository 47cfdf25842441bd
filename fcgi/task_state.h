/*
 * task_state: pause, resume and bulk delete, for one task or many,
 * all-or-nothing in one transaction (docs/API.md §14, §15). Resuming
 * skips the periodic slots missed while paused and releases held retries
 * at once; deleting lets the foreign keys remove runs and pending retries.
 */
#ifndef SCHED_TASK_STATE_H
#define SCHED_TASK_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

enum task_state_result {
	TASK_STATE_OK,
	TASK_STATE_NOT_FOUND,	/* an id no user has */
	TASK_STATE_FORBIDDEN,	/* an id of another user */
	TASK_STATE_COMPLETED,	/* a completed task */
};

enum task_state_op { TASK_PAUSE, TASK_RESUME, TASK_DELETE };

/*
 * Applies op to every id (repeats allowed) of owner at time now, or to none:
 * *result says which check failed, in the order of docs/API.md §4
 * (unknown, then another user's, then completed). Returns a db_status.
 */
int task_state_change(struct db *db, long long owner, const char *const *ids,
    size_t n, enum task_state_op op, int64_t now, enum task_state_result *result);

#endif
