/*
 * type_one_time: a task that fires once, at run_datetime.
 */
#include "task_type.h"

int
type_one_time_parse(struct json_object *body, const struct config *cfg,
    int64_t now, struct task_schedule *s, struct task_check *c)
{
	(void)cfg;
	if (task_field_future(body, "run_datetime", TASK_ONE_TIME, now,
	    s->kept, &s->run_at, c) < 0)
		return -1;
	s->next_run_at = s->run_at;
	return 0;
}

/* Its one slot, however late; nothing after it. */
int
type_one_time_plan(const struct task_schedule *s, int64_t now, int64_t *slot,
    int64_t *next)
{
	(void)now;
	*slot = s->next_run_at;
	*next = SCHEDULE_NONE;
	return 0;
}

/*
 * A one-time task keeps its time: resumed after it, it fires at once as
 * its original occurrence.
 */
int64_t
type_one_time_resume(const struct task_schedule *s, int64_t now)
{
	(void)now;
	return s->next_run_at;
}
