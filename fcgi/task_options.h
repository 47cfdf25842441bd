/*
 * task_options: the request options of a task (docs/API.md §8): its HTTP
 * method, extra headers and optional name, checked and converted like the
 * rest of a new task's body.
 */
#ifndef SCHED_TASK_OPTIONS_H
#define SCHED_TASK_OPTIONS_H

#include <stddef.h>
#include <json-c/json.h>

#define TASK_NAME_MAX 100
#define TASK_HEADERS_MAX 20
#define TASK_HEADER_VALUE_MAX 1024
/*
 * Name and value of one header together, in bytes: dispatcher/request.c
 * (REQUEST_LINE_MAX) refuses a longer stored header at every attempt, so
 * it is refused at submit. The two must stay equal.
 */
#define TASK_HEADER_LINE_MAX 2048

struct task_options {
	const char *request_method;	/* "POST" (default), "PUT", "PATCH", "GET", "DELETE" */
	const char *headers;		/* serialized JSON object text, "{}" by default */
	size_t headers_len;
	const char *name;		/* NULL when the task has none */
};

/*
 * Reads request_method, headers and name from body (strings point into
 * it). On error returns -1 with a client message in err and the field.
 */
int task_options_parse(struct json_object *body, struct task_options *out,
    char *err, size_t errlen, const char **field);

/* 1 when name (len bytes) is a valid task name: [A-Za-z0-9_-]{1,100}. */
int task_options_name_valid(const char *name, size_t len);

#endif
