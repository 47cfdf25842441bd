/*
 * occurrence: the planner both programs use. Which occurrence a due task
 * fires now and when its next one is (the dispatcher's claim), and where
 * a paused task continues (the API's resume), each by its type's functions
 * (lib/task_type.h). Pure functions on UTC seconds.
 */
#ifndef SCHED_OCCURRENCE_H
#define SCHED_OCCURRENCE_H

#include <stddef.h>
#include <stdint.h>

#include "task_type.h"

/*
 * Seconds before a cron task whose zone could not be read is looked at
 * again (give or take 30: rechecks fall at second 30 of a minute).
 */
#define OCCURRENCE_RECHECK_S 60

/* occurrence_plan's answers besides 0 and -1. */
enum {
	OCCURRENCE_SKIP = 1,	/* nothing fires now; the task moves to *next */
	OCCURRENCE_RECHECK = 2,	/* the zone could not be read: fire *slot
				 * unless SCHEDULE_NONE; *next is a time to
				 * look again, no occurrence */
};

/*
 * For a task due at `now`: *slot gets the occurrence to fire (one-time: its
 * next_run_at; periodic and cron: the latest slot <= now and <= end, so
 * missed slots coalesce into one late fire) and *next the first slot after
 * now, or SCHEDULE_NONE when no slot is left. Returns 0; OCCURRENCE_SKIP
 * or OCCURRENCE_RECHECK (cron only, see type_cron.c); or -1 when the
 * task's fields make no occurrence (frequency < 1, next_run_at before
 * start, cron without a readable expression).
 */
int occurrence_plan(const struct task_schedule *s, int64_t now,
    int64_t *slot, int64_t *next);

/*
 * Where a paused task continues when resumed at now: its stored next slot,
 * or for a periodic or cron task whose next slot has passed, the first one
 * not in the past. SCHEDULE_NONE when none is left (a task that had none
 * stored keeps none); CRON_ZONE_ERROR when its zone cannot be read now.
 */
int64_t occurrence_resume(const struct task_schedule *s, int64_t now);

/*
 * The preview (GET /tasks/{id}/next): the first max occurrences an active
 * task fires from now on, into times[], as the dispatcher would claim
 * them on time, through occurrence_plan: the first is what the claim
 * fires from the stored next_run_at (that slot itself, even a little in
 * the past; missed slots coalesce as they would), each later one is the
 * plan at the time the one before it fires. Returns how many (fewer than
 * max when the schedule ends, 0 when nothing is stored); stops early
 * where the plan cannot tell (a cron zone that cannot be read).
 */
size_t occurrence_preview(const struct task_schedule *s, int64_t now,
    int64_t *times, size_t max);

#endif
