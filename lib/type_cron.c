/*
 * type_cron: a task that fires on the occurrences of a cron expression in
 * an IANA time zone (lib/cron), from start_datetime (or its creation) until
 * end_datetime if one is given, under the periodic rules: missed
 * occurrences coalesce into the latest, nothing fires after the end.
 */
#include "task_type.h"

#include <string.h>

#include "occurrence.h"

/*
 * The first occurrence is the first at or after the later of
 * start_datetime and now: a start in the past does not make the task
 * fire the occurrences before it was created.
 */
int
type_cron_parse(struct json_object *body, const struct config *cfg,
    int64_t now, struct task_schedule *s, struct task_check *c)
{
	struct json_object *v = task_field(body, "cron");
	struct json_object *zone = task_field(body, "timezone");
	int present;
	int64_t from;

	if (v == NULL)
		return task_check_fail(c, "cron", "%s",
		    "cron is required for cron tasks");
	if (json_object_is_type(v, json_type_string) &&
	    (size_t)json_object_get_string_len(v) >= sizeof(s->cron))
		return task_check_fail(c, "cron", "%s",
		    "cron must be at most 255 characters");
	if (task_field_string(v, s->cron, sizeof(s->cron)) < 0)
		return task_check_fail(c, "cron", "%s", "cron must be a string "
		    "like \"0 9 * * MON-FRI\" or \"@daily\"");
	if (cron_parse(s->cron, &s->expr, c->err, c->errlen) < 0)
		return task_check_failed_at(c, "cron");
	s->expr_ok = 1;
	if (zone == NULL)
		memcpy(s->zone, "UTC", 4);
	else if (task_field_string(zone, s->zone, sizeof(s->zone)) < 0)
		return task_check_fail(c, "timezone", "%s", "timezone must be "
		    "an IANA time zone name like \"Europe/Berlin\"");
	if (cron_zone_valid(s->zone, c->err, c->errlen) < 0)
		return task_check_failed_at(c, "timezone");
	if (task_field_datetime(body, "start_datetime", &s->start, &present,
	    c) < 0)
		return -1;
	if (!present)
		s->start = now;
	if (task_field_end(body, s, c) < 0)
		return -1;
	from = s->start > now ? s->start : now;
	if (cron_check(&s->expr, s->zone, from, cfg->min_frequency, c->err,
	    c->errlen) < 0)
		return task_check_failed_at(c, "cron");
	s->next_run_at = cron_first(&s->expr, s->zone, from);
	if (s->next_run_at == CRON_ZONE_ERROR)
		return task_check_fail(c, "timezone", "timezone: the file of "
		    "time zone \"%s\" cannot be read", s->zone);
	if (s->end != SCHEDULE_NO_END && (s->next_run_at == SCHEDULE_NONE ||
	    s->next_run_at > s->end))
		return task_check_fail(c, "end_datetime", "%s", "the cron "
		    "expression has no occurrence between start_datetime and "
		    "end_datetime");
	/* Only before 9999-12-31T23:59:59Z, the last time the service keeps. */
	if (s->next_run_at == SCHEDULE_NONE)
		return task_check_fail(c, "cron", "%s", "cron: the expression "
		    "has no occurrence before the end of year 9999");
	return 0;
}

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
cron_latest(const struct task_schedule *s, int64_t from, int64_t until)
{
	int64_t lo = cron_first(&s->expr, s->zone, from), hi = until;

	if (lo < 0 || lo > until)
		return lo == CRON_ZONE_ERROR ? lo : SCHEDULE_NONE;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2 + 1;	/* in (lo, hi] */
		int64_t f = cron_first(&s->expr, s->zone, mid);

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
cron_recheck_time(int64_t now)
{
	return (now + OCCURRENCE_RECHECK_S) / 60 * 60 + 30;
}

static int
cron_is_recheck_time(int64_t t)
{
	return t % 60 == 30;
}

/*
 * As periodic, on the expression's occurrences. Two cases more: a stored
 * next_run_at that is no occurrence (a recheck time, or the zone's rules
 * changed) fires nothing and moves to the first occurrence after it; a
 * zone that cannot be read fires the stored occurrence, which was computed
 * while it could, and is looked at again instead of ending the task.
 */
int
type_cron_plan(const struct task_schedule *s, int64_t now, int64_t *slot,
    int64_t *next)
{
	int64_t until = now < s->end ? now : s->end;

	if (!s->expr_ok || s->next_run_at < s->start)
		return -1;
	*slot = cron_latest(s, s->next_run_at, until);
	if (*slot == CRON_ZONE_ERROR)
		goto unreadable;
	if (*slot == SCHEDULE_NONE)
		*next = cron_first(&s->expr, s->zone, s->next_run_at);
	else
		*next = cron_next(&s->expr, s->zone, now > *slot ? now : *slot);
	if (*next == CRON_ZONE_ERROR)
		goto unreadable;
	if (*next != SCHEDULE_NONE && *next > s->end)
		*next = SCHEDULE_NONE;
	return *slot == SCHEDULE_NONE ? OCCURRENCE_SKIP : 0;
unreadable:
	*slot = cron_is_recheck_time(s->next_run_at) ? SCHEDULE_NONE :
	    s->next_run_at;
	*next = cron_recheck_time(now);
	if (*next > s->end)
		*next = SCHEDULE_NONE;
	return OCCURRENCE_RECHECK;
}

/*
 * Resumed late, it continues at its first occurrence at or after now (or
 * after start, if that is later); none when the expression is unreadable.
 */
int64_t
type_cron_resume(const struct task_schedule *s, int64_t now)
{
	int64_t next;

	if (s->next_run_at < 0 || s->next_run_at >= now)
		return s->next_run_at;
	if (!s->expr_ok)
		return SCHEDULE_NONE;
	next = cron_first(&s->expr, s->zone, now > s->start ? now : s->start);
	return next >= 0 && next > s->end ? SCHEDULE_NONE : next;
}
