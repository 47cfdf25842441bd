/*
 * dbclock: pins the database's clock to this host's monotonic clock (see
 * dbclock.h for why).
 */
#include "dbclock.h"

#include <stdlib.h>
#include <time.h>

#include "log.h"

static int64_t
dbclock_read(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
dbclock_mono_ms(void)
{
	return dbclock_read(CLOCK_MONOTONIC);
}

int64_t
dbclock_real_ms(void)
{
	return dbclock_read(CLOCK_REALTIME);
}

void
dbclock_init(struct dbclock *c)
{
	c->known = 0;
	c->base_ms = dbclock_real_ms() - dbclock_mono_ms();
	c->offset_ms = 0;
	c->warned = 0;
	c->warned_ms = 0;
}

void
dbclock_observe(struct dbclock *c, int64_t db_ms, int64_t sent_real,
    int64_t back_mono, int64_t back_real)
{
	/*
	 * NOW(3) was read somewhere between sending and the answer: the
	 * midpoint is the best estimate of the offset (off by at most half
	 * the round trip), the answer's arrival the safe pin for "not early".
	 */
	c->offset_ms = db_ms - (sent_real + back_real) / 2;
	c->base_ms = db_ms - back_mono;
	c->known = 1;
	if (llabs(c->offset_ms) <= DBCLOCK_WARN_MS)
		return;
	if (c->warned && back_mono - c->warned_ms < DBCLOCK_WARN_EVERY_MS)
		return;
	c->warned = 1;
	c->warned_ms = back_mono;
	log_warnx("this host's clock is %lld ms %s the database's; due times "
	    "and leases follow the database's clock (check NTP on both)",
	    (long long)llabs(c->offset_ms),
	    c->offset_ms > 0 ? "behind" : "ahead of");
}

int64_t
dbclock_db_ms(const struct dbclock *c, int64_t mono)
{
	return mono + c->base_ms;
}

int64_t
dbclock_mono_at(const struct dbclock *c, int64_t db_ms)
{
	return db_ms - c->base_ms;
}
