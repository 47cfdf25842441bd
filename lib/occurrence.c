/*
 * occurrence: plans the occurrence a due task fires and its next slot,
 * with the periodic arithmetic of lib/schedule (start + k*frequency, no
 * drift, nothing after the end), and for cron tasks with lib/cron's
 * occurrences under the same rules.
 */
#include "occurrence.h"

/*
 * The latest cron occurrence in [from, until]: SCHEDULE_NONE when there is
 * none, CRON_ZONE_ERROR when the zone cannot be read. lib/cron searches
 * forward only, so this bisects: lo is always an occurrence <= until and
 * no occurrence lies in (hi, until]; each step asks for the first
 * occurrence at or after the middle. About 30 steps for years of missed
 * occurrences, however dense they are (a walk over `* * * * *` missed for
 * a month would take 43,200 steps inside the claim transaction).
 */
static int64_t
occurrence_cron_latest(const struct occurrence_task *task, int64_t from,
    int64_t until)
{
	int64_t lo = cron_first(task->cron, task->zone, from), hi = until;

	if (lo < 0 || lo > until)
		return lo == CRON_ZONE_ERROR ? lo : SCHEDULE_NONE;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2 + 1;	/* in (lo, hi] */
		int64_t f = cron_first(task->cron, task->zone, mid);

		if (f == CRON_ZONE_ERROR)
			return f;
		if (f != SCHEDULE_NONE && f <= until)
			lo = f;		/* an occurrence in [mid, hi] */
		else
			hi = mid - 1;	/* none in [mid, until] */
	}
	return lo;
}

/*
 * When a zone cannot be read, the task is looked at again about
 * OCCURRENCE_RECHECK_S later, at second 30 of a minute. Cron occurrences
 * fall on whole UTC minutes (every zone's offset has been a whole number
 * of minutes since 1972), so a stored time at second 30 is known to be a
 * recheck time, and not fired, even while the zone still cannot be read.
 */
static int64_t
occurrence_recheck_time(int64_t now)
{
	return (now + OCCURRENCE_RECHECK_S) / 60 * 60 + 30;
}

static int
occurrence_is_recheck_time(int64_t t)
{
	return t % 60 == 30;
}

/*
 * Cron: as periodic, on the expression's occurrences. Two cases more:
 * a stored next_run_at that is no occurrence (a recheck time, or the
 * zone's rules changed) fires nothing and moves to the first occurrence
 * after it; a zone that cannot be read fires the stored occurrence, which
 * was computed while it could, and is looked at again instead of ending
 * the task.
 */
static int
occurrence_plan_cron(const struct occurrence_task *task, int64_t now,
    int64_t *slot, int64_t *next)
{
	int64_t until = now < task->end ? now : task->end;

	if (task->cron == NULL || task->zone == NULL ||
	    task->next_run_at < task->start)
		return -1;
	*slot = occurrence_cron_latest(task, task->next_run_at, until);
	if (*slot == CRON_ZONE_ERROR)
		goto unreadable;
	if (*slot == SCHEDULE_NONE)
		*next = cron_first(task->cron, task->zone, task->next_run_at);
	else
		*next = cron_next(task->cron, task->zone,
		    now > *slot ? now : *slot);
	if (*next == CRON_ZONE_ERROR)
		goto unreadable;
	if (*next != SCHEDULE_NONE && *next > task->end)
		*next = SCHEDULE_NONE;
	return *slot == SCHEDULE_NONE ? OCCURRENCE_SKIP : 0;
unreadable:
	*slot = occurrence_is_recheck_time(task->next_run_at) ? SCHEDULE_NONE :
	    task->next_run_at;
	*next = occurrence_recheck_time(now);
	if (*next > task->end)
		*next = SCHEDULE_NONE;
	return OCCURRENCE_RECHECK;
}

int
occurrence_plan(const struct occurrence_task *task, int64_t now, int64_t *slot,
    int64_t *next)
{
	int64_t until;

	switch (task->type) {
	case OCCURRENCE_ONE_TIME:
		*slot = task->next_run_at;
		*next = SCHEDULE_NONE;
		return 0;
	case OCCURRENCE_PERIODIC:
		if (task->frequency < 1 || task->next_run_at < task->start)
			return -1;
		/*
		 * The latest missed slot fires, even when the end has passed
		 * since; never a slot after the end, never one before the
		 * stored next slot (that one was not fired yet).
		 */
		until = now < task->end ? now : task->end;
		*slot = schedule_slot_at_or_before(task->start, task->frequency,
		    until);
		if (*slot == SCHEDULE_NONE || *slot < task->next_run_at)
			*slot = task->next_run_at;
		*next = schedule_slot_after(task->start, task->frequency,
		    task->end, now > *slot ? now : *slot);
		return 0;
	case OCCURRENCE_CRON:
		return occurrence_plan_cron(task, now, slot, next);
	}
	return -1;
}
