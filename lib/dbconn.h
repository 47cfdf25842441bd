/*
 * dbconn: the dispatcher's one database connection and its state — up, or
 * lost and waiting to reconnect with backoff. Losing and regaining it is
 * logged once each, never once per failed statement.
 */
#ifndef SCHED_DBCONN_H
#define SCHED_DBCONN_H

#include <stdint.h>

#include "config.h"
#include "db.h"

struct dbconn {
	struct db db;
	int up;
	int64_t retry_ms;	/* monotonic ms of the next connect attempt */
	int64_t delay_ms;	/* current reconnect backoff */
	int64_t lost_ms;	/* when it was lost (monotonic), 0 if never */
	int regained;		/* set on reconnect; the caller clears it */
};

/*
 * Connects when down and the backoff allows; returns 1 when up. A wrong
 * password or database name is logged and retried like an outage.
 */
int dbconn_ensure(struct dbconn *c, const struct config *cfg, int64_t now_ms);

/*
 * Reports the status of a statement. DB_AWAY closes the connection and
 * starts reconnecting; other codes are returned as they are.
 */
int dbconn_check(struct dbconn *c, int rc, const char *what, int64_t now_ms);

/* Monotonic ms until the next connect attempt (0 when up). */
int64_t dbconn_wait_ms(const struct dbconn *c, int64_t now_ms);

void dbconn_close(struct dbconn *c);

#endif
