/*
 * fault: the points of fault.h, armed from the environment at start.
 */
#include "fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *const fault_names[] = {
	[FAULT_IN_CLAIM] = "stop-in-claim",
	[FAULT_AFTER_CLAIM] = "stop-after-claim",
	[FAULT_AFTER_START] = "stop-after-start",
	[FAULT_LOSE_OUTCOME_ANSWER] = "lose-outcome-answer",
};

static int fault_armed = -1;	/* an enum fault_point, or -1 */

void
fault_init(void)
{
	const char *v = getenv("SCHEDULER_DISPATCHER_FAULT");

	fault_armed = -1;
	if (v == NULL || *v == '\0')
		return;
	for (size_t i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (strcmp(v, fault_names[i]) == 0)
			fault_armed = (int)i;
	if (fault_armed < 0)
		log_warnx("SCHEDULER_DISPATCHER_FAULT=%s is no fault point; "
		    "ignored", v);
	else
		log_warnx("fault injection armed: %s (tests only)", v);
}

int
fault_hit(enum fault_point p)
{
	if (fault_armed != (int)p)
		return 0;
	fault_armed = -1;
	log_warnx("fault injection: %s", fault_names[p]);
	return 1;
}

void
fault_stop_at(enum fault_point p)
{
	if (fault_hit(p))
		(void)raise(SIGSTOP);
}
