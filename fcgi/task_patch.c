/*
 * task_patch: PATCH /tasks/{id}, /tasks/id/{id} and /tasks/name/{name}
 * (docs/API.md §14.3). One transaction: lock the owner's task, check
 * If-Match and its state, merge the stored task with the request's fields,
 * check the merged task with the rules of a new one (task_options, the
 * type's parse of lib/task_type.c), and store it with version + 1 when
 * anything changed. The *stored* task is the locked row; the *merged* one
 * is what the row becomes.
 */
#include "task_patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datetime.h"
#include "db_answer.h"
#include "handlers.h"
#include "json_body.h"
#include "task_input.h"
#include "task_options.h"
#include "task_store.h"
#include "task_view.h"
#include "url_guard.h"

/* A deadlock with a dispatcher's claim is retried this often. */
#define PATCH_TRIES 3

/* The locked row's columns; the schedule's (lib/task_type.h) follow. */
#define PATCH_LOCK_COLUMNS(X, SEP) \
	X(PATCH_COL_SEQ, "t.seq") SEP \
	X(PATCH_COL_STATUS, "t.status") SEP \
	X(PATCH_COL_VERSION, "t.version") SEP \
	X(PATCH_COL_NAME, "t.name") SEP \
	X(PATCH_COL_URL, "t.url") SEP \
	X(PATCH_COL_METHOD, "t.request_method") SEP \
	X(PATCH_COL_HEADERS, "t.headers") SEP \
	X(PATCH_COL_POST_DATA, "t.post_data")
enum { DB_COLUMNS_ENUM(PATCH_LOCK_COLUMNS) PATCH_COL_SCHEDULE };
#define PATCH_LOCK "SELECT " DB_COLUMNS_SQL(PATCH_LOCK_COLUMNS) ", " \
	TASK_SCHEDULE_SELECT " FROM tasks t "

static struct db_stmt st_lock = DB_STMT(
	PATCH_LOCK "WHERE t.id = ? AND t.owner_id = ? FOR UPDATE");
static struct db_stmt st_lock_by_name = DB_STMT(
	PATCH_LOCK "WHERE t.owner_id = ? AND t.name = ? FOR UPDATE");

#define PATCH_SET_(name, col) "t." col " = ?"
static struct db_stmt st_update = DB_STMT(
	"UPDATE tasks t SET t.name = ?, t.url = ?, t.request_method = ?, "
	"t.headers = ?, t.post_data = ?, "
	TASK_SCHEDULE_COLUMNS(PATCH_SET_, ", ") ", t.version = t.version + 1 "
	"WHERE t.seq = ? AND t.owner_id = ?");

/*
 * The post_data bytes of a changed post_data: a growth passes the limit
 * (0: none) or changes nothing (0 rows), as st_quota_take of a create; a
 * shrink is clamped at 0 like a delete's give-back.
 */
static struct db_stmt st_quota = DB_STMT(
	"UPDATE users SET post_data_bytes = GREATEST(post_data_bytes + ?, 0) "
	"WHERE id = ? AND (? <= 0 OR ? = 0 OR post_data_bytes + ? <= ?)");

static struct db_stmt st_view = DB_STMT(
	"SELECT " TASK_VIEW_SELECT " FROM tasks t "
	"WHERE t.seq = ? AND t.owner_id = ?");

/* The locked row, copied out of the result. */
struct patch_stored {
	unsigned long long seq;
	char status[16];
	long long version;
	char *name, *url, *method, *headers, *post_data;
	size_t url_len, headers_len, post_data_len;
	struct task_schedule sched;
};

/* What a try ends in, besides a database failure. */
enum patch_result {
	PATCH_OK,
	PATCH_NOT_FOUND,	/* the owner has no such task */
	PATCH_CHANGED,		/* If-Match names another version: 412 */
	PATCH_COMPLETED,	/* 409 */
	PATCH_INVALID,		/* the merged task is refused: 400 */
	PATCH_NAME_TAKEN,	/* 409 */
	PATCH_OVER_QUOTA,	/* 429 */
};

/* One request: its key, body, and what a try found and made. */
struct patch {
	long long owner;
	struct db_stmt *lock;
	struct db_param key[2];
	const char *if_match;
	struct json_object *body;
	const struct config *cfg;
	int64_t now;
	struct patch_stored old;
	/* The merged task; its strings point into old, body or the two below. */
	struct task_input in;
	struct json_object *options;	/* request_method, headers, name */
	struct json_object *schedule;	/* the type's fields */
	char err[512];
	const char *field;
	struct json_object *task;	/* the updated task object */
};

static char *
patch_dup(const struct db_rows *rows, unsigned col, size_t *len)
{
	size_t n = 0;
	const char *v = db_col(rows, col, &n);

	if (len != NULL)
		*len = n;
	return v == NULL ? NULL : strndup(v, n);
}

static void
patch_stored_free(struct patch_stored *t)
{
	free(t->name);
	free(t->url);
	free(t->method);
	free(t->headers);
	free(t->post_data);
	memset(t, 0, sizeof(*t));
}

static void
patch_lock_row(const struct db_rows *rows, void *arg)
{
	struct patch_stored *t = arg;
	const char *status = db_col(rows, PATCH_COL_STATUS, NULL);
	char err[256];

	t->seq = (unsigned long long)db_col_int(rows, PATCH_COL_SEQ, 0);
	snprintf(t->status, sizeof(t->status), "%s", status ? status : "");
	t->version = db_col_int(rows, PATCH_COL_VERSION, 0);
	t->name = patch_dup(rows, PATCH_COL_NAME, NULL);
	t->url = patch_dup(rows, PATCH_COL_URL, &t->url_len);
	t->method = patch_dup(rows, PATCH_COL_METHOD, NULL);
	t->headers = patch_dup(rows, PATCH_COL_HEADERS, &t->headers_len);
	t->post_data = patch_dup(rows, PATCH_COL_POST_DATA, &t->post_data_len);
	/* A type no row knows cannot be stored: tasks.task_type is an ENUM. */
	(void)task_schedule_read(rows, PATCH_COL_SCHEDULE, &t->sched, err,
	    sizeof(err));
}

/* Locks the task; old.seq stays 0 when the owner has none by that key. */
static int
patch_lock(struct db *db, struct patch *pt)
{
	int rc;

	patch_stored_free(&pt->old);
	rc = task_store_one_row(db, pt->lock, pt->key, 2, patch_lock_row,
	    &pt->old);
	if (rc == DB_OK && pt->old.seq != 0 && (pt->old.url == NULL ||
	    pt->old.method == NULL || pt->old.headers == NULL ||
	    pt->old.post_data == NULL))
		rc = DB_ERROR;	/* out of memory, or a row written around us */
	return rc;
}

/*
 * 1 when If-Match (a list of entity tags, or *) names version: tags are
 * compared strongly (RFC 9110 §13.1.1), so a weak W/"N" never matches;
 * no header matches any version. Anything that is no tag matches none.
 */
static int
patch_if_match(const char *h, long long version)
{
	char want[32];
	size_t n;

	if (h == NULL)
		return 1;
	n = (size_t)snprintf(want, sizeof(want), "\"%lld\"", version);
	while (*h != '\0') {
		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		if (*h == '\0')
			break;
		if (*h == '*' || (strncmp(h, want, n) == 0 &&
		    strchr(" \t,", h[n]) != NULL))
			return 1;
		/* Skip this tag: to its closing quote, then past it. */
		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		if (*h != '"')
			return 0;
		h = strchr(h + 1, '"');
		if (h == NULL)
			return 0;
		h++;
	}
	return 0;
}

static int
patch_fail(struct patch *pt, const char *field, const char *msg)
{
	snprintf(pt->err, sizeof(pt->err), "%s", msg);
	pt->field = field;
	return -1;
}

/* task_type may be sent, naming the task's own type (any of its words). */
static int
patch_check_type(struct patch *pt)
{
	struct json_object *v = task_field(pt->body, "task_type");
	int kind = -1;

	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string))
		kind = task_kind_of_word(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	if (kind == (int)pt->old.sched.kind)
		return 0;
	snprintf(pt->err, sizeof(pt->err), "task_type cannot change: this "
	    "task is %s", task_kind_name(pt->old.sched.kind));
	pt->field = "task_type";
	return -1;
}

/* A new url passes the checks of a new task's (docs/API.md §7.2). */
static int
patch_url(struct patch *pt)
{
	struct json_object *v = NULL;
	char why[256];

	pt->in.url = pt->old.url;
	pt->in.url_len = pt->old.url_len;
	if (!json_object_object_get_ex(pt->body, "url", &v))
		return 0;
	if (v == NULL)
		return patch_fail(pt, "url", "url is required");
	if (!json_object_is_type(v, json_type_string))
		return patch_fail(pt, "url", "url must be a string");
	pt->in.url = json_object_get_string(v);
	pt->in.url_len = (size_t)json_object_get_string_len(v);
	if (url_guard_check(pt->in.url, pt->in.url_len,
	    pt->cfg->allow_private_targets, pt->cfg->resolve_timeout_ms, why,
	    sizeof(why)) != URL_GUARD_OK)
		return patch_fail(pt, "url", why);
	return 0;
}

/* post_data is replaced whole; null, as absent in a create, is {}. */
static int
patch_post_data(struct patch *pt)
{
	struct json_object *v = NULL;

	pt->in.post_data = pt->old.post_data;
	pt->in.post_data_len = pt->old.post_data_len;
	if (!json_object_object_get_ex(pt->body, "post_data", &v))
		return 0;
	if (v == NULL) {
		pt->in.post_data = "{}";
		pt->in.post_data_len = 2;
		return 0;
	}
	if (!json_object_is_type(v, json_type_object))
		return patch_fail(pt, "post_data", "post_data must be a JSON "
		    "object");
	pt->in.post_data = json_body_serialize(v, &pt->in.post_data_len);
	return 0;
}

/* Copies body's key into o when body has it (null too), else adds dflt. */
static void
patch_overlay(struct json_object *o, struct json_object *body,
    const char *key, struct json_object *dflt)
{
	struct json_object *v = NULL;

	if (json_object_object_get_ex(body, key, &v)) {
		json_object_put(dflt);
		json_object_object_add(o, key, json_object_get(v));
	} else if (dflt != NULL)
		json_object_object_add(o, key, dflt);
}

/*
 * request_method, headers and name through task_options_parse: the
 * request's, else the stored ones. Stored headers are kept as stored
 * text (they were checked when they were given).
 */
static int
patch_options(struct patch *pt)
{
	int has_headers = json_object_object_get_ex(pt->body, "headers", NULL);

	pt->options = json_object_new_object();
	if (pt->options == NULL)
		return patch_fail(pt, NULL, MSG_INTERNAL);
	patch_overlay(pt->options, pt->body, "request_method",
	    json_object_new_string(pt->old.method));
	patch_overlay(pt->options, pt->body, "headers", NULL);
	/* name: null removes it. */
	patch_overlay(pt->options, pt->body, "name", pt->old.name == NULL ?
	    NULL : json_object_new_string(pt->old.name));
	if (task_options_parse(pt->options, &pt->in.opt, pt->err,
	    sizeof(pt->err), &pt->field) < 0)
		return -1;
	if (!has_headers) {
		pt->in.opt.headers = pt->old.headers;
		pt->in.opt.headers_len = pt->old.headers_len;
	}
	return 0;
}

/* 1 when the request gives name a time other than stored (or no time). */
static int
patch_time_differs(struct json_object *body, const char *name, int64_t stored)
{
	struct json_object *v = NULL;
	int64_t t;

	if (!json_object_object_get_ex(body, name, &v))
		return 0;
	if (v == NULL || !json_object_is_type(v, json_type_string) ||
	    datetime_parse(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), &t) < 0)
		return 1;
	return t != stored;
}

/*
 * The time fields the request leaves as stored: they are not checked to
 * be in the future ("in the future" applies to a changed field only).
 */
static unsigned
patch_kept_times(struct json_object *body, const struct task_schedule *s)
{
	unsigned kept = TASK_F_RUN_DATETIME | TASK_F_START_DATETIME;

	if (patch_time_differs(body, "run_datetime", s->run_at))
		kept &= ~(unsigned)TASK_F_RUN_DATETIME;
	if (patch_time_differs(body, "start_datetime", s->start))
		kept &= ~(unsigned)TASK_F_START_DATETIME;
	return kept;
}

/* 1 when the schedules a and b (of one type) fire on different times. */
static int
patch_schedule_differs(const struct task_schedule *a,
    const struct task_schedule *b)
{
	unsigned f = task_types[a->kind].fields;

	return ((f & TASK_F_RUN_DATETIME) && a->run_at != b->run_at) ||
	    ((f & TASK_F_FREQUENCY) && a->frequency != b->frequency) ||
	    ((f & TASK_F_START_DATETIME) && a->start != b->start) ||
	    ((f & TASK_F_END_DATETIME) && a->end != b->end) ||
	    ((f & TASK_F_CRON) && strcmp(a->cron, b->cron) != 0) ||
	    ((f & TASK_F_TIMEZONE) && strcmp(a->zone, b->zone) != 0);
}

/*
 * The type's fields: the stored ones under the request's, checked by the
 * type's parse as a new task's are. A changed schedule continues at its
 * first occurrence after the request's second (now + 1: a slot fired in
 * this very second is not fired again); an unchanged one keeps its stored
 * next occurrence.
 */
static int
patch_schedule(struct patch *pt)
{
	struct task_check c = { pt->err, sizeof(pt->err), &pt->field };
	const struct task_schedule *old = &pt->old.sched;

	if (task_type_foreign_fields(pt->body, old->kind, &c) < 0)
		return -1;
	if ((pt->schedule = json_object_new_object()) == NULL)
		return patch_fail(pt, NULL, MSG_INTERNAL);
	task_schedule_merge(old, pt->body, pt->schedule);
	pt->in.sched.kept = patch_kept_times(pt->body, old);
	pt->in.sched.kind = old->kind;
	pt->in.sched.end = SCHEDULE_NO_END;
	if (task_types[old->kind].parse(pt->schedule, pt->cfg, pt->now + 1,
	    &pt->in.sched, &c) < 0)
		return -1;
	if (!patch_schedule_differs(&pt->in.sched, old))
		pt->in.sched.next_run_at = old->next_run_at;
	return 0;
}

/* The merged task, checked in the order of a create (docs/API.md §4). */
static int
patch_merge(struct patch *pt)
{
	memset(&pt->in, 0, sizeof(pt->in));
	pt->field = NULL;
	return patch_check_type(pt) < 0 || patch_url(pt) < 0 ||
	    patch_post_data(pt) < 0 || patch_options(pt) < 0 ||
	    patch_schedule(pt) < 0 ? -1 : 0;
}

static int
patch_same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* 1 when the merged task differs from the stored one in any field. */
static int
patch_changes(const struct patch *pt)
{
	const struct patch_stored *o = &pt->old;
	const struct task_input *in = &pt->in;
	int same_name = o->name == NULL ? in->opt.name == NULL :
	    in->opt.name != NULL && strcmp(o->name, in->opt.name) == 0;

	return !same_name || !patch_same_text(o->url, o->url_len, in->url,
	    in->url_len) || strcmp(o->method, in->opt.request_method) != 0 ||
	    !patch_same_text(o->headers, o->headers_len, in->opt.headers,
	    in->opt.headers_len) || !patch_same_text(o->post_data,
	    o->post_data_len, in->post_data, in->post_data_len) ||
	    patch_schedule_differs(&in->sched, &o->sched) ||
	    in->sched.next_run_at != o->sched.next_run_at;
}

static int
patch_update(struct db *db, struct patch *pt)
{
	struct task_schedule_text text;
	struct db_param p[7 + TASK_SCHEDULE_NCOLS];
	int n = 0;

	p[n++] = P_STR_OR_NULL(pt->in.opt.name);
	p[n++] = P_TEXT(pt->in.url, pt->in.url_len);
	p[n++] = P_STR(pt->in.opt.request_method);
	p[n++] = P_TEXT(pt->in.opt.headers, pt->in.opt.headers_len);
	p[n++] = P_TEXT(pt->in.post_data, pt->in.post_data_len);
	task_schedule_params(&pt->in.sched, &text, &p[n]);
	n += TASK_SCHEDULE_NCOLS;
	p[n++] = P_UINT(pt->old.seq);
	p[n++] = P_INT(pt->owner);
	return db_exec(db, &st_update, p, n, NULL, NULL);
}

/* Moves the owner's post_data bytes by the change; *over when refused. */
static int
patch_quota(struct db *db, struct patch *pt, int *over)
{
	long long delta = (long long)pt->in.post_data_len -
	    (long long)pt->old.post_data_len;
	long long max = pt->cfg->max_post_data_bytes_per_user;
	struct db_param p[] = { P_INT(delta), P_INT(pt->owner), P_INT(delta),
	    P_INT(max), P_INT(delta), P_INT(max) };
	unsigned long long changed = 0;
	int rc;

	*over = 0;
	if (delta == 0)
		return DB_OK;
	rc = db_exec(db, &st_quota, p, 6, &changed, NULL);
	/* A shrink clamped at 0 may change no row; only a growth is refused. */
	*over = rc == DB_OK && delta > 0 && changed == 0;
	return rc;
}

static void
patch_view_row(const struct db_rows *rows, void *arg)
{
	*(struct json_object **)arg = task_view_task(rows);
}

/* Checks, merges and stores, in the transaction that locked the task. */
static int
patch_apply(struct db *db, struct patch *pt, enum patch_result *result)
{
	struct db_param key[] = { P_UINT(pt->old.seq), P_INT(pt->owner) };
	int over = 0, rc;

	if (!patch_if_match(pt->if_match, pt->old.version)) {
		*result = PATCH_CHANGED;
		return DB_OK;
	}
	if (strcmp(pt->old.status, "completed") == 0) {
		*result = PATCH_COMPLETED;
		return DB_OK;
	}
	if (patch_merge(pt) < 0) {
		*result = PATCH_INVALID;
		return DB_OK;
	}
	rc = DB_OK;
	if (patch_changes(pt)) {
		rc = patch_update(db, pt);
		if (rc == DB_DUPLICATE && task_store_name_taken(db)) {
			*result = PATCH_NAME_TAKEN;
			return DB_OK;
		}
		/* Last: the users row is locked the shortest time. */
		if (rc == DB_OK)
			rc = patch_quota(db, pt, &over);
		if (rc == DB_OK && over) {
			*result = PATCH_OVER_QUOTA;
			return DB_OK;
		}
	}
	if (rc == DB_OK)
		rc = task_store_one_row(db, &st_view, key, 2, patch_view_row,
		    &pt->task);
	if (rc == DB_OK && pt->task == NULL)
		rc = DB_ERROR;
	return rc;
}

/* Frees what one try made, so the next starts clean. */
static void
patch_try_free(struct patch *pt)
{
	json_object_put(pt->options);
	json_object_put(pt->schedule);
	json_object_put(pt->task);
	pt->options = pt->schedule = pt->task = NULL;
}

static int
patch_try(struct db *db, struct patch *pt, enum patch_result *result)
{
	int rc = db_begin(db);

	patch_try_free(pt);
	*result = PATCH_OK;
	if (rc != DB_OK)
		return rc;
	rc = patch_lock(db, pt);
	if (rc == DB_OK && pt->old.seq == 0)
		*result = PATCH_NOT_FOUND;
	else if (rc == DB_OK)
		rc = patch_apply(db, pt, result);
	if (rc == DB_OK && *result == PATCH_OK)
		rc = db_commit(db);
	if (rc != DB_OK || *result != PATCH_OK)
		db_rollback(db);
	return rc;
}

/* After the owner-scoped lock found nothing: 404, or 403 (by id only). */
static void
patch_answer_missing(struct request *req, struct response *res,
    struct db *db, int by_id)
{
	if (by_id)
		db_answer_missing_task(req, res, db);
	else
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
}

static void
patch_answer(struct request *req, struct response *res, struct db *db,
    struct patch *pt, enum patch_result result, int by_id)
{
	char msg[160];

	switch (result) {
	case PATCH_OK:
		task_patch_etag(res, pt->task);
		http_reply(res, 200, pt->task);
		pt->task = NULL;
		break;
	case PATCH_NOT_FOUND:
		patch_answer_missing(req, res, db, by_id);
		break;
	case PATCH_CHANGED:
		http_error(res, 412, MSG_CHANGED, NULL);
		break;
	case PATCH_COMPLETED:
		http_error(res, 409, MSG_COMPLETED, NULL);
		break;
	case PATCH_INVALID:
		http_error(res, 400, pt->err, pt->field);
		break;
	case PATCH_NAME_TAKEN:
		http_error(res, 409, MSG_NAME_TAKEN, NULL);
		break;
	case PATCH_OVER_QUOTA:
		/* The message of a create's (tasks_api.c answer_over_quota). */
		snprintf(msg, sizeof(msg), "post_data quota reached: %lld bytes "
		    "of post_data per user (max_post_data_bytes_per_user)",
		    pt->cfg->max_post_data_bytes_per_user);
		http_error(res, 429, msg, NULL);
		break;
	}
}

/* The body first (docs/API.md §4), then the transaction, retried. */
static void
patch_run(struct request *req, struct response *res, struct patch *pt,
    int by_id, int key_valid)
{
	enum patch_result result = PATCH_OK;
	struct db *db;
	int rc = DB_RETRY;

	pt->body = json_body_parse(req->body, req->body_len, pt->err,
	    sizeof(pt->err));
	if (pt->body == NULL) {
		http_error(res, 400, pt->err, NULL);
		return;
	}
	/* A key that cannot name a task is answered without a query. */
	if (!key_valid) {
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
		goto out;
	}
	if ((db = db_answer_open(req, res)) == NULL)
		goto out;
	pt->owner = req->user_id;
	pt->if_match = req->if_match;
	pt->cfg = req->ctx->cfg;
	pt->now = (int64_t)time(NULL);
	for (int i = 0; i < PATCH_TRIES && rc == DB_RETRY; i++)
		rc = patch_try(db, pt, &result);
	if (rc != DB_OK)
		db_answer_failed(req, res, rc);
	else
		patch_answer(req, res, db, pt, result, by_id);
out:
	patch_try_free(pt);
	patch_stored_free(&pt->old);
	json_object_put(pt->body);
}

void
handle_task_patch(struct request *req, struct response *res)
{
	struct patch pt = { .lock = &st_lock };

	pt.key[0] = P_STR(req->id);
	pt.key[1] = P_INT(req->user_id);
	/* Any other text names no task, and MariaDB would refuse it. */
	patch_run(req, res, &pt, 1, task_store_id_valid(req->id));
}

/* Names are per user: another user's name is simply not found (404). */
void
handle_task_patch_by_name(struct request *req, struct response *res)
{
	struct patch pt = { .lock = &st_lock_by_name };

	pt.key[0] = P_INT(req->user_id);
	pt.key[1] = P_STR(req->id);
	patch_run(req, res, &pt, 0, task_options_name_valid(req->id,
	    strlen(req->id)));
}

void
task_patch_etag(struct response *res, struct json_object *task)
{
	struct json_object *v = NULL;

	if (json_object_object_get_ex(task, "version", &v) && v != NULL)
		(void)http_add_header(res, "ETag", "\"%lld\"",
		    (long long)json_object_get_int64(v));
}
