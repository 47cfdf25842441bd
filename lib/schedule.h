/*
 * schedule: periodic arithmetic. A *slot* is start + k*frequency (k >= 0);
 * no slot lies after the end. Shared by the API (resume) and the
 * dispatcher (advance and coalesce). Pure functions on UTC seconds.
 */
#ifndef SCHED_SCHEDULE_H
#define SCHED_SCHEDULE_H

#include <stdint.h>

#define SCHEDULE_NO_END INT64_MAX
#define SCHEDULE_NONE (-1)

/* The first slot >= t that is <= end, or SCHEDULE_NONE. */
int64_t schedule_slot_at_or_after(int64_t start, int64_t freq, int64_t end, int64_t t);
/* The first slot > t that is <= end, or SCHEDULE_NONE. */
int64_t schedule_slot_after(int64_t start, int64_t freq, int64_t end, int64_t t);
/* The latest slot <= t (ignoring end), or SCHEDULE_NONE when t < start. */
int64_t schedule_slot_at_or_before(int64_t start, int64_t freq, int64_t t);

#endif
