/*
 * dbconn: connect on demand, reconnect after a pause that doubles from
 * rules.pause_min_ms to rules.pause_max_ms, and log it the way the rules
 * say. The callers' rules: the dispatcher's loop (250 ms to 2 s, logged
 * once per loss and regain), each API worker's request and /health
 * connections (fcgi/worker.c), schedulerctl's one connection (ctl/ctl.c).
 */
#include "dbconn.h"

#include <string.h>
#include <time.h>

#include "log.h"

void
dbconn_init(struct dbconn *c, const struct dbconn_rules *rules)
{
	memset(c, 0, sizeof(*c));
	c->rules = *rules;
}

int64_t
dbconn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* db_connect, then the rules' session settings. */
static int
dbconn_open(struct dbconn *c, const struct config *cfg)
{
	const char *set = c->rules.session_sql;
	int rc = db_connect(&c->db, cfg, c->rules.timeout_s);

	if (rc == DB_OK && set != NULL)
		rc = db_run_text(&c->db, set, strlen(set));
	if (rc != DB_OK)
		db_close(&c->db);
	return rc;
}

static void
dbconn_log_up(struct dbconn *c, int64_t now_ms)
{
	if (c->rules.log == DBCONN_LOG_EACH)
		log_info("database connected");
	else if (c->rules.log == DBCONN_LOG_CHANGES && c->lost_ms != 0)
		log_info("database connection regained after %lld ms",
		    (long long)(now_ms - c->lost_ms));
}

static void
dbconn_log_down(const struct dbconn *c)
{
	if (c->rules.log == DBCONN_LOG_EACH)
		log_warnx("database unavailable: %s", c->db.err);
	else if (c->rules.log == DBCONN_LOG_CHANGES && c->lost_ms == 0)
		log_warnx("cannot connect to the database: %s; retrying",
		    c->db.err);
}

int
dbconn_ensure(struct dbconn *c, const struct config *cfg, int64_t now_ms)
{
	int64_t end_ms;

	c->kept = c->up;
	c->taken_ms = now_ms;
	if (c->up)
		return 1;
	if (now_ms < c->retry_ms)
		return 0;
	if (dbconn_open(c, cfg) == DB_OK) {
		dbconn_log_up(c, now_ms);
		if (c->lost_ms != 0)
			c->regained = 1;
		c->up = 1;
		c->delay_ms = 0;
		c->lost_ms = 0;
		return 1;
	}
	dbconn_log_down(c);
	if (c->lost_ms == 0)
		c->lost_ms = now_ms;
	c->delay_ms = c->delay_ms == 0 ? c->rules.pause_min_ms : c->delay_ms * 2;
	if (c->delay_ms > c->rules.pause_max_ms)
		c->delay_ms = c->rules.pause_max_ms;
	/* The attempt may have used a whole timeout: pause after it. */
	end_ms = dbconn_now_ms();
	c->retry_ms = (end_ms > now_ms ? end_ms : now_ms) + c->delay_ms;
	return 0;
}

int
dbconn_check(struct dbconn *c, int rc, const char *what, int64_t now_ms)
{
	if (rc != DB_AWAY) {
		if (rc < 0 && c->rules.log == DBCONN_LOG_EACH)
			log_error("database error: %s", c->db.err);
		return rc;
	}
	if (c->rules.log == DBCONN_LOG_EACH)
		log_warnx("database connection lost: %s", c->db.err);
	else if (c->rules.log == DBCONN_LOG_CHANGES)
		log_warnx("database lost during %s: %s; reconnecting", what,
		    c->db.err);
	db_close(&c->db);
	c->up = 0;
	c->lost_ms = now_ms;
	c->delay_ms = c->rules.lost_pause_ms;
	c->retry_ms = now_ms + c->delay_ms;
	return rc;
}

int
dbconn_retry(const struct dbconn *c, int rc, int64_t now_ms)
{
	return rc == DB_AWAY && c->kept && c->rules.stale_ms > 0 &&
	    now_ms - c->taken_ms <= c->rules.stale_ms;
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
	if (c->up) {
		db_close(&c->db);
		c->retry_ms = 0;
	}
	c->up = 0;
}
