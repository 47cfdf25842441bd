/*
 * heartbeat: this dispatcher's row in the dispatchers table — its id
 * (host:pid:start), when it started, when it was last seen, how many
 * attempts succeeded and failed, how many leases it lost and how far its
 * clock is from the database's. Operators read it through
 * /admin/dispatchers and /metrics; online = seen within 3 intervals.
 */
#ifndef DISPATCHER_HEARTBEAT_H
#define DISPATCHER_HEARTBEAT_H

#include <stdint.h>

#include "db.h"

#define HEARTBEAT_ID_LEN 129
#define HEARTBEAT_HOST_LEN 100

struct heartbeat {
	char id[HEARTBEAT_ID_LEN];
	char host[HEARTBEAT_HOST_LEN];
	long pid;
	int64_t started;	/* UTC seconds */
	int64_t next_ms;	/* monotonic ms of the next beat */
};

/* Fills the identity of this process, started now. */
void heartbeat_init(struct heartbeat *hb);

/* The figures a beat writes, totals since this process started. */
struct heartbeat_figures {
	uint64_t fired, failed;		/* attempts that succeeded, that did not */
	uint64_t lost;			/* outcomes that came after the lease */
	uint64_t expired;		/* claims left unstarted at lease end */
	int offset_known;
	int64_t offset_ms;		/* the database's clock minus this host's */
};

/* 1 when a beat is due at monotonic time now_ms. */
int heartbeat_due(const struct heartbeat *hb, int64_t now_ms);

/*
 * Registers the row or refreshes last_heartbeat and the figures (one
 * upsert, so a row lost with a restored database comes back). Schedules
 * the next beat. db_status.
 */
int heartbeat_beat(struct db *db, struct heartbeat *hb, long long interval_s,
    int64_t now_ms, const struct heartbeat_figures *f);

/* Marks a clean stop with the final figures. db_status. */
int heartbeat_stop(struct db *db, const struct heartbeat *hb,
    const struct heartbeat_figures *f);

#endif
