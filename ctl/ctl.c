/*
 * ctl: the plumbing every schedulerctl command uses — the lazily opened
 * session (config file, then database), option parsing with our own
 * messages, and errors on stderr as "schedulerctl: ...".
 */
#include "ctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ctl_error(const char *fmt, ...)
{
	va_list ap;

	fputs("schedulerctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
ctl_print_usage(const struct ctl_command *cmd, FILE *f)
{
	fprintf(f, "usage: schedulerctl [-c FILE] %s%s%s%s%s\n", cmd->group,
	    cmd->verb ? " " : "", cmd->verb ? cmd->verb : "",
	    cmd->args[0] ? " " : "", cmd->args);
}

int
ctl_usage(struct ctl *ctl, const char *fmt, ...)
{
	const struct ctl_command *cmd = ctl->cmd;
	va_list ap;

	fprintf(stderr, "schedulerctl %s%s%s: ", cmd->group,
	    cmd->verb ? " " : "", cmd->verb ? cmd->verb : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ctl_print_usage(cmd, stderr);
	fprintf(stderr, "Try 'schedulerctl %s%s%s --help' for more.\n",
	    cmd->group, cmd->verb ? " " : "", cmd->verb ? cmd->verb : "");
	return CTL_USAGE;
}

int
ctl_getopt(struct ctl *ctl, int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	char spec[64];
	int c;

	if (!ctl->opt_started) {
		/* optind = 0 makes glibc's getopt start over on a new argv. */
		optind = 0;
		ctl->opt_started = 1;
	}
	/* ':' first: a missing argument is ':' rather than '?'. */
	snprintf(spec, sizeof(spec), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c == '?') {
		if (optopt != 0)
			ctl_usage(ctl, "unknown option -%c", optopt);
		else
			ctl_usage(ctl, "unknown option %s", argv[optind - 1]);
		return '?';
	}
	if (c == ':') {
		ctl_usage(ctl, "option %s needs an argument", argv[optind - 1]);
		return '?';
	}
	return c;
}

int
ctl_positional(struct ctl *ctl, int argc, char **argv, int min, int max)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	int n;

	if (ctl_getopt(ctl, argc, argv, "", none) != -1)
		return CTL_USAGE;
	n = argc - optind;
	if (n < min)
		return ctl_usage(ctl, "missing argument");
	if (n > max)
		return ctl_usage(ctl, "unexpected argument \"%s\"",
		    argv[optind + max]);
	return CTL_OK;
}

struct db *
ctl_db(struct ctl *ctl, unsigned timeout_s)
{
	/* One attempt, no pause: the command fails and says why. */
	const struct dbconn_rules rules = { .timeout_s = timeout_s,
	    .log = DBCONN_LOG_NONE };
	const char *path = config_path(ctl->config_flag);
	char err[1024];

	if (ctl->conn.up)
		return &ctl->conn.db;
	config_defaults(&ctl->cfg);
	if (config_load(&ctl->cfg, path, err, sizeof(err)) < 0) {
		ctl_error("%s", err);
		return NULL;
	}
	dbconn_init(&ctl->conn, &rules);
	if (!dbconn_ensure(&ctl->conn, &ctl->cfg, dbconn_now_ms())) {
		const struct config *c = &ctl->cfg;
		char where[CONFIG_STR_MAX + 32];
		if (c->database_host[0])
			snprintf(where, sizeof(where), "%s:%lld", c->database_host,
			    c->database_port);
		else
			snprintf(where, sizeof(where), "%s", c->database_socket);
		ctl_error("cannot connect to database \"%s\" at %s as \"%s\": %s",
		    c->database_name, where, c->database_user, ctl->conn.db.err);
		return NULL;
	}
	return &ctl->conn.db;
}

void
ctl_close(struct ctl *ctl)
{
	dbconn_close(&ctl->conn);
}

int
ctl_db_fail(struct ctl *ctl, int rc, const char *what)
{
	const char *why = ctl->conn.db.err;

	if (rc == DB_AWAY)
		ctl_error("%s: lost the database connection (%s)", what, why);
	else if (strncmp(why, "1146:", 5) == 0)	/* ER_NO_SUCH_TABLE */
		ctl_error("%s: database error %s (has 'schedulerctl migrate' "
		    "run?)", what, why);
	else
		ctl_error("%s: database error %s", what, why);
	return CTL_FAIL;
}

int
ctl_parse_int(const char *text, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (text[0] < '0' || text[0] > '9')
		return -1;	/* no sign, no blanks */
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
