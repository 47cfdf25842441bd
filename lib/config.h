/*
 * config: the one `key = value` file read by scheduler-api,
 * scheduler-dispatcher and schedulerctl. Keys are rows of a table with a
 * type, default and bounds; errors cite file:line.
 */
#ifndef SCHED_CONFIG_H
#define SCHED_CONFIG_H

#include <stddef.h>

#define CONFIG_DEFAULT_PATH SYSCONFDIR "/scheduler/scheduler.conf"
#define CONFIG_STR_MAX 512

struct config {
	/* database */
	char database_host[CONFIG_STR_MAX];	/* empty: use the unix socket */
	long long database_port;
	char database_socket[CONFIG_STR_MAX];
	char database_user[CONFIG_STR_MAX];
	char database_password[CONFIG_STR_MAX];
	char database_name[CONFIG_STR_MAX];
	/* scheduler-api */
	char listen[CONFIG_STR_MAX];		/* unix socket path, or host:port */
	long long workers;
	long long listen_backlog;
	char listen_group[CONFIG_STR_MAX];	/* unix socket's group; empty: the process's */
	long long request_read_timeout;		/* seconds a worker waits for a request's input */
	long long min_frequency;		/* seconds; applies on SIGHUP */
	int allow_private_targets;		/* applies on SIGHUP */
	long long resolve_timeout_ms;		/* bound on name resolution at submit; SIGHUP */
	long long max_tasks_per_user;		/* 0: no limit; applies on SIGHUP */
	long long max_post_data_bytes_per_user;	/* 0: no limit; applies on SIGHUP */
	/* Origins a browser may call the API from (docs/API.md §1, CORS); empty: none; SIGHUP */
	char cors_allowed_origins[CONFIG_STR_MAX];
	/* logging (applies on SIGHUP) */
	char log_level[CONFIG_STR_MAX];	/* debug, info, warn or error */
	int log_syslog;
	/* scheduler-dispatcher */
	long long dispatcher_batch;		/* most occurrences claimed per transaction */
	long long dispatcher_poll_ms;		/* longest sleep between claims */
	long long dispatcher_concurrency;	/* callbacks in flight at once */
	long long callback_timeout;		/* seconds, whole request */
	long long connect_timeout;		/* seconds */
	long long retry_attempts;		/* attempts per occurrence, first included */
	long long retry_base_delay;		/* seconds before the first retry */
	long long retry_max_delay;		/* cap on one backoff delay, seconds */
	long long lease_seconds;		/* how long a claim is honoured */
	long long heartbeat_interval;		/* seconds */
};

/* Fills every key with its default. */
void config_defaults(struct config *cfg);

/*
 * Reads path over the defaults already in cfg. On error returns -1 and
 * writes "file:line: message" into err. Unknown keys are errors.
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/*
 * Picks the config path: -c FILE when given, else $SCHEDULER_CONF, else
 * CONFIG_DEFAULT_PATH.
 */
const char *config_path(const char *from_flag);

/*
 * 1 when origin (an Origin request header, NULL when absent) is, byte for
 * byte, one of the origins of list (a cors_allowed_origins value: origins
 * separated by spaces or commas); 0 otherwise, and always for an empty list.
 */
int config_origin_listed(const char *list, const char *origin);

/* Sets one key from text, as a line of the file would; for tools and tests. */
int config_set(struct config *cfg, const char *key, const char *value,
    char *err, size_t errlen);

#endif
