/*
 * housekeeping: bounded deletes of rows that only age, so no table grows
 * forever. Today that is idempotency_keys (docs/API.md §7.5): a key is
 * replayed for 24 hours, then removed here. Runs on the loop's own
 * connection, between its other steps, never holding it long.
 */
#ifndef DISPATCHER_HOUSEKEEPING_H
#define DISPATCHER_HOUSEKEEPING_H

#include <stdint.h>

#include "dbconn.h"

/* Rows removed by one statement: one short transaction of the loop. */
#define HOUSEKEEPING_BATCH 1000
/* Pause between passes that found less than a batch to remove. */
#define HOUSEKEEPING_INTERVAL_MS 60000

/*
 * Called once per loop pass at monotonic time now_ms: when a pass is due
 * (the first at start, then every HOUSEKEEPING_INTERVAL_MS) and c is up,
 * deletes at most HOUSEKEEPING_BATCH expired idempotency keys; a full
 * batch makes the next pass due at once (the next loop pass), so a
 * backlog drains a batch per loop pass while callbacks keep firing.
 * Logs one line per pass that removed anything, with the pass's total.
 */
void housekeeping_pass(struct dbconn *c, int64_t now_ms);

#endif
