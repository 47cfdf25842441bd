/*
 * db_answer: database failures as HTTP answers (docs/API.md §5: "Service
 * unavailable" while the database is away, the JSON 500 otherwise).
 */
#include "db_answer.h"

#include "task_store.h"
#include "worker.h"

struct db *
db_answer_open(struct request *req, struct response *res)
{
	struct db *db = worker_db_get(req);

	if (db == NULL)
		db_answer_error(res, DB_AWAY);
	return db;
}

void
db_answer_failed(struct request *req, struct response *res, int rc)
{
	(void)worker_db_check(req, rc);
	db_answer_error(res, rc);
}

void
db_answer_error(struct response *res, int rc)
{
	if (rc == DB_AWAY)
		http_error(res, 503, MSG_UNAVAILABLE, NULL);
	else
		http_error(res, 500, MSG_INTERNAL, NULL);
}

int
db_answer_is_away(const struct response *res)
{
	return res->status == 503;
}

void
db_answer_missing_task(struct request *req, struct response *res,
    struct db *db)
{
	int exists;
	int rc = task_store_probe(db, req->id, &exists);

	if (rc != DB_OK)
		db_answer_failed(req, res, rc);
	else if (exists)
		http_error(res, 403, MSG_FORBIDDEN_TASK, NULL);
	else
		http_error(res, 404, MSG_TASK_NOT_FOUND, NULL);
}
