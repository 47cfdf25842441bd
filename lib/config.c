/*
 * config: parses the `key = value` file. Each key is a row of
 * config_keys (name, type, offset, default, bounds); the parser looks a key
 * up there and lets the row's type check and convert the value.
 */
#include "config.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum config_type { CONFIG_STRING, CONFIG_INT, CONFIG_BOOL };

struct config_key {
	const char *name;
	enum config_type type;
	size_t offset;
	const char *def;
	long long min, max;	/* for CONFIG_INT */
	/* For CONFIG_STRING: NULL, or a check returning a reason or NULL. */
	const char *(*check)(const char *value);
};

static const char *
config_check_log_level(const char *v)
{
	enum log_level level;
	return log_level_parse(v, &level) == 0 ? NULL :
	    "expected debug, info, warn or error";
}

/* What separates the origins of cors_allowed_origins. */
#define CONFIG_ORIGIN_SEP " \t,"

/*
 * Why the one origin o[0..len) cannot be what a browser sends in Origin
 * (RFC 6454 §6.2: scheme "://" host [":" port], lower case, no path and
 * no default port), or NULL. The comparison with the header is byte for
 * byte, so an origin written otherwise would never match: refusing it at
 * load time says so instead of silently answering without CORS.
 */
static const char *
config_origin_problem(const char *o, size_t len)
{
	size_t i, h;
	int https;

	if (len > 7 && memcmp(o, "http://", 7) == 0)
		i = 7, https = 0;
	else if (len > 8 && memcmp(o, "https://", 8) == 0)
		i = 8, https = 1;
	else
		return "the scheme must be http:// or https://, in lower case";
	h = i;
	if (o[i] == '[') {	/* an IPv6 literal */
		while (++i < len && (isxdigit((unsigned char)o[i]) || o[i] == ':' ||
		    o[i] == '.'))
			if (isupper((unsigned char)o[i]))
				return "the host must be in lower case";
		if (i >= len || o[i] != ']' || i == h + 1)
			return "an IPv6 host is [address]";
		i++;
	} else {
		for (; i < len && o[i] != ':'; i++) {
			unsigned char c = (unsigned char)o[i];
			if (isupper(c))
				return "the host must be in lower case";
			if (!islower(c) && !isdigit(c) && c != '-' && c != '.')
				return "expected scheme://host[:port], without a path, "
				    "query or user";
		}
		if (i == h || o[h] == '.' || o[i - 1] == '.')
			return "the host is missing or malformed";
	}
	if (i == len)
		return NULL;
	if (o[i] != ':')
		return "expected scheme://host[:port], without a path, query or user";
	size_t p = ++i;
	long port = 0;
	for (; i < len && isdigit((unsigned char)o[i]) && i - p < 5; i++)
		port = port * 10 + (o[i] - '0');
	if (i != len || i == p || o[p] == '0' || port > 65535)
		return "the port must be 1..65535, and nothing may follow it";
	if (port == (https ? 443 : 80))
		return "leave out the scheme's default port (browsers do)";
	return NULL;
}

/*
 * cors_allowed_origins: each origin must be valid. The reason names the
 * bad one (a static buffer: config is read by one thread).
 */
static const char *
config_check_origins(const char *v)
{
	static char why[CONFIG_STR_MAX + 160];

	for (;;) {
		v += strspn(v, CONFIG_ORIGIN_SEP);
		size_t len = strcspn(v, CONFIG_ORIGIN_SEP);
		if (len == 0)
			return NULL;
		const char *problem = config_origin_problem(v, len);
		if (problem != NULL) {
			snprintf(why, sizeof(why), "\"%.*s\" is not an origin: %s",
			    (int)len, v, problem);
			return why;
		}
		v += len;
	}
}

int
config_origin_listed(const char *list, const char *origin)
{
	size_t olen;

	if (origin == NULL || (olen = strlen(origin)) == 0)
		return 0;
	for (;;) {
		list += strspn(list, CONFIG_ORIGIN_SEP);
		size_t len = strcspn(list, CONFIG_ORIGIN_SEP);
		if (len == 0)
			return 0;
		if (len == olen && memcmp(list, origin, len) == 0)
			return 1;
		list += len;
	}
}

#define KEY_STR(n, d) { #n, CONFIG_STRING, offsetof(struct config, n), d, 0, 0, NULL }
#define KEY_STR_CHECKED(n, d, f) { #n, CONFIG_STRING, offsetof(struct config, n), d, 0, 0, f }
#define KEY_INT(n, d, lo, hi) { #n, CONFIG_INT, offsetof(struct config, n), #d, lo, hi, NULL }
#define KEY_BOOL(n, d) { #n, CONFIG_BOOL, offsetof(struct config, n), d, 0, 1, NULL }

static const struct config_key config_keys[] = {
	KEY_STR(database_host, ""),
	KEY_INT(database_port, 3306, 1, 65535),
	KEY_STR(database_socket, "/run/mysqld/mysqld.sock"),
	KEY_STR(database_user, "scheduler"),
	KEY_STR(database_password, ""),
	KEY_STR(database_name, "scheduler"),
	KEY_STR(listen, "/run/scheduler/api.sock"),
	KEY_INT(workers, 4, 1, 256),
	KEY_INT(listen_backlog, 1024, 1, 65535),
	KEY_STR(listen_group, ""),
	KEY_INT(request_read_timeout, 10, 1, 3600),
	KEY_INT(min_frequency, 3600, 1, 315360000),
	KEY_BOOL(allow_private_targets, "false"),
	KEY_INT(resolve_timeout_ms, 2000, 50, 60000),
	KEY_INT(max_tasks_per_user, 100000, 0, 1000000000),
	KEY_INT(max_post_data_bytes_per_user, 1073741824, 0, 1099511627776LL),
	KEY_STR_CHECKED(cors_allowed_origins, "", config_check_origins),
	KEY_STR_CHECKED(log_level, "info", config_check_log_level),
	KEY_BOOL(log_syslog, "false"),
	KEY_INT(dispatcher_batch, 200, 1, 10000),
	KEY_INT(dispatcher_poll_ms, 500, 10, 60000),
	KEY_INT(dispatcher_concurrency, 256, 1, 4096),
	KEY_INT(callback_timeout, 30, 1, 3600),
	KEY_INT(connect_timeout, 10, 1, 3600),
	KEY_INT(retry_attempts, 5, 1, 100),
	KEY_INT(retry_base_delay, 10, 1, 86400),
	KEY_INT(retry_max_delay, 3600, 1, 604800),
	KEY_INT(lease_seconds, 120, 5, 86400),
	KEY_INT(heartbeat_interval, 5, 1, 3600),
};

#define N_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

static const struct config_key *
config_find(const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

static int
config_parse_bool(const char *v, int *out)
{
	static const char *yes[] = { "true", "yes", "on", "1" };
	static const char *no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) { *out = 1; return 0; }
		if (strcasecmp(v, no[i]) == 0) { *out = 0; return 0; }
	}
	return -1;
}

/* Converts value by the key's type and stores it; err gets the reason. */
static int
config_apply(struct config *cfg, const struct config_key *k, const char *value,
    char *err, size_t errlen)
{
	char *field = (char *)cfg + k->offset;

	switch (k->type) {
	case CONFIG_STRING:
		if (strlen(value) >= CONFIG_STR_MAX) {
			snprintf(err, errlen, "%s: value longer than %d bytes",
			    k->name, CONFIG_STR_MAX - 1);
			return -1;
		}
		if (k->check != NULL) {
			const char *why = k->check(value);
			if (why != NULL) {
				snprintf(err, errlen, "%s: %s, got \"%s\"", k->name,
				    why, value);
				return -1;
			}
		}
		snprintf(field, CONFIG_STR_MAX, "%s", value);
		return 0;
	case CONFIG_INT: {
		char *end;
		errno = 0;
		long long v = strtoll(value, &end, 10);
		if (errno || end == value || *end != '\0') {
			snprintf(err, errlen, "%s: \"%s\" is not an integer",
			    k->name, value);
			return -1;
		}
		if (v < k->min || v > k->max) {
			snprintf(err, errlen, "%s: %lld is outside %lld..%lld",
			    k->name, v, k->min, k->max);
			return -1;
		}
		memcpy(field, &v, sizeof(v));
		return 0;
	}
	case CONFIG_BOOL: {
		int b;
		if (config_parse_bool(value, &b) < 0) {
			snprintf(err, errlen, "%s: \"%s\" is not a boolean "
			    "(true/false)", k->name, value);
			return -1;
		}
		memcpy(field, &b, sizeof(b));
		return 0;
	}
	}
	return -1;
}

void
config_defaults(struct config *cfg)
{
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < N_KEYS; i++)
		(void)config_apply(cfg, &config_keys[i], config_keys[i].def,
		    err, sizeof(err));
}

int
config_set(struct config *cfg, const char *key, const char *value, char *err,
    size_t errlen)
{
	const struct config_key *k = config_find(key);

	if (k == NULL) {
		snprintf(err, errlen, "unknown key \"%s\"", key);
		return -1;
	}
	return config_apply(cfg, k, value, err, errlen);
}

static char *
config_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	char line[CONFIG_STR_MAX + 128], why[CONFIG_STR_MAX + 64];
	unsigned lineno = 0;
	int rc = -1;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			goto out;
		}
		char *s = config_trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%u: expected key = value", path,
			    lineno);
			goto out;
		}
		*eq = '\0';
		char *key = config_trim(s), *value = config_trim(eq + 1);
		/* Values may be quoted so that they can hold '#' or spaces. */
		size_t vlen = strlen(value);
		if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
			value[vlen - 1] = '\0';
			value++;
		}
		if (config_set(cfg, key, value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

const char *
config_path(const char *from_flag)
{
	const char *env;

	if (from_flag != NULL)
		return from_flag;
	env = getenv("SCHEDULER_CONF");
	if (env != NULL && *env != '\0')
		return env;
	return CONFIG_DEFAULT_PATH;
}
