/*
 * task_options: method, headers and name. Headers the dispatcher sets
 * itself (Host, Content-Length, Content-Type, Transfer-Encoding,
 * Connection, User-Agent, X-Scheduler-*) cannot be overridden, and two
 * names that differ only in case are one header to HTTP, so both are
 * refused rather than one silently winning.
 */
#include "task_options.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "json_body.h"

static const char *const options_methods[] = {
	"POST", "PUT", "PATCH", "GET", "DELETE", NULL,
};

static const char *const options_reserved[] = {
	"Host", "Content-Length", "Content-Type", "Transfer-Encoding",
	"Connection", "User-Agent", NULL,
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

static int
options_header_reserved(const char *name)
{
	if (strncasecmp(name, "X-Scheduler-", 12) == 0)
		return 1;
	for (size_t i = 0; options_reserved[i] != NULL; i++)
		if (strcasecmp(name, options_reserved[i]) == 0)
			return 1;
	return 0;
}

static int
options_method(struct json_object *body, struct task_options *out, char *err,
    size_t errlen, const char **field)
{
	struct json_object *v = NULL;

	out->request_method = "POST";
	if (!json_object_object_get_ex(body, "request_method", &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string))
		for (size_t i = 0; options_methods[i] != NULL; i++)
			if (strcmp(json_object_get_string(v), options_methods[i]) == 0) {
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
	size_t len;
	const char *s;

	/* A key holding NUL was refused by json_body already. */
	if (!options_header_name_ok(name)) {
		snprintf(err, errlen, "headers: \"%.64s\" is not a valid header name", name);
		return -1;
	}
	if (options_header_reserved(name)) {
		snprintf(err, errlen, "headers: %.64s is set by the scheduler and "
		    "cannot be given", name);
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
			if (strcasecmp(seen[i], name) == 0) {
				snprintf(err, errlen, "headers: %.64s is given twice "
				    "(header names ignore case)", name);
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
