/*
 * datetime: the datetimes of the API. Input forms of docs/API.md §7.4
 * become UTC seconds since the epoch; output is RFC 3339 UTC with `Z`.
 * Pure functions.
 */
#ifndef SCHED_DATETIME_H
#define SCHED_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#define DATETIME_RFC3339_LEN 21	/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define DATETIME_RFC3339_MS_LEN 25	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" + NUL */
#define DATETIME_SQL_LEN 20		/* "YYYY-MM-DD HH:MM:SS" + NUL */

/*
 * Parses an API datetime (len bytes, need not be NUL-terminated): RFC 3339
 * with Z or ±HH:MM, or YYYY-MM-DD[T ]HH:MM:SS without a zone (UTC); T and Z
 * in either case; fractional seconds truncated. Refuses second 60,
 * impossible dates, offsets without a colon, years outside 1970-9999 after
 * conversion to UTC, and anything else. 0 on success, -1 otherwise.
 */
int datetime_parse(const char *s, size_t len, int64_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ". */
void datetime_format(int64_t t, char buf[DATETIME_RFC3339_LEN]);
/* Formats t as "YYYY-MM-DD HH:MM:SS", the text MariaDB takes for DATETIME. */
void datetime_format_sql(int64_t t, char buf[DATETIME_SQL_LEN]);

/*
 * Parses MariaDB's DATETIME text "YYYY-MM-DD HH:MM:SS[.ffffff]" into
 * seconds and milliseconds (millis may be NULL). 0 or -1.
 */
int datetime_parse_sql(const char *s, int64_t *out, int *millis);

/*
 * Rewrites MariaDB DATETIME text as RFC 3339: whole seconds
 * ("...SSZ") or, with with_millis, exactly three digits ("...SS.mmmZ").
 * 0, or -1 when sql is not DATETIME text or buf is too small.
 */
int datetime_sql_to_api(const char *sql, int with_millis, char *buf, size_t len);

#endif
