/*
 * cron: calendar schedules. Parses the 5-field cron syntax and the
 * @shortcuts into a *cron expression*, and computes its *occurrences*
 * (UTC instants) in an IANA time zone read from the system tz database.
 * No tables of our own: zone rules come from libc (TZ + tzset +
 * localtime_r), see cron.c for why and for thread-safety.
 *
 * How the API uses it (fcgi/task_input.c, docs/API.md §9.3, §9.4):
 *   1. cron_parse(body.cron)                  -> 400 on cron
 *   2. cron_zone_valid(timezone or "UTC")     -> 400 on timezone
 *   3. start = start_datetime or now (may be past); end after start;
 *   4. from = max(start, now); cron_check(from, min_frequency) -> 400 on
 *      cron (never matches within 8 years, or occurrences too close);
 *   5. next_run_at = cron_first(from); none, or after the end -> 400
 *      (CRON_ZONE_ERROR: the zone file could not be read just now).
 * The dispatcher re-parses tasks.cron_expr (dispatcher/occurrence.c).
 */
#ifndef SCHED_CRON_H
#define SCHED_CRON_H

#include <stddef.h>
#include <stdint.h>

#include "schedule.h"

/* Horizon of cron_check: 8 years (docs/API.md §9.3). */
#define CRON_HORIZON_DAYS (8 * 366 + 2)

/*
 * How far cron_next searches: the 400-year Gregorian cycle, after which
 * the calendar (leap days, weekdays) repeats, so an expression that ever
 * matches again is found (`0 0 29 2 SUN` fires in 2032, 2060, 2088, ...).
 * Occurrences end with 9999-12-31, the last time the service stores.
 */
#define CRON_SEARCH_DAYS 146097
#define CRON_LAST_INSTANT INT64_C(253402300799)

/*
 * cron_next and cron_first answer this when the zone's file cannot be
 * read now (it was removed, or no file descriptor was free): not "no
 * occurrence", so a caller can try again later instead of ending a task.
 */
#define CRON_ZONE_ERROR (-2)

struct cron_expr {
	uint64_t minutes;	/* bit m: minute m (0-59) */
	uint32_t hours;		/* bit h: hour h (0-23) */
	uint32_t mdays;		/* bit d: day of month d (1-31) */
	uint16_t months;	/* bit m: month m (1-12) */
	uint8_t wdays;		/* bit w: weekday w (0 = Sunday .. 6) */
	/*
	 * A day field starting with '*' (`*` or a step of it) is unrestricted for the
	 * OR rule, as in Vixie cron: the day matches when both fields match
	 * if either starts with '*', else when either matches.
	 */
	unsigned mday_star:1, wday_star:1;
};

/*
 * Parses `text` (5 fields separated by blanks, or an @shortcut).
 * Returns 0, or -1 with a message for the API user in err
 * ("cron: minute field: 61 is outside 0-59").
 */
int cron_parse(const char *text, struct cron_expr *expr, char *err, size_t len);

/*
 * Returns 0 when `zone` names a zone file under /usr/share/zoneinfo (no
 * "..", no absolute path, TZif magic checked) that is an IANA zone or link
 * name, else -1 with a message. Refused although their files exist:
 * "localtime" (the host's own zone, which differs between hosts),
 * "posixrules", "Factory", and the "posix/" and "right/" trees ("right/"
 * counts leap seconds, which would move every occurrence by ~27 s).
 */
int cron_zone_valid(const char *zone, char *err, size_t len);

/*
 * The first occurrence strictly after `after` (UTC seconds) in `zone`;
 * SCHEDULE_NONE when there is none within CRON_SEARCH_DAYS or before
 * CRON_LAST_INSTANT; CRON_ZONE_ERROR when the zone cannot be read. A local
 * time skipped by a DST jump fires once, at the instant of the jump; a
 * local time that happens twice fires on its first instance only.
 * Thread-safe (serialised by a mutex).
 */
int64_t cron_next(const struct cron_expr *expr, const char *zone, int64_t after);

/* The first occurrence at or after `t`: cron_next(expr, zone, t - 1). */
int64_t cron_first(const struct cron_expr *expr, const char *zone, int64_t t);

/*
 * Puts TZ in the environment (as UTC) at start-up, before the program
 * starts any thread: cron switches zones by changing TZ's value, which
 * then never grows the environment under a thread reading it (libcurl's
 * resolver threads, glibc's getaddrinfo_a helper). Call once, first.
 */
void cron_start(void);

/*
 * Forgets the zones read so far, so that the next use of each reads its
 * file again: after a tzdata update (both daemons call it on SIGHUP).
 */
void cron_forget_zones(void);

/*
 * docs/API.md §9.3 validation, over the occurrences in [from, from + 8
 * years]: -1 with a message when there are none, or when two consecutive
 * ones are closer than min_frequency seconds; else 0. Takes a few ms.
 */
int cron_check(const struct cron_expr *expr, const char *zone, int64_t from,
    int64_t min_frequency, char *err, size_t len);

#endif
