/*
 * housekeeping: the delete of expired idempotency keys, by the index on
 * created_at, at most HOUSEKEEPING_BATCH rows a statement. Several
 * dispatchers may each run it: the deletes are of rows nobody reads any
 * more (the API replays only keys younger than 24 hours and deletes an
 * older one itself before reusing it), so doing it twice costs nothing.
 * Its state is the time of the next pass and the rows removed by the
 * pass under way (a backlog takes several loop passes).
 */
#include "housekeeping.h"

#include "log.h"

/* The API's window (fcgi/idempotency.c) and the bound of one statement. */
static struct db_stmt st_expire_keys = DB_STMT(
	"DELETE FROM idempotency_keys "
	"WHERE created_at < NOW(3) - INTERVAL 24 HOUR LIMIT ?");

static int64_t housekeeping_next_ms = -1;	/* -1: at the first call */
static unsigned long long housekeeping_removed;	/* by the pass under way */

void
housekeeping_pass(struct dbconn *c, int64_t now_ms)
{
	struct db_param p[] = { P_INT(HOUSEKEEPING_BATCH) };
	unsigned long long n = 0;
	int rc;

	if (!c->up || (housekeeping_next_ms >= 0 && now_ms < housekeeping_next_ms))
		return;
	rc = db_exec(&c->db, &st_expire_keys, p, 1, &n, NULL);
	if (dbconn_check(c, rc, "removing expired idempotency keys",
	    now_ms) != DB_OK) {
		if (rc == DB_ERROR)
			log_error("removing expired idempotency keys failed: %s",
			    c->db.err);
		/* Away or locked: the whole pass again after an interval. */
		housekeeping_next_ms = now_ms + HOUSEKEEPING_INTERVAL_MS;
		return;
	}
	housekeeping_removed += n;
	if (n == HOUSEKEEPING_BATCH) {
		housekeeping_next_ms = now_ms;
		return;
	}
	if (housekeeping_removed > 0)
		log_info("removed %llu idempotency keys older than 24 hours",
		    housekeeping_removed);
	housekeeping_removed = 0;
	housekeeping_next_ms = now_ms + HOUSEKEEPING_INTERVAL_MS;
}
