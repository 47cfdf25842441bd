/*
 * outcome: the batched result transaction. Its statements lock in the
 * same order as the API's pause and delete of one task — the tasks rows
 * first (in seq order), then deliveries. A bulk pause, resume or delete
 * locks its tasks in the order of the request, so it can deadlock with an
 * outcome batch; the loser is rolled back and retried (here up to
 * OUTCOME_TRIES times, then on a later pass; the API retries too). A task deleted
 * meanwhile is simply gone: its outcomes join no row and are dropped.
 */
#include "outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backoff.h"
#include "batch.h"
#include "datetime.h"
#include "fault.h"
#include "lifecycle.h"
#include "log.h"

#define OUTCOME_TRIES 3

/* Rows: [seq, owner], distinct and sorted, so that locks come in one order. */
static struct db_stmt outcome_lock_sql = DB_STMT(
	"SELECT t.seq FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	"seq BIGINT UNSIGNED PATH '$[0]', owner BIGINT UNSIGNED PATH '$[1]')) j "
	"JOIN tasks t ON t.seq = j.seq AND t.owner_id = j.owner FOR UPDATE");

/*
 * Rows: [run_id, owner]. The deliveries of the batch whose lease this
 * dispatcher still holds by the database's clock, locked (after their
 * tasks, as the API locks them). The lease is judged here, once: the
 * statements after it see the same rows, locked, so they cannot disagree
 * with each other about a lease that ends during the transaction.
 */
static struct db_stmt outcome_held_sql = DB_STMT(
	"SELECT d.run_id FROM deliveries d JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	"run_id VARCHAR(32) CHARACTER SET ascii PATH '$[0]', "
	"owner BIGINT UNSIGNED PATH '$[1]')) j ON d.run_id = j.run_id "
	"WHERE d.owner_id = j.owner AND d.claimed_by = ? AND d.due_at > NOW(3) "
	"FOR UPDATE");

/*
 * Rows: [seq, run_id, attempt, started]: items no longer held. One whose
 * run row exists was recorded by an earlier commit whose answer was lost
 * (the delivery is gone or released since), not lost to another
 * dispatcher; task_runs_task_started finds it.
 */
static struct db_stmt outcome_recorded_sql = DB_STMT(
	"SELECT j.run_id FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	"seq BIGINT UNSIGNED PATH '$[0]', "
	"run_id VARCHAR(32) CHARACTER SET ascii PATH '$[1]', "
	"attempt INT UNSIGNED PATH '$[2]', "
	"started DATETIME(3) PATH '$[3]')) j "
	"JOIN task_runs r ON r.task_seq = j.seq AND r.started_at = j.started "
	"AND r.attempt = j.attempt AND r.run_id = j.run_id");

/*
 * Rows: [seq, owner, run_id, slot, attempt, started, finished, outcome,
 * http, error, ms].
 */
static struct db_stmt outcome_runs_sql = DB_STMT(
	"INSERT INTO task_runs (task_seq, owner_id, run_id, scheduled_for, attempt, "
	"started_at, finished_at, outcome, http_status, error, duration_ms, "
	"dispatcher) "
	"SELECT t.seq, t.owner_id, j.run_id, j.slot, j.attempt, j.started, "
	"j.finished, j.outcome, j.http, j.err, j.ms, ? "
	"FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	"seq BIGINT UNSIGNED PATH '$[0]', owner BIGINT UNSIGNED PATH '$[1]', "
	"run_id VARCHAR(32) CHARACTER SET ascii PATH '$[2]', "
	"slot DATETIME PATH '$[3]', attempt INT UNSIGNED PATH '$[4]', "
	"started DATETIME(3) PATH '$[5]', finished DATETIME(3) PATH '$[6]', "
	"outcome VARCHAR(9) CHARACTER SET ascii PATH '$[7]', "
	"http SMALLINT UNSIGNED PATH '$[8]', err VARCHAR(1024) PATH '$[9]', "
	"ms INT UNSIGNED PATH '$[10]')) j "
	"JOIN tasks t ON t.seq = j.seq AND t.owner_id = j.owner "
	"JOIN deliveries d ON d.run_id = j.run_id AND d.owner_id = j.owner "
	"AND d.claimed_by = ? "
	/* Written already by a commit whose answer was lost: not again. */
	"WHERE NOT EXISTS (SELECT 1 FROM task_runs r WHERE r.task_seq = j.seq "
	"AND r.started_at = j.started AND r.attempt = j.attempt "
	"AND r.run_id = j.run_id)");

/* Rows: [run_id, owner]: occurrences that are over. */
static struct db_stmt outcome_delete_sql = DB_STMT(
	"DELETE d FROM deliveries d JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	"run_id VARCHAR(32) CHARACTER SET ascii PATH '$[0]', "
	"owner BIGINT UNSIGNED PATH '$[1]')) j ON d.run_id = j.run_id "
	"WHERE d.owner_id = j.owner AND d.claimed_by = ?");

/* Rows: [run_id, owner, attempt, delay ms]: occurrences that retry. */
static struct db_stmt outcome_retry_sql = DB_STMT(
	"UPDATE deliveries d JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	"run_id VARCHAR(32) CHARACTER SET ascii PATH '$[0]', "
	"owner BIGINT UNSIGNED PATH '$[1]', attempt INT UNSIGNED PATH '$[2]', "
	"delay BIGINT PATH '$[3]')) j ON d.run_id = j.run_id "
	"JOIN tasks t ON t.seq = d.task_seq AND t.owner_id = j.owner "
	"SET d.attempt = j.attempt + 1, "
	"d.due_at = NOW(3) + INTERVAL j.delay * 1000 MICROSECOND, "
	"d.claimed_by = NULL, d.held = " LIFECYCLE_RETRY_HOLDS("t.", "d.") " "
	"WHERE d.owner_id = j.owner AND d.claimed_by = ?");

/*
 * Rows: [seq, owner, outcome]: tasks whose occurrence is over. A task with
 * no next slot and no delivery left is completed, paused or not.
 */
static struct db_stmt outcome_tasks_sql = DB_STMT(
	"UPDATE tasks t JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	"seq BIGINT UNSIGNED PATH '$[0]', owner BIGINT UNSIGNED PATH '$[1]', "
	"outcome VARCHAR(9) CHARACTER SET ascii PATH '$[2]')) j ON t.seq = j.seq "
	"SET t.last_run_outcome = j.outcome, "
	"t.status = " LIFECYCLE_COMPLETED_IF("t.next_run_at", "t.status") " "
	"WHERE t.owner_id = j.owner");

enum outcome_kind { OUTCOME_SUCCEEDED, OUTCOME_RETRYING, OUTCOME_FAILED };
static const char *const outcome_names[] = {
	"succeeded", "retrying", "failed"
};

/* One finished job with what its attempt means. */
struct outcome_item {
	struct job *job;
	enum outcome_kind kind;
	int64_t delay_ms;
	int task_exists;	/* its task row was there to lock */
	int held;		/* its lease is still this dispatcher's */
	int recorded;		/* not held, but its run row is written */
};

/*
 * The statements' parameters: lock and held cover the whole batch, the
 * others only the items still held, so they are built inside each try.
 */
struct outcome_batches {
	struct batch lock, held, runs, over, retry, tasks;
	uint64_t n[3];		/* per outcome_kind, held items */
	uint64_t lost;		/* items whose task exists but lease is gone */
};

#define OUTCOME_MS_TEXT_LEN 32	/* "YYYY-MM-DD HH:MM:SS.mmm" + NUL, with room */

/* DATETIME(3) text of a UTC time in milliseconds (not before 1970). */
static void
outcome_ms_text(int64_t ms, char buf[OUTCOME_MS_TEXT_LEN])
{
	char s[DATETIME_SQL_LEN];

	if (ms < 0)
		ms = 0;
	datetime_format_sql(ms / 1000, s);
	snprintf(buf, OUTCOME_MS_TEXT_LEN, "%s.%03u", s, (unsigned)(ms % 1000));
}

static int
outcome_by_seq(const void *a, const void *b)
{
	const struct outcome_item *x = a, *y = b;

	if (x->job->task_seq != y->job->task_seq)
		return x->job->task_seq < y->job->task_seq ? -1 : 1;
	/* Within a task, the attempt that finished last comes last. */
	return (x->job->finished_ms > y->job->finished_ms) -
	    (x->job->finished_ms < y->job->finished_ms);
}

static void
outcome_add_run(struct batch *b, const struct outcome_item *it)
{
	const struct job *j = it->job;
	char slot[DATETIME_SQL_LEN], start[OUTCOME_MS_TEXT_LEN],
	    end[OUTCOME_MS_TEXT_LEN];
	int64_t ms = j->finished_ms - j->started_ms;

	datetime_format_sql(j->scheduled_for, slot);
	outcome_ms_text(j->started_ms, start);
	outcome_ms_text(j->finished_ms, end);
	batch_row(b);
	batch_uint(b, j->task_seq);
	batch_uint(b, j->owner_id);
	batch_str(b, j->run_id);
	batch_str(b, slot);
	batch_uint(b, j->attempt);
	batch_str(b, start);
	batch_str(b, end);
	batch_str(b, outcome_names[it->kind]);
	if (j->http_status > 0)
		batch_int(b, j->http_status);
	else
		batch_str(b, NULL);
	batch_str(b, it->kind == OUTCOME_SUCCEEDED ? NULL : j->error);
	batch_int(b, ms < 0 ? 0 : ms);
}

/* The lock and held batches, of every item (sorted by task). */
static void
outcome_build_checks(struct outcome_batches *ob,
    const struct outcome_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct job *j = items[i].job;

		if (i == 0 || items[i - 1].job->task_seq != j->task_seq) {
			batch_row(&ob->lock);
			batch_uint(&ob->lock, j->task_seq);
			batch_uint(&ob->lock, j->owner_id);
		}
		batch_row(&ob->held);
		batch_str(&ob->held, j->run_id);
		batch_uint(&ob->held, j->owner_id);
	}
}

/* Fills the write batches from the held items of items (sorted by task). */
static void
outcome_build(struct outcome_batches *ob, const struct outcome_item *items,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct outcome_item *it = &items[i];
		const struct job *j = it->job;
		int last_of_task = 1;

		if (!it->held) {
			if (it->recorded)
				ob->n[it->kind]++;
			else if (it->task_exists)
				ob->lost++;
			continue;
		}
		ob->n[it->kind]++;
		outcome_add_run(&ob->runs, it);
		if (it->kind == OUTCOME_RETRYING) {
			batch_row(&ob->retry);
			batch_str(&ob->retry, j->run_id);
			batch_uint(&ob->retry, j->owner_id);
			batch_uint(&ob->retry, j->attempt);
			batch_int(&ob->retry, it->delay_ms);
			continue;
		}
		batch_row(&ob->over);
		batch_str(&ob->over, j->run_id);
		batch_uint(&ob->over, j->owner_id);
		/* The task row gets the last finished occurrence of the batch. */
		for (size_t k = i + 1; k < n && items[k].job->task_seq == j->task_seq; k++)
			if (items[k].held && items[k].kind != OUTCOME_RETRYING)
				last_of_task = 0;
		if (last_of_task) {
			batch_row(&ob->tasks);
			batch_uint(&ob->tasks, j->task_seq);
			batch_uint(&ob->tasks, j->owner_id);
			batch_str(&ob->tasks, outcome_names[it->kind]);
		}
	}
}

/*
 * Runs stmt when b has rows, with parameters in the order layout names
 * them: 'b' the batch, 'm' this dispatcher's id.
 */
static int
outcome_exec(struct db *db, struct db_stmt *st, struct batch *b,
    const char *me, const char *layout)
{
	struct db_param p[4];
	int n = 0, rc;

	if (b->n == 0)
		return DB_OK;
	for (const char *c = layout; *c != '\0' && n < 4; c++, n++) {
		if (*c == 'm')
			p[n] = P_STR(me);
		else if ((rc = batch_param(b, db, &p[n])) != DB_OK)
			return rc;
	}
	return db_exec(db, st, p, n, NULL, NULL);
}

static int
outcome_by_run_id(const void *a, const void *b)
{
	const struct outcome_item *const *x = a, *const *y = b;

	return strcmp((*x)->job->run_id, (*y)->job->run_id);
}

/* The item (by_run: sorted by run id) whose run id is column 0 of r. */
static struct outcome_item *
outcome_find(struct outcome_item **by_run, size_t n, const struct db_rows *r)
{
	struct job key_job;
	struct outcome_item key = { .job = &key_job }, *kp = &key, **hit;
	const char *run_id = db_col(r, DB_ONLY_COL, NULL);

	snprintf(key_job.run_id, sizeof(key_job.run_id), "%s",
	    run_id ? run_id : "");
	hit = bsearch(&kp, by_run, n, sizeof(*by_run), outcome_by_run_id);
	return hit != NULL ? *hit : NULL;
}

static int
outcome_seq_cmp(const void *key, const void *elem)
{
	unsigned long long seq = *(const unsigned long long *)key;
	const struct outcome_item *it = elem;

	return (seq > it->job->task_seq) - (seq < it->job->task_seq);
}

/* Marks every item of the task seq (items sorted by task) as existing. */
static void
outcome_mark_task(struct outcome_item *items, size_t n, unsigned long long seq)
{
	struct outcome_item *hit = bsearch(&seq, items, n, sizeof(*items),
	    outcome_seq_cmp);

	if (hit == NULL)
		return;
	while (hit > items && hit[-1].job->task_seq == seq)
		hit--;
	for (; hit < items + n && hit->job->task_seq == seq; hit++)
		hit->task_exists = 1;
}

/*
 * Marks as recorded the items not held whose run row exists (by_run: the
 * items sorted by run id, for the lookup). Costs a statement only when
 * some item is not held, which is rare.
 */
static int
outcome_check_recorded(struct db *db, struct outcome_item *items, size_t n,
    struct outcome_item **by_run)
{
	struct batch b;
	struct db_rows r;
	struct db_param p[1];
	char start[OUTCOME_MS_TEXT_LEN];
	int rc;

	batch_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (items[i].held || !items[i].task_exists)
			continue;
		outcome_ms_text(items[i].job->started_ms, start);
		batch_row(&b);
		batch_uint(&b, items[i].job->task_seq);
		batch_str(&b, items[i].job->run_id);
		batch_uint(&b, items[i].job->attempt);
		batch_str(&b, start);
	}
	rc = b.n == 0 ? DB_OK : batch_param(&b, db, &p[0]);
	if (rc == DB_OK && b.n > 0 &&
	    (rc = db_query(db, &outcome_recorded_sql, p, 1, &r)) == DB_OK) {
		while ((rc = db_rows_next(&r)) == 1) {
			struct outcome_item *hit = outcome_find(by_run, n, &r);
			if (hit != NULL && !hit->held)
				hit->recorded = 1;
		}
		db_rows_free(&r);
		rc = rc < 0 ? rc : DB_OK;
	}
	batch_free(&b);
	return rc;
}

/*
 * Locks the tasks (in seq order) and then the deliveries still held, and
 * marks each item's task_exists, held and recorded.
 */
static int
outcome_check(struct db *db, const struct outcome_options *opt,
    struct outcome_batches *ob, struct outcome_item *items, size_t n)
{
	struct db_rows r;
	struct db_param p[2];
	struct outcome_item **by_run = NULL;
	int rc;

	for (size_t i = 0; i < n; i++)
		items[i].task_exists = items[i].held = items[i].recorded = 0;
	if ((rc = batch_param(&ob->lock, db, &p[0])) != DB_OK ||
	    (rc = db_query(db, &outcome_lock_sql, p, 1, &r)) != DB_OK)
		return rc;
	while ((rc = db_rows_next(&r)) == 1)
		outcome_mark_task(items, n,
		    (unsigned long long)db_col_int(&r, DB_ONLY_COL, 0));
	db_rows_free(&r);
	if (rc < 0)
		return rc;
	if ((by_run = calloc(n, sizeof(*by_run))) == NULL) {
		snprintf(db->err, sizeof(db->err), "out of memory");
		/* Keep the jobs and try again shortly; the connection is fine. */
		return DB_RETRY;
	}
	for (size_t i = 0; i < n; i++)
		by_run[i] = &items[i];
	qsort(by_run, n, sizeof(*by_run), outcome_by_run_id);
	p[1] = P_STR(opt->me);
	if ((rc = batch_param(&ob->held, db, &p[0])) != DB_OK ||
	    (rc = db_query(db, &outcome_held_sql, p, 2, &r)) != DB_OK)
		goto out;
	while ((rc = db_rows_next(&r)) == 1) {
		struct outcome_item *hit = outcome_find(by_run, n, &r);
		if (hit != NULL)
			hit->held = 1;
	}
	db_rows_free(&r);
	rc = rc < 0 ? rc : outcome_check_recorded(db, items, n, by_run);
out:
	free(by_run);
	return rc;
}

static void
outcome_batches_reset(struct outcome_batches *ob)
{
	struct batch *bs[] = { &ob->runs, &ob->over, &ob->retry, &ob->tasks };

	for (size_t i = 0; i < sizeof(bs) / sizeof(bs[0]); i++) {
		batch_free(bs[i]);
		batch_init(bs[i]);
	}
	memset(ob->n, 0, sizeof(ob->n));
	ob->lost = 0;
}

/* One try of the whole transaction. */
static int
outcome_transaction(struct db *db, const struct outcome_options *opt,
    struct outcome_batches *ob, struct outcome_item *items, size_t n)
{
	int rc = db_begin(db);

	if (rc == DB_OK)
		rc = outcome_check(db, opt, ob, items, n);
	outcome_batches_reset(ob);
	if (rc == DB_OK)
		outcome_build(ob, items, n);
	/* Each write also names the lease holder (the rows are locked). */
	if (rc == DB_OK)
		rc = outcome_exec(db, &outcome_runs_sql, &ob->runs, opt->me, "mbm");
	if (rc == DB_OK)
		rc = outcome_exec(db, &outcome_delete_sql, &ob->over, opt->me, "bm");
	if (rc == DB_OK)
		rc = outcome_exec(db, &outcome_retry_sql, &ob->retry, opt->me, "bm");
	if (rc == DB_OK)
		rc = outcome_exec(db, &outcome_tasks_sql, &ob->tasks, opt->me, "b");
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc == DB_OK && fault_hit(FAULT_LOSE_OUTCOME_ANSWER)) {
		snprintf(db->err, sizeof(db->err), "fault injection: commit "
		    "answer lost");
		return DB_AWAY;
	}
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

/* Classifies each finished job; items is sorted by task afterwards. */
static void
outcome_classify(const struct outcome_options *opt, struct job_list *done,
    struct outcome_item *items)
{
	size_t i = 0;

	for (struct job *j = done->head; j != NULL; j = j->next, i++) {
		items[i].job = j;
		items[i].delay_ms = 0;
		if (job_succeeded(j))
			items[i].kind = OUTCOME_SUCCEEDED;
		else if ((long long)j->attempt < opt->retry_attempts) {
			items[i].kind = OUTCOME_RETRYING;
			items[i].delay_ms = backoff_delay_ms(j->attempt,
			    opt->retry_base_delay, opt->retry_max_delay,
			    (uint32_t)random() ^ ((uint32_t)random() << 16));
		} else
			items[i].kind = OUTCOME_FAILED;
	}
	qsort(items, done->n, sizeof(*items), outcome_by_seq);
}

/* One line for the outcomes of lost leases, naming the first of them. */
static void
outcome_log_lost(const struct outcome_item *items, size_t n, uint64_t lost)
{
	if (lost == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (items[i].held || !items[i].task_exists)
			continue;
		log_warnx("%llu outcomes came after their lease was lost (this "
		    "process stalled?): not recorded, the occurrences belong to "
		    "whoever holds them now; first: task %s run %s attempt %u",
		    (unsigned long long)lost, items[i].job->task_id,
		    items[i].job->run_id, items[i].job->attempt);
		return;
	}
}

int
outcome_write(struct db *db, const struct outcome_options *opt,
    struct job_list *done, struct outcome_counts *counts)
{
	struct outcome_item *items;
	struct outcome_batches ob;
	int rc = DB_OK;

	if (done->n == 0)
		return DB_OK;
	if ((items = calloc(done->n, sizeof(*items))) == NULL) {
		snprintf(db->err, sizeof(db->err), "out of memory");
		/* Keep the jobs and try again shortly; the connection is fine. */
		return DB_RETRY;
	}
	outcome_classify(opt, done, items);
	memset(&ob, 0, sizeof(ob));
	batch_init(&ob.lock);
	batch_init(&ob.held);
	batch_init(&ob.runs);
	batch_init(&ob.over);
	batch_init(&ob.retry);
	batch_init(&ob.tasks);
	outcome_build_checks(&ob, items, done->n);
	for (int tries = 0; tries < OUTCOME_TRIES; tries++) {
		rc = outcome_transaction(db, opt, &ob, items, done->n);
		if (rc != DB_RETRY)
			break;
	}
	if (rc == DB_OK) {
		counts->succeeded += ob.n[OUTCOME_SUCCEEDED];
		counts->retrying += ob.n[OUTCOME_RETRYING];
		counts->failed += ob.n[OUTCOME_FAILED];
		counts->lost += ob.lost;
		outcome_log_lost(items, done->n, ob.lost);
	} else if (rc == DB_ERROR) {
		log_error("dropping %zu outcomes: %s (their deliveries come "
		    "back when the lease ends)", done->n, db->err);
	}
	/* Away or still deadlocking: keep the jobs and write them later. */
	if (rc == DB_OK || rc == DB_ERROR)
		job_list_free(done);
	batch_free(&ob.lock);
	batch_free(&ob.held);
	batch_free(&ob.runs);
	batch_free(&ob.over);
	batch_free(&ob.retry);
	batch_free(&ob.tasks);
	free(items);
	return rc;
}
