/*
 * tokens: `schedulerctl token issue|list|revoke` — bearer tokens for the
 * API. A token is shown once when issued; the database keeps only its
 * SHA-256 hash.
 */
#ifndef SCHED_TOKENS_H
#define SCHED_TOKENS_H

#include "ctl.h"

/* The longest --ttl: 100 years. */
#define TOKENS_TTL_MAX 3153600000LL

int tokens_issue(struct ctl *ctl, int argc, char **argv);
int tokens_list(struct ctl *ctl, int argc, char **argv);
int tokens_revoke(struct ctl *ctl, int argc, char **argv);

#endif
