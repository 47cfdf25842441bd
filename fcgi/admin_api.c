/*
 * admin_api: the /admin handlers (docs/API.md §20): views across every
 * user for operators, and the admin actions (pause, resume, run and
 * delete any user's task, §20.4). Authentication (401) runs first like on
 * /tasks; then a non-admin gets 403 before any parameter is looked at, so
 * the admin API tells a non-admin nothing; then the parameters (400), the
 * task's existence (404) and its state (409).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin_store.h"
#include "datetime.h"
#include "db_answer.h"
#include "handlers.h"
#include "log.h"
#include "task_state.h"
#include "task_store.h"

/* 403 for a non-admin; returns -1 then. */
static int
admin_only(struct request *req, struct response *res)
{
	if (req->user_is_admin)
		return 0;
	http_error(res, 403, MSG_FORBIDDEN_ADMIN, NULL);
	return -1;
}

void
handle_admin_tasks(struct request *req, struct response *res)
{
	struct list_query q;
	struct json_object *tasks, *o;
	char err[256];
	const char *field;
	long long count;
	struct db *db;
	int rc;

	if (admin_only(req, res) < 0)
		return;
	if (query_parse_list(req->query, QUERY_FILTERS | QUERY_USER, &q, err,
	    sizeof(err), &field) < 0) {
		http_error(res, 400, err, field);
		return;
	}
	if ((db = db_answer_open(req, res)) == NULL)
		return;
	tasks = json_object_new_array();
	if ((rc = admin_store_list(db, &q, &count, tasks)) != DB_OK) {
		json_object_put(tasks);
		db_answer_failed(req, res, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(count));
	json_object_object_add(o, "page", json_object_new_int64(q.page));
	json_object_object_add(o, "per_page", json_object_new_int64(q.per_page));
	json_object_object_add(o, "tasks", tasks);
	http_reply(res, 200, o);
}

void
handle_admin_dispatchers(struct request *req, struct response *res)
{
	struct json_object *arr, *o;
	struct db *db;
	int rc;

	if (admin_only(req, res) < 0 || (db = db_answer_open(req, res)) == NULL)
		return;
	arr = json_object_new_array();
	if ((rc = admin_store_dispatchers(db, arr)) != DB_OK) {
		json_object_put(arr);
		db_answer_failed(req, res, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "dispatchers", arr);
	http_reply(res, 200, o);
}

/* [{"minute", "succeeded", "failed"}, …] oldest minute first. */
static struct json_object *
admin_minutes(int64_t start, const long long *ok, const long long *bad)
{
	struct json_object *arr = json_object_new_array();
	char when[DATETIME_RFC3339_LEN];

	for (int i = 0; i < ADMIN_STATS_MINUTES; i++) {
		struct json_object *m = json_object_new_object();
		datetime_format(start + 60 * (int64_t)i, when);
		json_object_object_add(m, "minute", json_object_new_string(when));
		json_object_object_add(m, "succeeded", json_object_new_int64(ok[i]));
		json_object_object_add(m, "failed", json_object_new_int64(bad[i]));
		json_object_array_add(arr, m);
	}
	return arr;
}

/* The per-user limits in force (0: none); each user's use is in users. */
static struct json_object *
admin_quota(const struct config *cfg)
{
	struct json_object *q = json_object_new_object();

	json_object_object_add(q, "max_tasks_per_user",
	    json_object_new_int64(cfg->max_tasks_per_user));
	json_object_object_add(q, "max_post_data_bytes_per_user",
	    json_object_new_int64(cfg->max_post_data_bytes_per_user));
	return q;
}

void
handle_admin_stats(struct request *req, struct response *res)
{
	long long by_status[3], ok[ADMIN_STATS_MINUTES], bad[ADMIN_STATS_MINUTES];
	long long backlog;
	double lateness;
	/* The current minute is the last of the window, partial as it is. */
	int64_t now = (int64_t)time(NULL);
	int64_t start = now - now % 60 - 60 * (ADMIN_STATS_MINUTES - 1);
	struct json_object *o, *tasks;
	char late[32];
	struct db *db;
	int rc;

	if (admin_only(req, res) < 0 || (db = db_answer_open(req, res)) == NULL)
		return;
	rc = task_store_count_by_status(db, &by_status[0], &by_status[1], &by_status[2]);
	if (rc == DB_OK)
		rc = admin_store_attempts(db, start, ok, bad);
	if (rc == DB_OK)
		rc = admin_store_backlog(db, &backlog, &lateness);
	if (rc != DB_OK) {
		db_answer_failed(req, res, rc);
		return;
	}
	tasks = json_object_new_object();
	json_object_object_add(tasks, "active", json_object_new_int64(by_status[0]));
	json_object_object_add(tasks, "paused", json_object_new_int64(by_status[1]));
	json_object_object_add(tasks, "completed", json_object_new_int64(by_status[2]));
	o = json_object_new_object();
	json_object_object_add(o, "tasks", tasks);
	json_object_object_add(o, "attempts_per_minute", admin_minutes(start, ok, bad));
	json_object_object_add(o, "due_backlog", json_object_new_int64(backlog));
	snprintf(late, sizeof(late), "%.3f", lateness);
	json_object_object_add(o, "lateness_seconds",
	    json_object_new_double_s(lateness, late));
	json_object_object_add(o, "quota", admin_quota(req->ctx->cfg));
	http_reply(res, 200, o);
}

/* An admin action on one task of any user (docs/API.md §20.4). */
enum admin_action { ADMIN_PAUSE, ADMIN_RESUME, ADMIN_DELETE, ADMIN_RUN };

static const struct {
	const char *verb;		/* for the log */
	enum task_state_op op;
	const char *msg;		/* the owner's own route's answer */
} admin_actions[] = {
	[ADMIN_PAUSE] = { "paused", TASK_PAUSE, "Task paused successfully" },
	[ADMIN_RESUME] = { "resumed", TASK_RESUME, "Task resumed successfully" },
	[ADMIN_DELETE] = { "deleted", TASK_DELETE,
	    "Task has been removed successfully" },
	/* Run now answers for itself (task_run.c); op and msg are unused. */
	[ADMIN_RUN] = { "ran now", TASK_PAUSE, NULL },
};

/*
 * Finds the owner of the {id} task, then does what its owner's own route
 * does, as that owner: task_state_change, or run now's handler (which
 * answers for itself), so the rules and answers are the same. A task
 * deleted between the two is 404 like an unknown one. The log names the
 * admin, the action, the task and its owner.
 */
static void
admin_task_action(struct request *req, struct response *res,
    enum admin_action a)
{
	char owner_name[TASK_STORE_USER_NAME_MAX], admin[TASK_STORE_USER_NAME_MAX];
	const char *ids[] = { req->id };
	enum task_state_result result = TASK_STATE_OK;
	long long owner, self = req->user_id;
	struct db *db;
	int rc;

	if (admin_only(req, res) < 0 || (db = db_answer_open(req, res)) == NULL)
		return;
	rc = task_store_owner(db, req->id, req->user_id, &owner, owner_name,
	    admin);
	if (rc == DB_OK && owner == 0) {
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
		return;
	}
	if (rc == DB_OK && a == ADMIN_RUN) {
		req->user_id = owner;
		handle_task_run(req, res);
		req->user_id = self;
		if (res->status / 100 == 2)
			log_info("admin %s ran task %s of user %s now", admin,
			    req->id, owner_name);
		return;
	}
	if (rc == DB_OK)
		rc = task_state_change(db, owner, ids, 1, admin_actions[a].op,
		    (int64_t)time(NULL), &result);
	if (rc != DB_OK)
		db_answer_failed(req, res, rc);
	else if (result == TASK_STATE_COMPLETED)
		http_error(res, 409, MSG_COMPLETED, NULL);
	else if (result != TASK_STATE_OK)
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
	else {
		log_info("admin %s %s task %s of user %s", admin,
		    admin_actions[a].verb, req->id, owner_name);
		http_reply_message(res, 200, admin_actions[a].msg);
	}
}

void
handle_admin_task_pause(struct request *req, struct response *res)
{
	admin_task_action(req, res, ADMIN_PAUSE);
}

void
handle_admin_task_resume(struct request *req, struct response *res)
{
	admin_task_action(req, res, ADMIN_RESUME);
}

void
handle_admin_task_delete(struct request *req, struct response *res)
{
	admin_task_action(req, res, ADMIN_DELETE);
}

void
handle_admin_task_run(struct request *req, struct response *res)
{
	admin_task_action(req, res, ADMIN_RUN);
}
