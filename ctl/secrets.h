/*
 * secrets: `schedulerctl secret show|rotate` — a user's signing secret, the
 * HMAC key (as its 64 hex characters) of X-Scheduler-Signature.
 */
#ifndef SCHED_SECRETS_H
#define SCHED_SECRETS_H

#include "ctl.h"

int secrets_show(struct ctl *ctl, int argc, char **argv);
int secrets_rotate(struct ctl *ctl, int argc, char **argv);

#endif
