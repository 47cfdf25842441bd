/*
 * ops_api: /health and /metrics, the unauthenticated operator endpoints.
 */
#include <stdlib.h>

#include "admin_store.h"
#include "handlers.h"
#include "log.h"
#include "metrics.h"
#include "task_store.h"
#include "worker.h"

/* A real read through InnoDB, not just a ping of the server. */
static struct db_stmt st_health = DB_STMT("SELECT 1 FROM tasks LIMIT 1");

/*
 * One health query on ctx's health connection (its 1 s rules are in
 * worker.c), connecting first if needed. DB_OK, or DB_AWAY for any
 * failure: /health tells only whether the database answers.
 */
static int
health_query(struct worker_ctx *ctx)
{
	struct dbconn *c = &ctx->health;
	struct db_rows rows;
	int rc;

	if (!dbconn_ensure(c, ctx->cfg, dbconn_now_ms()))
		return DB_AWAY;
	rc = db_query(&c->db, &st_health, NULL, 0, &rows);
	if (rc == DB_OK) {
		while ((rc = db_rows_next(&rows)) == 1)
			;
		db_rows_free(&rows);
	}
	if (rc < 0) {
		log_warnx("health check failed: %s", c->db.err);
		dbconn_close(c);
		return DB_AWAY;
	}
	return DB_OK;
}

/*
 * 0 when the database answers. A connection kept from an earlier check
 * that failed at once gets one more try on a new connection before the
 * database counts as away (dbconn_retry).
 */
static int
health_check(struct worker_ctx *ctx)
{
	if (health_query(ctx) == DB_OK)
		return 0;
	if (!dbconn_retry(&ctx->health, DB_AWAY, dbconn_now_ms()))
		return -1;
	return health_query(ctx) == DB_OK ? 0 : -1;
}

void
handle_health(struct request *req, struct response *res)
{
	struct json_object *o = json_object_new_object();
	int ok = health_check(req->ctx) == 0;

	json_object_object_add(o, "status", json_object_new_string(ok ? "ok" : "error"));
	json_object_object_add(o, "database",
	    json_object_new_string(ok ? "ok" : "unavailable"));
	http_reply(res, ok ? 200 : 503, o);
}

/* The database figures of one scrape: tasks by status, then the dispatchers'. */
static int
metrics_read(struct db *db, long long c[3], struct metrics_dispatch *d)
{
	int rc = task_store_count_by_status(db, &c[0], &c[1], &c[2]);

	if (rc == DB_OK)
		rc = admin_store_dispatcher_totals(db, d);
	if (rc == DB_OK)
		rc = admin_store_backlog(db, &d->backlog, &d->lateness);
	return rc;
}

/*
 * Tasks by status into c (active, paused, completed) and the dispatcher
 * figures into d on the worker's connection; like health_check, a kept
 * connection that died at once gets one more try on a new one. Returns a
 * db_status.
 */
static int
metrics_counts(struct request *req, long long c[3], struct metrics_dispatch *d)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		struct db *db = worker_db_get(req);
		int rc;

		if (db == NULL)
			return DB_AWAY;
		rc = metrics_read(db, c, d);
		if (rc == DB_OK || !worker_db_check(req, rc))
			return rc;
	}
	return DB_AWAY;
}

void
handle_metrics(struct request *req, struct response *res)
{
	long long counts[3];
	struct metrics_dispatch d = { 0 };
	char *text = metrics_render(metrics_counts(req, counts, &d) == DB_OK ?
	    counts : NULL, &d);

	if (text == NULL) {
		http_error(res, 500, MSG_INTERNAL, NULL);
		return;
	}
	res->status = 200;
	res->text = text;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
