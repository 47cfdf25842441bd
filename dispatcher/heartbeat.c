/*
 * heartbeat: one upsert per interval. The row belongs to this process
 * alone (its id names pid and start time), so the counters are written as
 * absolute totals: a lost or repeated beat never skews them.
 */
#include "heartbeat.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datetime.h"

static struct db_stmt heartbeat_upsert_sql = DB_STMT(
	"INSERT INTO dispatchers (id, host, pid, started_at, last_heartbeat, "
	"heartbeat_interval, fired, failed) VALUES (?, ?, ?, ?, NOW(), ?, ?, ?) "
	"ON DUPLICATE KEY UPDATE last_heartbeat = NOW(), "
	"heartbeat_interval = VALUES(heartbeat_interval), "
	"fired = VALUES(fired), failed = VALUES(failed), stopped_at = NULL");

static struct db_stmt heartbeat_stop_sql = DB_STMT(
	"UPDATE dispatchers SET stopped_at = NOW(), last_heartbeat = NOW(), "
	"fired = ?, failed = ? WHERE id = ?");

void
heartbeat_init(struct heartbeat *hb)
{
	memset(hb, 0, sizeof(*hb));
	if (gethostname(hb->host, sizeof(hb->host) - 1) < 0 || hb->host[0] == '\0')
		snprintf(hb->host, sizeof(hb->host), "unknown");
	hb->pid = (long)getpid();
	hb->started = (int64_t)time(NULL);
	snprintf(hb->id, sizeof(hb->id), "%s:%ld:%lld", hb->host, hb->pid,
	    (long long)hb->started);
}

int
heartbeat_due(const struct heartbeat *hb, int64_t now_ms)
{
	return now_ms >= hb->next_ms;
}

int
heartbeat_beat(struct db *db, struct heartbeat *hb, long long interval_s,
    int64_t now_ms, uint64_t fired, uint64_t failed)
{
	char started[DATETIME_SQL_LEN];
	int rc;

	datetime_format_sql(hb->started, started);
	struct db_param p[7] = { P_STR(hb->id), P_STR(hb->host), P_INT(hb->pid),
	    P_STR(started), P_INT(interval_s), P_UINT(fired), P_UINT(failed) };
	rc = db_exec(db, &heartbeat_upsert_sql, p, 7, NULL, NULL);
	if (rc == DB_OK)
		hb->next_ms = now_ms + interval_s * 1000;
	return rc;
}

int
heartbeat_stop(struct db *db, const struct heartbeat *hb, uint64_t fired,
    uint64_t failed)
{
	struct db_param p[3] = { P_UINT(fired), P_UINT(failed), P_STR(hb->id) };

	return db_exec(db, &heartbeat_stop_sql, p, 3, NULL, NULL);
}
