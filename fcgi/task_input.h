/*
 * task_input: a POST /tasks body becomes a typed, checked struct task_input
 * (docs/API.md §7) before any SQL runs: the fields every task has are read
 * here, its type's fields by its row of the table in lib/task_type.c.
 * Strings point into the json-c body, which must outlive the struct.
 */
#ifndef SCHED_TASK_INPUT_H
#define SCHED_TASK_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "config.h"
#include "task_options.h"
#include "task_type.h"

struct task_input {
	struct task_schedule sched;	/* the type and its fields; sched.
					 * next_run_at is the first occurrence */
	const char *url;
	size_t url_len;
	const char *post_data;		/* serialized JSON object text */
	size_t post_data_len;
	struct task_options opt;	/* request_method, headers, name */
};

/*
 * Validates body against cfg (min_frequency, allow_private_targets) at time
 * now. On error returns -1 with a client message in err and the field at
 * fault in *field (NULL when no single field is).
 */
int task_input_parse(struct json_object *body, const struct config *cfg,
    int64_t now, struct task_input *out, char *err, size_t errlen,
    const char **field);

#endif
