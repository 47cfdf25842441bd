/*
 * datetime: the datetimes of the API and of MariaDB's DATETIME text. Civil
 * dates become days since 1970-01-01 by Howard Hinnant's days-from-civil
 * arithmetic (no timegm, no TZ, no locale), so every function is pure.
 */
#include "datetime.h"

#include <stdio.h>
#include <string.h>

/* 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, the span we ever format. */
#define DATETIME_MIN_ANY (-62167219200LL)
#define DATETIME_MAX (253402300799LL)

struct civil {
	int year, month, day, hour, min, sec;
};

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; y >= 0). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, struct civil *c)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = (int)(yoe + era * 400 + (c->month <= 2));
}

static void
civil_from_time(int64_t t, struct civil *c)
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, c);
	c->hour = (int)(rem / 3600);
	c->min = (int)(rem / 60 % 60);
	c->sec = (int)(rem % 60);
}

/* Reads exactly n decimal digits at s[*i]; -1 when any is not a digit. */
static int
digits(const char *s, size_t len, size_t *i, int n)
{
	int v = 0;
	if (len - *i < (size_t)n)
		return -1;
	for (int k = 0; k < n; k++) {
		char ch = s[*i + k];
		if (ch < '0' || ch > '9')
			return -1;
		v = v * 10 + (ch - '0');
	}
	*i += (size_t)n;
	return v;
}

static int
expect(const char *s, size_t len, size_t *i, char ch)
{
	if (*i >= len || s[*i] != ch)
		return -1;
	(*i)++;
	return 0;
}

/*
 * Reads "YYYY-MM-DD?HH:MM:SS" where ? is one of seps, checking ranges
 * (second 60 and impossible dates refused). 0 or -1.
 */
static int
parse_civil(const char *s, size_t len, size_t *i, const char *seps,
    struct civil *c)
{
	if ((c->year = digits(s, len, i, 4)) < 0 || expect(s, len, i, '-') < 0 ||
	    (c->month = digits(s, len, i, 2)) < 0 || expect(s, len, i, '-') < 0 ||
	    (c->day = digits(s, len, i, 2)) < 0)
		return -1;
	if (*i >= len || s[*i] == '\0' || strchr(seps, s[*i]) == NULL)
		return -1;
	(*i)++;
	if ((c->hour = digits(s, len, i, 2)) < 0 || expect(s, len, i, ':') < 0 ||
	    (c->min = digits(s, len, i, 2)) < 0 || expect(s, len, i, ':') < 0 ||
	    (c->sec = digits(s, len, i, 2)) < 0)
		return -1;
	if (c->month < 1 || c->month > 12 || c->day < 1 ||
	    c->day > days_in_month(c->year, c->month))
		return -1;
	if (c->hour > 23 || c->min > 59 || c->sec > 59)
		return -1;
	return 0;
}

static int64_t
time_from_civil(const struct civil *c)
{
	return days_from_civil(c->year, c->month, c->day) * 86400 +
	    c->hour * 3600 + c->min * 60 + c->sec;
}

int
datetime_parse(const char *s, size_t len, int64_t *out)
{
	struct civil c;
	size_t i = 0;
	int64_t offset = 0;

	if (parse_civil(s, len, &i, "Tt ", &c) < 0)
		return -1;
	if (i < len && s[i] == '.') {
		size_t first = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == first)
			return -1;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i++] == '-' ? -1 : 1;
		int oh, om;
		if ((oh = digits(s, len, &i, 2)) < 0 || expect(s, len, &i, ':') < 0 ||
		    (om = digits(s, len, &i, 2)) < 0 || oh > 23 || om > 59)
			return -1;
		offset = sign * (oh * 3600 + om * 60);
	}
	if (i != len)
		return -1;
	/* Local time minus its offset is UTC. */
	int64_t t = time_from_civil(&c) - offset;
	if (t < 0 || t > DATETIME_MAX)
		return -1;
	*out = t;
	return 0;
}

/* t as civil time, clamped to the span we ever format. */
static void
civil_clamped(int64_t t, struct civil *c)
{
	if (t < DATETIME_MIN_ANY)
		t = DATETIME_MIN_ANY;
	if (t > DATETIME_MAX)
		t = DATETIME_MAX;
	civil_from_time(t, c);
}

void
datetime_format(int64_t t, char buf[DATETIME_RFC3339_LEN])
{
	struct civil c;

	civil_clamped(t, &c);
	snprintf(buf, DATETIME_RFC3339_LEN, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    c.year, c.month, c.day, c.hour, c.min, c.sec);
}

void
datetime_format_sql(int64_t t, char buf[DATETIME_SQL_LEN])
{
	struct civil c;

	civil_clamped(t, &c);
	snprintf(buf, DATETIME_SQL_LEN, "%04d-%02d-%02d %02d:%02d:%02d",
	    c.year, c.month, c.day, c.hour, c.min, c.sec);
}

int
datetime_parse_sql(const char *s, int64_t *out, int *millis)
{
	struct civil c;
	size_t len, i = 0;
	int ms = 0;

	if (s == NULL)
		return -1;
	len = strlen(s);
	if (parse_civil(s, len, &i, " ", &c) < 0)
		return -1;
	if (i < len && s[i] == '.') {
		size_t first = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (i - first < 3)
				ms = ms * 10 + (s[i] - '0');
			i++;
		}
		if (i == first || i - first > 6)
			return -1;
		for (size_t n = i - first; n < 3; n++)
			ms *= 10;
	}
	if (i != len)
		return -1;
	*out = time_from_civil(&c);
	if (millis != NULL)
		*millis = ms;
	return 0;
}

int
datetime_sql_to_api(const char *sql, int with_millis, char *buf, size_t len)
{
	int64_t t;
	int ms;
	char base[DATETIME_RFC3339_LEN];

	if (datetime_parse_sql(sql, &t, &ms) < 0)
		return -1;
	if (len < (with_millis ? DATETIME_RFC3339_MS_LEN : DATETIME_RFC3339_LEN))
		return -1;
	datetime_format(t, base);
	if (!with_millis) {
		memcpy(buf, base, DATETIME_RFC3339_LEN);
		return 0;
	}
	/* base without its 'Z', then ".mmmZ". */
	snprintf(buf, len, "%.19s.%03dZ", base, ms);
	return 0;
}
