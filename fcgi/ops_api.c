/*
 * ops_api: /health and /metrics, the unauthenticated operator endpoints.
 */
#include <stdlib.h>

#include "handlers.h"
#include "log.h"
#include "metrics.h"

/* /health never waits longer than this on the database (SPEC §5). */
#define HEALTH_TIMEOUT_S 1

/* A real read through InnoDB, not just a ping of the server. */
static struct db_stmt st_health = DB_STMT("SELECT 1 FROM tasks LIMIT 1");

static int
health_check(struct worker_ctx *ctx)
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

void
handle_metrics(struct request *req, struct response *res)
{
	struct response away = { 0 };
	struct db *db = worker_db(req, &away);
	char *text;

	http_response_free(&away);
	text = metrics_render(db, db != NULL);
	if (text == NULL) {
		http_error(res, 500, MSG_INTERNAL, NULL);
		return;
	}
	res->status = 200;
	res->text = text;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
