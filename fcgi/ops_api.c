/*
 * ops_api: /health and /metrics, the unauthenticated operator endpoints.
 */
#include <stdlib.h>

#include "admin_store.h"
#include "handlers.h"
#include "log.h"
#include "metrics.h"
#include "task_store.h"

/* /health never waits longer than this on the database (SPEC §5). */
#define HEALTH_TIMEOUT_S 1

/* A real read through InnoDB, not just a ping of the server. */
static struct db_stmt st_health = DB_STMT("SELECT 1 FROM tasks LIMIT 1");

/* One health query on ctx's health connection, connecting first if needed. */
static int
health_query(struct worker_ctx *ctx)
{
	struct db_rows rows;
	int rc;

	if (!ctx->health_connected) {
		if (db_connect(&ctx->health_db, ctx->cfg, HEALTH_TIMEOUT_S) != DB_OK)
			return -1;
		ctx->health_connected = 1;
	}
	rc = db_query(&ctx->health_db, &st_health, NULL, 0, &rows);
	if (rc == DB_OK) {
		while ((rc = db_rows_next(&rows)) == 1)
			;
		db_rows_free(&rows);
	}
	if (rc < 0) {
		log_warnx("health check failed: %s", ctx->health_db.err);
		db_close(&ctx->health_db);
		ctx->health_connected = 0;
		return -1;
	}
	return 0;
}

/*
 * 0 when the database answers. A connection kept from an earlier check may
 * have died while idle (the database restarted), so a failure on one is
 * tried once more on a new connection before the database counts as away;
 * not when the failure was a timeout (the database hangs), which a retry
 * would only make twice as long.
 */
static int
health_check(struct worker_ctx *ctx)
{
	int kept = ctx->health_connected;
	double start = worker_clock();

	if (health_query(ctx) == 0)
		return 0;
	if (!kept || worker_clock() - start > HEALTH_TIMEOUT_S / 2.0)
		return -1;
	return health_query(ctx);
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
		struct response away = { 0 };
		int kept = req->ctx->db_connected;
		double start = worker_clock();
		struct db *db = worker_db(req, &away);
		int rc;

		http_response_free(&away);
		if (db == NULL)
			return DB_AWAY;
		rc = metrics_read(db, c, d);
		if (rc == DB_OK || !worker_db_retry(req, rc, kept, start))
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
