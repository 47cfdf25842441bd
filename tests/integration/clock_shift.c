/*
 * clock_shift: an LD_PRELOAD shim that moves this process's wall clock by
 * $CLOCK_SHIFT_SECONDS (may be negative): clock_gettime(CLOCK_REALTIME
 * and its _COARSE form), gettimeofday and time. CLOCK_MONOTONIC and every
 * other clock are left alone, as on a host whose wall clock is wrong.
 * Built by the tests that need it (clock_shim.py); not installed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long shift_s;
static int (*real_clock_gettime)(clockid_t, struct timespec *);

__attribute__((constructor)) static void
clock_shift_init(void)
{
	const char *s = getenv("CLOCK_SHIFT_SECONDS");

	shift_s = s != NULL ? strtol(s, NULL, 10) : 0;
	real_clock_gettime = (int (*)(clockid_t, struct timespec *))
	    dlsym(RTLD_NEXT, "clock_gettime");
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	int rc;

	if (real_clock_gettime == NULL)
		clock_shift_init();
	rc = real_clock_gettime(id, ts);
	if (rc == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
		ts->tv_sec += shift_s;
	return rc;
}

int
gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;	/* tv may not be NULL: glibc declares it nonnull */
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

time_t
time(time_t *out)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (out != NULL)
		*out = ts.tv_sec;
	return ts.tv_sec;
}
