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

/*
 * Plans at the time each occurrence is due, as a dispatcher claiming on
 * time does. A cron next_run_at that is no occurrence fires nothing and
 * moves on (OCCURRENCE_SKIP); a bounded number of such moves in a row
 * ends the walk, so no schedule can loop.
 */
size_t
occurrence_preview(const struct task_schedule *s, int64_t now, int64_t *times,
    size_t max)
{
	struct task_schedule cur = *s;
	size_t n = 0;
	int skips = 0;

	while (n < max && cur.next_run_at != SCHEDULE_NONE) {
		int64_t at = cur.next_run_at > now ? cur.next_run_at : now;
		int64_t slot = SCHEDULE_NONE, next = SCHEDULE_NONE;
		int rc = occurrence_plan(&cur, at, &slot, &next);

		if (rc < 0) {
			/* The claim fires the stored slot once and stops. */
			times[n++] = cur.next_run_at;
			break;
		}
		if (rc == OCCURRENCE_RECHECK)
			break;
		if (rc == OCCURRENCE_SKIP) {
			if (++skips > 4)
				break;
		} else {
			skips = 0;
			times[n++] = slot;
		}
		/* A next slot not after this one would repeat it: stop. */
		if (next != SCHEDULE_NONE && next <= cur.next_run_at)
			break;
		cur.next_run_at = next;
	}
	return n;
}
