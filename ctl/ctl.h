/*
 * ctl: what every schedulerctl command shares — exit codes, the session
 * (configuration and database connection, opened on first use), option
 * parsing and error reporting. A *command* is one row of main.c's table,
 * named by a group and a verb ("user add"); each returns an exit code.
 */
#ifndef SCHED_CTL_H
#define SCHED_CTL_H

#include <getopt.h>
#include <stdio.h>

#include "config.h"
#include "dbconn.h"

/* Exit codes of schedulerctl, also the return value of every command. */
enum ctl_exit {
	CTL_OK = 0,
	CTL_FAIL = 1,		/* runtime failure: database away, unknown user... */
	CTL_USAGE = 2,		/* bad command line */
};

struct ctl_command;

/* One run of schedulerctl: one command against one database. */
struct ctl {
	const char *config_flag;	/* -c FILE, or NULL */
	const struct ctl_command *cmd;	/* the command being run */
	int opt_started;		/* ctl_getopt has reset getopt */
	struct config cfg;
	struct dbconn conn;		/* up once ctl_db has connected */
};

typedef int (*ctl_run_fn)(struct ctl *ctl, int argc, char **argv);

struct ctl_command {
	const char *group;	/* first word: "user" */
	const char *verb;	/* second word: "add", or NULL for "migrate" */
	const char *args;	/* synopsis of the arguments */
	const char *summary;	/* one line for the command list */
	const char *help;	/* the rest of `COMMAND --help`, or NULL */
	ctl_run_fn run;		/* argv[0] is the command's name */
};

/* Prints "schedulerctl: ..." to stderr. */
void ctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reports a bad command line for the running command (message, usage line,
 * pointer to --help) on stderr and returns CTL_USAGE.
 */
int ctl_usage(struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "usage: schedulerctl [-c FILE] GROUP VERB ARGS" to f. */
void ctl_print_usage(const struct ctl_command *cmd, FILE *f);

/*
 * getopt_long for the running command's argv: resets getopt on the first
 * call, reports unknown options and missing arguments itself, and returns
 * '?' for them (the caller then returns CTL_USAGE).
 */
int ctl_getopt(struct ctl *ctl, int argc, char **argv, const char *shortopts,
    const struct option *longopts);

/*
 * For commands without options: checks that argv holds from min to max
 * arguments after any "--". CTL_OK (they start at argv[optind]) or
 * CTL_USAGE after reporting.
 */
int ctl_positional(struct ctl *ctl, int argc, char **argv, int min, int max);

/*
 * Loads the configuration and connects, once per run; timeout_s bounds
 * connect and every read. NULL after printing why (the command then
 * returns CTL_FAIL).
 */
struct db *ctl_db(struct ctl *ctl, unsigned timeout_s);
void ctl_close(struct ctl *ctl);

/* Reports a failed database call (rc a db_status) and returns CTL_FAIL. */
int ctl_db_fail(struct ctl *ctl, int rc, const char *what);

/* Parses a decimal integer in [min, max]; 0, or -1 for anything else. */
int ctl_parse_int(const char *text, long long min, long long max,
    long long *out);

/* The timeout of ordinary commands, seconds. */
#define CTL_DB_TIMEOUT 10

#endif
