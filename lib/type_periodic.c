/*
 * type_periodic: a task that fires every `frequency` seconds from
 * start_datetime, on the grid start + k*frequency (no drift), until
 * end_datetime if one is given; lib/schedule does the arithmetic.
 */
#include "task_type.h"


int
type_periodic_parse(struct json_object *body, const struct config *cfg,
    int64_t now, struct task_schedule *s, struct task_check *c)
{
	struct json_object *f = task_field(body, "frequency");

	if (f == NULL)
		return task_check_fail(c, "frequency", "%s",
		    "frequency is required for periodic tasks");
	/* Type first: json-c would turn "3600", 3600.5 and true into numbers. */
	s->frequency = json_object_is_type(f, json_type_int) ?
	    json_object_get_int64(f) : -1;
	if (s->frequency < cfg->min_frequency ||
	    s->frequency > TASK_MAX_FREQUENCY)
		return task_check_fail(c, "frequency", "frequency must be an "
		    "integer number of seconds from %lld to %lld",
		    cfg->min_frequency, TASK_MAX_FREQUENCY);
	if (task_field_future(body, "start_datetime", TASK_PERIODIC, now,
	    s->kept, &s->start, c) < 0 || task_field_end(body, s, c) < 0)
		return -1;
	/*
	 * A new task's start is in the future: its first slot. A changed
	 * one whose start has passed keeps its grid and continues at the
	 * first slot not in the past.
	 */
	s->next_run_at = schedule_slot_at_or_after(s->start, s->frequency,
	    s->end, now);
	if (s->next_run_at == SCHEDULE_NONE)
		return task_check_fail(c, "end_datetime", "%s", "the schedule "
		    "has no occurrence left before end_datetime");
	return 0;
}

/*
 * The latest missed slot fires, even when the end has passed since; never
 * a slot after the end, never one before the stored next slot (that one
 * was not fired yet).
 */
int
type_periodic_plan(const struct task_schedule *s, int64_t now, int64_t *slot,
    int64_t *next)
{
	int64_t until = now < s->end ? now : s->end;

	if (s->frequency < 1 || s->next_run_at < s->start)
		return -1;
	*slot = schedule_slot_at_or_before(s->start, s->frequency, until);
	if (*slot == SCHEDULE_NONE || *slot < s->next_run_at)
		*slot = s->next_run_at;
	*next = schedule_slot_after(s->start, s->frequency, s->end,
	    now > *slot ? now : *slot);
	return 0;
}

/* Resumed late, it continues at the first slot not in the past. */
int64_t
type_periodic_resume(const struct task_schedule *s, int64_t now)
{
	if (s->next_run_at < 0 || s->next_run_at >= now)
		return s->next_run_at;
	return schedule_slot_at_or_after(s->start, s->frequency, s->end, now);
}
