/*
 * dbconn: one database connection kept the way every program here keeps
 * it — connected on demand, closed when a statement finds it lost, then
 * connected again after a pause that grows from a shortest to a longest
 * wait. Its *rules* (timeouts, pauses, how it logs) are the caller's.
 * A connection is *kept* when it was already up before this use of it;
 * a kept one that fails at once had died while idle (the server
 * restarted), which dbconn_retry tells from a server that hangs.
 */
#ifndef SCHED_DBCONN_H
#define SCHED_DBCONN_H

#include <stdint.h>

#include "config.h"
#include "db.h"

/* What is logged of connecting and losing the connection. */
enum dbconn_log {
	/*
	 * Once per loss and once per regain, never once per failed attempt:
	 * a daemon's one connection, retried many times a second while away.
	 * "cannot connect to the database: ERR; retrying", "database lost
	 * during WHAT: ERR; reconnecting", "database connection regained
	 * after N ms".
	 */
	DBCONN_LOG_CHANGES,
	/*
	 * Every connect and every failure, since each is one request's
	 * answer (the attempts are spaced by the pause): "database
	 * connected", "database unavailable: ERR", "database connection
	 * lost: ERR", and "database error: ERR" for other failed statements.
	 */
	DBCONN_LOG_EACH,
	/* Nothing: the caller reports (schedulerctl, /health). */
	DBCONN_LOG_NONE,
};

struct dbconn_rules {
	unsigned timeout_s;		/* connect, read and write (db_connect) */
	const char *session_sql;	/* run after each connect; NULL for none */
	int64_t pause_min_ms;		/* after a failed connect, no attempt for this */
	int64_t pause_max_ms;		/* long; it doubles at each failure up to this */
	int64_t lost_pause_ms;		/* the wait before reconnecting after a loss */
	/*
	 * A kept connection that fails within this many ms of being taken
	 * had died while idle: the read is worth one more try on a new
	 * connection (dbconn_retry). 0: never.
	 */
	int64_t stale_ms;
	enum dbconn_log log;
};

struct dbconn {
	struct db db;
	struct dbconn_rules rules;
	int up;
	int64_t retry_ms;	/* monotonic ms of the next connect attempt */
	int64_t delay_ms;	/* current reconnect pause */
	int64_t lost_ms;	/* when it was lost (monotonic), 0 if never */
	int regained;		/* set on reconnect after a loss; the caller clears it */
	int kept;		/* the last dbconn_ensure found it up already */
	int64_t taken_ms;	/* and was called at this time */
};

/* Sets c down, with a copy of rules; call before any other dbconn_*. */
void dbconn_init(struct dbconn *c, const struct dbconn_rules *rules);

/* The monotonic clock, in ms, of every now_ms here. */
int64_t dbconn_now_ms(void);

/*
 * Connects when down and the pause allows; returns 1 when up (use c->db),
 * 0 when not (c->db.err says why). A wrong password or database name is
 * retried like an outage. The pause counts from the end of the failed
 * attempt, so a server that hangs costs one timeout per pause, not every
 * caller its own.
 */
int dbconn_ensure(struct dbconn *c, const struct config *cfg, int64_t now_ms);

/*
 * Reports the status of a statement (what names it in the log). DB_AWAY
 * closes the connection, to be reconnected after rules.lost_pause_ms; any
 * code is returned as it is.
 */
int dbconn_check(struct dbconn *c, int rc, const char *what, int64_t now_ms);

/*
 * After a read that failed with rc (already reported) on the connection
 * the last dbconn_ensure gave: 1 when it deserves one more try on a new
 * connection — rc is DB_AWAY on a kept connection that failed within
 * rules.stale_ms, so it had died while idle (the server restarted), not
 * timed out on a server that hangs, which a retry would only make twice
 * as long. Callers retry once at most.
 */
int dbconn_retry(const struct dbconn *c, int rc, int64_t now_ms);

/* Monotonic ms until the next connect attempt (0 when up). */
int64_t dbconn_wait_ms(const struct dbconn *c, int64_t now_ms);

/* Closes the connection if up; the next dbconn_ensure connects at once. */
void dbconn_close(struct dbconn *c);

#endif
