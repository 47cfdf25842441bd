/*
 * occurrence: the planner's entry points, dispatching on the task's type
 * to its row of the table (lib/task_type.c).
 */
#include "occurrence.h"

int
occurrence_plan(const struct task_schedule *s, int64_t now, int64_t *slot,
    int64_t *next)
{
	if ((unsigned)s->kind >= TASK_KIND_COUNT)
		return -1;
	return task_types[s->kind].plan(s, now, slot, next);
}

int64_t
occurrence_resume(const struct task_schedule *s, int64_t now)
{
	if ((unsigned)s->kind >= TASK_KIND_COUNT)
		return SCHEDULE_NONE;
	return task_types[s->kind].resume(s, now);
}
