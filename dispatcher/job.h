/*
 * job: one claimed delivery inside the dispatcher, from claim to written
 * outcome. A *delivery* is one attempt of an occurrence; its *run id* is
 * the occurrence's X-Scheduler-Run-Id, kept across retries. Each job is in
 * exactly one state and one list of the main loop.
 */
#ifndef DISPATCHER_JOB_H
#define DISPATCHER_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

enum job_state {
	JOB_CLAIMED,	/* claimed in the database, transfer not started */
	JOB_RUNNING,	/* request sent or being sent: "in flight" */
	JOB_FINISHED,	/* attempt over, outcome not yet written */
};

#define JOB_ERROR_LEN 256
#define JOB_METHOD_LEN 8

struct job {
	struct job *next, *prev;	/* links of the list holding the job */
	enum job_state state;

	/* The occurrence. */
	unsigned long long task_seq, owner_id;
	char task_id[CRYPTO_ID_HEX_LEN];
	char run_id[CRYPTO_ID_HEX_LEN];
	int64_t scheduled_for;		/* UTC seconds */
	unsigned attempt;		/* 1-based */

	/*
	 * The claim, on this host's monotonic clock (dbclock.h): not started
	 * before due_mono_ms (scheduled_for by the database's clock), and
	 * never started unless it can finish before lease_end_mono_ms, the
	 * earliest the database may let another dispatcher take it over.
	 */
	int64_t due_mono_ms;
	int64_t lease_end_mono_ms;

	/* The request, copied from the task at claim time. */
	char method[JOB_METHOD_LEN];
	char *url;
	char *headers_json;		/* JSON object text of extra headers */
	char *body;			/* post_data text, sent as is */
	size_t body_len;
	char secret[CRYPTO_SECRET_HEX_LEN];

	/* The attempt, filled by fire.c. */
	int64_t started_ms, finished_ms;	/* ms by the database's clock */
	long http_status;		/* 0: no response came */
	char error[JOB_ERROR_LEN];	/* empty when the attempt succeeded */
	int refused;			/* the connect-time address guard refused it */
	int unsent;			/* not sent: its lease would end first */
	void *transfer;			/* fire.c's handle while running */
};

/* A FIFO of jobs (doubly linked, so removal is O(1)); owns its jobs. */
struct job_list {
	struct job *head, *tail;
	size_t n;
};

/*
 * A new zeroed job owning copies of url, headers and body (len bytes).
 * NULL when out of memory.
 */
struct job *job_new(const char *url, const char *headers_json,
    const char *body, size_t body_len);
void job_free(struct job *job);

/* 1 when the attempt succeeded (a 2xx answer and no transport error). */
int job_succeeded(const struct job *job);

void job_list_push(struct job_list *list, struct job *job);
struct job *job_list_pop(struct job_list *list);
/* Unlinks job, which must be in list. */
void job_list_remove(struct job_list *list, struct job *job);
/* Moves every job of from to the end of to. */
void job_list_concat(struct job_list *to, struct job_list *from);
void job_list_free(struct job_list *list);

#endif
