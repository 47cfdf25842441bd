/*
 * occurrence: which occurrence a due task fires now and when its next one
 * is. An *occurrence* is one scheduled firing of a task; its *slot* is the
 * time it was scheduled for. Pure functions on UTC seconds.
 */
#ifndef SCHED_OCCURRENCE_H
#define SCHED_OCCURRENCE_H

#include <stdint.h>

#include "cron.h"
#include "schedule.h"

enum occurrence_type { OCCURRENCE_ONE_TIME, OCCURRENCE_PERIODIC,
	OCCURRENCE_CRON };

struct occurrence_task {
	enum occurrence_type type;
	int64_t next_run_at;	/* the stored next slot, <= now when due */
	int64_t start, frequency, end;	/* periodic; end SCHEDULE_NO_END when none */
	/* cron (start and end as above; slots are cron occurrences): */
	const struct cron_expr *cron;
	const char *zone;
};

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
 * or OCCURRENCE_RECHECK (cron only, see occurrence.c); or -1 when the
 * task's fields make no occurrence (frequency < 1, next_run_at before
 * start, cron without expression or zone).
 */
int occurrence_plan(const struct occurrence_task *task, int64_t now,
    int64_t *slot, int64_t *next);

#endif
