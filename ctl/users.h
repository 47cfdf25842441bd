/*
 * users: `schedulerctl user add|list|disable|enable|role` — API users, each
 * with a role (user or admin) and a signing secret made at creation, and
 * the lookup by name that the token and secret commands share.
 */
#ifndef SCHED_USERS_H
#define SCHED_USERS_H

#include "ctl.h"

#define USERS_NAME_MAX 100

/* A user as the other commands need it. */
struct users_row {
	unsigned long long id;
	int disabled;
	const char *name;			/* as given on the command line */
	char secret[65];			/* the signing secret, hex */
};

/* 0 when name matches [A-Za-z0-9_.@-]{1,100}, else -1. */
int users_valid_name(const char *name);

/*
 * Reports (as a usage error) a name that cannot be a user's and returns
 * CTL_USAGE; CTL_OK when it is valid.
 */
int users_check_name(struct ctl *ctl, const char *name);

/* Finds a user by name: CTL_OK, or CTL_FAIL after saying why. */
int users_find(struct ctl *ctl, struct db *db, const char *name,
    struct users_row *out);

/*
 * The common start of a command taking exactly one user NAME: checks the
 * arguments and the name, connects, and finds the user. CTL_OK with *db
 * and *out set; otherwise the exit code, after saying why.
 */
int users_from_args(struct ctl *ctl, int argc, char **argv, struct db **db,
    struct users_row *out);

int users_add(struct ctl *ctl, int argc, char **argv);
int users_list(struct ctl *ctl, int argc, char **argv);
int users_disable(struct ctl *ctl, int argc, char **argv);
int users_enable(struct ctl *ctl, int argc, char **argv);
int users_role(struct ctl *ctl, int argc, char **argv);

#endif
