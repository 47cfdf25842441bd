/*
 * dbclock: the database's clock, as this host can know it. The database's
 * NOW() decides what is due, so "never early" and the lease are its
 * words; this host's CLOCK_REALTIME may be off by any amount (no NTP, a
 * step, a shim in tests). Each claim statement also returns the
 * database's NOW(3); a reading pins the database's time to this host's
 * CLOCK_MONOTONIC, which no one can set, and every due time and
 * timestamp the dispatcher uses is derived from that pin.
 */
#ifndef DISPATCHER_DBCLOCK_H
#define DISPATCHER_DBCLOCK_H

#include <stdint.h>

/* An offset this large (either way) is logged, at most once a minute. */
#define DBCLOCK_WARN_MS 1000
#define DBCLOCK_WARN_EVERY_MS 60000

struct dbclock {
	int known;		/* a reading has been taken */
	/*
	 * The database's time at monotonic time m is at least m + base_ms
	 * (the reading may have been taken any time while the statement
	 * ran, so the pin uses the moment its answer came back).
	 */
	int64_t base_ms;
	/* The database's clock minus this host's realtime clock, estimated. */
	int64_t offset_ms;
	int64_t warned_ms;	/* monotonic time of the last warning */
	int warned;
};

/* CLOCK_MONOTONIC and CLOCK_REALTIME in milliseconds. */
int64_t dbclock_mono_ms(void);
int64_t dbclock_real_ms(void);

/* Before any reading: the host's realtime clock stands in, offset 0. */
void dbclock_init(struct dbclock *c);

/*
 * Takes one reading: db_ms is the database's NOW(3) from a statement
 * sent at realtime sent_real whose answer came back at monotonic back_mono
 * (realtime back_real). Logs a warning when the offset exceeds
 * DBCLOCK_WARN_MS, at most once per DBCLOCK_WARN_EVERY_MS.
 */
void dbclock_observe(struct dbclock *c, int64_t db_ms, int64_t sent_real,
    int64_t back_mono, int64_t back_real);

/* The database's time at monotonic time mono, never ahead of it. */
int64_t dbclock_db_ms(const struct dbclock *c, int64_t mono);

/* The monotonic time at which the database's clock has reached db_ms. */
int64_t dbclock_mono_at(const struct dbclock *c, int64_t db_ms);

#endif
