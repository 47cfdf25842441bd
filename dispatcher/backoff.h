/*
 * backoff: how long a failed attempt waits before the next one. Exponential
 * from a base delay, capped, with jitter so that receivers that failed
 * together are not retried together. Pure: randomness comes in as a value.
 */
#ifndef DISPATCHER_BACKOFF_H
#define DISPATCHER_BACKOFF_H

#include <stdint.h>

/*
 * The delay in milliseconds after failed attempt `attempt` (1-based):
 * d = min(max_s, base_s * 2^(attempt-1)) seconds, then a value in
 * [d/2, d] picked by rnd (any 32-bit value; 0 gives d/2, UINT32_MAX gives d).
 * Never more than max_s seconds, never less than 1 ms.
 */
int64_t backoff_delay_ms(unsigned attempt, int64_t base_s, int64_t max_s,
    uint32_t rnd);

#endif
