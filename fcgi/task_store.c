/*
 * task_store: the SQL of the task API, one prepared statement per query
 * shape. List filters pick one of four fixed statements rather than
 * building text, so each keeps an index plan of its own. The *quota* is
 * the per-user task count and post_data bytes in the users row, changed in
 * the transaction of every insert and delete.
 */
#include "task_store.h"

#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "idempotency.h"
#include "task_view.h"

#define TASK_STORE_ID_LEN 32
/* A deadlock is retried this often before it is answered as a failure. */
#define TASK_STORE_TRIES 3

/*
 * owner_disabled is read from the users row, which the quota step has
 * locked in this transaction: a `user disable` that committed before that
 * lock marks this task too, so a create racing with it stores a task
 * that waits, as the user's other tasks do.
 */
static struct db_stmt st_insert = DB_STMT(
	"INSERT INTO tasks (id, " TASK_SCHEDULE_INSERT ", owner_id, name, url, "
	"request_method, headers, post_data, status, created_at, owner_disabled) "
	"VALUES (?, " TASK_SCHEDULE_VALUES ", ?, ?, ?, ?, ?, ?, 'active', ?, "
	"(SELECT u.disabled FROM users u WHERE u.id = ?))");

static struct db_stmt st_get_by_name = DB_STMT(
	"SELECT " TASK_VIEW_SELECT " FROM tasks t "
	"WHERE t.owner_id = ? AND t.name = ?");

static struct db_stmt st_delete_by_name = DB_STMT(
	"DELETE FROM tasks WHERE owner_id = ? AND name = ?");

static struct db_stmt st_probe = DB_STMT(
	"SELECT owner_id FROM tasks WHERE id = ?");

/* Owner-blind, for the admin actions: who owns it, and both names for the log. */
#define OWNER_COLUMNS(X, SEP) \
	X(OWNER_COL_ID, "t.owner_id") SEP \
	X(OWNER_COL_NAME, "o.name") SEP \
	X(OWNER_COL_VIEWER, "(SELECT v.name FROM users v WHERE v.id = ?)")
enum { DB_COLUMNS_ENUM(OWNER_COLUMNS) OWNER_NCOLS };
static struct db_stmt st_owner = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(OWNER_COLUMNS) " FROM tasks t "
	"JOIN users o ON o.id = t.owner_id WHERE t.id = ?");

static struct db_stmt st_seq = DB_STMT(
	"SELECT seq FROM tasks WHERE id = ? AND owner_id = ?");

static struct db_stmt st_delete = DB_STMT(
	"DELETE FROM tasks WHERE id = ? AND owner_id = ?");

/* A task about to be deleted: locked, with its post_data length for the quota. */
static struct db_stmt st_lock = DB_STMT(
	"SELECT LENGTH(post_data) FROM tasks WHERE id = ? AND owner_id = ? "
	"FOR UPDATE");
static struct db_stmt st_lock_by_name = DB_STMT(
	"SELECT LENGTH(post_data) FROM tasks WHERE owner_id = ? AND name = ? "
	"FOR UPDATE");

/*
 * Takes one task slot and its bytes, or changes nothing (0 rows) when a
 * limit (0: none) would be passed: the users row lock makes the check and
 * the change one step, so two creates cannot both take the last slot.
 */
static struct db_stmt st_quota_take = DB_STMT(
	"UPDATE users SET task_count = task_count + 1, "
	"post_data_bytes = post_data_bytes + ? WHERE id = ? "
	"AND (? = 0 OR task_count < ?) AND (? = 0 OR post_data_bytes + ? <= ?)");
/* Clamped at 0, so rows written around the API cannot make it negative. */
static struct db_stmt st_quota_give = DB_STMT(
	"UPDATE users SET task_count = GREATEST(task_count - ?, 0), "
	"post_data_bytes = GREATEST(post_data_bytes - ?, 0) WHERE id = ?");
static struct db_stmt st_quota_used = DB_STMT(
	"SELECT task_count FROM users WHERE id = ?");

/* Indexed by (status filter ? 1 : 0) | (type filter ? 2 : 0). */
#define LIST_TASKS "SELECT " TASK_VIEW_SELECT " FROM tasks t "
#define LIST_PAGE " ORDER BY t.seq LIMIT ? OFFSET ?"
static struct db_stmt st_list[4] = {
	DB_STMT(LIST_TASKS "WHERE t.owner_id = ?" LIST_PAGE),
	DB_STMT(LIST_TASKS "WHERE t.owner_id = ? AND t.status = ?" LIST_PAGE),
	DB_STMT(LIST_TASKS "WHERE t.owner_id = ? AND t.task_type = ?" LIST_PAGE),
	DB_STMT(LIST_TASKS "WHERE t.owner_id = ? "
	    "AND t.status = ? AND t.task_type = ?" LIST_PAGE),
};
static struct db_stmt st_count[4] = {
	DB_STMT("SELECT COUNT(*) FROM tasks WHERE owner_id = ?"),
	DB_STMT("SELECT COUNT(*) FROM tasks WHERE owner_id = ? AND status = ?"),
	DB_STMT("SELECT COUNT(*) FROM tasks WHERE owner_id = ? AND task_type = ?"),
	DB_STMT("SELECT COUNT(*) FROM tasks WHERE owner_id = ? AND status = ? "
	    "AND task_type = ?"),
};

static struct db_stmt st_runs_count = DB_STMT(
	"SELECT COUNT(*) FROM task_runs WHERE task_seq = ? AND owner_id = ?");
static struct db_stmt st_runs = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(RUN_VIEW_COLUMNS) " FROM task_runs "
	"WHERE task_seq = ? AND owner_id = ? "
	"ORDER BY started_at DESC, attempt DESC, id DESC LIMIT ? OFFSET ?");

#define STORE_BY_STATUS_COLUMNS(X, SEP) \
	X(STORE_BY_STATUS_STATUS, "status") SEP \
	X(STORE_BY_STATUS_COUNT, "COUNT(*)")
enum { DB_COLUMNS_ENUM(STORE_BY_STATUS_COLUMNS) STORE_BY_STATUS_NCOLS };
static struct db_stmt st_by_status = DB_STMT(
	"SELECT " DB_COLUMNS_SQL(STORE_BY_STATUS_COLUMNS) " FROM tasks "
	"GROUP BY status");

int
task_store_one_row(struct db *db, struct db_stmt *st, const struct db_param *p,
    int n, void (*row)(const struct db_rows *, void *), void *arg)
{
	struct db_rows rows;
	int rc = db_query(db, st, p, n, &rows);

	if (rc != DB_OK)
		return rc;
	rc = db_rows_next(&rows);
	if (rc == 1)
		row(&rows, arg);
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}

void
task_store_int_row(const struct db_rows *rows, void *arg)
{
	*(long long *)arg = db_col_int(rows, DB_ONLY_COL, 0);
}

/* Runs a query expected to give one integer (COUNT, seq); 0 when no row. */
static int
store_scalar(struct db *db, struct db_stmt *st, const struct db_param *p, int n,
    long long *out)
{
	*out = 0;
	return task_store_one_row(db, st, p, n, task_store_int_row, out);
}

int
task_store_id_valid(const char *id)
{
	size_t n;

	for (n = 0; id[n] != '\0'; n++)
		if (!((id[n] >= '0' && id[n] <= '9') || (id[n] >= 'a' && id[n] <= 'f')))
			return 0;
	return n == TASK_STORE_ID_LEN;
}

/* The INSERT of a new task. */
static int
store_insert_row(struct db *db, long long owner, const char *id,
    const struct task_input *in, int64_t now)
{
	struct task_schedule_text text;
	char created[DATETIME_SQL_LEN];
	struct db_param p[TASK_SCHEDULE_NCOLS + 9] = { P_STR(id) };
	int n = 1 + TASK_SCHEDULE_NCOLS;

	/* The id, the type's columns (lib/task_type), then every task's. */
	task_schedule_params(&in->sched, &text, &p[1]);
	datetime_format_sql(now, created);
	p[n++] = P_INT(owner);
	p[n++] = P_STR_OR_NULL(in->opt.name);
	p[n++] = P_TEXT(in->url, in->url_len);
	p[n++] = P_STR(in->opt.request_method);
	p[n++] = P_TEXT(in->opt.headers, in->opt.headers_len);
	p[n++] = P_TEXT(in->post_data, in->post_data_len);
	p[n++] = P_STR(created);
	p[n++] = P_INT(owner);
	return db_exec(db, &st_insert, p, n, NULL, NULL);
}

/*
 * After st_quota_take changed nothing: which limit refused the create. The
 * task count when it is at its limit, else the bytes (a lone post_data can
 * pass the byte limit of an owner with no task).
 */
static int
store_which_limit(struct db *db, long long owner,
    const struct task_store_quota *quota, enum task_store_over *over)
{
	struct db_param p[] = { P_INT(owner) };
	long long tasks = -1;
	int rc = task_store_one_row(db, &st_quota_used, p, 1, task_store_int_row,
	    &tasks);

	if (rc != DB_OK)
		return rc;
	if (tasks < 0)
		return DB_ERROR;	/* the user is gone: the INSERT would fail too */
	*over = quota->max_tasks != 0 && tasks >= quota->max_tasks ?
	    TASK_STORE_OVER_TASKS : TASK_STORE_OVER_BYTES;
	return DB_OK;
}

/*
 * One try of a create. The quota UPDATE comes first, not last: the
 * INSERT's foreign key check takes a shared lock on the same users row,
 * and two creates each holding it shared would deadlock when both then
 * asked for it exclusive. So creates of one user queue on their row from
 * the UPDATE to the COMMIT, one INSERT long. An Idempotency-Key's row
 * (idempotency_claim) comes after the UPDATE for the same reason (its
 * foreign key names users too) and before the task's INSERT.
 */
static int
store_insert_try(struct db *db, long long owner, const char *id,
    const struct task_input *in, int64_t now,
    const struct task_store_quota *quota, struct idempotency *idem,
    enum task_store_over *over)
{
	long long bytes = (long long)in->post_data_len;
	struct db_param p[] = {
		P_INT(bytes), P_INT(owner), P_INT(quota->max_tasks),
		P_INT(quota->max_tasks), P_INT(quota->max_bytes), P_INT(bytes),
		P_INT(quota->max_bytes),
	};
	unsigned long long taken = 0;
	int keyed = idem != NULL && idem->key != NULL;
	int rc = db_begin(db);

	if (rc != DB_OK)
		return rc;
	rc = db_exec(db, &st_quota_take, p, (int)(sizeof(p) / sizeof(p[0])),
	    &taken, NULL);
	/*
	 * Over quota, a key that another create remembered since the handler
	 * looked is still its replay (or 422), never a 429: the UPDATE waited
	 * on the users row that create held until its COMMIT.
	 */
	if (rc == DB_OK && taken == 0 && keyed &&
	    (rc = idempotency_lookup(db, owner, idem)) == DB_OK &&
	    idem->outcome != IDEM_NEW) {
		db_rollback(db);
		return DB_OK;
	}
	if (rc == DB_OK && taken == 0) {
		db_rollback(db);
		return store_which_limit(db, owner, quota, over);
	}
	/* The key before the task: a replay must not meet the name's 409. */
	if (rc == DB_OK && keyed &&
	    (rc = idempotency_claim(db, owner, idem, id)) == DB_OK &&
	    idem->outcome != IDEM_NEW) {
		db_rollback(db);
		return DB_OK;
	}
	if (rc == DB_OK)
		rc = store_insert_row(db, owner, id, in, now);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK)
		db_rollback(db);
	return rc;
}

int
task_store_insert_keyed(struct db *db, long long owner, const char *id,
    const struct task_input *in, int64_t now,
    const struct task_store_quota *quota, struct idempotency *idem,
    enum task_store_over *over)
{
	int rc = DB_RETRY;

	*over = TASK_STORE_OVER_NONE;
	/*
	 * A lock wait timeout (DB_RETRY) rolled the whole try back, key row
	 * included, so trying again cannot make a second task: the next try
	 * finds the other create's key, or takes the key itself.
	 */
	for (int i = 0; i < TASK_STORE_TRIES && rc == DB_RETRY; i++)
		rc = store_insert_try(db, owner, id, in, now, quota, idem, over);
	return rc;
}

int
task_store_insert(struct db *db, long long owner, const char *id,
    const struct task_input *in, int64_t now,
    const struct task_store_quota *quota, enum task_store_over *over)
{
	return task_store_insert_keyed(db, owner, id, in, now, quota, NULL, over);
}

int
task_store_quota_release(struct db *db, long long owner, long long tasks,
    long long bytes)
{
	struct db_param p[] = { P_INT(tasks), P_INT(bytes), P_INT(owner) };

	return db_exec(db, &st_quota_give, p, 3, NULL, NULL);
}

int
task_store_fill(struct db *db, struct db_stmt *st, const struct db_param *p, int n,
    struct json_object *arr, struct json_object *(*view)(const struct db_rows *))
{
	struct db_rows rows;
	int rc = db_query(db, st, p, n, &rows);

	if (rc != DB_OK)
		return rc;
	while ((rc = db_rows_next(&rows)) == 1) {
		struct json_object *o = view(&rows);
		if (o == NULL) {
			rc = DB_ERROR;
			break;
		}
		json_object_array_add(arr, o);
	}
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}

int
task_store_list(struct db *db, long long owner, const struct list_query *q,
    long long *count, struct json_object *tasks)
{
	struct db_param p[5];
	int n = 0, variant = (q->status ? 1 : 0) | (q->task_type ? 2 : 0);
	int rc;

	p[n++] = P_INT(owner);
	if (q->status)
		p[n++] = P_STR(q->status);
	if (q->task_type)
		p[n++] = P_STR(q->task_type);
	rc = store_scalar(db, &st_count[variant], p, n, count);
	if (rc != DB_OK || (q->page - 1) * q->per_page >= *count)
		return rc;
	p[n++] = P_INT(q->per_page);
	p[n++] = P_INT((q->page - 1) * q->per_page);
	return task_store_fill(db, &st_list[variant], p, n, tasks, task_view_task);
}

/*
 * The unique keys of tasks are the id's and the owner's names (tasks_id,
 * tasks_owner_name); which one refused the INSERT is known from the error
 * number and the key's name in its message (db_duplicate_of), not from the
 * message alone, in which the refused name itself is quoted.
 */
int
task_store_name_taken(const struct db *db)
{
	return db_duplicate_of(db, "tasks_owner_name");
}

int
task_store_get_by_name(struct db *db, long long owner, const char *name,
    struct json_object **task)
{
	struct db_param p[] = { P_INT(owner), P_STR(name) };
	struct db_rows rows;
	int rc = db_query(db, &st_get_by_name, p, 2, &rows);

	*task = NULL;
	if (rc != DB_OK)
		return rc;
	rc = db_rows_next(&rows);
	if (rc == 1 && (*task = task_view_task(&rows)) == NULL)
		rc = DB_ERROR;
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}

/*
 * One try of a delete in a transaction: lock the task (lock, by key), delete
 * it (del), and give its slot and bytes back to the quota last, so the
 * users row stays locked the shortest time.
 */
static int
store_delete_try(struct db *db, long long owner, struct db_stmt *lock,
    struct db_stmt *del, const struct db_param *key, int *found)
{
	unsigned long long affected = 0;
	long long bytes = -1;
	int rc = db_begin(db);

	*found = 0;
	if (rc != DB_OK)
		return rc;
	rc = task_store_one_row(db, lock, key, 2, task_store_int_row, &bytes);
	if (rc == DB_OK && bytes >= 0)
		rc = db_exec(db, del, key, 2, &affected, NULL);
	if (rc == DB_OK && affected > 0)
		rc = task_store_quota_release(db, owner, 1, bytes);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK)
		db_rollback(db);
	*found = rc == DB_OK && affected > 0;
	return rc;
}

/* store_delete_try, again after a deadlock with a dispatcher or a create. */
static int
store_delete(struct db *db, long long owner, struct db_stmt *lock,
    struct db_stmt *del, const struct db_param *key, int *found)
{
	int rc = DB_RETRY;

	for (int i = 0; i < TASK_STORE_TRIES && rc == DB_RETRY; i++)
		rc = store_delete_try(db, owner, lock, del, key, found);
	return rc;
}

int
task_store_delete_by_name(struct db *db, long long owner, const char *name,
    int *found)
{
	struct db_param p[] = { P_INT(owner), P_STR(name) };

	return store_delete(db, owner, &st_lock_by_name, &st_delete_by_name, p,
	    found);
}

int
task_store_delete(struct db *db, long long owner, const char *id, int *found)
{
	struct db_param p[] = { P_STR(id), P_INT(owner) };

	*found = 0;
	if (!task_store_id_valid(id))
		return DB_OK;
	return store_delete(db, owner, &st_lock, &st_delete, p, found);
}

int
task_store_probe(struct db *db, const char *id, int *exists)
{
	struct db_param p[] = { P_STR(id) };
	long long owner;
	int rc;

	*exists = 0;
	if (!task_store_id_valid(id))
		return DB_OK;
	rc = store_scalar(db, &st_probe, p, 1, &owner);
	*exists = rc == DB_OK && owner != 0;
	return rc;
}

/* What task_store_owner fills, for its row callback. */
struct store_owner {
	long long *owner;
	char *owner_name, *viewer_name;
};

static void
store_owner_row(const struct db_rows *rows, void *arg)
{
	struct store_owner *o = arg;
	const char *name = db_col(rows, OWNER_COL_NAME, NULL);
	const char *viewer = db_col(rows, OWNER_COL_VIEWER, NULL);

	*o->owner = db_col_int(rows, OWNER_COL_ID, 0);
	snprintf(o->owner_name, TASK_STORE_USER_NAME_MAX, "%s", name ? name : "");
	snprintf(o->viewer_name, TASK_STORE_USER_NAME_MAX, "%s",
	    viewer ? viewer : "");
}

int
task_store_owner(struct db *db, const char *id, long long viewer,
    long long *owner, char *owner_name, char *viewer_name)
{
	struct db_param p[] = { P_INT(viewer), P_STR(id) };
	struct store_owner o = { owner, owner_name, viewer_name };

	*owner = 0;
	owner_name[0] = viewer_name[0] = '\0';
	if (!task_store_id_valid(id))
		return DB_OK;
	return task_store_one_row(db, &st_owner, p, 2, store_owner_row, &o);
}

int
task_store_seq(struct db *db, long long owner, const char *id,
    unsigned long long *seq)
{
	struct db_param p[] = { P_STR(id), P_INT(owner) };
	long long v;
	int rc;

	*seq = 0;
	if (!task_store_id_valid(id))
		return DB_OK;
	rc = store_scalar(db, &st_seq, p, 2, &v);
	*seq = rc == DB_OK ? (unsigned long long)v : 0;
	return rc;
}

int
task_store_runs(struct db *db, long long owner, unsigned long long seq,
    const struct list_query *q, long long *count, struct json_object *runs)
{
	struct db_param p[] = { P_UINT(seq), P_INT(owner), P_INT(q->per_page),
	    P_INT((q->page - 1) * q->per_page) };
	int rc = store_scalar(db, &st_runs_count, p, 2, count);

	if (rc != DB_OK || (q->page - 1) * q->per_page >= *count)
		return rc;
	return task_store_fill(db, &st_runs, p, 4, runs, task_view_run);
}

int
task_store_count_by_status(struct db *db, long long *active, long long *paused,
    long long *completed)
{
	struct db_rows rows;
	int rc = db_query(db, &st_by_status, NULL, 0, &rows);

	*active = *paused = *completed = 0;
	if (rc != DB_OK)
		return rc;
	while ((rc = db_rows_next(&rows)) == 1) {
		const char *s = db_col(&rows, STORE_BY_STATUS_STATUS, NULL);
		long long n = db_col_int(&rows, STORE_BY_STATUS_COUNT, 0);
		if (s && strcmp(s, "active") == 0)
			*active = n;
		else if (s && strcmp(s, "paused") == 0)
			*paused = n;
		else if (s && strcmp(s, "completed") == 0)
			*completed = n;
	}
	db_rows_free(&rows);
	return rc < 0 ? rc : DB_OK;
}
