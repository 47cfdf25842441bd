/*
 * fuzz_task_input: libFuzzer harness of fcgi/task_input.c, the whole
 * POST /tasks validation (type, url, datetimes, cron and zone, post_data,
 * headers, name) as tasks_api.c runs it: the body through
 * lib/json_body.c, then task_input_parse with the default config, private
 * targets allowed and no name resolution, at a fixed "now". Property: an
 * accepted task's strings are set and its fixed buffers terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "json_body.h"
#include "task_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NOW INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	static int ready;
	struct task_input in;
	char err[512];
	const char *field = NULL;

	if (!ready) {
		config_defaults(&cfg);
		cfg.allow_private_targets = 1;
		cfg.resolve_timeout_ms = 0;
		ready = 1;
	}
	struct json_object *body = json_body_parse((const char *)data, size, err,
	    sizeof(err));
	if (body == NULL)
		return 0;
	memset(&in, 0, sizeof(in));
	if (task_input_parse(body, &cfg, FUZZ_NOW, &in, err, sizeof(err), &field) == 0) {
		if (in.url == NULL || in.post_data == NULL ||
		    memchr(in.sched.cron, '\0', sizeof(in.sched.cron)) == NULL ||
		    memchr(in.sched.zone, '\0', sizeof(in.sched.zone)) == NULL)
			abort();
		(void)task_kind_name(in.sched.kind);
	}
	json_object_put(body);
	return 0;
}
