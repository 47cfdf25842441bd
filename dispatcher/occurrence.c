/*
 * occurrence: plans the occurrence a due task fires and its next slot,
 * with the periodic arithmetic of lib/schedule (start + k*frequency, no
 * drift, nothing after the end).
 */
#include "occurrence.h"

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
	}
	return -1;
}
