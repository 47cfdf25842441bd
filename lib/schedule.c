/*
 * schedule: periodic slot arithmetic. A *slot* is start + k*frequency for
 * k >= 0; slots after the end do not exist. All arithmetic is checked, so
 * any int64 input gives a slot or SCHEDULE_NONE, never an overflow.
 * SCHEDULE_NONE is -1: callers use it with times >= 0 (1970 onwards).
 */
#include "schedule.h"

/*
 * start + k*freq, or SCHEDULE_NONE when it does not fit in int64. The
 * offset is computed in uint64 so that a slot near INT64_MAX reached from
 * a negative start is still exact.
 */
static int64_t
slot(int64_t start, int64_t freq, uint64_t k)
{
	uint64_t off, room = (uint64_t)INT64_MAX - (uint64_t)start;
	if (__builtin_mul_overflow(k, (uint64_t)freq, &off) || off > room)
		return SCHEDULE_NONE;
	return (int64_t)((uint64_t)start + off);
}

int64_t
schedule_slot_at_or_after(int64_t start, int64_t freq, int64_t end, int64_t t)
{
	int64_t s;
	if (freq <= 0)
		return SCHEDULE_NONE;
	if (t <= start) {
		s = start;
	} else {
		/* t > start, so the difference is exact in uint64. */
		uint64_t diff = (uint64_t)t - (uint64_t)start;
		uint64_t k = diff / (uint64_t)freq + (diff % (uint64_t)freq != 0);
		s = slot(start, freq, k);
		if (s == SCHEDULE_NONE)
			return SCHEDULE_NONE;
	}
	return s <= end ? s : SCHEDULE_NONE;
}

int64_t
schedule_slot_after(int64_t start, int64_t freq, int64_t end, int64_t t)
{
	if (t == INT64_MAX)
		return SCHEDULE_NONE;
	return schedule_slot_at_or_after(start, freq, end, t + 1);
}

int64_t
schedule_slot_at_or_before(int64_t start, int64_t freq, int64_t t)
{
	if (freq <= 0 || t < start)
		return SCHEDULE_NONE;
	uint64_t diff = (uint64_t)t - (uint64_t)start;
	return slot(start, freq, diff / (uint64_t)freq);
}
