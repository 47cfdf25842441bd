/*
 * task_store: every SQL statement of the task API. Each statement that
 * reads or changes a task carries the owner in its WHERE (the INSERT, in
 * its values). Three read every user's tasks: task_store_probe, which only
 * tells 404 from 403, task_store_count_by_status, which counts them
 * for /metrics and /admin/stats, and task_store_owner, which finds the
 * owner for the admin actions (behind their admin check). task_store_fill and task_store_one_row
 * run their caller's statement (admin_store's read every user's rows).
 * Functions return a db_status (lib/db.h).
 */
#ifndef SCHED_TASK_STORE_H
#define SCHED_TASK_STORE_H

#include <stdint.h>
#include <json-c/json.h>

#include "db.h"
#include "query.h"
#include "task_input.h"

/*
 * 1 when id has the shape of a public task id (32 lowercase hex digits).
 * Any other text names no task: callers answer "not found" without a query,
 * since MariaDB refuses to compare the ASCII id column with non-ASCII text.
 */
int task_store_id_valid(const char *id);

/* A user's limits (max_tasks_per_user, max_post_data_bytes_per_user); 0: none. */
struct task_store_quota {
	long long max_tasks;
	long long max_bytes;
};

/* Which limit refused a create. */
enum task_store_over {
	TASK_STORE_OVER_NONE,
	TASK_STORE_OVER_TASKS,	/* the owner has max_tasks tasks */
	TASK_STORE_OVER_BYTES,	/* its post_data would pass max_bytes */
};

/*
 * Stores a new task with public id id (32 hex) and counts it, with its
 * post_data bytes, in the owner's quota, in one transaction. When a limit
 * would be passed nothing is stored: DB_OK with *over saying which limit
 * (else TASK_STORE_OVER_NONE). A deadlock is retried.
 */
int task_store_insert(struct db *db, long long owner, const char *id,
    const struct task_input *in, int64_t now,
    const struct task_store_quota *quota, enum task_store_over *over);

/*
 * task_store_insert with an Idempotency-Key (idem, whose key may be NULL):
 * the key is remembered in the same transaction (idempotency_claim). When
 * another create already holds it, nothing is stored and DB_OK comes back
 * with idem->outcome IDEM_REPLAY or IDEM_MISMATCH; over quota too, so a
 * replay wins over a 429 as over the name's 409 (docs/API.md §7.5).
 */
struct idempotency;
int task_store_insert_keyed(struct db *db, long long owner, const char *id,
    const struct task_input *in, int64_t now,
    const struct task_store_quota *quota, struct idempotency *idem,
    enum task_store_over *over);

/*
 * Gives tasks deleted tasks holding bytes of post_data back to the owner's
 * quota. Run it in the transaction of the DELETE, as its last statement
 * before COMMIT, so the users row is locked the shortest time.
 */
int task_store_quota_release(struct db *db, long long owner, long long tasks,
    long long bytes);

/* Fills tasks (an array) with one page and *count with the filtered total. */
int task_store_list(struct db *db, long long owner, const struct list_query *q,
    long long *count, struct json_object *tasks);

/*
 * After task_store_insert answered DB_DUPLICATE: 1 when the owner's name
 * was taken (the unique index tasks_owner_name, so two concurrent creates
 * cannot both win), 0 when the random id clashed.
 */
int task_store_name_taken(const struct db *db);

/* The owner's task called name, as task_store_get does by id. */
int task_store_get_by_name(struct db *db, long long owner, const char *name,
    struct json_object **task);

/*
 * *found = 1 when the owner's task called name existed and is now deleted;
 * its quota is given back in the same transaction.
 */
int task_store_delete_by_name(struct db *db, long long owner, const char *name,
    int *found);

/* As task_store_delete_by_name, by id (its runs are deleted too). */
int task_store_delete(struct db *db, long long owner, const char *id, int *found);

/* The owner-blind probe: *exists = 1 when any user has a task with this id. */
int task_store_probe(struct db *db, const char *id, int *exists);

/* The name of a user, as the log names who did what. */
#define TASK_STORE_USER_NAME_MAX 101

/*
 * Who owns task id, for an admin action by user viewer: *owner (0 when no
 * user has such a task), the owner's name and the viewer's name (each
 * NUL-terminated, TASK_STORE_USER_NAME_MAX bytes). A db_status.
 */
int task_store_owner(struct db *db, const char *id, long long viewer,
    long long *owner, char *owner_name, char *viewer_name);

/*
 * The task's internal key for an owner, for sub-resources (runs);
 * *seq = 0 when the owner has no such task.
 */
int task_store_seq(struct db *db, long long owner, const char *id,
    unsigned long long *seq);

/* One page of a task's attempts, newest first, and their total. */
int task_store_runs(struct db *db, long long owner, unsigned long long seq,
    const struct list_query *q, long long *count, struct json_object *runs);

/* Runs a query and appends each row to arr as view(row); a db_status. */
int task_store_fill(struct db *db, struct db_stmt *st, const struct db_param *p,
    int n, struct json_object *arr,
    struct json_object *(*view)(const struct db_rows *));

/*
 * Runs a query of at most one row and calls row(rows, arg) on it when
 * there is one; a db_status.
 */
int task_store_one_row(struct db *db, struct db_stmt *st,
    const struct db_param *p, int n,
    void (*row)(const struct db_rows *, void *), void *arg);

/* A row callback: the integer of a one-column row into *(long long *)arg. */
void task_store_int_row(const struct db_rows *rows, void *arg);

/* Counts of all tasks by status, for /metrics. */
int task_store_count_by_status(struct db *db, long long *active,
    long long *paused, long long *completed);

#endif
