/*
 * cron: parser for the 5-field syntax and the @shortcuts, and the
 * occurrence search in an IANA zone. Local times are handled as *naive*
 * seconds (the local wall clock read as if it were UTC); the zone's
 * rules turn a naive time into an instant.
 *
 * Why TZ + tzset + localtime_r: glibc has no per-zone API (no tzalloc),
 * and reading TZif files ourselves would be a table of our own. The cost
 * is that TZ is process-global state, so every use here holds cron_lock
 * and sets TZ only when the zone changes. The rest of the project only
 * uses UTC functions (gmtime_r, timegm), which do not read TZ, so the
 * global switch is invisible to it; a caller that itself used localtime
 * from another thread would race, and none does. The one libc user of
 * local time is syslog(3)'s own timestamp, which journald and rsyslog
 * replace with the time they receive the line.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cron.h"

/* The tz database; $TZDIR overrides it, as it does for glibc. */
#define ZONEINFO "/usr/share/zoneinfo"
#define DAY INT64_C(86400)

static pthread_mutex_t cron_lock = PTHREAD_MUTEX_INITIALIZER;
static char cron_zone_set[128];

/*
 * Zones already checked by cron_zone_valid, so switching between them
 * opens no file of ours (a ring; a miss only costs one more check).
 */
#define CRON_ZONE_CACHE 32
static char cron_zones_ok[CRON_ZONE_CACHE][65];
static unsigned cron_zones_next;

static const char *const month_names[] = { "jan", "feb", "mar", "apr",
	"may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
static const char *const wday_names[] = { "sun", "mon", "tue", "wed", "thu",
	"fri", "sat" };

struct field {
	const char *name;
	int min, max;
	const char *const *names;	/* names[i] means min + i */
	int nnames;
};

static const struct field fields[5] = {
	{ "minute", 0, 59, NULL, 0 },
	{ "hour", 0, 23, NULL, 0 },
	{ "day-of-month", 1, 31, NULL, 0 },
	{ "month", 1, 12, month_names, 12 },
	{ "day-of-week", 0, 7, wday_names, 7 },
};

/* Reads a number or a name at *p; -1 with err on failure. */
static int
parse_value(const struct field *f, const char **p, int *out, char *err,
    size_t len)
{
	const char *s = *p;
	long v = 0;
	int i;

	if (isdigit((unsigned char)*s)) {
		while (isdigit((unsigned char)*s)) {
			v = v * 10 + (*s - '0');
			if (v > 1000)
				v = 1000;
			s++;
		}
		if (v < f->min || v > f->max) {
			snprintf(err, len, "cron: %s field: %ld is outside %d-%d",
			    f->name, v, f->min, f->name[0] == 'd' &&
			    f->max == 7 ? 7 : f->max);
			return -1;
		}
		*out = (int)v;
		*p = s;
		return 0;
	}
	for (i = 0; i < f->nnames; i++) {
		if (strncasecmp(s, f->names[i], 3) == 0 &&
		    !isalpha((unsigned char)s[3])) {
			*out = f->min + i;
			if (f->nnames == 7)
				*out = i;
			*p = s + 3;
			return 0;
		}
	}
	snprintf(err, len, "cron: %s field: unexpected \"%.20s\"", f->name, s);
	return -1;
}

/* Parses one field (no blanks) into a bit set; *star when it starts with '*'. */
static int
parse_field(const struct field *f, const char *s, uint64_t *bits, int *star,
    char *err, size_t len)
{
	*bits = 0;
	*star = s[0] == '*';
	for (;;) {
		int lo, hi, step = 1, v;

		if (*s == '*') {
			lo = f->min;
			hi = f->nnames == 7 ? 6 : f->max;
			s++;
		} else {
			if (parse_value(f, &s, &lo, err, len) == -1)
				return -1;
			hi = lo;
			if (*s == '-') {
				s++;
				if (parse_value(f, &s, &hi, err, len) == -1)
					return -1;
				if (hi < lo) {
					snprintf(err, len, "cron: %s field: range "
					    "%d-%d is backwards", f->name, lo, hi);
					return -1;
				}
			} else if (*s == '/')
				hi = f->max;
		}
		if (*s == '/') {
			long n = 0;

			s++;
			if (!isdigit((unsigned char)*s)) {
				snprintf(err, len, "cron: %s field: step "
				    "needs a number", f->name);
				return -1;
			}
			while (isdigit((unsigned char)*s)) {
				n = n * 10 + (*s++ - '0');
				if (n > 1000)
					n = 1000;
			}
			if (n < 1 || n > f->max - f->min + 1) {
				snprintf(err, len, "cron: %s field: step %ld is "
				    "outside 1-%d", f->name, n, f->max - f->min + 1);
				return -1;
			}
			step = (int)n;
		}
		for (v = lo; v <= hi; v += step)
			*bits |= UINT64_C(1) << (f->nnames == 7 ? v % 7 : v);
		if (*s == '\0')
			return 0;
		if (*s != ',') {
			snprintf(err, len, "cron: %s field: unexpected \"%.20s\"",
			    f->name, s);
			return -1;
		}
		s++;
	}
}

int
cron_parse(const char *text, struct cron_expr *expr, char *err, size_t len)
{
	static const struct {
		const char *name, *expansion;
	} shortcuts[] = {
		{ "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" },
		{ "@monthly", "0 0 1 * *" }, { "@weekly", "0 0 * * 0" },
		{ "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
		{ "@hourly", "0 * * * *" },
	};
	char buf[256], *tok[6], *p;
	int n = 0, i, star;
	uint64_t bits[5];

	memset(expr, 0, sizeof(*expr));
	while (isspace((unsigned char)*text))
		text++;
	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, len, "cron: expression is too long");
		return -1;
	}
	memcpy(buf, text, strlen(text) + 1);
	p = buf + strlen(buf);
	while (p > buf && isspace((unsigned char)p[-1]))
		*--p = '\0';
	if (buf[0] == '@') {
		for (i = 0; i < (int)(sizeof(shortcuts) / sizeof(shortcuts[0])); i++)
			if (strcasecmp(buf, shortcuts[i].name) == 0)
				return cron_parse(shortcuts[i].expansion, expr,
				    err, len);
		snprintf(err, len, "cron: unknown shortcut \"%.20s\" (use "
		    "@hourly, @daily, @weekly, @monthly, @yearly or @annually)",
		    buf);
		return -1;
	}
	p = buf;
	while (*p != '\0') {
		while (isspace((unsigned char)*p))
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (n == 6)
			break;
		tok[n++] = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
	}
	if (n != 5) {
		snprintf(err, len, "cron: expected 5 fields (minute hour "
		    "day-of-month month day-of-week)%s", n > 5 ? ", got more" :
		    "");
		return -1;
	}
	for (i = 0; i < 5; i++) {
		if (parse_field(&fields[i], tok[i], &bits[i], &star, err,
		    len) == -1)
			return -1;
		if (i == 2)
			expr->mday_star = star;
		if (i == 4)
			expr->wday_star = star;
	}
	expr->minutes = bits[0];
	expr->hours = (uint32_t)bits[1];
	expr->mdays = (uint32_t)bits[2];
	expr->months = (uint16_t)bits[3];
	expr->wdays = (uint8_t)bits[4];
	return 0;
}

static const char *
zoneinfo_dir(void)
{
	const char *dir = getenv("TZDIR");

	return dir != NULL && dir[0] == '/' ? dir : ZONEINFO;
}

int
cron_zone_valid(const char *zone, char *err, size_t len)
{
	char path[PATH_MAX], magic[4];
	const char *s;
	FILE *fp;
	size_t n;

	if (zone == NULL || zone[0] == '\0' || strlen(zone) > 64)
		goto bad;
	if (zone[0] == '/' || zone[0] == '.' || strstr(zone, "..") != NULL ||
	    strstr(zone, "/.") != NULL || strstr(zone, "//") != NULL)
		goto bad;
	for (s = zone; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("/_+-", *s) == NULL)
			goto bad;
	/* Files of the tz database that are not zone names (see cron.h). */
	if (strcmp(zone, "localtime") == 0 || strcmp(zone, "posixrules") == 0 ||
	    strcmp(zone, "Factory") == 0 || strncmp(zone, "posix/", 6) == 0 ||
	    strncmp(zone, "right/", 6) == 0)
		goto bad;
	snprintf(path, sizeof(path), "%s/%s", zoneinfo_dir(), zone);
	if ((fp = fopen(path, "rb")) == NULL)
		goto bad;
	n = fread(magic, 1, sizeof(magic), fp);
	fclose(fp);
	if (n == sizeof(magic) && memcmp(magic, "TZif", 4) == 0)
		return 0;
bad:
	snprintf(err, len, "timezone: unknown time zone \"%.64s\"",
	    zone == NULL ? "" : zone);
	return -1;
}

/* Month and day of a day count since 1970-01-01 (Hinnant's algorithm). */
static void
civil_from_days(int64_t z, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
}

static int
day_matches(const struct cron_expr *e, int64_t day)
{
	int m, d, w, dom, dow;

	civil_from_days(day, &m, &d);
	if (!(e->months & (1u << m)))
		return 0;
	w = (int)(((day % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
	dom = (e->mdays >> d) & 1;
	dow = (e->wdays >> w) & 1;
	if (e->mday_star || e->wday_star)
		return dom && dow;
	return dom || dow;
}

/* 1 when zone passed cron_zone_valid before (under cron_lock). */
static int
zone_known(const char *zone)
{
	unsigned i;

	for (i = 0; i < CRON_ZONE_CACHE; i++)
		if (strcmp(cron_zones_ok[i], zone) == 0)
			return 1;
	return 0;
}

/*
 * 1 when tzset could not read the zone's file. TZ holds the file's
 * absolute path, which glibc then tries as a POSIX rule, fails, and runs
 * on UTC with an empty name; every zone file names its times (tzname[0]
 * is "CET", "-05", "UTC"...). A name alone would not do: for "Japan" or
 * "US/Eastern" the failed rule keeps a name, and the fall-back is silent.
 */
static int
zone_fell_back(void)
{
	return tzname[0] == NULL || tzname[0][0] == '\0';
}

/* Sets TZ to zone (validated) under cron_lock; -1 when invalid. */
static int
use_zone(const char *zone)
{
	char err[128], path[PATH_MAX];

	if (strcmp(cron_zone_set, zone) == 0)
		return 0;
	if (!zone_known(zone)) {
		if (strlen(zone) >= sizeof(cron_zones_ok[0]) ||
		    cron_zone_valid(zone, err, sizeof(err)) == -1)
			return -1;
		memcpy(cron_zones_ok[cron_zones_next], zone, strlen(zone) + 1);
		cron_zones_next = (cron_zones_next + 1) % CRON_ZONE_CACHE;
	}
	/* The path glibc reads is the file cron_zone_valid checked. */
	snprintf(path, sizeof(path), "%s/%s", zoneinfo_dir(), zone);
	if (setenv("TZ", path, 1) == -1)
		return -1;
	tzset();
	if (zone_fell_back()) {
		/*
		 * UTC in disguise. glibc reads a file again only when TZ
		 * changes: pass through UTC so that the next call retries.
		 */
		cron_zone_set[0] = '\0';
		if (setenv("TZ", "UTC", 1) == 0)
			tzset();
		return -1;
	}
	snprintf(cron_zone_set, sizeof(cron_zone_set), "%s", zone);
	return 0;
}

void
cron_start(void)
{
	/* Nothing is read yet: forgetting only sets TZ, to UTC. */
	cron_forget_zones();
}

void
cron_forget_zones(void)
{
	pthread_mutex_lock(&cron_lock);
	memset(cron_zones_ok, 0, sizeof(cron_zones_ok));
	cron_zone_set[0] = '\0';
	/*
	 * glibc re-reads a zone file only when TZ changes: pass through UTC
	 * so that the next use_zone, even of the same zone, reads it anew.
	 */
	if (setenv("TZ", "UTC", 1) == 0)
		tzset();
	pthread_mutex_unlock(&cron_lock);
}

/* UTC offset (seconds east) of the current zone at instant t. */
static int64_t
offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return tm.tm_gmtoff;
}

/*
 * The instant of naive local time L: the first instance when it happens
 * twice, the instant of the jump when a DST jump skips it. Assumes at
 * most one offset change within a day of L (true of the tz database).
 */
static int64_t
naive_to_instant(int64_t L)
{
	int64_t oa = offset_at(L - DAY), ob = offset_at(L + DAY);
	int64_t ua = L - oa, ub = L - ob, lo, hi, o;
	int va = offset_at(ua) == oa, vb = offset_at(ub) == ob;

	if (va && vb)
		return ua < ub ? ua : ub;
	if (va)
		return ua;
	if (vb)
		return ub;
	/* Skipped: the jump lies in (lo, hi]; find its instant. */
	lo = ua < ub ? ua : ub;
	hi = ua < ub ? ub : ua;
	o = offset_at(lo);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (offset_at(mid) == o)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int
next_locked(const struct cron_expr *e, int64_t after, int64_t *out)
{
	int64_t L0 = after + offset_at(after), d0 = floor_div(L0, DAY), d;
	int m0 = (int)((L0 - d0 * DAY) / 60), h, mi;

	/* The last day: the search horizon, or 9999-12-31 (day 2932896). */
	int64_t last = d0 + CRON_SEARCH_DAYS < 2932896 ? d0 + CRON_SEARCH_DAYS :
	    2932896;

	for (d = d0; d <= last; d++) {
		if (!day_matches(e, d))
			continue;
		for (h = 0; h < 24; h++) {
			if (!(e->hours & (1u << h)))
				continue;
			if (d == d0 && h * 60 + 59 < m0)
				continue;
			for (mi = 0; mi < 60; mi++) {
				int64_t u;

				if (!(e->minutes & (UINT64_C(1) << mi)))
					continue;
				if (d == d0 && h * 60 + mi < m0)
					continue;
				u = naive_to_instant(d * DAY + h * 3600 + mi * 60);
				if (u > CRON_LAST_INSTANT)
					return -1;
				if (u > after) {
					*out = u;
					return 0;
				}
			}
		}
	}
	return -1;
}

int64_t
cron_next(const struct cron_expr *expr, const char *zone, int64_t after)
{
	int64_t u = SCHEDULE_NONE;

	pthread_mutex_lock(&cron_lock);
	if (use_zone(zone) == -1)
		u = CRON_ZONE_ERROR;
	else if (next_locked(expr, after, &u) == -1)
		u = SCHEDULE_NONE;
	pthread_mutex_unlock(&cron_lock);
	return u;
}

int64_t
cron_first(const struct cron_expr *expr, const char *zone, int64_t t)
{
	return cron_next(expr, zone, t - 1);
}

/*
 * cron_check walks the horizon day by day instead of occurrence by
 * occurrence (`* * * * *` has 4 million in 8 years). On a matching local
 * day whose UTC offset is the same from a day before to a day after, the
 * day's occurrences are its naive times minus that offset, so only the
 * first and the last matter besides the day's smallest naive gap
 * (precomputed). Days near an offset change, and the partial first and
 * last days, are enumerated exactly with naive_to_instant. About 3000
 * days x 2 localtime_r calls: a few ms.
 */
struct check {
	int64_t prev, min_gap, from, to, count;
};

static void
check_add(struct check *c, int64_t u)
{
	if (u < c->from || u > c->to)
		return;
	if (c->count > 0 && u == c->prev)
		return;	/* skipped times all fire at the jump: once */
	if (c->count > 0 && u - c->prev < c->min_gap)
		c->min_gap = u - c->prev;
	c->prev = u;
	c->count++;
}

int
cron_check(const struct cron_expr *expr, const char *zone, int64_t from,
    int64_t min_frequency, char *err, size_t len)
{
	int tod[1440], ntod = 0, prev = -1, h, mi, i;
	int64_t d, d0, day_gap = INT64_MAX;
	/* 8 years: 2922 days at most. */
	struct check c = { 0, INT64_MAX, from, from + 2922 * DAY, 0 };

	/* The day's times in order, and the smallest gap between two. */
	for (h = 0; h < 24; h++)
		for (mi = 0; mi < 60; mi++) {
			int t = (h * 60 + mi) * 60;

			if (!(expr->hours & (1u << h)) ||
			    !(expr->minutes & (UINT64_C(1) << mi)))
				continue;
			if (prev >= 0 && t - prev < day_gap)
				day_gap = t - prev;
			tod[ntod++] = prev = t;
		}
	pthread_mutex_lock(&cron_lock);
	if (use_zone(zone) == -1) {
		pthread_mutex_unlock(&cron_lock);
		if (cron_zone_valid(zone, err, len) == 0)
			snprintf(err, len, "timezone: the file of time zone "
			    "\"%.64s\" cannot be read", zone);
		return -1;
	}
	d0 = floor_div(from + offset_at(from), DAY) - 1;
	/* No minute of the day (not from cron_parse): no day is searched. */
	for (d = d0; ntod > 0 && d <= d0 + 8 * 366 + 4 &&
	    c.min_gap >= min_frequency; d++) {
		int64_t n0 = d * DAY, o = offset_at(n0 - DAY);

		if (!day_matches(expr, d))
			continue;
		if (o == offset_at(n0 + 2 * DAY) && n0 - o - DAY > from &&
		    n0 - o + 2 * DAY < c.to) {
			check_add(&c, n0 + tod[0] - o);
			if (day_gap < c.min_gap && ntod > 1)
				c.min_gap = day_gap;
			c.count += ntod - 1;
			c.prev = n0 + tod[ntod - 1] - o;
			continue;
		}
		for (i = 0; i < ntod; i++)
			check_add(&c, naive_to_instant(n0 + tod[i]));
	}
	pthread_mutex_unlock(&cron_lock);
	if (c.count == 0) {
		snprintf(err, len, "cron: the expression never matches "
		    "within 8 years");
		return -1;
	}
	if (c.min_gap < min_frequency) {
		snprintf(err, len, "cron: occurrences are %lld s apart, closer "
		    "than min_frequency (%lld s)", (long long)c.min_gap,
		    (long long)min_frequency);
		return -1;
	}
	return 0;
}
