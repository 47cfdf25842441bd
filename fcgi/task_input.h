/*
 * task_input: a POST /tasks body becomes a typed, checked struct task_input
 * (SPEC §8) before any SQL runs. Strings point into the json-c body, which
 * must outlive the struct.
 */
#ifndef SCHED_TASK_INPUT_H
#define SCHED_TASK_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "config.h"
#include "task_options.h"

enum task_kind { TASK_ONE_TIME, TASK_PERIODIC, TASK_CRON };

#define TASK_MAX_FREQUENCY 315360000LL	/* ten years */

struct task_input {
	enum task_kind kind;
	const char *url;
	size_t url_len;
	const char *post_data;		/* serialized JSON object text */
	size_t post_data_len;
	long long frequency;		/* periodic */
	int64_t start_at;		/* periodic, cron */
	int64_t end_at;			/* periodic, cron; valid when has_end */
	int has_end;
	int64_t run_at;			/* one_time */
	char cron[256];			/* cron: the expression as sent */
	char zone[65];			/* cron: IANA zone name, "UTC" by default */
	int64_t first_at;		/* the first occurrence: next_run_at */
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

/* The stored names of the kinds: "one_time", "periodic", "cron". */
const char *task_kind_name(enum task_kind kind);

#endif
