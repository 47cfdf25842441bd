/*
 * db_answer: what a handler answers when the database fails it — 503
 * Service unavailable while the database is away (DB_AWAY), 500 Internal
 * server error for any other database failure. The one place that maps a
 * db_status to HTTP.
 */
#ifndef SCHED_DB_ANSWER_H
#define SCHED_DB_ANSWER_H

#include "http.h"

/* The worker's request connection (worker_db_get); NULL with a 503 in res. */
struct db *db_answer_open(struct request *req, struct response *res);

/*
 * A statement on that connection failed with rc (not DB_OK): tells the
 * worker (which logs it, and reconnects next time when it was lost) and
 * answers 503 or 500.
 */
void db_answer_failed(struct request *req, struct response *res, int rc);

/* Only the answer for rc: 503 for DB_AWAY, else 500. */
void db_answer_error(struct response *res, int rc);

/*
 * After an owner-scoped lookup of req->id found nothing: 404, or 403 when
 * another user has that task (or 503/500 when the probe itself fails).
 */
void db_answer_missing_task(struct request *req, struct response *res,
    struct db *db);

/* 1 when res is the answer for a database away. */
int db_answer_is_away(const struct response *res);

#endif
