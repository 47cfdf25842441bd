/*
 * query: the query-string parameters of list endpoints (page, per_page,
 * status, task_type), checked and converted once. Unknown parameters are
 * ignored; a known one that is empty, malformed or repeated is an error.
 */
#ifndef SCHED_QUERY_H
#define SCHED_QUERY_H

#include <stddef.h>

#define QUERY_PER_PAGE_DEFAULT 50
#define QUERY_PER_PAGE_MAX 500
/* Keeps (page - 1) * per_page far inside 64 bits; larger pages are a 400. */
#define QUERY_PAGE_MAX 1000000000000LL

struct list_query {
	long long page;		/* >= 1 */
	long long per_page;	/* 1..500 */
	const char *status;	/* "active", "paused", "completed" or NULL */
	const char *task_type;	/* "one_time", "periodic", "cron" or NULL */
};

/*
 * Parses qs (may be empty). with_filters: whether status and task_type are
 * read. On error returns -1 with a client message in err and the
 * parameter's name in *field.
 */
int query_parse_list(const char *qs, int with_filters, struct list_query *out,
    char *err, size_t errlen, const char **field);

#endif
