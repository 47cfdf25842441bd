/*
 * claim: the two claim phases and the release of claims.
 *
 * Every transaction here runs at READ COMMITTED (lib/db.c sets it per
 * session). At that level InnoDB takes no gap or next-key locks for these
 * range searches, so an API worker inserting a new task (insert-intention
 * lock) never deadlocks with a claim scanning tasks_due, and a locking
 * read holds only the rows it returns. The claim selects walk tasks_due and
 * deliveries_due in index order (no filesort, see EXPLAIN in
 * docs/BENCHMARKS.md), so SKIP LOCKED lets every dispatcher take a disjoint
 * slice of the due rows. Nothing here waits on the network: each
 * transaction commits before its jobs are fired.
 */
#include "claim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "datetime.h"
#include "fault.h"
#include "log.h"
#include "lifecycle.h"
#include "occurrence.h"

/* The database's NOW(3) in ms since 1970 (the session's zone is UTC). */
#define CLAIM_DB_NOW_MS "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)"

/*
 * Phase 1: new occurrences. The secret comes from a subquery, which a
 * locking read does not lock, so users rows stay free. Cron tasks bring
 * their expression and zone for the occurrence planner.
 */
/* claim_tasks_sql's columns; the schedule's (lib/task_type.h) follow. */
#define NEW_COLUMNS(X, SEP) \
	X(NEW_SEQ, "t.seq") SEP \
	X(NEW_ID, "t.id") SEP \
	X(NEW_OWNER, "t.owner_id") SEP \
	X(NEW_URL, "t.url") SEP \
	X(NEW_METHOD, "t.request_method") SEP \
	X(NEW_HEADERS, "t.headers") SEP \
	X(NEW_POST_DATA, "t.post_data") SEP \
	X(NEW_SECRET, "(SELECT u.signing_secret FROM users u " \
	    "WHERE u.id = t.owner_id)") SEP \
	X(NEW_DB_NOW_MS, CLAIM_DB_NOW_MS)
enum { DB_COLUMNS_ENUM(NEW_COLUMNS) NEW_SCHEDULE };

static struct db_stmt claim_tasks_sql = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(NEW_COLUMNS) ", " TASK_SCHEDULE_SELECT " "
	/*
	 * Pinned: with many delete-marked entries in the index (right after
	 * `user disable` of a user with a big backlog, until purge) the
	 * optimizer was seen to pick ref on (status, owner_disabled), which
	 * reads every future row of the index when fewer than LIMIT are due.
	 */
	"FROM tasks t FORCE INDEX (tasks_due) "
	"WHERE " LIFECYCLE_TASK_FIRES("t.") " AND t.next_run_at <= NOW() "
	"ORDER BY t.next_run_at, t.seq LIMIT ? FOR UPDATE SKIP LOCKED");

/* Rows: [seq, owner, run_id, slot, next or null]. */
#define CLAIM_P1_COLUMNS \
	"COLUMNS (seq BIGINT UNSIGNED PATH '$[0]', " \
	"owner BIGINT UNSIGNED PATH '$[1]', " \
	"run_id VARCHAR(32) CHARACTER SET ascii PATH '$[2]', " \
	"slot VARCHAR(19) CHARACTER SET ascii PATH '$[3]', " \
	"nx VARCHAR(19) CHARACTER SET ascii PATH '$[4]')"

static struct db_stmt claim_insert_sql = DB_STMT(
	"INSERT INTO deliveries (task_seq, owner_id, run_id, scheduled_for, "
	"attempt, due_at, held, claimed_by, first_started_at) "
	"SELECT j.seq, j.owner, j.run_id, j.slot, 1, "
	"NOW(3) + INTERVAL ? SECOND, 0, ?, NOW(3) "
	"FROM JSON_TABLE(?, '$[*]' " CLAIM_P1_COLUMNS ") j");

/*
 * Rows as above, run_id and slot unused: tasks that fire nothing now. One
 * left without a next occurrence is completed, as outcome.c does after a
 * last fire, unless a retry of an earlier occurrence still waits (its
 * outcome completes the task then).
 */
static struct db_stmt claim_move_sql = DB_STMT(
	"UPDATE tasks t JOIN JSON_TABLE(?, '$[*]' " CLAIM_P1_COLUMNS ") j "
	"ON t.seq = j.seq SET t.next_run_at = j.nx, "
	"t.status = " LIFECYCLE_COMPLETED_IF("j.nx", "t.status") " "
	"WHERE t.owner_id = j.owner");

static struct db_stmt claim_advance_sql = DB_STMT(
	"UPDATE tasks t JOIN JSON_TABLE(?, '$[*]' " CLAIM_P1_COLUMNS ") j "
	"ON t.seq = j.seq "
	"SET t.next_run_at = j.nx, t.run_count = t.run_count + 1, "
	"t.last_run_at = NOW(3) "
	"WHERE t.owner_id = j.owner");

/* Phase 2: retries and expired leases, oldest first. */
#define DUE_COLUMNS(X, SEP) \
	X(DUE_ID, "d.id") SEP \
	X(DUE_TASK_SEQ, "d.task_seq") SEP \
	X(DUE_OWNER, "d.owner_id") SEP \
	X(DUE_RUN_ID, "d.run_id") SEP \
	X(DUE_SCHEDULED_FOR, "d.scheduled_for") SEP \
	X(DUE_ATTEMPT, "d.attempt") SEP \
	X(DUE_RUN_NOW, "d.run_now") SEP \
	X(DUE_RUN_NOW_FIRST, LIFECYCLE_RUN_NOW_FIRST("d.")) SEP \
	X(DUE_DB_NOW_MS, CLAIM_DB_NOW_MS)
enum { DB_COLUMNS_ENUM(DUE_COLUMNS) DUE_NCOLS };

static struct db_stmt claim_deliveries_sql = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(DUE_COLUMNS) " FROM deliveries d "
	"WHERE " LIFECYCLE_DELIVERY_CLAIMABLE("d.") " AND d.due_at <= NOW(3) "
	"ORDER BY d.due_at, d.id LIMIT ? FOR UPDATE SKIP LOCKED");

/* A plain (consistent, non-locking) read of the claimed deliveries' tasks. */
#define RETRY_TASK_COLUMNS(X, SEP) \
	X(RT_SEQ, "t.seq") SEP \
	X(RT_ID, "t.id") SEP \
	X(RT_URL, "t.url") SEP \
	X(RT_METHOD, "t.request_method") SEP \
	X(RT_HEADERS, "t.headers") SEP \
	X(RT_POST_DATA, "t.post_data") SEP \
	X(RT_SECRET, "u.signing_secret") SEP \
	X(RT_HOLDS, LIFECYCLE_TASK_HOLDS("t.")) SEP \
	X(RT_RUN_NOW_HOLDS, LIFECYCLE_RUN_NOW_HOLDS("t.")) SEP \
	X(RT_RUN_NOW_FIRST_HOLDS, LIFECYCLE_RUN_NOW_FIRST_HOLDS("t."))
enum { DB_COLUMNS_ENUM(RETRY_TASK_COLUMNS) RT_NCOLS };

static struct db_stmt claim_task_rows_sql = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(RETRY_TASK_COLUMNS) " "
	"FROM JSON_TABLE(?, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$[0]', "
	"owner BIGINT UNSIGNED PATH '$[1]')) j "
	"JOIN tasks t ON t.seq = j.seq AND t.owner_id = j.owner "
	"JOIN users u ON u.id = t.owner_id");

/*
 * Rows: [delivery id, owner, hold]. A held row waits for resume unclaimed.
 * A run-now delivery (made by the API) starts here: its first start is
 * recorded as phase 1 records that of a new occurrence.
 */
static struct db_stmt claim_lease_sql = DB_STMT(
	"UPDATE deliveries d JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	"id BIGINT UNSIGNED PATH '$[0]', owner BIGINT UNSIGNED PATH '$[1]', "
	"hold INT PATH '$[2]')) j ON d.id = j.id "
	"SET d.held = j.hold, d.claimed_by = IF(j.hold = 1, NULL, ?), "
	"d.due_at = IF(j.hold = 1, d.due_at, NOW(3) + INTERVAL ? SECOND), "
	"d.first_started_at = IF(j.hold = 1, d.first_started_at, "
	"COALESCE(d.first_started_at, NOW(3))) "
	"WHERE d.owner_id = j.owner");

static struct db_stmt claim_release_sql = DB_STMT(
	"UPDATE deliveries SET claimed_by = NULL, due_at = NOW(3) "
	"WHERE claimed_by = ? AND run_id NOT IN (SELECT j.run_id FROM "
	"JSON_TABLE(?, '$[*]' COLUMNS (run_id VARCHAR(32) CHARACTER SET ascii "
	"PATH '$[0]')) j)");

static struct db_stmt claim_renew_sql = DB_STMT(
	"UPDATE deliveries SET due_at = NOW(3) + INTERVAL ? SECOND "
	"WHERE claimed_by = ? AND due_at > NOW(3) AND run_id IN (SELECT "
	"j.run_id FROM JSON_TABLE(?, '$[*]' COLUMNS (run_id VARCHAR(32) "
	"CHARACTER SET ascii PATH '$[0]')) j)");

#define NEXT_COLUMNS(X, SEP) \
	X(NEXT_DB_NOW_MS, CLAIM_DB_NOW_MS) SEP \
	X(NEXT_WAIT_US, "TIMESTAMPDIFF(MICROSECOND, NOW(6), LEAST(" \
	    "COALESCE((SELECT MIN(next_run_at) FROM tasks WHERE " \
	    LIFECYCLE_TASK_FIRES("") "), '9999-12-31 23:59:59'), " \
	    "COALESCE((SELECT MIN(due_at) FROM deliveries WHERE " \
	    LIFECYCLE_DELIVERY_CLAIMABLE("") "), '9999-12-31 23:59:59')))")
enum { DB_COLUMNS_ENUM(NEXT_COLUMNS) NEXT_NCOLS };

static struct db_stmt claim_next_sql = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(NEXT_COLUMNS));

/*
 * db_query, timed for a clock reading: col of every row is the database's
 * NOW(3) in ms (CLAIM_DB_NOW_MS). The first row, if any, gives clock its
 * reading through claim_reading_take.
 */
struct claim_reading {
	int64_t sent_real, back_mono, back_real;
};

static int
claim_query(struct db *db, struct db_stmt *st, const struct db_param *p,
    int np, struct db_rows *r, struct claim_reading *rd)
{
	int rc;

	rd->sent_real = dbclock_real_ms();
	rc = db_query(db, st, p, np, r);
	rd->back_mono = dbclock_mono_ms();
	rd->back_real = dbclock_real_ms();
	return rc;
}

static void
claim_reading_take(struct dbclock *clock, const struct claim_reading *rd,
    const struct db_rows *r, unsigned col)
{
	long long db_ms = db_col_int(r, col, -1);

	if (clock != NULL && db_ms > 0)
		dbclock_observe(clock, db_ms, rd->sent_real, rd->back_mono,
		    rd->back_real);
}

static void
claim_copy(char *dst, size_t cap, const struct db_rows *rows, unsigned col)
{
	const char *s = db_col(rows, col, NULL);

	snprintf(dst, cap, "%s", s ? s : "");
}

/*
 * Plans the occurrence of one row of claim_tasks_sql: *slot to fire and
 * *next; returns occurrence_plan's answer, OCCURRENCE_SKIP when nothing
 * fires now (see lib/occurrence.h).
 */
static int
claim_plan(const struct db_rows *r, int64_t *slot, int64_t *next)
{
	struct task_schedule s;
	char err[256] = "";
	const char *id = db_col(r, NEW_ID, NULL);
	int64_t now = db_col_int(r, NEW_DB_NOW_MS, 0) / 1000;
	int rc;

	if (task_schedule_read(r, NEW_SCHEDULE, &s, err, sizeof(err)) < 0) {
		log_warnx("task %s: %s; firing its due slot once and stopping "
		    "it", id, err);
		*slot = db_col_time(r, NEW_SCHEDULE + TASK_SCHEDULE_COL_NEXT_RUN_AT,
		    now);
		*next = SCHEDULE_NONE;
		return 0;
	}
	if (s.kind == TASK_CRON && !s.expr_ok)
		log_warnx("task %s: %s", id, err);
	if (s.next_run_at == SCHEDULE_NONE)
		s.next_run_at = now;
	rc = occurrence_plan(&s, now, slot, next);
	if (rc < 0) {
		log_warnx("task %s: bad schedule fields; firing its due slot "
		    "once and stopping it", id);
		*slot = s.next_run_at;
		*next = SCHEDULE_NONE;
		return 0;
	}
	if (rc == OCCURRENCE_RECHECK) {
		log_warnx("task %s: time zone %s cannot be read; %s, looking "
		    "again in a minute", id, s.zone, *slot == SCHEDULE_NONE ?
		    "nothing due" : "firing its due occurrence");
		if (*slot == SCHEDULE_NONE)
			return OCCURRENCE_SKIP;
	}
	return rc == OCCURRENCE_SKIP ? OCCURRENCE_SKIP : 0;
}

/* A job for one row of claim_tasks_sql, firing slot. */
static struct job *
claim_task_job(const struct db_rows *r, int64_t slot)
{
	size_t body_len = 0;
	const char *body = db_col(r, NEW_POST_DATA, &body_len);
	struct job *job = job_new(db_col(r, NEW_URL, NULL),
	    db_col(r, NEW_HEADERS, NULL), body, body_len);

	if (job == NULL)
		return NULL;
	job->task_seq = (unsigned long long)db_col_int(r, NEW_SEQ, 0);
	job->owner_id = (unsigned long long)db_col_int(r, NEW_OWNER, 0);
	claim_copy(job->task_id, sizeof(job->task_id), r, NEW_ID);
	claim_copy(job->method, sizeof(job->method), r, NEW_METHOD);
	claim_copy(job->secret, sizeof(job->secret), r, NEW_SECRET);
	job->attempt = 1;
	job->scheduled_for = slot;
	return job;
}

/* Phase 1 inside the claim transaction; jobs go to got. */
static int
claim_new(struct db *db, const struct claim_options *opt, size_t n,
    struct job_list *got)
{
	struct db_rows r;
	struct db_param p[3] = { P_UINT(n) };
	struct batch b, moved;
	struct claim_reading rd;
	char slot[DATETIME_SQL_LEN], nx[DATETIME_SQL_LEN];
	int rc, first = 1;

	rc = claim_query(db, &claim_tasks_sql, p, 1, &r, &rd);
	if (rc != DB_OK)
		return rc;
	batch_init(&b);
	batch_init(&moved);
	while ((rc = db_rows_next(&r)) == 1) {
		int64_t at, next;
		struct job *job;

		if (first)
			claim_reading_take(opt->clock, &rd, &r, NEW_DB_NOW_MS);
		first = 0;

		if (claim_plan(&r, &at, &next) == OCCURRENCE_SKIP) {
			if (next != SCHEDULE_NONE)
				datetime_format_sql(next, nx);
			batch_row(&moved);
			batch_uint(&moved, (unsigned long long)db_col_int(&r,
			    NEW_SEQ, 0));
			batch_uint(&moved, (unsigned long long)db_col_int(&r,
			    NEW_OWNER, 0));
			batch_str(&moved, "");
			batch_str(&moved, "");
			batch_str(&moved, next != SCHEDULE_NONE ? nx : NULL);
			continue;
		}
		job = claim_task_job(&r, at);
		if (job == NULL || crypto_new_id(job->run_id) < 0) {
			job_free(job);
			rc = DB_ERROR;
			snprintf(db->err, sizeof(db->err), "out of memory");
			break;
		}
		job_list_push(got, job);
		datetime_format_sql(job->scheduled_for, slot);
		if (next != SCHEDULE_NONE)
			datetime_format_sql(next, nx);
		batch_row(&b);
		batch_uint(&b, job->task_seq);
		batch_uint(&b, job->owner_id);
		batch_str(&b, job->run_id);
		batch_str(&b, slot);
		batch_str(&b, next != SCHEDULE_NONE ? nx : NULL);
	}
	db_rows_free(&r);
	if (rc >= 0 && moved.n > 0 && (rc = batch_param(&moved, db, &p[0])) ==
	    DB_OK)
		rc = db_exec(db, &claim_move_sql, p, 1, NULL, NULL);
	if (rc < 0 || b.n == 0 || (rc = batch_param(&b, db, &p[2])) != DB_OK)
		goto out;
	p[0] = P_INT(opt->lease_s);
	p[1] = P_STR(opt->me);
	rc = db_exec(db, &claim_insert_sql, p, 3, NULL, NULL);
	if (rc == DB_OK)
		rc = db_exec(db, &claim_advance_sql, &p[2], 1, NULL, NULL);
out:
	batch_free(&b);
	batch_free(&moved);
	return rc < 0 ? rc : DB_OK;
}

/* One delivery row of phase 2, before its task is read. */
struct claim_retry {
	unsigned long long id, task_seq, owner_id;
	char run_id[CRYPTO_ID_HEX_LEN];
	int64_t scheduled_for;
	unsigned attempt;
	int run_now;		/* queued by the API's run now */
	int run_now_first;	/* its first attempt (LIFECYCLE_RUN_NOW_FIRST) */
	int hold;		/* the task is paused: hold instead of firing */
	struct job *job;	/* NULL until its task row is read */
};

/* Reads the locked due deliveries into rs; *count gets how many. */
static int
claim_read_retries(struct db *db, struct dbclock *clock, size_t n,
    struct claim_retry *rs, size_t *count)
{
	struct db_rows r;
	struct db_param p[1] = { P_UINT(n) };
	struct claim_reading rd;
	int rc = claim_query(db, &claim_deliveries_sql, p, 1, &r, &rd);

	*count = 0;
	if (rc != DB_OK)
		return rc;
	while (*count < n && (rc = db_rows_next(&r)) == 1) {
		struct claim_retry *x = &rs[(*count)++];
		if (*count == 1)
			claim_reading_take(clock, &rd, &r, DUE_DB_NOW_MS);
		memset(x, 0, sizeof(*x));
		x->id = (unsigned long long)db_col_int(&r, DUE_ID, 0);
		x->task_seq = (unsigned long long)db_col_int(&r, DUE_TASK_SEQ, 0);
		x->owner_id = (unsigned long long)db_col_int(&r, DUE_OWNER, 0);
		claim_copy(x->run_id, sizeof(x->run_id), &r, DUE_RUN_ID);
		x->scheduled_for = db_col_time(&r, DUE_SCHEDULED_FOR, 0);
		x->attempt = (unsigned)db_col_int(&r, DUE_ATTEMPT, 1);
		x->run_now = db_col_int(&r, DUE_RUN_NOW, 0) != 0;
		x->run_now_first = db_col_int(&r, DUE_RUN_NOW_FIRST, 0) != 0;
	}
	db_rows_free(&r);
	return rc < 0 ? rc : DB_OK;
}

/* Makes the jobs of every retry of the task in row r. */
static int
claim_retry_jobs(const struct db_rows *r, struct claim_retry *rs, size_t count)
{
	unsigned long long seq = (unsigned long long)db_col_int(r, RT_SEQ, 0);
	size_t body_len = 0;
	const char *body = db_col(r, RT_POST_DATA, &body_len);

	for (size_t i = 0; i < count; i++) {
		struct claim_retry *x = &rs[i];
		if (x->task_seq != seq || x->job != NULL)
			continue;
		/*
		 * A paused task's retry is held until resume, a disabled
		 * owner's until `user enable`; neither is fired. The first
		 * attempt of a run-now fires whatever the task's status, and
		 * a run-now's retries are not held by completion
		 * (lib/lifecycle.h).
		 */
		x->hold = db_col_int(r, x->run_now_first ? RT_RUN_NOW_FIRST_HOLDS :
		    x->run_now ? RT_RUN_NOW_HOLDS : RT_HOLDS, 1) != 0;
		if (x->hold)
			continue;
		x->job = job_new(db_col(r, RT_URL, NULL), db_col(r, RT_HEADERS,
		    NULL), body, body_len);
		if (x->job == NULL)
			return -1;
		x->job->task_seq = x->task_seq;
		x->job->owner_id = x->owner_id;
		snprintf(x->job->run_id, sizeof(x->job->run_id), "%s", x->run_id);
		x->job->scheduled_for = x->scheduled_for;
		x->job->attempt = x->attempt;
		claim_copy(x->job->task_id, sizeof(x->job->task_id), r, RT_ID);
		claim_copy(x->job->method, sizeof(x->job->method), r, RT_METHOD);
		claim_copy(x->job->secret, sizeof(x->job->secret), r, RT_SECRET);
	}
	return 0;
}

/* Reads the tasks of the retries (each task once) and makes their jobs. */
static int
claim_read_tasks(struct db *db, struct claim_retry *rs, size_t count)
{
	struct batch b;
	struct db_rows r;
	int rc;

	batch_init(&b);
	for (size_t i = 0; i < count; i++) {
		size_t k = 0;
		while (k < i && rs[k].task_seq != rs[i].task_seq)
			k++;
		if (k < i)
			continue;
		batch_row(&b);
		batch_uint(&b, rs[i].task_seq);
		batch_uint(&b, rs[i].owner_id);
	}
	struct db_param p[1];
	rc = batch_param(&b, db, &p[0]);
	if (rc == DB_OK)
		rc = db_query(db, &claim_task_rows_sql, p, 1, &r);
	batch_free(&b);
	if (rc != DB_OK)
		return rc;
	while ((rc = db_rows_next(&r)) == 1) {
		if (claim_retry_jobs(&r, rs, count) < 0) {
			rc = DB_ERROR;
			snprintf(db->err, sizeof(db->err), "out of memory");
			break;
		}
	}
	db_rows_free(&r);
	return rc < 0 ? rc : DB_OK;
}

/* Leases the retries that fire and holds those of paused tasks. */
static int
claim_lease_retries(struct db *db, const struct claim_options *opt,
    struct claim_retry *rs, size_t count)
{
	struct batch b;
	int rc;

	batch_init(&b);
	for (size_t i = 0; i < count; i++) {
		/* A row whose task vanished cannot exist (FK): leave it alone. */
		if (rs[i].job == NULL && !rs[i].hold)
			continue;
		batch_row(&b);
		batch_uint(&b, rs[i].id);
		batch_uint(&b, rs[i].owner_id);
		batch_int(&b, rs[i].hold);
	}
	struct db_param p[3] = { P_NULL, P_STR(opt->me), P_INT(opt->lease_s) };
	rc = DB_OK;
	if (b.n > 0 && (rc = batch_param(&b, db, &p[0])) == DB_OK)
		rc = db_exec(db, &claim_lease_sql, p, 3, NULL, NULL);
	batch_free(&b);
	return rc;
}

/* Phase 2 inside the claim transaction; jobs go to got. */
static int
claim_retries(struct db *db, const struct claim_options *opt, size_t n,
    struct job_list *got)
{
	struct claim_retry *rs = calloc(n, sizeof(*rs));
	size_t count = 0;
	int rc;

	if (rs == NULL) {
		snprintf(db->err, sizeof(db->err), "out of memory");
		return DB_ERROR;
	}
	rc = claim_read_retries(db, opt->clock, n, rs, &count);
	if (rc == DB_OK && count > 0)
		rc = claim_read_tasks(db, rs, count);
	if (rc == DB_OK && count > 0)
		rc = claim_lease_retries(db, opt, rs, count);
	for (size_t i = 0; i < count; i++) {
		if (rs[i].job == NULL)
			continue;
		if (rc == DB_OK)
			job_list_push(got, rs[i].job);
		else
			job_free(rs[i].job);
	}
	free(rs);
	return rc;
}

int
claim_due(struct db *db, const struct claim_options *opt, size_t n,
    int with_retries, struct job_list *out, size_t *retries)
{
	struct job_list got = { 0 };
	/* Before the transaction: the database's lease starts later. */
	int64_t lease_begin = dbclock_mono_ms();
	int rc;

	*retries = 0;
	if (n == 0)
		return 0;
	rc = db_begin(db);
	if (rc == DB_OK && with_retries)
		rc = claim_retries(db, opt, n, &got);
	*retries = got.n;
	if (rc == DB_OK && got.n < n)
		rc = claim_new(db, opt, n - got.n, &got);
	if (rc == DB_OK && got.n > 0)
		fault_stop_at(FAULT_IN_CLAIM);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK) {
		db_rollback(db);
		job_list_free(&got);
		*retries = 0;
		return rc;
	}
	for (struct job *j = got.head; j != NULL; j = j->next) {
		j->lease_end_mono_ms = lease_begin + opt->lease_s * 1000;
		j->due_mono_ms = opt->clock != NULL ? dbclock_mono_at(opt->clock,
		    j->scheduled_for * 1000) : lease_begin;
	}
	rc = (int)got.n;
	job_list_concat(out, &got);
	return rc;
}

/* The run ids of the jobs in the lists, as a batch of one-column rows. */
static void
claim_run_ids(struct batch *b, const struct job_list *const *lists,
    size_t nlists)
{
	for (size_t i = 0; i < nlists; i++)
		for (const struct job *j = lists[i]->head; j != NULL; j = j->next) {
			batch_row(b);
			batch_str(b, j->run_id);
		}
}

int
claim_release(struct db *db, const struct claim_options *opt,
    const struct job_list *const *keep, size_t nkeep)
{
	struct batch b;
	int rc;

	batch_init(&b);
	claim_run_ids(&b, keep, nkeep);
	struct db_param p[2] = { P_STR(opt->me), P_NULL };
	rc = batch_param(&b, db, &p[1]);
	if (rc == DB_OK)
		rc = db_exec(db, &claim_release_sql, p, 2, NULL, NULL);
	batch_free(&b);
	return rc;
}

int
claim_renew(struct db *db, const struct claim_options *opt,
    const struct job_list *const *lists, size_t nlists)
{
	struct batch b;
	int rc;

	batch_init(&b);
	claim_run_ids(&b, lists, nlists);
	struct db_param p[3] = { P_INT(opt->lease_s), P_STR(opt->me), P_NULL };
	rc = b.n == 0 ? DB_OK : batch_param(&b, db, &p[2]);
	if (rc == DB_OK && b.n > 0)
		rc = db_exec(db, &claim_renew_sql, p, 3, NULL, NULL);
	batch_free(&b);
	return rc;
}

int
claim_next_due(struct db *db, struct dbclock *clock, int64_t *ms)
{
	struct db_rows r;
	struct claim_reading rd;
	int rc = claim_query(db, &claim_next_sql, NULL, 0, &r, &rd);

	*ms = INT64_MAX;
	if (rc != DB_OK)
		return rc;
	rc = db_rows_next(&r);
	if (rc == 1) {
		long long us = db_col_int(&r, NEXT_WAIT_US, INT64_MAX);
		claim_reading_take(clock, &rd, &r, NEXT_DB_NOW_MS);
		/* The far-future sentinel means nothing is scheduled. */
		if (us < (long long)(INT64_MAX / 2) && us < 100LL * 365 * 86400 * 1000000)
			*ms = us >= 0 ? (us + 999) / 1000 : us / 1000;
	}
	db_rows_free(&r);
	return rc < 0 ? rc : DB_OK;
}
