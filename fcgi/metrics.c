/*
 * metrics: relaxed atomic counters in a MAP_SHARED page. Atomic adds keep
 * concurrent workers from losing increments without any lock.
 */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>


#define METRICS_CODES 600

struct metrics_shared {
	unsigned long long requests[METRICS_CODES];
	unsigned long long worker_starts;
};

static struct metrics_shared *metrics;

int
metrics_init(void)
{
	void *p = mmap(NULL, sizeof(*metrics), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	metrics = p;
	return 0;
}

void
metrics_count_request(int status)
{
	if (metrics != NULL && status > 0 && status < METRICS_CODES)
		__atomic_fetch_add(&metrics->requests[status], 1, __ATOMIC_RELAXED);
}

void
metrics_count_worker_start(void)
{
	if (metrics != NULL)
		__atomic_fetch_add(&metrics->worker_starts, 1, __ATOMIC_RELAXED);
}

/* A growing text buffer; on allocation failure it stops growing and fails. */
struct text {
	char *buf;
	size_t len, cap;
	int failed;
};

static void text_add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = 1;
			return;
		}
		if ((size_t)n < t->cap - t->len)
			break;
		char *p = realloc(t->buf, t->cap * 2 + (size_t)n);
		if (p == NULL) {
			t->failed = 1;
			return;
		}
		t->buf = p;
		t->cap = t->cap * 2 + (size_t)n;
	}
	t->len += (size_t)n;
}

/* The figures the dispatchers leave in the database (docs/API.md §21). */
static void
metrics_render_dispatch(struct text *t, const struct metrics_dispatch *d)
{
	text_add(t, "# HELP scheduler_dispatcher_fired_total Callback attempts "
	    "that succeeded, summed over every dispatcher that ever ran "
	    "(dispatchers table).\n"
	    "# TYPE scheduler_dispatcher_fired_total counter\n"
	    "scheduler_dispatcher_fired_total %lld\n", d->fired);
	text_add(t, "# HELP scheduler_dispatcher_failed_total Callback attempts "
	    "that did not succeed (retried later or failed for good), summed "
	    "over every dispatcher that ever ran.\n"
	    "# TYPE scheduler_dispatcher_failed_total counter\n"
	    "scheduler_dispatcher_failed_total %lld\n", d->failed);
	text_add(t, "# HELP scheduler_dispatcher_lost_leases_total Claims a "
	    "dispatcher lost to its lease's end, summed over every dispatcher "
	    "that ever ran: when=\"before_start\" were left unstarted (they "
	    "fire again once the lease ends), when=\"after_start\" had "
	    "their outcome discarded (another dispatcher held the occurrence "
	    "by then).\n"
	    "# TYPE scheduler_dispatcher_lost_leases_total counter\n"
	    "scheduler_dispatcher_lost_leases_total{when=\"before_start\"} %lld\n"
	    "scheduler_dispatcher_lost_leases_total{when=\"after_start\"} %lld\n",
	    d->expired_claims, d->lost_leases);
	if (d->offset_known)
		text_add(t, "# HELP scheduler_dispatcher_clock_offset_seconds "
		    "The database's clock minus a dispatcher host's clock, for "
		    "the online dispatcher whose offset is largest (each one's "
		    "is in /admin/dispatchers).\n"
		    "# TYPE scheduler_dispatcher_clock_offset_seconds gauge\n"
		    "scheduler_dispatcher_clock_offset_seconds %.3f\n",
		    (double)d->clock_offset_ms / 1000.0);
	text_add(t, "# HELP scheduler_dispatchers_online Dispatchers whose last "
	    "heartbeat is within 3 heartbeat intervals and that have not "
	    "stopped.\n# TYPE scheduler_dispatchers_online gauge\n"
	    "scheduler_dispatchers_online %lld\n", d->online);
	text_add(t, "# HELP scheduler_due_backlog Occurrences and retries whose "
	    "time has come that no dispatcher has started yet.\n"
	    "# TYPE scheduler_due_backlog gauge\n"
	    "scheduler_due_backlog %lld\n", d->backlog);
	text_add(t, "# HELP scheduler_lateness_seconds How late the oldest due, "
	    "not yet started occurrence or retry is now; 0 when none is due.\n"
	    "# TYPE scheduler_lateness_seconds gauge\n"
	    "scheduler_lateness_seconds %.3f\n", d->lateness);
}

char *
metrics_render(const long long *tasks, const struct metrics_dispatch *d)
{
	struct text t = { malloc(4096), 0, 4096, 0 };

	if (t.buf == NULL)
		return NULL;
	t.buf[0] = '\0';
	text_add(&t, "# HELP scheduler_http_requests_total HTTP requests answered "
	    "by scheduler-api workers, by status code.\n"
	    "# TYPE scheduler_http_requests_total counter\n");
	for (int code = 100; code < METRICS_CODES; code++) {
		unsigned long long n = __atomic_load_n(&metrics->requests[code],
		    __ATOMIC_RELAXED);
		if (n > 0)
			text_add(&t, "scheduler_http_requests_total{code=\"%d\"} %llu\n",
			    code, n);
	}
	text_add(&t, "# HELP scheduler_api_worker_starts_total Worker processes "
	    "started by the scheduler-api master (restarts included).\n"
	    "# TYPE scheduler_api_worker_starts_total counter\n"
	    "scheduler_api_worker_starts_total %llu\n",
	    __atomic_load_n(&metrics->worker_starts, __ATOMIC_RELAXED));
	text_add(&t, "# HELP scheduler_database_up 1 when the database answered "
	    "this scrape.\n# TYPE scheduler_database_up gauge\n"
	    "scheduler_database_up %d\n", tasks != NULL);
	if (tasks != NULL)
		text_add(&t, "# HELP scheduler_tasks Tasks by status.\n"
		    "# TYPE scheduler_tasks gauge\n"
		    "scheduler_tasks{status=\"active\"} %lld\n"
		    "scheduler_tasks{status=\"paused\"} %lld\n"
		    "scheduler_tasks{status=\"completed\"} %lld\n",
		    tasks[0], tasks[1], tasks[2]);
	if (tasks != NULL && d != NULL)
		metrics_render_dispatch(&t, d);
	if (t.failed) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}
