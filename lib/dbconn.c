/*
 * dbconn: reconnect with exponential backoff from 250 ms to 2 s. The
 * connection's timeouts are short so that a database that hangs is
 * noticed within seconds, while transfers keep running in between.
 */
#include "dbconn.h"

#include "log.h"

#define DBCONN_TIMEOUT_S 5
#define DBCONN_DELAY_MIN_MS 250
#define DBCONN_DELAY_MAX_MS 2000

/*
 * The server ends a transaction of ours left idle for 10 s. A claim or
 * outcome transaction runs statement after statement with only a little
 * CPU work in between, so it is never idle that long unless this process
 * stalled (SIGSTOP, a paused VM) in the middle of one; its row locks
 * would otherwise keep every other dispatcher off those tasks (SKIP
 * LOCKED passes them over, no lease covers them) until it resumed.
 *
 * A lock wait gives up after 2 s, below the connection's 5 s read
 * timeout: a tasks row held by someone else (an operator's transaction,
 * `user disable` of a big user) then comes back as a retryable deadlock
 * on a healthy connection, instead of a "lost" connection whose server
 * session goes on waiting; meanwhile the loop renews its leases.
 */
#define DBCONN_SESSION_SQL "SET SESSION idle_transaction_timeout = 10, " \
	"innodb_lock_wait_timeout = 2"

/* db_connect, then the session settings only the dispatcher needs. */
static int
dbconn_open(struct dbconn *c, const struct config *cfg)
{
	static const char set[] = DBCONN_SESSION_SQL;
	int rc = db_connect(&c->db, cfg, DBCONN_TIMEOUT_S);

	if (rc == DB_OK &&
	    (rc = db_run_text(&c->db, set, sizeof(set) - 1)) != DB_OK)
		db_close(&c->db);
	return rc;
}

int
dbconn_ensure(struct dbconn *c, const struct config *cfg, int64_t now_ms)
{
	int rc;

	if (c->up)
		return 1;
	if (now_ms < c->retry_ms)
		return 0;
	rc = dbconn_open(c, cfg);
	if (rc == DB_OK) {
		c->up = 1;
		c->delay_ms = 0;
		if (c->lost_ms != 0) {
			log_info("database connection regained after %lld ms",
			    (long long)(now_ms - c->lost_ms));
			c->regained = 1;
		}
		c->lost_ms = 0;
		return 1;
	}
	if (c->lost_ms == 0) {
		log_warnx("cannot connect to the database: %s; retrying",
		    c->db.err);
		c->lost_ms = now_ms;
	}
	c->delay_ms = c->delay_ms == 0 ? DBCONN_DELAY_MIN_MS : c->delay_ms * 2;
	if (c->delay_ms > DBCONN_DELAY_MAX_MS)
		c->delay_ms = DBCONN_DELAY_MAX_MS;
	c->retry_ms = now_ms + c->delay_ms;
	return 0;
}

int
dbconn_check(struct dbconn *c, int rc, const char *what, int64_t now_ms)
{
	if (rc != DB_AWAY)
		return rc;
	log_warnx("database lost during %s: %s; reconnecting", what, c->db.err);
	db_close(&c->db);
	c->up = 0;
	c->lost_ms = now_ms;
	c->delay_ms = DBCONN_DELAY_MIN_MS;
	c->retry_ms = now_ms + c->delay_ms;
	return rc;
}

int64_t
dbconn_wait_ms(const struct dbconn *c, int64_t now_ms)
{
	if (c->up)
		return 0;
	return c->retry_ms > now_ms ? c->retry_ms - now_ms : 0;
}

void
dbconn_close(struct dbconn *c)
{
	if (c->up)
		db_close(&c->db);
	c->up = 0;
}
