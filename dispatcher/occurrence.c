/*
 * occurrence: plans the occurrence a due task fires and its next slot,
 * with the periodic arithmetic of lib/schedule (start + k*frequency, no
 * drift, nothing after the end), and for cron tasks with lib/cron's
 * occurrences under the same rules.
 */
#include "occurrence.h"

/*
 * The latest cron occurrence in [from, until], or SCHEDULE_NONE. There is
 * no backward search in lib/cron, so windows ending at `until` widen
 * (an hour, a day, a month, a year, the horizon) until one holds an
 * occurrence, which is then walked forward: the walk covers at most the
 * occurrences of a window whose smaller predecessor held none, so a
 * dispatcher down for weeks does not cost a walk over every minute.
 */
static int64_t
occurrence_cron_latest(const struct occurrence_task *task, int64_t from,
    int64_t until)
{
	static const int64_t windows[] = { 3600, 86400, 32 * 86400,
		366 * 86400, (int64_t)CRON_HORIZON_DAYS * 86400 };
	size_t i;

	for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		int64_t lo = until - windows[i] > from ? until - windows[i] : from;
		int64_t s = cron_first(task->cron, task->zone, lo), n;

		if (s == SCHEDULE_NONE || s > until) {
			if (lo == from)
				return SCHEDULE_NONE;
			continue;
		}
		while ((n = cron_next(task->cron, task->zone, s)) !=
		    SCHEDULE_NONE && n <= until)
			s = n;
		return s;
	}
	return SCHEDULE_NONE;
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
		if (task->cron == NULL || task->zone == NULL ||
		    task->next_run_at < task->start)
			return -1;
		until = now < task->end ? now : task->end;
		*slot = occurrence_cron_latest(task, task->next_run_at, until);
		if (*slot == SCHEDULE_NONE || *slot < task->next_run_at)
			*slot = task->next_run_at;
		*next = cron_next(task->cron, task->zone,
		    now > *slot ? now : *slot);
		if (*next != SCHEDULE_NONE && *next > task->end)
			*next = SCHEDULE_NONE;
		return 0;
	}
	return -1;
}
