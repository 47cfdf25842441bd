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
	"heartbeat_interval, fired, failed, lost_leases, expired_claims, "
	"clock_offset_ms) VALUES (?, ?, ?, ?, NOW(), ?, ?, ?, ?, ?, ?) "
	"ON DUPLICATE KEY UPDATE last_heartbeat = NOW(), "
	"heartbeat_interval = VALUES(heartbeat_interval), "
	"fired = VALUES(fired), failed = VALUES(failed), "
	"lost_leases = VALUES(lost_leases), "
	"expired_claims = VALUES(expired_claims), "
	"clock_offset_ms = VALUES(clock_offset_ms), stopped_at = NULL");

static struct db_stmt heartbeat_stop_sql = DB_STMT(
	"UPDATE dispatchers SET stopped_at = NOW(), last_heartbeat = NOW(), "
	"fired = ?, failed = ?, lost_leases = ?, expired_claims = ? WHERE id = ?");

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
    int64_t now_ms, const struct heartbeat_figures *f)
{
	char started[DATETIME_SQL_LEN];
	int rc;

	datetime_format_sql(hb->started, started);
	struct db_param p[10] = { P_STR(hb->id), P_STR(hb->host), P_INT(hb->pid),
	    P_STR(started), P_INT(interval_s), P_UINT(f->fired),
	    P_UINT(f->failed), P_UINT(f->lost), P_UINT(f->expired),
	    f->offset_known ? P_INT(f->offset_ms) : P_NULL };
	rc = db_exec(db, &heartbeat_upsert_sql, p, 10, NULL, NULL);
	if (rc == DB_OK)
		hb->next_ms = now_ms + interval_s * 1000;
	return rc;
}

int
heartbeat_stop(struct db *db, const struct heartbeat *hb,
    const struct heartbeat_figures *f)
{
	struct db_param p[5] = { P_UINT(f->fired), P_UINT(f->failed),
	    P_UINT(f->lost), P_UINT(f->expired), P_STR(hb->id) };

	return db_exec(db, &heartbeat_stop_sql, p, 5, NULL, NULL);
}
