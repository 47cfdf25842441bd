/*
 * task_options: method, headers and name. Headers the dispatcher or
 * libcurl sets itself (Host, Content-Length, Content-Type,
 * Transfer-Encoding, Connection, User-Agent, Expect, X-Scheduler-*,
 * webhook-*) cannot be overridden, and hop-by-hop headers (Keep-Alive,
 * Proxy-Connection, TE, Trailer, Upgrade) belong to one connection, not to
 * a task. Names are compared ignoring case and reading '_' as '-', because
 * CGI and WSGI receivers turn both into the same variable
 * (X-Scheduler_Signature is HTTP_X_SCHEDULER_SIGNATURE); two names equal
 * that way are one header to the receiver, so both are refused rather
 * than one silently winning.
 */
#include "task_options.h"

#include <stdio.h>
#include <string.h>

#include "json_body.h"

static const char *const options_methods[] = {
	"POST", "PUT", "PATCH", "GET", "DELETE", NULL,
};

#define OPTIONS_SET_BY_US "is set by the scheduler and cannot be given"
#define OPTIONS_HOP "is a hop-by-hop header and cannot be given"

/* Refused header names; prefix: any name that starts with it. */
static const struct {
	const char *name;
	int prefix;
	const char *why;
} options_refused[] = {
	{ "Host", 0, OPTIONS_SET_BY_US },
	{ "Content-Length", 0, OPTIONS_SET_BY_US },
	{ "Content-Type", 0, OPTIONS_SET_BY_US },
	{ "Transfer-Encoding", 0, OPTIONS_SET_BY_US },
	{ "Connection", 0, OPTIONS_SET_BY_US },
	{ "User-Agent", 0, OPTIONS_SET_BY_US },
	{ "Expect", 0, OPTIONS_SET_BY_US },
	{ "X-Scheduler-", 1, OPTIONS_SET_BY_US },
	{ "webhook-", 1, OPTIONS_SET_BY_US },
	{ "Keep-Alive", 0, OPTIONS_HOP },
	{ "Proxy-Connection", 0, OPTIONS_HOP },
	{ "TE", 0, OPTIONS_HOP },
	{ "Trailer", 0, OPTIONS_HOP },
	{ "Upgrade", 0, OPTIONS_HOP },
};

static int
options_fail(char *err, size_t errlen, const char **field, const char *f,
    const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	*field = f;
	return -1;
}

/* RFC 9110 tchar: the characters of a header name. */
static int
options_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
options_header_name_ok(const char *name)
{
	if (*name == '\0')
		return 0;
	for (const char *p = name; *p; p++)
		if (!options_tchar((unsigned char)*p))
			return 0;
	return 1;
}

/* A header-name byte as receivers key it: lower case, '_' read as '-'. */
static int
options_fold(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c == '_' ? '-' : c;
}

/* 1 when the first n bytes of a and b are equal once folded. */
static int
options_same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (options_fold((unsigned char)a[i]) != options_fold((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Why name (len bytes) is refused, or NULL when it may be given. */
static const char *
options_header_refused(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(options_refused) / sizeof(options_refused[0]); i++) {
		size_t rlen = strlen(options_refused[i].name);
		if ((options_refused[i].prefix ? len >= rlen : len == rlen) &&
		    options_same(name, options_refused[i].name, rlen))
			return options_refused[i].why;
	}
	return NULL;
}

static int
options_method(struct json_object *body, struct task_options *out, char *err,
    size_t errlen, const char **field)
{
	struct json_object *v = NULL;
	int i;

	out->request_method = "POST";
	if (!json_object_object_get_ex(body, "request_method", &v) || v == NULL)
		return 0;
	/* Whole-length match: "DELETE\u0000X" is not DELETE. */
	if ((i = json_body_string_word(v, options_methods)) >= 0) {
		out->request_method = options_methods[i];
		return 0;
	}
	return options_fail(err, errlen, field, "request_method",
	    "request_method must be one of POST, PUT, PATCH, GET, DELETE");
}

/* Checks one header; -1 with err set when it is refused. */
static int
options_header(const char *name, struct json_object *v, char *err, size_t errlen)
{
	size_t len, nlen = strlen(name);
	const char *s, *why;

	/* A key holding NUL was refused by json_body already. */
	if (!options_header_name_ok(name)) {
		snprintf(err, errlen, "headers: \"%.64s\" is not a valid header name", name);
		return -1;
	}
	if ((why = options_header_refused(name, nlen)) != NULL) {
		snprintf(err, errlen, "headers: %.64s %s%s", name, why,
		    strchr(name, '_') ? " (receivers read _ as -)" : "");
		return -1;
	}
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(err, errlen, "headers: the value of %.64s must be a string", name);
		return -1;
	}
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len > TASK_HEADER_VALUE_MAX) {
		snprintf(err, errlen, "headers: the value of %.64s is longer than %d "
		    "bytes", name, TASK_HEADER_VALUE_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') {
			snprintf(err, errlen, "headers: the value of %.64s holds CR, LF "
			    "or NUL", name);
			return -1;
		}
	/* The dispatcher refuses such a header at every attempt. */
	if (nlen + len > TASK_HEADER_LINE_MAX) {
		snprintf(err, errlen, "headers: the name and value of %.64s together "
		    "are longer than %d bytes", name, TASK_HEADER_LINE_MAX);
		return -1;
	}
	return 0;
}

static int
options_headers(struct json_object *body, struct task_options *out, char *err,
    size_t errlen, const char **field)
{
	struct json_object *v = NULL;
	const char *seen[TASK_HEADERS_MAX];
	size_t n = 0;

	out->headers = "{}";
	out->headers_len = 2;
	if (!json_object_object_get_ex(body, "headers", &v) || v == NULL)
		return 0;
	*field = "headers";
	if (!json_object_is_type(v, json_type_object))
		return options_fail(err, errlen, field, "headers",
		    "headers must be a JSON object of header names and string values");
	if (json_object_object_length(v) > TASK_HEADERS_MAX) {
		snprintf(err, errlen, "headers: at most %d headers", TASK_HEADERS_MAX);
		return -1;
	}
	json_object_object_foreach(v, name, value) {
		if (options_header(name, value, err, errlen) < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (strlen(seen[i]) == strlen(name) &&
			    options_same(seen[i], name, strlen(name))) {
				snprintf(err, errlen, "headers: %.64s is given twice "
				    "(header names ignore case, and _ is read as -)", name);
				return -1;
			}
		seen[n++] = name;
	}
	*field = NULL;
	out->headers = json_body_serialize(v, &out->headers_len);
	return 0;
}

int
task_options_name_valid(const char *name, size_t len)
{
	if (len == 0 || len > TASK_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int
options_name(struct json_object *body, struct task_options *out, char *err,
    size_t errlen, const char **field)
{
	struct json_object *v = NULL;

	out->name = NULL;
	if (!json_object_object_get_ex(body, "name", &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    !task_options_name_valid(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v)))
		return options_fail(err, errlen, field, "name",
		    "name must be 1 to 100 characters of A-Z, a-z, 0-9, _ and -");
	out->name = json_object_get_string(v);
	return 0;
}

int
task_options_parse(struct json_object *body, struct task_options *out,
    char *err, size_t errlen, const char **field)
{
	*field = NULL;
	if (options_method(body, out, err, errlen, field) < 0 ||
	    options_headers(body, out, err, errlen, field) < 0 ||
	    options_name(body, out, err, errlen, field) < 0)
		return -1;
	return 0;
}
