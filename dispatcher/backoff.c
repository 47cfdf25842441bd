/*
 * backoff: exponential retry delays with "equal jitter" (half fixed, half
 * random), so a retry never comes sooner than half its nominal delay and
 * never later than the cap.
 */
#include "backoff.h"

int64_t
backoff_delay_ms(unsigned attempt, int64_t base_s, int64_t max_s, uint32_t rnd)
{
	int64_t d_ms, half;

	if (base_s < 1)
		base_s = 1;
	if (max_s < 1)
		max_s = 1;
	/* Doubling stops at the cap, so no shift can overflow. */
	d_ms = base_s * 1000;
	for (unsigned i = 1; i < attempt && d_ms < max_s * 1000; i++)
		d_ms *= 2;
	if (d_ms > max_s * 1000)
		d_ms = max_s * 1000;
	half = d_ms / 2;
	d_ms = half + (int64_t)(((uint64_t)(d_ms - half) * rnd) / UINT32_MAX);
	return d_ms < 1 ? 1 : d_ms;
}
