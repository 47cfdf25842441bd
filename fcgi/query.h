/*
 * query: the query-string parameters of list endpoints (page, per_page,
 * status, task_type, and for /admin/tasks user), checked and converted once. Unknown parameters are
 * ignored; a known one that is empty, malformed or repeated is an error.
 */
#ifndef SCHED_QUERY_H
#define SCHED_QUERY_H

#include <stddef.h>

#define QUERY_PER_PAGE_DEFAULT 50
#define QUERY_PER_PAGE_MAX 500
/* Keeps (page - 1) * per_page far inside 64 bits; larger pages are a 400. */
#define QUERY_PAGE_MAX 1000000000000LL
/* users.name is VARCHAR(100); a longer user filter is a 400. */
#define QUERY_USER_MAX 100

/* What query_parse_list reads besides page and per_page (flags). */
#define QUERY_FILTERS 1		/* status, task_type */
#define QUERY_USER 2		/* user (a user name) */

struct list_query {
	long long page;		/* >= 1 */
	long long per_page;	/* 1..500 */
	const char *status;	/* "active", "paused", "completed" or NULL */
	const char *task_type;	/* "one_time", "periodic", "cron" or NULL */
	/* The user name (UTF-8, up to QUERY_USER_MAX characters); "" when not given. */
	char user[QUERY_USER_MAX * 4 + 1];
};

/*
 * Parses qs (may be empty). with_filters: QUERY_FILTERS and/or QUERY_USER,
 * the parameters read besides page and per_page (0: paging only). On error returns -1 with a client message in err and the
 * parameter's name in *field.
 */
int query_parse_list(const char *qs, int with_filters, struct list_query *out,
    char *err, size_t errlen, const char **field);

/* GET /tasks/{id}/next: count, 1..QUERY_COUNT_MAX, default QUERY_COUNT_DEFAULT. */
#define QUERY_COUNT_DEFAULT 10
#define QUERY_COUNT_MAX 100

/*
 * Parses qs (may be empty) for count; other parameters are ignored. On
 * error returns -1 with a client message in err and "count" in *field.
 */
int query_parse_count(const char *qs, long long *count, char *err,
    size_t errlen, const char **field);

#endif
